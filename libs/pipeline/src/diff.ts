/**
 * Rendered diff: what `kustomize build` of an overlay yields before and after a change, object by
 * object. `gitops diff` compares a git ref with the working tree; `gitops promote` compares the
 * tree before and after a promotion; `gitops report --base` lists what changed. One implementation.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { objectId, UserError, type KubeObject } from '@gitops/core';
import { kustomizeBuild, toYaml } from '@gitops/kustomize';
import { loadPlatforms } from './platforms';
import { overlayDirs } from './generate';

export interface OverlayDiff {
  overlay: string;
  added: string[];
  removed: string[];
  changed: Array<{ id: string; diff: string }>;
}

/** Rendered objects of an overlay by id; an overlay that does not exist (yet) renders nothing. */
export async function renderObjectsIfPresent(root: string, dir: string): Promise<Map<string, KubeObject>> {
  if (!existsSync(join(root, dir, 'kustomization.yaml'))) return new Map();
  const objects = await kustomizeBuild(join(root, dir));
  return new Map(objects.map((o) => [objectId(o), o]));
}

/** Unified diff of two texts (git's diff engine, no repository needed). */
export async function textDiff(a: string, b: string, label: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-diff-'));
  try {
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', label), a);
    writeFileSync(join(dir, 'b', label), b);
    const res = await execa('git', ['diff', '--no-index', '--no-color', '-U3', 'a', 'b'], { cwd: dir, reject: false });
    return String(res.stdout).split('\n').slice(4).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Objects added, removed and changed (with a YAML diff) between two renders of one overlay. */
export async function diffObjects(overlay: string, before: Map<string, KubeObject>, after: Map<string, KubeObject>): Promise<OverlayDiff> {
  const d: OverlayDiff = { overlay, added: [], removed: [], changed: [] };
  for (const [id, obj] of after) {
    const old = before.get(id);
    if (!old) d.added.push(id);
    else if (toYaml(old) !== toYaml(obj)) d.changed.push({ id, diff: await textDiff(toYaml(old), toYaml(obj), id.replace(/\//g, '_') + '.yaml') });
  }
  for (const id of before.keys()) if (!after.has(id)) d.removed.push(id);
  return d;
}

export const isEmptyDiff = (d: OverlayDiff): boolean => !d.added.length && !d.removed.length && !d.changed.length;

/** Rendered objects of every overlay at `base` (a git ref) against the working tree at `root`. */
export async function renderedDiff(root: string, base: string, names: string[], onProgress: (msg: string) => void = () => {}): Promise<OverlayDiff[]> {
  const worktree = mkdtempSync(join(tmpdir(), 'gitops-base-'));
  await execa('git', ['worktree', 'add', '--detach', worktree, base], { cwd: root }).catch((e) => {
    rmSync(worktree, { recursive: true, force: true });
    throw new UserError(`cannot check out ${base}: ${(e as Error).message}`, 2);
  });
  try {
    // Platform specs import the workspace packages; the base checkout borrows this one's install.
    if (!existsSync(join(worktree, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(worktree, 'node_modules'));
    const out: OverlayDiff[] = [];
    for (const p of await loadPlatforms(root, names)) {
      for (const o of overlayDirs(p)) {
        const d = await diffObjects(o.dir, await renderObjectsIfPresent(worktree, o.dir), await renderObjectsIfPresent(root, o.dir));
        if (!isEmptyDiff(d)) out.push(d);
        onProgress(`diff ${o.dir}: +${d.added.length} -${d.removed.length} ~${d.changed.length}`);
      }
    }
    return out;
  } finally {
    await execa('git', ['worktree', 'remove', '--force', worktree], { cwd: root, reject: false });
    rmSync(worktree, { recursive: true, force: true });
  }
}

/** Markdown: one section per overlay, a fenced diff per changed object. */
export function formatDiff(diffs: OverlayDiff[], against: string): string {
  if (!diffs.length) return `No rendered changes against \`${against}\`.\n`;
  const lines = [`## Rendered changes against \`${against}\``, ''];
  for (const d of diffs) {
    lines.push(`### ${d.overlay}`, '');
    d.added.forEach((id) => lines.push(`- added \`${id}\``));
    d.removed.forEach((id) => lines.push(`- removed \`${id}\``));
    for (const c of d.changed) lines.push(`- changed \`${c.id}\``, '', '```diff', c.diff.trimEnd(), '```', '');
    lines.push('');
  }
  return lines.join('\n');
}
