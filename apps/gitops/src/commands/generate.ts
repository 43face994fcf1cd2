import { Command } from 'commander';
import { generatePlatform, generatedRoots, loadPlatforms, repoRoot } from '@gitops/pipeline';
import { writeTree, type FileTree } from '@gitops/kustomize';
import { UserError } from '@gitops/core';
import { ARGOCD_ROOT, generateArgoCd } from '@gitops/argocd';
import { elapsed, printJson, progress } from '../output';

export interface GenerateSummary {
  platform: string;
  files: number;
  written: string[];
  removed: string[];
}

/** Compile and emit every named platform first; write only when all succeeded. */
export async function runGenerate(names: string[], opts: { check?: boolean } = {}): Promise<GenerateSummary[]> {
  const root = repoRoot();
  const platforms = await loadPlatforms(root, names);
  const trees = platforms.map((p) => {
    const start = process.hrtime.bigint();
    const tree = generatePlatform(p);
    progress(`generate ${p.name}: ${tree.size} files (${elapsed(start)})`);
    return { p, tree };
  });
  // argocd/ is built from every platform, so only a full run (no names) owns it.
  const argocd = names.length ? undefined : await generateArgoCd(root, platforms);
  // One transaction for everything: an interrupt leaves the whole tree as it was, never some platforms new.
  const parts = trees.map(({ p, tree }) => ({ name: p.name, roots: generatedRoots(p), tree }));
  if (argocd) parts.push({ name: ARGOCD_ROOT, roots: [ARGOCD_ROOT], tree: argocd });
  const all: FileTree = new Map(parts.flatMap((x) => [...x.tree]));
  const r = await writeTree(root, parts.flatMap((x) => x.roots), all, { check: opts.check });
  r.recovered.forEach((dir) => progress(`rolled back and removed ${dir}, left by an interrupted generate`));
  const under = (roots: string[]) => (f: string) => roots.some((root) => f.startsWith(root + '/'));
  return parts.map((x) => ({ platform: x.name, files: x.tree.size, written: r.written.filter(under(x.roots)), removed: r.removed.filter(under(x.roots)) }));
}

export function generateCommand(): Command {
  return new Command('generate')
    .description('Compile platform specs and write environments/base/<p> and environments/<env>/<p> (never secrets/); with no names also argocd/')
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
