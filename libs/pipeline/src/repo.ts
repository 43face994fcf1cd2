import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: $GITOPS_ROOT, else the nearest folder above cwd holding nx.json and libs/platforms. */
export function repoRoot(start = process.cwd()): string {
  if (process.env.GITOPS_ROOT) return resolve(process.env.GITOPS_ROOT);
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'nx.json')) && existsSync(join(dir, 'libs', 'platforms'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  // Fall back to this checkout (the CLI run from elsewhere).
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
}
