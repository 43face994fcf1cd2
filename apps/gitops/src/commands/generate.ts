import { Command } from 'commander';
// Subpaths, not the package root: the root also loads render, validate and the secrets libraries.
import { generateAll, type GenerateSummary } from '@gitops/pipeline/generate';
import { repoRoot } from '@gitops/pipeline/repo';
import type { ArgoCdStep } from '@gitops/pipeline';
import { UserError } from '@gitops/core';
import { printJson, progress } from '../output';

export type { GenerateSummary } from '@gitops/pipeline/generate';

/** libs/argocd's step for a full run (no platform names: argocd/ is built from every platform); loaded only then. */
export async function argoCdFor(names: string[]): Promise<ArgoCdStep | undefined> {
  return names.length ? undefined : (await import('@gitops/argocd')).argoCd;
}

/** Build and write the named platforms (all: also argocd/); `check` writes nothing. */
export async function runGenerate(names: string[], opts: { check?: boolean } = {}): Promise<GenerateSummary[]> {
  return (await generateAll(repoRoot(), names, { check: opts.check, onProgress: progress, argoCd: await argoCdFor(names) })).summary;
}

export function generateCommand(): Command {
  return new Command('generate')
    .description('Compile platform specs and write environments/base/<p> and environments/<env>/<p> (never secrets/); with no names also argocd/, and remove the generated files of platforms that no longer exist')
    .argument('[platforms...]', 'platforms to generate (default: all)')
    .option('--check', 'write nothing; exit 1 if the committed tree differs from what the code generates (drift check)')
    .option('--json', 'print a JSON summary')
    .action(async (names: string[], opts: { check?: boolean; json?: boolean }) => {
      const summary = await runGenerate(names, opts);
      if (opts.json) printJson(summary);
      for (const s of summary) {
        const verb = opts.check ? 'would change' : 'changed';
        progress(`${s.platform}: ${s.written.length} ${verb}, ${s.removed.length} ${opts.check ? 'would be removed' : 'removed'}`);
        if (opts.check) [...s.written, ...s.removed].forEach((f) => progress(`  drift: ${f}`));
      }
      const drift = summary.some((s) => s.written.length || s.removed.length);
      if (opts.check && drift) throw new UserError('generated files differ from the committed tree: run `npx gitops generate` and commit', 1);
    });
}
