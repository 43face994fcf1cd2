/** A throwaway copy of the repository for end-to-end imports, and what an import changed in it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { runMain } from '../../../apps/gitops/test/run-main';
import { NX_ENV, tempWorkspace } from '../../../tools/nx-plugin/test/workspace';

export { tempWorkspace };

/**
 * The CLI's main() in this process (apps/gitops/test/run-main.ts), in the copy: these tests are about
 * what an import writes and prints, not the bin's process (tested in apps/gitops), and a process per
 * call also built the CLI again in every copy.
 */
export function gitops(dir: string, args: string[], env: Record<string, string> = {}) {
  return runMain(args, { cwd: dir, env: { ...NX_ENV, GITOPS_ROOT: dir, ...env } });
}

/** Paths (repository-relative) added or modified since the base commit, untracked ones included. */
export function changedFiles(dir: string): string[] {
  const out = execaSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd: dir }).stdout;
  return out.split('\0').filter(Boolean).map((l) => l.slice(3)).sort();
}

/** Files among `files` (and the extra texts) that contain any of the values: [file, value] pairs. */
export function plaintextHits(dir: string, files: string[], values: string[], extra: Record<string, string> = {}): Array<[string, string]> {
  const hits: Array<[string, string]> = [];
  const texts: Array<[string, string]> = [...files.map((f): [string, string] => [f, readFileSync(join(dir, f), 'utf8')]), ...Object.entries(extra)];
  for (const [name, text] of texts) for (const v of values) if (text.includes(v)) hits.push([name, v]);
  return hits;
}
