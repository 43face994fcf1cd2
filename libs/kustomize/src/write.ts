/**
 * Writes a generated tree into the repository as one step that either happens whole or not at all
 * (as far as a filesystem allows): every file is first written to a staging folder beside the target,
 * then renamed into place, then stale generated files are removed. `secrets/` folders are never
 * read, written or deleted here: they belong to the secrets tool.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, existsSync, rmdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { FileTree } from './emit';

export const PROTECTED_DIR = 'secrets';

export interface WriteResult {
  written: string[];
  unchanged: string[];
  removed: string[];
}

function isProtected(rel: string): boolean {
  return rel.split(/[\\/]/).includes(PROTECTED_DIR);
}

/** Files under `roots` (relative to repo) that generation owns, i.e. everything outside secrets/. */
export function listOwnedFiles(repo: string, roots: string[]): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    if (!existsSync(abs)) return;
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const p = join(abs, entry.name);
      const rel = relative(repo, p).split(sep).join('/');
      if (isProtected(rel)) continue;
      if (entry.isDirectory()) walk(p);
      else out.push(rel);
    }
  };
  roots.forEach((r) => walk(join(repo, r)));
  return out.sort();
}

/**
 * Replace the files under `roots` with `tree`. Files in `tree` must live under one of `roots`.
 * With `check`, nothing is written and the result says what would change (drift check).
 */
export function writeTree(repo: string, roots: string[], tree: FileTree, opts: { check?: boolean } = {}): WriteResult {
  for (const rel of tree.keys()) {
    if (isProtected(rel)) throw new Error(`refusing to write ${rel}: secrets/ folders belong to the secrets tool`);
    if (!roots.some((r) => rel.startsWith(r + '/'))) throw new Error(`refusing to write ${rel}: outside ${roots.join(', ')}`);
  }
  const existing = listOwnedFiles(repo, roots);
  const result: WriteResult = { written: [], unchanged: [], removed: [] };
  const changed: string[] = [];
  for (const [rel, content] of [...tree].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const abs = join(repo, rel);
    if (existsSync(abs) && readFileSync(abs, 'utf8') === content) result.unchanged.push(rel);
    else changed.push(rel);
  }
  result.written = changed;
  result.removed = existing.filter((rel) => !tree.has(rel));
  if (opts.check) return result;

  if (changed.length) {
    mkdirSync(repo, { recursive: true });
    const staging = mkdtempSync(join(repo, '.gitops-staging-'));
    try {
      for (const rel of changed) {
        const p = join(staging, 'new', rel);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, tree.get(rel)!);
      }
      swapIn(repo, staging, changed);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  for (const rel of result.removed) {
    rmSync(join(repo, rel), { force: true });
    pruneEmptyDirs(repo, dirname(join(repo, rel)), roots);
  }
  return result;
}

/**
 * Renames every staged file into place, moving the file it replaces aside first. If any step fails
 * (permissions, a file where a folder must go, a full disk) every file already swapped is put back,
 * so the tree is either all new or all old.
 */
function swapIn(repo: string, staging: string, changed: string[]): void {
  const done: Array<{ target: string; backup?: string }> = [];
  try {
    for (const rel of changed) {
      const target = join(repo, rel);
      mkdirSync(dirname(target), { recursive: true });
      const entry: { target: string; backup?: string } = { target };
      if (existsSync(target)) {
        entry.backup = join(staging, 'old', rel);
        mkdirSync(dirname(entry.backup), { recursive: true });
        renameSync(target, entry.backup);
      }
      done.push(entry);
      renameSync(join(staging, 'new', rel), target);
    }
  } catch (err) {
    for (const { target, backup } of done.reverse()) {
      rmSync(target, { force: true });
      if (backup) renameSync(backup, target);
    }
    throw err;
  }
}

function pruneEmptyDirs(repo: string, dir: string, roots: string[]): void {
  const rootAbs = roots.map((r) => join(repo, r));
  let d = dir;
  while (!rootAbs.includes(d) && d.startsWith(repo) && existsSync(d) && statSync(d).isDirectory() && readdirSync(d).length === 0) {
    rmdirSync(d);
    d = dirname(d);
  }
}
