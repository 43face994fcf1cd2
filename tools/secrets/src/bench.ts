/**
 * Micro-benchmark for `npm run bench`: encrypt and decrypt a Kubernetes Secret
 * with `keys` stringData values using a throwaway in-memory age key.
 */
import { generateAgeKey } from './age';
import { decryptDocument, encryptDocument } from './document';

export interface BenchResult {
  encryptMs: number;
  decryptMs: number;
  totalMs: number;
  keys: number;
  /** The first round trip in this process (includes JIT warm-up); the others are medians of RUNS. */
  coldMs: number;
}

export function secretManifest(keys: number): string {
  let s = 'apiVersion: v1\nkind: Secret\nmetadata:\n    name: bench\ntype: Opaque\nstringData:\n';
  for (let i = 0; i < keys; i++) s += `    key${i}: value-${i}-${'x'.repeat(24)}\n`;
  return s;
}

/** Milliseconds to encrypt + decrypt a `keys`-value Secret (default 100). */
export async function benchSecrets(keys = 100): Promise<number> {
  return (await benchSecretsDetailed(keys)).totalMs;
}

/**
 * Runs after the first: 5 left the median inside V8's warm-up (18 ms in one process, 8-9 ms in the
 * next call of the same process), so it moved with whatever ran before; 21 runs settle it.
 */
const RUNS = 21;

/** Same as benchSecrets, with the encrypt/decrypt split: the first (cold) run, then the median of RUNS. */
export async function benchSecretsDetailed(keys = 100): Promise<BenchResult> {
  const key = await generateAgeKey();
  const plain = secretManifest(keys);
  const once = async () => {
    const t0 = performance.now();
    const enc = await encryptDocument(plain, { format: 'yaml', recipients: [key.recipient] });
    const t1 = performance.now();
    const dec = (await decryptDocument(enc, { format: 'yaml', identities: [key.identity] })).toString('utf8');
    const t2 = performance.now();
    if (dec !== plain) throw new Error('benchSecrets: round trip mismatch');
    return { encryptMs: t1 - t0, decryptMs: t2 - t1, totalMs: t2 - t0 };
  };
  const cold = await once();
  const runs: Array<Awaited<ReturnType<typeof once>>> = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once());
  const median = (k: 'encryptMs' | 'decryptMs' | 'totalMs') => runs.map((r) => r[k]).sort((a, b) => a - b)[(RUNS - 1) / 2];
  return { encryptMs: median('encryptMs'), decryptMs: median('decryptMs'), totalMs: median('totalMs'), keys, coldMs: cold.totalMs };
}
