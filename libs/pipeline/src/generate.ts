/**
 * `gitops generate`: build every named platform once, build argocd/ from those builds on a full run,
 * and write everything as one transaction (or, with `check`, only report what would change).
 */
import { appPaths, envNames, isNestedPlatform } from '@gitops/environments';
import { writeTree, type FileTree, type WriteResult } from '@gitops/kustomize';
import type { ArgoCdStep } from './argocd';
import { buildPlatform, type PlatformBuild } from './build';
import { loadPlatforms, type LoadedPlatform } from './platforms';
import { orphanedPlatforms } from './orphans';

/** The platform's generated files (a build's tree). */
export function generatePlatform(p: LoadedPlatform): FileTree {
  return buildPlatform(p).tree;
}

export function overlayDirs(p: LoadedPlatform, env?: string): Array<{ app: string; env: string; dir: string }> {
  const nested = isNestedPlatform(p.name, p.spec.apps);
  return p.spec.apps.flatMap((a) =>
    envNames.filter((e) => !env || e === env).map((e) => ({ app: a.name, env: e, dir: appPaths(p.name, a.name, nested, e).overlay })),
  );
}

export interface GenerateSummary {
  /** Platform name, or `argocd` for the Argo CD tree. */
  platform: string;
  files: number;
  written: string[];
  removed: string[];
  /**
   * Only for a platform that no longer exists whose generated files this full run removes: its
   * secrets/ folders, which generation never deletes. (Once only those are left, a run names them
   * in a progress line and adds no entry.)
   */
  left?: string[];
}

export interface GenerateResult {
  builds: PlatformBuild[];
  /** argocd/ (only on a full run: it is built from every platform). */
  argocd?: FileTree;
  write: WriteResult;
  summary: GenerateSummary[];
}

export interface GenerateOptions {
  /** Write nothing; report what would change (drift check). */
  check?: boolean;
  /** Progress lines (stderr in the CLI). */
  onProgress?: (line: string) => void;
  /** libs/argocd (`argoCd`): on a full run (no names) argocd/ is built from the same builds and written with them. */
  argoCd?: ArgoCdStep;
}

/**
 * Build the named platforms (all when `names` is empty) and write their trees, plus argocd/ on a
 * full run, in one transaction: an interrupt or a failure leaves every file as it was. Nothing is
 * written unless every platform built.
 */
export async function generateAll(root: string, names: string[], opts: GenerateOptions = {}): Promise<GenerateResult> {
  const say = opts.onProgress ?? (() => {});
  const platforms = await loadPlatforms(root, names);
  const builds = platforms.map((p) => {
    const start = process.hrtime.bigint();
    const b = buildPlatform(p);
    say(`generate ${p.name}: ${b.tree.size} files (${Number((process.hrtime.bigint() - start) / 1_000_000n)} ms)`);
    return b;
  });
  const parts = builds.map((b) => ({ name: b.platform.name, roots: b.roots, tree: b.tree }));
  let argocd: FileTree | undefined;
  if (!names.length && opts.argoCd) {
    // argocd/ is built from every platform's build, so only a full run (no names) owns it.
    argocd = opts.argoCd.generate(builds);
    parts.push({ name: opts.argoCd.root, roots: [opts.argoCd.root], tree: argocd });
  }
  // A full run owns environments/: the generated files of a platform that is gone go in the same transaction.
  const orphans = names.length ? [] : orphanedPlatforms(root, platforms.map((p) => p.name));
  const all: FileTree = new Map(parts.flatMap((x) => [...x.tree]));
  const write = await writeTree(root, parts.flatMap((x) => x.roots), all, {
    check: opts.check,
    remove: { files: orphans.flatMap((o) => o.files), within: [...new Set(orphans.flatMap((o) => o.roots.map((r) => r.slice(0, r.lastIndexOf('/')))))] },
  });
  write.recovered.forEach((dir) => say(`rolled back and removed ${dir}, left by an interrupted generate`));
  const under = (roots: string[]) => (f: string) => roots.some((r) => f.startsWith(r + '/'));
  const summary: GenerateSummary[] = parts.map((x) => ({ platform: x.name, files: x.tree.size, written: write.written.filter(under(x.roots)), removed: write.removed.filter(under(x.roots)) }));
  for (const o of orphans) {
    // Once its generated files are gone only secrets/ folders are left: said in one line, not as a removal on every run.
    const removed = write.removed.filter(under(o.roots));
    if (removed.length) {
      summary.push({ platform: o.platform, files: 0, written: [], removed, left: o.secrets });
      say(`${o.platform}: no platform library libs/platforms/${o.platform} any more: its ${removed.length} generated file(s) ${opts.check ? 'would be' : 'were'} removed`);
    }
    if (o.secrets.length) say(`${o.platform}: left in place: ${o.secrets.join(', ')} (generation never deletes secrets; delete them if ${o.platform} is gone for good)`);
  }
  return { builds, argocd, write, summary };
}
