/**
 * What a secret file holds: fresh values for generated keys, the placeholder for keys nobody gave,
 * and the plaintext Secret manifest that gets encrypted.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { stringify } from 'yaml';
import type { SecretDecl, SecretKeySpec } from '@gitops/core';

/** Value `gitops secrets init` writes for a key that is neither generated nor given. */
export const SECRET_PLACEHOLDER = 'CHANGE-ME';
/** Sync wave of every Secret: before the workloads (wave 2+) that mount it. */
export const SECRET_SYNC_WAVE = '1';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A fresh value for a key with `generate` (crypto-random):
 *  - password: `length` (default 32) characters from [A-Za-z0-9] (safe in URLs, shells and DSNs)
 *  - hex:      `length` (default 32) lower-case hex characters
 *  - base64:   `length` (default 32) random bytes, standard base64 (`openssl rand -base64 <length>`)
 *  - fixed:    the given value
 */
export function generateSecretValue(gen: NonNullable<SecretKeySpec['generate']>): string {
  if (gen.kind === 'fixed') return gen.value;
  const length = gen.length ?? 32;
  if (!Number.isInteger(length) || length < 1 || length > 4096) throw new Error(`generate.length ${length} is not an integer in 1-4096`);
  switch (gen.kind) {
    case 'password':
      return Array.from({ length }, () => ALNUM[randomInt(ALNUM.length)]).join('');
    case 'hex':
      return randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
    case 'base64':
      return randomBytes(length).toString('base64');
    default:
      throw new Error(`unknown generate kind "${(gen as { kind: string }).kind}"`);
  }
}

/**
 * Plaintext of a secret file: a Secret manifest without namespace (the overlay sets it), every
 * value in `stringData`, double-quoted so no value is ever read as a number, bool or date.
 */
export function secretManifestYaml(decl: Pick<SecretDecl, 'name' | 'type'>, values: Array<[string, string]>): string {
  const head = stringify(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: decl.name, annotations: { 'argocd.argoproj.io/sync-wave': SECRET_SYNC_WAVE } },
      type: decl.type ?? 'Opaque',
    },
    { lineWidth: 0 },
  );
  const data = values.length ? 'stringData:\n' + values.map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}\n`).join('') : 'stringData: {}\n';
  return head + data;
}
