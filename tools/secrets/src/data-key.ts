/**
 * The 32-byte data key: generation, wrapping for key groups (Shamir split when
 * there are two or more groups) and recovery with the available age identities.
 */
import { randomBytes } from 'node:crypto';
import { recipientOf, unwrapDataKey, wrapDataKey } from './age';
import { loadAgeIdentities, type IdentityOptions } from './identities';
import { SopsError } from './errors';
import { shamirCombine, shamirSplit } from './shamir';
import type { KeyGroup, Metadata } from './metadata';

export function newDataKey(): Uint8Array {
  return randomBytes(32);
}

/** Wrap the data key for each group's age recipients; other (non-age) keys are carried over unchanged. */
export async function wrapDataKeyForGroups(
  dataKey: Uint8Array,
  groups: Array<{ age: string[]; other?: KeyGroup['other'] }>,
  shamirThreshold = 0,
): Promise<{ keyGroups: KeyGroup[]; shamirThreshold: number }> {
  if (groups.length === 0 || groups.some((g) => g.age.length === 0 && !Object.keys(g.other ?? {}).length)) {
    throw new SopsError('CONFIG', 'at least one age recipient is required in every key group');
  }
  let parts: Uint8Array[] = [dataKey];
  let threshold = shamirThreshold;
  if (groups.length > 1) {
    threshold = threshold || groups.length;
    if (threshold > groups.length) throw new SopsError('CONFIG', `shamir_threshold ${threshold} is larger than the number of key groups`);
    parts = shamirSplit(dataKey, groups.length, threshold);
  }
  const keyGroups: KeyGroup[] = [];
  for (let i = 0; i < groups.length; i++) {
    const age = [];
    for (const r of groups[i].age) age.push({ recipient: r.trim(), enc: await wrapDataKey(parts[i], r) });
    keyGroups.push({ age, other: groups[i].other ?? {} });
  }
  return { keyGroups, shamirThreshold: groups.length > 1 ? threshold : shamirThreshold };
}

/** Recover the data key from the metadata. Throws NO_DECRYPTION_KEY naming sources and recipients (never keys). */
export async function recoverDataKey(md: Metadata, idOpts: IdentityOptions = {}): Promise<Uint8Array> {
  const env = idOpts.env ?? process.env;
  const perRecipient = !idOpts.identities && env.SOPS_AGE_KEY_CMD !== undefined;
  const shared = perRecipient ? undefined : loadAgeIdentities(idOpts);
  const sources = new Set(shared?.sources ?? []);

  const parts: Uint8Array[] = [];
  const failed: string[] = []; // recipients whose entry did not open with the identities at hand
  for (const group of md.keyGroups) {
    for (const key of group.age) {
      const ids = shared ?? loadAgeIdentities(idOpts, key.recipient);
      ids.sources.forEach((s) => sources.add(s));
      const part = await unwrapDataKey(key.enc, ids.identities);
      if (part) {
        parts.push(part);
        break;
      }
      failed.push(key.recipient);
    }
  }
  const recipients = md.keyGroups.flatMap((g) => g.age.map((k) => k.recipient));
  const fail = async () => (shared ? await damagedEntryError(failed, shared.identities) : undefined) ?? noKeyError();
  const noKeyError = () =>
    new SopsError(
      'NO_DECRYPTION_KEY',
      `could not decrypt the data key: no age identity matches the file's recipients (${recipients.join(', ') || 'none'}); identity sources tried: ${[...sources].join(', ') || 'none'}`,
    );
  if (md.keyGroups.length > 1) {
    const needed = md.shamirThreshold || md.keyGroups.length;
    if (parts.length < needed) throw await fail();
    return shamirCombine(parts);
  }
  if (parts.length !== 1) throw await fail();
  if (parts[0].length !== 32) throw new SopsError('INVALID_METADATA', 'decrypted data key is not 32 bytes');
  return parts[0];
}

/**
 * When an identity we hold belongs to one of the file's recipients, the file should have opened:
 * its entry for that recipient is damaged (or was not made for that key). That is an error, never
 * "no key" (which callers may treat as "redact and go on").
 */
async function damagedEntryError(failedRecipients: string[], identities: string[]): Promise<SopsError | undefined> {
  const own = new Set<string>();
  for (const id of identities) {
    try {
      own.add(await recipientOf(id));
    } catch {
      /* plugin or unsupported identity: cannot tell */
    }
  }
  const hit = failedRecipients.filter((r) => own.has(r));
  if (!hit.length) return undefined;
  return new SopsError(
    'DECRYPT_FAILED',
    `the age entry for ${hit.join(', ')} did not open with that recipient's identity: the entry is damaged or was not made for this key, so the file cannot be decrypted (restore it from git, or re-create the value)`,
  );
}
