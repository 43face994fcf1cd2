/**
 * The Secrets KSOPS would generate for an overlay: `kubectl kustomize` skips the KSOPS KRM exec
 * generator silently, so rendering reads the files the overlay's generator lists and decrypts them
 * itself. `loadOverlaySecrets` is the loader the callers of `renderOverlay` (pipeline) pass explicitly.
 *
 * What KSOPS does, and so what this does: each listed file is decrypted (`sops -d`) and emitted
 * as is (a Secret with `stringData` stays `stringData`; no base64 conversion, no name hash),
 * then kustomize runs the overlay's transformers over it: `namespace` (and `commonLabels`,
 * `labels`, `commonAnnotations`, which our overlays do not use).
 *
 * Without an age identity that opens a file (no SOPS_AGE_KEY_FILE / SOPS_AGE_KEY /
 * SOPS_AGE_KEY_CMD / keys.txt, or none that matches), the Secret is still emitted, with every
 * value replaced by REDACTED_VALUE and the key names kept, so render and validate work on a
 * machine without keys. Without any identity stderr says so once; a configured key that does not
 * open some files is summed up per environment by `printRedactionSummary` (how many, which
 * recipients they need, which key sources were tried), which the commands call when their renders
 * are done: one line per environment, not one per file. A tampered file (MAC mismatch), a damaged age entry for a key we hold, or a broken
 * file is an error, and so is a value that is not `ENC[…]` (seen without a key).
 * A listed file that does not exist is an error of that file (FILE_NOT_FOUND, so a render reports
 * it as its overlay's error): KSOPS fails on it, so Argo CD could not render the overlay either.
 * `gitops secrets init` creates it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { loadYamlDocuments } from '@gitops/yaml-read';
import type { KubeObject } from '@gitops/core';
import { envNames, KUSTOMIZATION_FILES, ksopsGeneratorFiles } from '@gitops/environments';
import { decryptFile, isNoKey, loadAgeIdentities, readMetadata, SopsError, type IdentityOptions } from '@gitops/secrets';
import { isObj, nonMappingFields, nonMappingMessage, readYamlFile, unencryptedKeys, type Obj } from './repo-files';
import { wrongRuleMessage } from './check';

/** Value the loader puts in place of every secret value when no age identity can decrypt the file. */
export const REDACTED_VALUE = '<redacted: no age key for this file>';

export interface LoadSecretsOptions extends IdentityOptions {
  /** Called for each listed file that does not exist (default: a FILE_NOT_FOUND SopsError naming it). */
  onMissing?: (file: string) => void;
  /**
   * Decrypts one file to its plaintext (default: this repository's own SOPS implementation).
   * `gitops apply` passes the real `sops -d` here when no KSOPS binary is available; its errors
   * propagate (no redaction), so nothing half-decrypted is ever applied.
   */
  decrypt?: (file: string) => Promise<string>;
}

let notedNoIdentity = false;

/**
 * What the configured key could not open, per environment, until `printRedactionSummary` reports it:
 * one line per environment instead of one per file (with the README's dev key, a full validate has
 * ~80 staging and prod files it cannot open, and those are expected).
 */
interface Redactions {
  redacted: Set<string>;
  opened: Set<string>;
  recipients: Set<string>;
  sources: Set<string>;
}
const byEnvironment = new Map<string, Redactions>();

/** The environment a secrets file belongs to (`environments/<env>/…`), else its folder. */
function environmentOf(file: string): string {
  const parts = file.split(/[\\/]/);
  const i = parts.lastIndexOf('environments');
  return i >= 0 && i + 2 < parts.length ? parts[i + 1] : dirname(file);
}

function recordOf(file: string): Redactions {
  const env = environmentOf(file);
  let r = byEnvironment.get(env);
  if (!r) byEnvironment.set(env, (r = { redacted: new Set(), opened: new Set(), recipients: new Set(), sources: new Set() }));
  return r;
}

/**
 * Why a file's values are redacted: said at once when no identity is configured at all (once per
 * process); when a key is configured but does not open the file, recorded for the summary.
 */
function noteRedaction(file: string, doc: Obj[], opts: LoadSecretsOptions): void {
  let loaded;
  try {
    loaded = loadAgeIdentities(opts);
  } catch {
    loaded = undefined;
  }
  if (!loaded?.identities.length) {
    if (notedNoIdentity) return;
    notedNoIdentity = true;
    process.stderr.write('note: no age identity configured (SOPS_AGE_KEY_FILE, SOPS_AGE_KEY, SOPS_AGE_KEY_CMD, keys.txt): Secret values are redacted\n');
    return;
  }
  const r = recordOf(file);
  r.redacted.add(file);
  for (const s of loaded.sources) r.sources.add(s);
  for (const d of doc) for (const a of Array.isArray(d.sops?.age) ? d.sops.age : []) if (typeof a?.recipient === 'string') r.recipients.add(a.recipient);
}

/**
 * One line per environment whose SOPS files the configured key did not all open (since the last
 * call): how many, the recipients they need and the key sources tried. Clears the record.
 * `gitops secrets check` reports per file.
 */
export function redactionSummary(): string[] {
  const lines: string[] = [];
  // In promotion order (dev, staging, prod), then anything else by name.
  const order: readonly string[] = envNames;
  const rank = (e: string) => (order.includes(e) ? order.indexOf(e) : order.length);
  for (const [env, r] of [...byEnvironment].sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1))) {
    if (!r.redacted.size) continue;
    const n = r.redacted.size;
    const why = `encrypted to ${[...r.recipients].sort().join(', ') || 'no age recipient'}; key sources tried: ${[...r.sources].join(', ')}`;
    const total = n + r.opened.size;
    lines.push(
      r.opened.size === 0
        ? `note: the age key opens no SOPS file of ${env} (${n} file${n === 1 ? '' : 's'}, ${why}): their Secrets are checked by key names only`
        : `note: the age key opens ${r.opened.size} of ${total} SOPS files of ${env}; the other ${n} (${why}) are checked by key names only: ` +
            [...r.redacted].sort().slice(0, 3).map((f) => relative(process.cwd(), f)).join(', ') + (n > 3 ? `, and ${n - 3} more` : ''),
    );
  }
  byEnvironment.clear();
  return lines;
}

/** Print `redactionSummary()` on stderr (commands call it once their renders are done). */
export function printRedactionSummary(): void {
  for (const l of redactionSummary()) process.stderr.write(l + '\n');
}

/**
 * Runs `renders` (anything that renders overlays with `loadOverlaySecrets`), then prints the
 * redaction summary once, also when it throws: the notes are never lost, and never carried over to
 * the next command run in the same process.
 */
export async function withRedactionSummary<T>(renders: () => Promise<T>): Promise<T> {
  try {
    return await renders();
  } finally {
    printRedactionSummary();
  }
}

/** The overlay's kustomization (parsed), or undefined. */
function kustomizationOf(overlayAbs: string): Obj | undefined {
  for (const f of KUSTOMIZATION_FILES) {
    const p = join(overlayAbs, f);
    if (existsSync(p)) {
      const doc = readYamlFile(p);
      return isObj(doc) ? doc : undefined;
    }
  }
  return undefined;
}

/** Files listed by the KSOPS generators of a kustomization, absolute, in generator order. */
export function ksopsFiles(overlayAbs: string, kustomization = kustomizationOf(overlayAbs)): string[] {
  const out: string[] = [];
  for (const g of Array.isArray(kustomization?.generators) ? kustomization!.generators : []) {
    if (typeof g !== 'string') continue;
    const p = resolve(overlayAbs, g);
    if (!existsSync(p)) continue;
    for (const d of loadYamlDocuments(readFileSync(p, 'utf8'), p)) {
      for (const f of ksopsGeneratorFiles(d) ?? []) out.push(resolve(overlayAbs, f));
    }
  }
  return out;
}

/**
 * Refuses a file holding a value that is not `ENC[…]`: no key is needed to see it, and redacting
 * would pass a plaintext secret (already in git) as sound. INVALID_FORMAT, so a render makes it an
 * error of its overlay, as `gitops secrets check` does; the message names the keys, never a value.
 */
async function assertEncrypted(file: string, docs: Obj[]): Promise<void> {
  const plain = docs.flatMap(unencryptedKeys);
  const parts = [...docs.flatMap(nonMappingFields).map(nonMappingMessage)];
  if (plain.length) parts.push(`${plain.join(', ')} ${plain.length === 1 ? 'is' : 'are'} not encrypted (ENC[...])`);
  if (!parts.length) return;
  // The usual cause, worded as `gitops secrets check` words it: the file's rule left the value plaintext on purpose.
  let rule: string | undefined;
  try {
    rule = wrongRuleMessage((await readMetadata(file, { config: false })).rule);
  } catch {
    rule = undefined; // not valid SOPS metadata: the plaintext value is the error to name
  }
  throw new SopsError('INVALID_FORMAT', `${parts.join('; ')}: a plaintext value in a SOPS file${rule ? ` (${rule})` : ''}`, file);
}

/** The encrypted document(s) with `sops` removed and every data/stringData value redacted. */
function redacted(encrypted: Obj[]): Obj[] {
  const docs: Obj[] = [];
  // Read with the fast reader (@gitops/yaml-read, same objects as `yaml`): every validate run without
  // keys reads each encrypted file, and only key names and metadata survive.
  for (const o of encrypted) {
    delete o.sops;
    if (isObj(o.stringData)) for (const k of Object.keys(o.stringData)) o.stringData[k] = REDACTED_VALUE;
    if (isObj(o.data)) for (const k of Object.keys(o.data)) o.data[k] = Buffer.from(REDACTED_VALUE).toString('base64');
    docs.push(o);
  }
  return docs;
}

async function secretsOfFile(file: string, opts: LoadSecretsOptions): Promise<Obj[]> {
  let plain: string;
  // The stored documents are checked whether or not a key opens the file: a plaintext value (a rule such as
  // unencrypted_suffix left it so) fails the render with a key as it does without one, never only on some machines.
  const raw = () => loadYamlDocuments(readFileSync(file, 'utf8'), file).filter(isObj);
  let stored: Obj[] | undefined;
  try {
    stored = raw();
  } catch {
    stored = undefined; // not YAML: decrypting names the broken file (a SopsError), without quoting the parser
  }
  if (stored) await assertEncrypted(file, stored);
  if (opts.decrypt) return loadYamlDocuments(await opts.decrypt(file), file).filter(isObj);
  try {
    plain = await decryptFile(file, { ...opts, config: false });
  } catch (e) {
    // "No key" redacts; a broken file, or a configured but unusable source (IDENTITY_SOURCE_FAILED), is an error.
    if (isNoKey(e)) {
      const docs = stored ?? raw();
      noteRedaction(file, docs, opts);
      return redacted(docs);
    }
    throw e;
  }
  recordOf(file).opened.add(file);
  return loadYamlDocuments(plain, file).filter(isObj);
}

function applyTransformers(o: Obj, k: Obj | undefined, namespace: string | undefined): void {
  const md: Obj = isObj(o.metadata) ? o.metadata : {};
  // kustomize's namespace transformer sets metadata.namespace (placed after the name, as kustomize prints it)
  if (namespace) {
    const { name, namespace: _old, ...rest } = md;
    o.metadata = { ...(name !== undefined ? { name } : {}), namespace, ...rest };
  } else o.metadata = md;
  const labels: Obj = { ...(isObj(k?.commonLabels) ? k!.commonLabels : {}) };
  for (const l of Array.isArray(k?.labels) ? k!.labels : []) if (isObj(l?.pairs)) Object.assign(labels, l.pairs);
  if (Object.keys(labels).length) o.metadata.labels = { ...(o.metadata.labels ?? {}), ...labels };
  if (isObj(k?.commonAnnotations)) o.metadata.annotations = { ...(o.metadata.annotations ?? {}), ...k!.commonAnnotations };
}

/** The Secrets KSOPS would add to an overlay (see the module comment). */
export async function loadOverlaySecrets(overlayAbs: string, namespace: string | undefined, opts: LoadSecretsOptions = {}): Promise<KubeObject[]> {
  const k = kustomizationOf(overlayAbs);
  const ns = typeof k?.namespace === 'string' ? k.namespace : namespace;
  const out: KubeObject[] = [];
  for (const file of ksopsFiles(overlayAbs, k)) {
    if (!existsSync(file)) {
      if (!opts.onMissing) throw new SopsError('FILE_NOT_FOUND', 'the file does not exist (create it: gitops secrets init)', file);
      opts.onMissing(file);
      continue;
    }
    for (const o of await secretsOfFile(file, opts)) {
      applyTransformers(o, k, ns);
      out.push(o as KubeObject);
    }
  }
  return out;
}
