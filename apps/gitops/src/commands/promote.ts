import { Command } from 'commander';
import { formatPromotion, promote } from '@gitops/promote';
import { repoRoot } from '@gitops/pipeline';
import { printJson, progress } from '../output';
import { collect } from '../args';

export function promoteCommand(): Command {
  return new Command('promote')
    .description("Copy release tags or digests from one environment to the next in a platform's releases.yaml, regenerate, print the rendered diff of the target")
    .argument('<platform>', 'platform whose releases.yaml changes')
    .requiredOption('--from <env>', 'source environment (e.g. dev)')
    .requiredOption('--to <env>', 'target environment (e.g. staging)')
    .option('--app <app>', 'only the release images this app runs')
    .option('--image <name>', 'only this image (repeatable): repository or its last segment, optionally :tag or @sha256:… that the source must run', collect)
    .option('--dry-run', 'write nothing; print what would change')
    .option('--json', 'print JSON')
    .action(async (platform: string, opts: { from: string; to: string; app?: string; image?: string[]; dryRun?: boolean; json?: boolean }) => {
      const result = await promote({ root: repoRoot(), platform, from: opts.from, to: opts.to, app: opts.app, images: opts.image, dryRun: opts.dryRun, onProgress: progress });
      result.warnings.forEach((w) => progress(`warning: ${w}`));
      if (opts.json) printJson(result);
      else process.stdout.write(formatPromotion(result));
    });
}
