/**
 * For validate: the spec checks of generate (all problems at once, as a SpecError) and then, from the
 * same compile, which committed generated files differ from what each platform's source generates
 * now (the drift `gitops generate --check` reports). A tree validated while out of date with its
 * source says nothing about the source, so validate reports it as an error of the overlays it touches.
 */
import { SpecError } from '@gitops/core';
import { writeTree } from '@gitops/kustomize';
import type { Finding } from '@gitops/validate';
import { buildPlatform } from './build';
import { checkSpec } from './compile';
import type { LoadedPlatform } from './platforms';

/** Rule id of an overlay whose generated files are not what its platform's source generates; never suppressible. */
export const OUT_OF_DATE_RULE = 'out-of-date';

/** Platform name → the generated files (repository paths) that would change or go with `gitops generate`. */
export async function checkedStaleFiles(root: string, platforms: LoadedPlatform[]): Promise<Map<string, string[]>> {
  const checked = platforms.map((p) => ({ p, ...checkSpec(p) }));
  const issues = checked.flatMap((c) => c.issues);
  if (issues.length) throw new SpecError(issues);
  const stale = new Map<string, string[]>();
  for (const { p, compiled } of checked) {
    const build = buildPlatform(p, compiled);
    const w = await writeTree(root, build.roots, build.tree, { check: true });
    const files = [...w.written, ...w.removed].sort();
    if (files.length) stale.set(p.name, files);
  }
  return stale;
}

/**
 * The out-of-date finding of one overlay, or none: the stale files in its folder, and those of its
 * platform outside every overlay folder (the base the overlay builds on).
 */
export function outOfDateFinding(platform: string, env: string, dir: string, overlayDirs: string[], stale: string[]): Finding | undefined {
  const inside = (f: string, d: string) => f.startsWith(`${d}/`);
  const mine = stale.filter((f) => inside(f, dir) || !overlayDirs.some((d) => inside(f, d)));
  if (!mine.length) return undefined;
  const shown = mine.slice(0, 3).join(', ') + (mine.length > 3 ? `, … (${mine.length} in all)` : '');
  return {
    severity: 'error',
    rule: OUT_OF_DATE_RULE,
    platform,
    env,
    source: mine[0],
    kind: 'Overlay',
    name: dir,
    path: '',
    message: `the generated files are not what libs/platforms/${platform} generates now (${shown}): run \`gitops generate ${platform}\``,
  };
}
