import { Command } from 'commander';
import { UserError } from '@gitops/core';
import { errorCount, generateAndValidate, repoRoot } from '@gitops/pipeline';
import { elapsed, progress } from '../output';
import { withRedactionSummary } from '@gitops/secrets-workflow';
import { printValidation, validateRunOptions } from './validate';

/** The main job: regenerate everything, render every overlay with kustomize, validate it all. */
export function allCommand(): Command {
  return new Command('all')
    .description('The main job: generate every platform, render every overlay and validate the result')
    .argument('[platforms...]', 'platforms (default: all)')
    .option('--check', 'do not write; fail if the committed tree is out of date (CI drift check)')
    .option('--json', 'print the validation results as JSON')
    .action(async (names: string[], opts: { check?: boolean; json?: boolean }) => {
      const start = process.hrtime.bigint();
      const run = { ...(await validateRunOptions(names)), check: opts.check };
      const { drift, results } = await withRedactionSummary(() => generateAndValidate(repoRoot(), names, run));
      if (!results) {
        drift.forEach((f) => progress(`  drift: ${f}`));
        throw new UserError(`${drift.length} generated file(s) differ from the committed tree: run \`npx gitops generate\` and commit`, 1);
      }
      progress(`done in ${elapsed(start)}: ${results.length} overlays, ${errorCount(results)} errors`);
      await printValidation(results, opts.json);
    });
}
