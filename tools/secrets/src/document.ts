/**
 * Encrypting and decrypting whole SOPS documents in memory. The file operations
 * in ./operations build on `openDocument` / `sealDocument`.
 */
import { AesCipher } from './cipher';
import { SopsError } from './errors';
import { recoverDataKey, newDataKey, wrapDataKeyForGroups } from './data-key';
import { SOPS_VERSION, type Metadata } from './metadata';
import { DEFAULT_UNENCRYPTED_SUFFIX, K8S_SECRET_ENCRYPTED_REGEX, ruleFromOptions, type EncryptionRule, type RuleOptions } from './rules';
import { storeFor, type Format, type Store, type StoreOptions } from './stores';
import { decryptBranches, encryptBranches } from './tree-crypto';
import { cloneBranches, Comment, TreeBranch } from './tree';
import { rfc3339UtcSeconds } from './go/time';
import type { IdentityOptions } from './identities';

export interface EncryptOptions extends RuleOptions, StoreOptions {
  format: Format;
  /** age recipients (one key group). */
  recipients?: string[];
  /** Several key groups: the data key is Shamir-split across them. */
  keyGroups?: string[][];
  shamirThreshold?: number;
  /** Only encrypted values go into the MAC (lets you edit e.g. labels later). */
  macOnlyEncrypted?: boolean;
  /** Timestamp for `lastmodified` (default: now). */
  now?: Date;
}

export interface DecryptOptions extends IdentityOptions, StoreOptions {
  format: Format;
  /** Name used in error messages. */
  fileName?: string;
}

/** An opened document: decrypted branches plus what is needed to write it back. */
export interface OpenDocument {
  store: Store;
  branches: TreeBranch[];
  metadata: Metadata;
  dataKey: Uint8Array;
  /** Carries the IV stash, so unchanged values re-encrypt to the same ciphertext. */
  cipher: AesCipher;
}

function isK8sSecret(b: TreeBranch): boolean {
  return b.get('kind') === 'Secret';
}

/** The rule to use: explicit option, else `^(data|stringData)$` for Kubernetes Secrets, else `_unencrypted`. */
export function chooseRule(format: Format, branches: TreeBranch[], opts: RuleOptions): EncryptionRule {
  if (format === 'binary') return { kind: 'unencrypted_suffix', value: DEFAULT_UNENCRYPTED_SUFFIX };
  const explicit = ruleFromOptions(opts);
  if (explicit) return explicit;
  if (format === 'yaml' && branches.some(isK8sSecret)) return { kind: 'encrypted_regex', value: K8S_SECRET_ENCRYPTED_REGEX };
  return { kind: 'unencrypted_suffix', value: DEFAULT_UNENCRYPTED_SUFFIX };
}

function hasMetadataKey(store: Store, b: TreeBranch): boolean {
  if (store.format === 'dotenv') return b.items.some((i) => !(i instanceof Comment) && i.key.startsWith('sops_'));
  return b.has('sops');
}

/** Encrypt branches that came from `store.loadPlain`, with a fresh data key. */
export async function encryptBranchesToFile(store: Store, branches: TreeBranch[], opts: EncryptOptions): Promise<Buffer> {
  if (branches.some((b) => hasMetadataKey(store, b))) {
    throw new SopsError('ALREADY_ENCRYPTED', 'the document already contains sops metadata (is it already encrypted?)');
  }
  const groups = opts.keyGroups ?? (opts.recipients ? [opts.recipients] : []);
  if (!groups.length || groups.some((g) => !g.length)) throw new SopsError('CONFIG', 'no age recipients given');
  const rule = chooseRule(store.format, branches, opts);
  const dataKey = newDataKey();
  const wrapped = await wrapDataKeyForGroups(dataKey, groups.map((age) => ({ age })), opts.shamirThreshold ?? 0);
  const metadata: Metadata = {
    keyGroups: wrapped.keyGroups,
    shamirThreshold: wrapped.shamirThreshold,
    lastModified: '',
    mac: '',
    rule,
    macOnlyEncrypted: !!opts.macOnlyEncrypted,
    version: SOPS_VERSION,
  };
  return sealDocument({ store, branches, metadata, dataKey, cipher: new AesCipher() }, { now: opts.now });
}

/** `sops encrypt` on a plaintext string/bytes. Returns the encrypted file text. */
export async function encryptDocument(plaintext: string | Uint8Array, opts: EncryptOptions): Promise<string> {
  const store = storeFor(opts.format, opts);
  const input = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : Buffer.from(plaintext);
  const out = await encryptBranchesToFile(store, store.loadPlain(input), opts);
  return out.toString('utf8');
}

/**
 * Encrypt (a copy of) the branches with the document's data key, recompute the MAC
 * and stamp `lastmodified`. Values whose plaintext did not change keep their ciphertext.
 */
export function sealDocument(doc: OpenDocument, opts: { now?: Date; version?: string } = {}): Buffer {
  const branches = cloneBranches(doc.branches);
  const settings = { rule: doc.metadata.rule, macOnlyEncrypted: doc.metadata.macOnlyEncrypted };
  const mac = encryptBranches(branches, settings, doc.dataKey, doc.cipher);
  const lastModified = rfc3339UtcSeconds(opts.now ?? new Date());
  const metadata: Metadata = {
    ...doc.metadata,
    lastModified,
    mac: doc.cipher.encrypt(mac, doc.dataKey, lastModified),
    version: opts.version ?? doc.metadata.version,
  };
  doc.metadata = metadata;
  return doc.store.emitEncrypted(branches, metadata);
}

/** Parse and fully decrypt an encrypted document, verifying the MAC. */
export async function openDocument(input: Buffer, opts: DecryptOptions): Promise<OpenDocument> {
  const store = storeFor(opts.format, opts);
  const { branches, metadata } = store.loadEncrypted(input);
  const dataKey = await recoverDataKey(metadata, opts);
  const cipher = new AesCipher();
  const computed = decryptBranches(branches, { rule: metadata.rule, macOnlyEncrypted: metadata.macOnlyEncrypted }, dataKey, cipher, store.format === 'binary');
  let stored: unknown;
  try {
    stored = cipher.decrypt(metadata.mac, dataKey, metadata.lastModified);
  } catch {
    stored = undefined;
  }
  if (typeof stored !== 'string' || stored !== computed) {
    throw new SopsError('MAC_MISMATCH', 'MAC mismatch: the file was modified after it was encrypted, or is corrupt; refusing to decrypt');
  }
  return { store, branches, metadata, dataKey, cipher };
}

/** `sops decrypt` of an in-memory document: plaintext in its own format. */
export async function decryptDocument(input: string | Uint8Array, opts: DecryptOptions): Promise<Buffer> {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input);
  const doc = await openDocument(buf, opts);
  return doc.store.emitPlain(doc.branches);
}
