/**
 * Finds the kustomize to run, in this order: $KUSTOMIZE_BIN, `kustomize` on PATH, `kubectl kustomize`.
 */
import { execaSync } from 'execa';

export interface KustomizeCommand {
  file: string;
  /** Arguments before the build directory: `build` for kustomize, `kustomize` for kubectl. */
  args: string[];
  description: string;
}

let cached: KustomizeCommand | undefined;

function works(file: string, args: string[]): boolean {
  try {
    execaSync(file, args, { timeout: 20_000, reject: true, stdin: 'ignore' });
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
  if (cached && env === process.env) return cached;
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
    tried.push('kubectl kustomize');
    if (works('kubectl', ['version', '--client'])) found = { file: 'kubectl', args: ['kustomize'], description: 'kubectl kustomize' };
  }
  if (!found) throw new KustomizeNotFoundError(tried);
  if (env === process.env) cached = found;
  return found;
}
