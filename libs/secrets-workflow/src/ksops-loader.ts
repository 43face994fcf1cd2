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
 * machine without keys; stderr says which files and why (a key that opens none of them is named
 * per file). A tampered file (MAC mismatch), a damaged age entry for a key we hold, or a broken
 * file is an error.
 * A listed file that does not exist yet is skipped with a warning (`gitops secrets check`
 * reports it, `gitops secrets init` creates it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadYamlDocuments } from '@gitops/yaml-read';
import type { KubeObject } from '@gitops/core';
import { KUSTOMIZATION_FILES, ksopsGeneratorFiles } from '@gitops/environments';
import { decryptFile, isNoKey, loadAgeIdentities, type IdentityOptions, type SopsError } from '@gitops/secrets';
import { isObj, readYamlFile, type Obj } from './repo-files';

/** Value the loader puts in place of every secret value when no age identity can decrypt the file. */
export const REDACTED_VALUE = '<redacted: no age key for this file>';

export interface LoadSecretsOptions extends IdentityOptions {
  /** Called for each listed file that does not exist (default: one warning per file on stderr). */
  onMissing?: (file: string) => void;
  /**
   * Decrypts one file to its plaintext (default: this repository's own SOPS implementation).
   * `gitops apply` passes the real `sops -d` here when no KSOPS binary is available; its errors
   * propagate (no redaction), so nothing half-decrypted is ever applied.
   */
  decrypt?: (file: string) => Promise<string>;
}

const warned = new Set<string>();
const notedRedaction = new Set<string>();
let notedNoIdentity = false;

/**
 * Say on stderr why a file's values are redacted: once per process when no identity is configured
 * at all, else once per file (a key is configured but does not open it: which file, which recipients,
 * which sources were tried).
 */
function noteRedaction(file: string, e: SopsError, opts: LoadSecretsOptions): void {
  let configured: boolean;
  try {
    configured = loadAgeIdentities(opts).identities.length > 0;
  } catch {
    configured = false;
  }
  if (!configured) {
    if (notedNoIdentity) return;
    notedNoIdentity = true;
    process.stderr.write('note: no age identity configured (SOPS_AGE_KEY_FILE, SOPS_AGE_KEY, SOPS_AGE_KEY_CMD, keys.txt): Secret values are redacted\n');
    return;
  }
  if (notedRedaction.has(file)) return;
  notedRedaction.add(file);
  process.stderr.write(`note: ${e.file === file ? '' : file + ': '}${e.message} -> values redacted\n`);
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

/** The encrypted document(s) with `sops` removed and every data/stringData value redacted. */
function redacted(text: string, file: string): Obj[] {
  const docs: Obj[] = [];
  // The fast reader (@gitops/yaml-read, same objects as `yaml`): every validate run without keys reads
  // each encrypted file here, and only key names and metadata survive.
  for (const o of loadYamlDocuments(text, file)) {
    if (!isObj(o)) continue;
    delete o.sops;
    if (isObj(o.stringData)) for (const k of Object.keys(o.stringData)) o.stringData[k] = REDACTED_VALUE;
    if (isObj(o.data)) for (const k of Object.keys(o.data)) o.data[k] = Buffer.from(REDACTED_VALUE).toString('base64');
    docs.push(o);
  }
  return docs;
}

async function secretsOfFile(file: string, opts: LoadSecretsOptions): Promise<Obj[]> {
  let plain: string;
  if (opts.decrypt) return loadYamlDocuments(await opts.decrypt(file), file).filter(isObj);
  try {
    plain = await decryptFile(file, { ...opts, config: false });
  } catch (e) {
    // "No key" redacts; a broken file, or a configured but unusable source (IDENTITY_SOURCE_FAILED), is an error.
    if (isNoKey(e)) {
      noteRedaction(file, e, opts);
      return redacted(readFileSync(file, 'utf8'), file);
    }
    throw e;
  }
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
      if (opts.onMissing) opts.onMissing(file);
      else if (!warned.has(file)) {
        warned.add(file);
        process.stderr.write(`warning: ${file} is listed by the overlay's KSOPS generator but does not exist (create it: gitops secrets init)\n`);
      }
      continue;
    }
    for (const o of await secretsOfFile(file, opts)) {
      applyTransformers(o, k, ns);
      out.push(o as KubeObject);
    }
  }
  return out;
}
