import { Command } from 'commander';
import { formatDiff, renderedDiff, repoRoot, secretFileProblems, secretProblemsError } from '@gitops/pipeline';
import { printJson, progress } from '../output';

export function diffCommand(): Command {
  return new Command('diff')
    .description('Show how rendered manifests and SOPS secret files (key names only, no values) change against a git ref (default origin/main), per overlay, as Markdown')
    .argument('[platforms...]', 'platforms (default: all)')
    .option('--base <ref>', 'git ref to compare against', 'origin/main')
    .option('--json', 'print JSON')
    .action(async (names: string[], opts: { base: string; json?: boolean }) => {
      const diffs = await renderedDiff(repoRoot(), opts.base, names, progress);
      if (opts.json) printJson(diffs);
      else process.stdout.write(formatDiff(diffs, opts.base));
      // Printed first (the PR comment shows the error), then failed: a plaintext value must not merge.
      const problems = secretFileProblems(diffs);
      if (problems.length) throw secretProblemsError(problems);
    });
}
