/**
 * The SOPS data key wrapped for age recipients (`age/keysource.go`): one armored
 * age file per recipient, holding the raw 32 key bytes. Also key generation.
 */
import { Decrypter, Encrypter, armor, generateIdentity, generateHybridIdentity, identityToRecipient } from 'age-encryption';
import { SopsError } from './errors';

/** Kinds of age recipients sops distinguishes (`parseRecipient`). */
export function recipientKind(recipient: string): 'x25519' | 'hybrid' | 'plugin' | 'ssh' | 'unknown' {
  const r = recipient.trim();
  if (r.startsWith('age1pq1')) return 'hybrid';
  if (r.startsWith('age1') && (r.match(/1/g)?.length ?? 0) > 1) return 'plugin';
  if (r.startsWith('age1')) return 'x25519';
  if (r.startsWith('ssh-')) return 'ssh';
  return 'unknown';
}

/** Encrypt `dataKey` to one recipient: the `enc` field of a `sops.age[]` entry. */
export async function wrapDataKey(dataKey: Uint8Array, recipient: string): Promise<string> {
  const r = recipient.trim();
  const kind = recipientKind(r);
  if (kind === 'plugin' || kind === 'ssh' || kind === 'unknown') {
    throw new SopsError('UNSUPPORTED', `age recipient ${JSON.stringify(r)} is not supported (only X25519 and hybrid age1 recipients are)`);
  }
  const e = new Encrypter();
  try {
    e.addRecipient(r);
  } catch {
    throw new SopsError('CONFIG', `invalid age recipient ${JSON.stringify(r)}`);
  }
  return armor.encode(await e.encrypt(dataKey));
}

/** Try the identities on one `enc` blob. Returns undefined when none matches. */
export async function unwrapDataKey(enc: string, identities: string[]): Promise<Uint8Array | undefined> {
  if (identities.length === 0) return undefined;
  const d = new Decrypter();
  for (const id of identities) d.addIdentity(id);
  let file: Uint8Array;
  try {
    file = armor.decode(enc);
  } catch {
    return undefined;
  }
  try {
    return await d.decrypt(file);
  } catch {
    return undefined;
  }
}

export interface AgeKeyPair {
  /** `AGE-SECRET-KEY-1...` (secret). */
  identity: string;
  /** `age1...` (public). */
  recipient: string;
}

/** New age X25519 identity (or ML-KEM-768+X25519 hybrid with `{ postQuantum: true }`). */
export async function generateAgeKey(opts: { postQuantum?: boolean } = {}): Promise<AgeKeyPair> {
  const identity = opts.postQuantum ? await generateHybridIdentity() : await generateIdentity();
  return { identity, recipient: await identityToRecipient(identity) };
}

/** The public recipient of an identity string. */
export async function recipientOf(identity: string): Promise<string> {
  return identityToRecipient(identity);
}

/** A keys.txt body in `age-keygen` layout, optionally with an extra leading comment line. */
export function formatKeysFile(key: AgeKeyPair, opts: { comment?: string; created?: Date } = {}): string {
  const created = (opts.created ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const lines: string[] = [];
  if (opts.comment) for (const l of opts.comment.split('\n')) lines.push(`# ${l}`);
  lines.push(`# created: ${created}`, `# public key: ${key.recipient}`, key.identity, '');
  return lines.join('\n');
}
