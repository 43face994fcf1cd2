/**
 * Finds the kustomize to run, in this order: $KUSTOMIZE_BIN, `kustomize` on PATH, the pinned
 * standalone kustomize in the toolchain cache (`<repo>/.tools/bin/kustomize`, built by
 * `node tools/toolchain/build.mjs` from tools/toolchain/versions.json), `kubectl kustomize`.
 * The pinned one comes before kubectl's: it is the standalone kustomize v5 Argo CD's repo-server
 * runs (kubectl 1.32 bundles v5.5), and it renders our overlays with half the CPU (measured: 39
 * overlays, 3.4 vs 6.4 CPU-s; identical output, `test/render.test.ts`).
 */
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface KustomizeCommand {
  file: string;
  /** Arguments before the build directory: `build` for kustomize, `kustomize` for kubectl. */
  args: string[];
  description: string;
}

/** Found commands by what decides them (KUSTOMIZE_BIN, PATH, the repository root): tests run several roots in one process. */
const cached = new Map<string, KustomizeCommand>();

/**
 * True when `file args` runs and exits 0 (a version probe). node:child_process, loaded on the first
 * probe, not execa: `gitops generate` imports this library and never runs a process, and loading
 * either at start was 4-9 ms of it.
 */
function works(file: string, args: string[]): boolean {
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const res = spawnSync(file, args, { timeout: 20_000, stdio: 'ignore' });
  return !res.error && res.status === 0;
}

/** `<repo>/.tools/bin/kustomize`: the repository is GITOPS_ROOT when set, else the one this file is in. */
export function pinnedKustomize(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.GITOPS_ROOT || fileURLToPath(new URL('../../..', import.meta.url));
  return join(root, '.tools', 'bin', 'kustomize');
}

/** True when `file` exists and this process may execute it (also used by libs/cluster's tool lookup). */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export class KustomizeNotFoundError extends Error {
  constructor(tried: string[]) {
    super(
      `no kustomize found (tried ${tried.join(', ')}). Install kubectl (>= 1.27, which bundles kustomize v5) ` +
        'or kustomize v5, or set KUSTOMIZE_BIN to the kustomize binary.',
    );
    this.name = 'KustomizeNotFoundError';
  }
}

export function findKustomize(env: NodeJS.ProcessEnv = process.env): KustomizeCommand {
  const key = JSON.stringify([env.KUSTOMIZE_BIN, env.PATH, pinnedKustomize(env)]);
  const known = cached.get(key);
  // Re-checked: a remembered binary inside a temporary copy that was removed is looked up again.
  if (known && (known.file === 'kubectl' || known.file === 'kustomize' || isExecutable(known.file))) return known;
  const tried: string[] = [];
  let found: KustomizeCommand | undefined;
  if (env.KUSTOMIZE_BIN) {
    tried.push(`KUSTOMIZE_BIN=${env.KUSTOMIZE_BIN}`);
    if (!works(env.KUSTOMIZE_BIN, ['version'])) {
      throw new KustomizeNotFoundError([...tried, '(KUSTOMIZE_BIN is set but does not run `version`)']);
    }
    found = { file: env.KUSTOMIZE_BIN, args: ['build'], description: env.KUSTOMIZE_BIN };
  }
  if (!found) {
    tried.push('kustomize');
    if (works('kustomize', ['version'])) found = { file: 'kustomize', args: ['build'], description: 'kustomize' };
  }
  if (!found) {
    const pinned = pinnedKustomize(env);
    tried.push(pinned);
    if (isExecutable(pinned)) found = { file: pinned, args: ['build'], description: 'kustomize (.tools/bin, pinned)' };
  }
  if (!found) {
    tried.push('kubectl kustomize');
    if (works('kubectl', ['version', '--client'])) found = { file: 'kubectl', args: ['kustomize'], description: 'kubectl kustomize' };
  }
  if (!found) throw new KustomizeNotFoundError(tried);
  cached.set(key, found);
  return found;
}
