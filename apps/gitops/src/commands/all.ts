import { Command } from 'commander';
import { UserError } from '@gitops/core';
import { errorCount, generateAndValidate, repoRoot } from '@gitops/pipeline';
import { loadOverlaySecrets } from '@gitops/secrets-workflow';
import { counter, elapsed, printJson, progress } from '../output';

/** The main job: regenerate everything, render every overlay with kustomize, validate it all. */
export function allCommand(): Command {
  return new Command('all')
    .description('The main job: generate every platform, render every overlay and validate the result')
    .argument('[platforms...]', 'platforms (default: all)')
    .option('--check', 'do not write; fail if the committed tree is out of date (CI drift check)')
    .option('--json', 'print the validation results as JSON')
    .action(async (names: string[], opts: { check?: boolean; json?: boolean }) => {
      const start = process.hrtime.bigint();
      const renderTick = counter('render');
      const validateTick = counter('validate');
      const { drift, results } = await generateAndValidate(repoRoot(), names, {
        check: opts.check,
        argoCd: names.length ? undefined : (await import('@gitops/argocd')).argoCd,
        secrets: loadOverlaySecrets,
        onProgress: progress,
        onRendered: (r, done, total) => renderTick(done, total, r.dir),
        onValidated: (r, done, total) => validateTick(done, total, r.dir),
      });
      if (!results) {
        drift.forEach((f) => progress(`  drift: ${f}`));
        throw new UserError(`${drift.length} generated file(s) differ from the committed tree: run \`npx gitops generate\` and commit`, 1);
      }
      if (opts.json) printJson(results);
      else process.stdout.write((await import('@gitops/validate')).formatReport(results));
      const errors = errorCount(results);
      progress(`done in ${elapsed(start)}: ${results.length} overlays, ${errors} errors`);
      if (errors) throw new UserError(`validation failed: ${errors} error${errors === 1 ? '' : 's'}`, 1);
    });
}
