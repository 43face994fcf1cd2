import { Command } from 'commander';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { loadPlatforms, overlayDirs, repoRoot } from '@gitops/pipeline';
import { kustomizeBuild, toYaml } from '@gitops/kustomize';
import { objectId, UserError, type KubeObject } from '@gitops/core';
import { printJson, progress } from '../output';

interface OverlayDiff {
  overlay: string;
  added: string[];
  removed: string[];
  changed: Array<{ id: string; diff: string }>;
}

async function renderIfPresent(root: string, dir: string): Promise<Map<string, KubeObject>> {
  if (!existsSync(join(root, dir, 'kustomization.yaml'))) return new Map();
  const objects = await kustomizeBuild(join(root, dir));
  return new Map(objects.map((o) => [objectId(o), o]));
}

async function textDiff(a: string, b: string, label: string): Promise<string> {
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

/** Rendered objects of every overlay at `base` (a git ref) against the working tree. */
export async function renderedDiff(base: string, names: string[]): Promise<OverlayDiff[]> {
  const root = repoRoot();
  const worktree = mkdtempSync(join(tmpdir(), 'gitops-base-'));
  await execa('git', ['worktree', 'add', '--detach', worktree, base], { cwd: root }).catch((e) => {
    throw new UserError(`cannot check out ${base}: ${(e as Error).message}`, 2);
  });
  try {
    // Platform specs import the workspace packages; the base checkout borrows this one's install.
    if (!existsSync(join(worktree, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(worktree, 'node_modules'));
    const out: OverlayDiff[] = [];
    for (const p of await loadPlatforms(root, names)) {
      for (const o of overlayDirs(p)) {
        const [before, after] = [await renderIfPresent(worktree, o.dir), await renderIfPresent(root, o.dir)];
        const d: OverlayDiff = { overlay: o.dir, added: [], removed: [], changed: [] };
        for (const [id, obj] of after) {
          const old = before.get(id);
          if (!old) d.added.push(id);
          else if (toYaml(old) !== toYaml(obj)) d.changed.push({ id, diff: await textDiff(toYaml(old), toYaml(obj), id.replace(/\//g, '_') + '.yaml') });
        }
        for (const id of before.keys()) if (!after.has(id)) d.removed.push(id);
        if (d.added.length || d.removed.length || d.changed.length) out.push(d);
        progress(`diff ${o.dir}: +${d.added.length} -${d.removed.length} ~${d.changed.length}`);
      }
    }
    return out;
  } finally {
    await execa('git', ['worktree', 'remove', '--force', worktree], { cwd: root, reject: false });
    rmSync(worktree, { recursive: true, force: true });
  }
}

export function formatDiff(diffs: OverlayDiff[], base: string): string {
  if (!diffs.length) return `No rendered changes against \`${base}\`.\n`;
  const lines = [`## Rendered changes against \`${base}\``, ''];
  for (const d of diffs) {
    lines.push(`### ${d.overlay}`, '');
    d.added.forEach((id) => lines.push(`- added \`${id}\``));
    d.removed.forEach((id) => lines.push(`- removed \`${id}\``));
    for (const c of d.changed) lines.push(`- changed \`${c.id}\``, '', '```diff', c.diff.trimEnd(), '```', '');
    lines.push('');
  }
  return lines.join('\n');
}

export function diffCommand(): Command {
  return new Command('diff')
    .description('Show how rendered manifests change against a git ref (default origin/main), per overlay, as Markdown')
    .argument('[platforms...]', 'platforms (default: all)')
    .option('--base <ref>', 'git ref to compare against', 'origin/main')
    .option('--json', 'print JSON')
    .action(async (names: string[], opts: { base: string; json?: boolean }) => {
      const diffs = await renderedDiff(opts.base, names);
      if (opts.json) printJson(diffs);
      else process.stdout.write(formatDiff(diffs, opts.base));
    });
}
