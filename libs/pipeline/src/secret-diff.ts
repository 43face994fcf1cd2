/**
 * What changed in an overlay's SOPS files between two trees, read without a key: kustomize's output
 * never holds the Secrets (KSOPS generates them in Argo CD), so the rendered diff alone showed
 * "no changes" for a `secrets set`. Key names, `metadata` and the recipients are plaintext in a SOPS
 * file; values are compared by their ciphertext only and never shown (libs/pipeline README).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSecretFileName, SECRETS_DIR } from '@gitops/environments';
import { plaintextProblems, readYamlDocuments } from '@gitops/secrets-workflow';

export interface SecretChange {
  /** The Secret's `metadata.name` (the file name when the file has none or SOPS encrypted it). */
  name: string;
  /** Repository-relative path of the encrypted file. */
  file: string;
  change: 'added' | 'removed' | 'changed';
  keysAdded: string[];
  keysRemoved: string[];
  /**
   * Keys in both whose ciphertext differs: a new value, or the same value encrypted again (only a key
   * could tell). Keys are printed by name, as `stringData.<key>`/`data.<key>` when the name is in both fields.
   */
  valuesChanged: string[];
  /** Plaintext fields other than the values that differ (`metadata`, `type`, the recipients). */
  otherChanged: string[];
  /**
   * The file was encrypted again with a new data key (a `secrets rotate`): every recipient kept has
   * a new wrapped data key and every value a new ciphertext. `valuesChanged` then lists ciphertext
   * that changed, not necessarily values (without a key nothing can tell).
   */
  newDataKey: boolean;
  /**
   * Why the new version must not be merged, as `gitops secrets check` would say (not YAML, not a SOPS
   * file, a value not `ENC[…]`): key names only, never a value. Empty for a sound file.
   */
  problems: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Each key of `data` and `stringData` with its ciphertext (`ENC[…]`), keyed `stringData.<key>` /
 * `data.<key>`: a Secret may hold the same key in both, and a change to one must not hide behind the other.
 */
function values(doc: Obj): Map<string, string> {
  const out = new Map<string, string>();
  for (const field of ['stringData', 'data']) {
    const m = doc[field];
    if (isObj(m)) for (const [k, v] of Object.entries(m)) out.set(`${field}.${k}`, JSON.stringify(v));
  }
  return out;
}

/**
 * How a key is printed: its plain name, or `stringData.<key>` / `data.<key>` when that name is in
 * both fields of either version of the file (only then is the plain name ambiguous).
 */
function keyLabels(...maps: Map<string, string>[]): (id: string) => string {
  const fieldsOf = new Map<string, Set<string>>();
  for (const m of maps) {
    for (const id of m.keys()) {
      const [field, key] = splitId(id);
      fieldsOf.set(key, (fieldsOf.get(key) ?? new Set()).add(field));
    }
  }
  return (id) => {
    const [, key] = splitId(id);
    return (fieldsOf.get(key)?.size ?? 0) > 1 ? id : key;
  };
}

const splitId = (id: string): [string, string] => {
  const dot = id.indexOf('.');
  return [id.slice(0, dot), id.slice(dot + 1)];
};

/**
 * Each recipient of a SOPS file, whatever the key service (age, pgp, kms, …), as `service:recipient`,
 * with its wrapped data key (`enc`, itself ciphertext: compared, never printed).
 */
function wrappedKeys(doc: Obj): Map<string, string> {
  const sops = isObj(doc.sops) ? doc.sops : {};
  const out = new Map<string, string>();
  for (const [service, list] of Object.entries(sops)) {
    if (!Array.isArray(list)) continue;
    for (const r of list) if (isObj(r)) out.set(`${service}:${String(r.recipient ?? r.fp ?? r.arn ?? r.resource_id ?? r.vaultUrl ?? JSON.stringify(Object.keys(r)))}`, JSON.stringify(r.enc));
  }
  return out;
}

/** Recipients of a SOPS file, without the wrapped data keys. */
const recipients = (doc: Obj): string => [...wrappedKeys(doc).keys()].sort().join(',');

/**
 * Whether `now` holds a new data key: every recipient in both has a new wrapped data key, and every
 * value in both a new ciphertext (`sops rotate`). A value change keeps the data key (and so each
 * `enc`); `updatekeys` keeps every value's ciphertext. Read without a key, so a rotate and a change
 * of the file's every value at once are one case.
 */
function isNewDataKey(old: Obj, now: Obj, oldValues: Map<string, string>, newValues: Map<string, string>): boolean {
  const [a, b] = [wrappedKeys(old), wrappedKeys(now)];
  const kept = [...b.keys()].filter((r) => a.has(r));
  const both = [...newValues.keys()].filter((k) => oldValues.has(k));
  return kept.length > 0 && kept.every((r) => a.get(r) !== b.get(r)) && both.length > 0 && both.every((k) => oldValues.get(k) !== newValues.get(k));
}

/**
 * The file's documents (a SOPS file may hold several; KSOPS emits each), or undefined when it is
 * empty, does not parse or a document is no mapping.
 */
const read = (abs: string): Obj[] | undefined => {
  const docs = readYamlDocuments(abs);
  return docs?.length && docs.every(isObj) ? docs : undefined;
};

/**
 * What is wrong with a file's new version, read without a key: the diff is the PR comment, so a
 * plaintext value or a file that is not SOPS at all must stop the merge, not read as "values changed".
 * The parser's message is left out: it quotes the offending line, which may be a plaintext value.
 */
function fileProblems(doc: Obj | undefined): string[] {
  if (!doc) return ['does not parse as a YAML mapping (not a SOPS file)'];
  const sops = doc.sops;
  const metadata = !isObj(sops) ? ['is not a SOPS file (no sops metadata)'] : !sops.mac ? ['has no MAC (sops metadata incomplete)'] : [];
  return [...metadata, ...plaintextProblems(doc)];
}

/** A value SOPS encrypted: never printed (the rule of a file may encrypt more than `data`/`stringData`). */
const isCiphertext = (v: unknown): boolean => typeof v === 'string' && v.startsWith('ENC[');

/**
 * The Secret's `metadata.name`, or the file name when there is none or it is encrypted (a rule
 * such as `^(data|stringData|metadata)$` encrypts it): its ciphertext must not reach the PR comment.
 * Everything else the diff prints is a key or field name, which SOPS never encrypts.
 */
const secretName = (doc: Obj, file: string): string => {
  const md = doc.metadata;
  return isObj(md) && typeof md.name === 'string' && md.name && !isCiphertext(md.name) ? md.name : file.slice(file.lastIndexOf('/') + 1);
};

function secretFiles(root: string, overlay: string): string[] {
  const dir = join(root, overlay, SECRETS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && isSecretFileName(e.name))
    .map((e) => e.name);
}

/** A change with nothing compared yet. */
const unchanged = (name: string, file: string, change: SecretChange['change']): SecretChange => ({
  name,
  file,
  change,
  keysAdded: [],
  keysRemoved: [],
  valuesChanged: [],
  otherChanged: [],
  newDataKey: false,
  problems: [],
});

/** What changed from `old` to `now` (either absent, not both), by key names and plaintext fields. */
function describeChange(file: string, old: Obj | undefined, now: Obj | undefined): SecretChange {
  const oldValues = old ? values(old) : new Map<string, string>();
  const newValues = now ? values(now) : new Map<string, string>();
  const label = keyLabels(oldValues, newValues);
  const change: SecretChange = {
    ...unchanged(secretName(now ?? old ?? {}, file), file, !old ? 'added' : !now ? 'removed' : 'changed'),
    keysAdded: [...newValues.keys()].filter((k) => !oldValues.has(k)).map(label),
    keysRemoved: [...oldValues.keys()].filter((k) => !newValues.has(k)).map(label),
    valuesChanged: [...newValues.keys()].filter((k) => oldValues.has(k) && oldValues.get(k) !== newValues.get(k)).map(label),
    newDataKey: !!old && !!now && isNewDataKey(old, now, oldValues, newValues),
    problems: now ? fileProblems(now) : [],
  };
  if (old && now) {
    for (const field of [...new Set([...Object.keys(old), ...Object.keys(now)])].sort()) {
      if (['data', 'stringData', 'sops'].includes(field)) continue;
      if (JSON.stringify(old[field]) !== JSON.stringify(now[field])) change.otherChanged.push(field);
    }
    if (recipients(old) !== recipients(now)) change.otherChanged.push('recipients');
    // Same keys, same ciphertexts, same fields: only sops bookkeeping (lastmodified, mac, wrapped keys) moved.
    if (!change.keysAdded.length && !change.keysRemoved.length && !change.valuesChanged.length && !change.otherChanged.length) change.otherChanged.push('sops metadata');
  }
  return change;
}

/** Changes of the SOPS files in `<overlay>/secrets/` from the tree at `before` to the tree at `after`. */
export function secretChanges(before: string, after: string, overlay: string): SecretChange[] {
  const names = [...new Set([...secretFiles(before, overlay), ...secretFiles(after, overlay)])].sort();
  const out: SecretChange[] = [];
  for (const name of names) {
    const file = `${overlay}/${SECRETS_DIR}/${name}`;
    const a = existsSync(join(before, file)) ? readFileSync(join(before, file), 'utf8') : undefined;
    const b = existsSync(join(after, file)) ? readFileSync(join(after, file), 'utf8') : undefined;
    if (a === b) continue;
    // An unreadable base compares as empty (its keys read as added); an unreadable new version only as its problems.
    const old = a === undefined ? undefined : (read(join(before, file)) ?? [{}]);
    const now = b === undefined ? undefined : read(join(after, file));
    if (b !== undefined && !now) {
      out.push({ ...unchanged(secretName(old?.[0] ?? {}, file), file, a === undefined ? 'added' : 'changed'), problems: fileProblems(undefined) });
      continue;
    }
    // Document by document (each is a Secret KSOPS emits): a plaintext value in the second is as bad as in the first.
    for (let i = 0; i < Math.max(old?.length ?? 0, now?.length ?? 0); i++) {
      const [o, w] = [old?.[i], now?.[i]];
      // Only the YAML's layout changed (indentation, quoting): the same Secret, nothing to show, unless it is not sound.
      if (o && w && JSON.stringify(o) === JSON.stringify(w) && !fileProblems(w).length) continue;
      out.push(describeChange(file, o, w));
    }
  }
  return out;
}

/** Keys whose ciphertext changed: new values, or after a rotate possibly the same values under a new data key. */
const valuesLine = (c: SecretChange, code: (s: string) => string): string =>
  c.newDataKey
    ? `re-encrypted with a new data key (rotate): values may be unchanged; changed ciphertext: ${c.valuesChanged.map(code).join(', ')}`
    : `values changed (not shown): ${c.valuesChanged.map(code).join(', ')}`;

/** One Markdown line per changed file; key names only, never a value or a ciphertext. */
export function formatSecretChange(c: SecretChange): string {
  const code = (s: string) => `\`${s}\``;
  // A file that is not sound is only that: "values changed" would read as an ordinary edit.
  if (c.problems.length) return `- **ERROR: not a sound SOPS file, do not merge**: Secret ${code(c.name)} (${code(c.file)}): ${c.problems.join('; ')}`;
  const parts: string[] = [];
  if (c.change !== 'changed') parts.push(`${c.change}${c.keysAdded.length || c.keysRemoved.length ? ` (keys ${[...c.keysAdded, ...c.keysRemoved].map(code).join(', ')})` : ''}`);
  else {
    c.keysAdded.forEach((k) => parts.push(`key ${code(k)} added`));
    c.keysRemoved.forEach((k) => parts.push(`key ${code(k)} removed`));
    if (c.valuesChanged.length) parts.push(valuesLine(c, code));
    if (c.otherChanged.length) parts.push(`${c.otherChanged.join(', ')} changed`);
  }
  return `- Secret ${code(c.name)} (${code(c.file)}): ${parts.join('; ')}`;
}
