/** Small file helpers every concern of the workflow shares: read YAML leniently, walk folders, print paths. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { loadYamlDocuments } from '@gitops/yaml-read';

export type Obj = Record<string, any>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const toPosix = (p: string): string => p.split(sep).join('/');

/**
 * Every YAML document of a file (empty ones left out), or undefined when it is missing or does not
 * parse. A SOPS file may hold several documents (KSOPS emits each): checks read them all, not the first.
 * The fast reader (same objects as `yaml`): validate reads every secrets file and kustomization.
 */
export function readYamlDocuments(path: string): unknown[] | undefined {
  try {
    return loadYamlDocuments(readFileSync(path, 'utf8'), path);
  } catch {
    return undefined;
  }
}

/** Top-level YAML of a file (its first document), or undefined when it is missing, empty or does not parse. */
export const readYamlFile = (path: string): unknown => readYamlDocuments(path)?.[0];

/**
 * A `data`/`stringData` value as SOPS stores it: `ENC[AES256_GCM,data:…]`, or empty: sops never
 * encrypts an empty string, nor a null (`KEY:` with no value), so both hold nothing to leak. Anything
 * else in a SOPS file is plaintext, whatever its MAC says.
 */
export const isEncryptedValue = (v: unknown): boolean => v === null || (typeof v === 'string' && (v === '' || /^ENC\[AES256_GCM,data:.*\]$/s.test(v)));

/**
 * The `data`/`stringData` fields of a Secret document that are present but not a mapping (a scalar
 * or a list, e.g. `stringData: "KEY=value"`): plaintext whatever they hold, and no key name to check.
 * `null` (an empty field) is not one.
 */
export function nonMappingFields(doc: Obj): string[] {
  return ['stringData', 'data'].filter((f) => doc[f] !== undefined && doc[f] !== null && !isObj(doc[f]));
}

/** Why a non-mapping `data`/`stringData` field is refused (names the field, never its content). */
export const nonMappingMessage = (field: string): string => `${field} is not a mapping of keys to encrypted values (ENC[...])`;

/** Why a `data`/`stringData` key is refused (names the key, never its value); the loader lists several keys in one sentence. */
export const unencryptedMessage = (key: string): string => `${key} is not encrypted (ENC[...])`;

/**
 * Everything in a Secret document that is plaintext where SOPS stores ciphertext, one message each:
 * a `data`/`stringData` that is not a mapping, and each key whose value is not `ENC[…]`. Field and
 * key names only, never a value (`gitops diff`; `check` words each problem the same way).
 */
export const plaintextProblems = (doc: Obj): string[] => [...nonMappingFields(doc).map(nonMappingMessage), ...unencryptedKeys(doc).map(unencryptedMessage)];

/** The `data`/`stringData` keys of a Secret document whose value is not encrypted, as `stringData.<key>` (names only, never the value). */
export function unencryptedKeys(doc: Obj): string[] {
  const out: string[] = [];
  for (const field of ['stringData', 'data']) {
    if (isObj(doc[field])) for (const [k, v] of Object.entries(doc[field])) if (!isEncryptedValue(v)) out.push(`${field}.${k}`);
  }
  return out;
}

/** Error text with the repository prefix removed from paths. */
export function relMessage(root: string, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split(root + sep).join('').split(root + '/').join('');
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.nx', 'dist']);

/** Every file below `dir` (sorted per folder; node_modules, .git, .nx and dist skipped; a missing folder is empty). */
export function walkFiles(dir: string, out: string[] = []): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walkFiles(p, out);
    } else if (e.isFile()) out.push(p);
  }
  return out;
}
