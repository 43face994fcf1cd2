/**
 * What `gitops secrets …` does, as functions returning results (the CLI only parses and prints):
 * init, check, config, updatekeys, take-ownership and the leak scan. No function here returns
 * or logs a secret value; messages name files, platforms, environments, secrets and keys.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isMap, isScalar, parse, parseDocument } from 'yaml';
import { UserError, type SecretDecl } from '@gitops/core';
import { EXAMPLE_RECIPIENTS, loadRecipients } from '@gitops/environments';
import {
  createFileExclusive,
  decryptFile,
  encryptDocument,
  getValue,
  K8S_SECRET_ENCRYPTED_REGEX,
  loadAgeIdentities,
  matchCreationRule,
  parseIdentities,
  parseSopsConfig,
  readMetadata,
  rotate,
  ruleKeyGroups,
  scanContent,
  setValue,
  SopsError,
  updateKeys,
  withFileLock,
  writeFileAtomic,
  type Finding,
  type SopsConfig,
} from '@gitops/secrets';
import type { LoadedPlatform } from './platforms';
import { sopsConfigStaleMessage } from './sops-config-drift';
import {
  declaredSecretFiles,
  envOfPath,
  envRecipients,
  generateSecretValue,
  readYamlFile,
  recipientsFile,
  SECRET_PLACEHOLDER,
  secretFilesOnDisk,
  secretManifestYaml,
  SOPS_CONFIG_FILE,
  sopsConfigText,
  type DeclaredSecretFile,
} from './secrets-files';

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const toPosix = (p: string) => p.split(sep).join('/');

/** Error text with the repository prefix removed from paths. */
export function relMessage(root: string, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split(root + sep).join('').split(root + '/').join('');
}

// ---- .sops.yaml --------------------------------------------------------------------------------

export interface SopsConfigState {
  path: string;
  expected: string;
  actual?: string;
  upToDate: boolean;
}

export function sopsConfigState(root: string): SopsConfigState {
  const path = join(root, SOPS_CONFIG_FILE);
  const expected = sopsConfigText(envRecipients(root));
  const actual = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  return { path, expected, actual, upToDate: actual === expected };
}

/** Write `.sops.yaml` from the environment recipients (locked, atomic); returns whether it changed. */
export async function writeSopsConfig(root: string): Promise<boolean> {
  const path = join(root, SOPS_CONFIG_FILE);
  return withFileLock(path, () => {
    const s = sopsConfigState(root); // re-read under the lock
    if (s.upToDate) return false;
    writeFileAtomic(s.path, s.expected);
    return true;
  });
}

function loadSopsConfig(root: string): { path: string; config: SopsConfig } {
  const s = sopsConfigState(root);
  let text = s.actual ?? s.expected;
  try {
    return { path: s.path, config: parseSopsConfig(text) };
  } catch {
    text = s.expected;
    return { path: s.path, config: parseSopsConfig(text) };
  }
}

// ---- identities --------------------------------------------------------------------------------

/** Identities found as sops finds them; [] when no source is configured. */
export function discoveredIdentities(env: NodeJS.ProcessEnv = process.env): string[] {
  try {
    return loadAgeIdentities({ env }).identities;
  } catch (e) {
    if (e instanceof SopsError && e.code === 'NO_DECRYPTION_KEY' && !/failed to/.test(e.message)) return [];
    throw e;
  }
}

/** Identities from keys files given on the command line. */
export function identitiesFromFiles(files: string[]): string[] {
  return files.flatMap((f) => {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (e) {
      throw new Error(`cannot read identity file ${f}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    return parseIdentities(text, f);
  });
}

// ---- given values (--set, --from-env-file) -----------------------------------------------------

export interface GivenValues {
  /** `secret` -> `key` -> value. */
  bySecret: Map<string, Map<string, string>>;
  /** Which --set / env-file names were used (to report those that matched nothing). */
  unused: string[];
}

/** Parse a dotenv text: NAME=value lines, `#` comments, optional `export `, '…' and "…" quoting. */
export function parseDotenv(text: string, source = 'env file'): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/^\s*export\s+/, '');
    if (!line.trim() || line.trim().startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`${source} line ${i + 1}: expected NAME=value`);
    const name = line.slice(0, eq).trim();
    let value = line.slice(eq + 1);
    const t = value.trim();
    if (t.startsWith('"') && t.length >= 2 && t.endsWith('"')) {
      value = t.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c));
    } else if (t.startsWith("'") && t.length >= 2 && t.endsWith("'")) {
      value = t.slice(1, -1);
    } else {
      value = t;
    }
    out.push([name, value]);
  });
  return out;
}

/**
 * Resolve `secret.key=value` (--set) and `SECRET__KEY=value` (env file) against the declared
 * secrets; names may contain dots, so every split is tried against the declarations.
 */
export function resolveGivenValues(files: DeclaredSecretFile[], sets: string[], envEntries: Array<[string, string]>): GivenValues {
  const pairs = new Set<string>();
  for (const f of files) for (const k of f.secret.keys) pairs.add(JSON.stringify([f.secret.name, k.name]));
  const bySecret = new Map<string, Map<string, string>>();
  const unused: string[] = [];
  const put = (name: string, sepr: string, value: string, label: string) => {
    let at = name.indexOf(sepr);
    while (at > 0) {
      const secret = name.slice(0, at);
      const key = name.slice(at + sepr.length);
      if (pairs.has(JSON.stringify([secret, key]))) {
        if (!bySecret.has(secret)) bySecret.set(secret, new Map());
        bySecret.get(secret)!.set(key, value);
        return;
      }
      at = name.indexOf(sepr, at + 1);
    }
    unused.push(label);
  };
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new Error(`--set ${s.slice(0, Math.max(eq, 0)) || '(empty)'}: expected secret.key=value`);
    put(s.slice(0, eq), '.', s.slice(eq + 1), `--set ${s.slice(0, eq)}`);
  }
  for (const [name, value] of envEntries) put(name, '__', value, `env file ${name}`);
  return { bySecret, unused };
}

// ---- init --------------------------------------------------------------------------------------

export interface InitFileResult {
  platform: string;
  app: string;
  env: string;
  secret: string;
  file: string;
  action: 'created' | 'keys-added' | 'unchanged' | 'failed';
  generated: string[];
  given: string[];
  /** Keys written with SECRET_PLACEHOLDER: they need a real value (`gitops secrets set`). */
  placeholders: string[];
  /** Keys in the file that the platform no longer declares (left alone; `check` reports them). */
  undeclared: string[];
  /** Given values not applied because the key already exists in the file. */
  ignored: string[];
  /** The file existed but was empty (0 bytes) and was re-created. */
  replacedEmpty?: boolean;
  error?: string;
}

export interface InitOptions {
  sets?: string[];
  envFileText?: string;
  /** Identities for adding keys to existing files (default: discovered like sops). */
  identities?: string[];
}

export interface InitResult {
  files: InitFileResult[];
  sopsConfigUpdated: boolean;
}

/** Keys of a secret file from its plaintext structure (no key needed). */
export function fileKeys(abs: string): string[] {
  const doc = readYamlFile(abs);
  if (!isObj(doc)) return [];
  return [...Object.keys(isObj(doc.stringData) ? doc.stringData : {}), ...Object.keys(isObj(doc.data) ? doc.data : {})];
}

function valueFor(decl: SecretDecl, key: SecretDecl['keys'][number], given: GivenValues): { value: string; how: 'generated' | 'given' | 'placeholder' } {
  const g = given.bySecret.get(decl.name)?.get(key.name);
  if (g !== undefined) return { value: g, how: 'given' };
  if (key.generate) return { value: generateSecretValue(key.generate), how: 'generated' };
  return { value: SECRET_PLACEHOLDER, how: 'placeholder' };
}

/**
 * Create every missing secret file of `env` for the platforms; never overwrite a file. An
 * existing file that lacks declared keys gets them added (setValue: existing values keep
 * their ciphertext) — that needs an identity that opens the file.
 */
export async function initSecrets(root: string, platforms: LoadedPlatform[], env: string, opts: InitOptions = {}): Promise<InitResult> {
  const recipients = envRecipients(root)[env];
  if (!recipients?.length) throw new Error(`environment ${env} has no age recipients in ${relative(root, recipientsFile(root))}`);
  const sopsConfigUpdated = await writeSopsConfig(root);
  const files = declaredSecretFiles(platforms, env);
  const given = resolveGivenValues(files, opts.sets ?? [], opts.envFileText ? parseDotenv(opts.envFileText) : []);
  if (given.unused.length) throw new Error(`no declared secret key matches ${given.unused.join(', ')} (nothing was written)`);
  const results: InitFileResult[] = [];
  const idOpts = opts.identities ? { identities: opts.identities } : {};
  for (const f of files) {
    const abs = join(root, f.file);
    const r: InitFileResult = {
      platform: f.platform, app: f.app, env: f.env, secret: f.secret.name, file: f.file,
      action: 'unchanged', generated: [], given: [], placeholders: [], undeclared: [], ignored: [],
    };
    results.push(r);
    // A 0-byte file holds nothing to lose (older versions could leave one when killed mid-write): re-create it.
    const empty = existsSync(abs) && statSync(abs).size === 0;
    if (!existsSync(abs) || empty) {
      const values: Array<[string, string]> = [];
      for (const k of f.secret.keys) {
        const v = valueFor(f.secret, k, given);
        values.push([k.name, v.value]);
        r[v.how === 'placeholder' ? 'placeholders' : v.how].push(k.name);
      }
      const text = await encryptDocument(secretManifestYaml(f.secret, values), {
        format: 'yaml',
        recipients,
        encryptedRegex: K8S_SECRET_ENCRYPTED_REGEX,
      });
      mkdirSync(dirname(abs), { recursive: true });
      try {
        if (empty) {
          await withFileLock(abs, () => {
            if (statSync(abs).size !== 0) throw Object.assign(new Error('changed meanwhile'), { code: 'EEXIST' });
            writeFileAtomic(abs, text);
          });
          r.replacedEmpty = true;
        } else createFileExclusive(abs, text); // complete or absent, and never overwrites, even if it appeared meanwhile
        r.action = 'created';
      } catch (e) {
        r.action = 'failed';
        r.error = `${f.file}: not written: ${(e as NodeJS.ErrnoException).code ?? 'error'}`;
      }
      continue;
    }
    const have = new Set(fileKeys(abs));
    const declared = f.secret.keys.map((k) => k.name);
    r.undeclared = [...have].filter((k) => !declared.includes(k));
    for (const [k] of given.bySecret.get(f.secret.name) ?? []) if (have.has(k)) r.ignored.push(k);
    const missing = f.secret.keys.filter((k) => !have.has(k.name));
    if (!missing.length) continue;
    try {
      for (const k of missing) {
        const v = valueFor(f.secret, k, given);
        await setValue(abs, ['stringData', k.name], v.value, { ...idOpts, config: false });
        r[v.how === 'placeholder' ? 'placeholders' : v.how].push(k.name);
      }
      r.action = 'keys-added';
    } catch (e) {
      r.action = r.generated.length + r.given.length + r.placeholders.length ? 'keys-added' : 'failed';
      const left = missing.map((k) => k.name).filter((k) => ![...r.generated, ...r.given, ...r.placeholders].includes(k));
      r.error =
        `platform ${f.platform}, env ${f.env}, secret ${f.secret.name}: cannot add key${left.length === 1 ? '' : 's'} ${left.join(', ')}: ` +
        relMessage(root, e) +
        (e instanceof SopsError && e.code === 'NO_DECRYPTION_KEY' ? ` (set SOPS_AGE_KEY_FILE to a key of ${env})` : '');
    }
  }
  return { files: results, sopsConfigUpdated };
}

// ---- check -------------------------------------------------------------------------------------

export type SecretProblemCode =
  | 'sops-config-missing'
  | 'sops-config-stale'
  | 'missing-file'
  | 'invalid-sops'
  | 'no-mac'
  | 'wrong-rule'
  | 'plaintext-value'
  | 'not-a-secret'
  | 'wrong-name'
  | 'wrong-type'
  | 'has-namespace'
  | 'missing-key'
  | 'undeclared-key'
  | 'undeclared-file'
  | 'no-creation-rule'
  | 'recipients-mismatch'
  | 'placeholder'
  | 'bad-age-stanza'
  | 'decrypt-failed'
  | 'cannot-decrypt';

export interface SecretProblem {
  code: SecretProblemCode;
  severity: 'error' | 'warning';
  platform?: string;
  app?: string;
  env?: string;
  secret?: string;
  key?: string;
  file?: string;
  message: string;
}

export interface CheckOptions {
  /** Also decrypt (needs identities) and warn about keys still holding the placeholder. */
  values?: boolean;
  identities?: string[];
}

export interface CheckResult {
  ok: boolean;
  files: number;
  /** Files whose MAC and values were verified by decrypting them (`values` option), with their encrypted value count. */
  verified: { files: number; values: number };
  /** Files (and their encrypted values) whose MAC and values were NOT verified: no key given, or none that opens them. */
  unverified: { files: number; values: number };
  problems: SecretProblem[];
}

const isEnc = (v: unknown) => typeof v === 'string' && (v === '' || /^ENC\[AES256_GCM,data:.*\]$/s.test(v));

export async function checkSecrets(root: string, platforms: LoadedPlatform[], opts: CheckOptions = {}): Promise<CheckResult> {
  const problems: SecretProblem[] = [];
  const add = (p: Omit<SecretProblem, 'severity'> & { severity?: SecretProblem['severity'] }) => problems.push({ severity: 'error', ...p });

  const state = sopsConfigState(root);
  if (state.actual === undefined) add({ code: 'sops-config-missing', file: SOPS_CONFIG_FILE, message: `${SOPS_CONFIG_FILE} is missing (write it: gitops secrets config)` });
  else if (!state.upToDate) {
    add({ code: 'sops-config-stale', file: SOPS_CONFIG_FILE, message: sopsConfigStaleMessage(root) });
  }
  const cfg = loadSopsConfig(root);
  const idOpts = opts.identities ? { identities: opts.identities } : {};

  const declared = declaredSecretFiles(platforms);
  let files = 0;
  const verified = { files: 0, values: 0 };
  const unverified = { files: 0, values: 0 };
  for (const f of declared) {
    const where = { platform: f.platform, app: f.app, env: f.env, secret: f.secret.name, file: f.file };
    const abs = join(root, f.file);
    if (!existsSync(abs)) {
      add({ ...where, code: 'missing-file', message: `missing (create it: gitops secrets init --env ${f.env} ${f.platform})` });
      continue;
    }
    files++;
    let md;
    try {
      md = await readMetadata(abs, { config: false });
    } catch (e) {
      add({ ...where, code: 'invalid-sops', message: `not a valid SOPS file: ${relMessage(root, e)}` });
      continue;
    }
    if (!md.macPresent) add({ ...where, code: 'no-mac', message: 'has no MAC (sops metadata incomplete)' });
    for (const p of md.ageStanzaProblems) {
      add({ ...where, code: 'bad-age-stanza', message: `age entry for ${p.recipient} is not a well-formed age file: ${p.problem} (no key can open it; restore the file from git or re-create it)` });
    }
    const encryptedValues = md.paths.filter((p) => p.encrypted && p.type !== 'comment').length;
    if (md.rule.kind !== 'encrypted_regex' || md.rule.value !== K8S_SECRET_ENCRYPTED_REGEX) {
      add({ ...where, code: 'wrong-rule', message: `encrypted with ${md.rule.kind} "${md.rule.value}" instead of encrypted_regex "${K8S_SECRET_ENCRYPTED_REGEX}"` });
    }
    const doc = readYamlFile(abs);
    if (!isObj(doc) || doc.kind !== 'Secret' || doc.apiVersion !== 'v1') {
      add({ ...where, code: 'not-a-secret', message: 'is not a v1 Secret manifest' });
      continue;
    }
    if (doc.metadata?.name !== f.secret.name) add({ ...where, code: 'wrong-name', message: `metadata.name is "${doc.metadata?.name}", expected "${f.secret.name}"` });
    if ((doc.type ?? 'Opaque') !== (f.secret.type ?? 'Opaque')) add({ ...where, code: 'wrong-type', message: `type is "${doc.type ?? 'Opaque'}", declared "${f.secret.type ?? 'Opaque'}"` });
    if (doc.metadata?.namespace !== undefined) add({ ...where, code: 'has-namespace', message: 'sets metadata.namespace (the overlay sets it; remove it)' });
    const keys = new Set<string>();
    for (const section of ['stringData', 'data']) {
      if (!isObj(doc[section])) continue;
      for (const [k, v] of Object.entries(doc[section])) {
        keys.add(k);
        if (!isEnc(v)) add({ ...where, key: k, code: 'plaintext-value', message: `${section}.${k} is not encrypted (ENC[...])` });
      }
    }
    for (const k of f.secret.keys) if (!keys.has(k.name)) add({ ...where, key: k.name, code: 'missing-key', message: `declared key is missing (add it: gitops secrets init --env ${f.env} ${f.platform})` });
    for (const k of keys) if (!f.secret.keys.some((d) => d.name === k)) add({ ...where, key: k, code: 'undeclared-key', message: 'key is not declared by the platform' });

    let expected: string[] | undefined;
    try {
      expected = ruleKeyGroups(matchCreationRule(cfg.config, abs, cfg.path)).flat();
    } catch {
      add({ ...where, code: 'no-creation-rule', message: `no ${SOPS_CONFIG_FILE} creation rule matches the file` });
    }
    if (expected) {
      const want = new Set(expected);
      const have = new Set(md.recipients);
      const missingR = [...want].filter((r) => !have.has(r));
      const extraR = [...have].filter((r) => !want.has(r));
      if (missingR.length || extraR.length) {
        add({
          ...where,
          code: 'recipients-mismatch',
          message:
            `recipients differ from ${SOPS_CONFIG_FILE}` +
            (missingR.length ? `; missing ${missingR.join(', ')}` : '') +
            (extraR.length ? `; not in ${SOPS_CONFIG_FILE} ${extraR.join(', ')}` : '') +
            ' (fix: gitops secrets updatekeys)',
        });
      }
    }
    if (!opts.values) {
      unverified.files++;
      unverified.values += encryptedValues;
      continue;
    }
    let plain: unknown;
    try {
      const text = await decryptFile(abs, { ...idOpts, config: false }); // verifies the MAC and every value
      try {
        plain = parse(text);
      } catch {
        // The parser's message quotes the offending line, which is decrypted plaintext: say only what failed.
        throw new Error('the decrypted content is not valid YAML');
      }
    } catch (e) {
      unverified.files++;
      unverified.values += encryptedValues;
      const msg = relMessage(root, e).replace(`${f.file}: `, '');
      if (e instanceof SopsError && e.code === 'NO_DECRYPTION_KEY') {
        add({ ...where, severity: 'warning', code: 'cannot-decrypt', message: `values and MAC not verified: ${msg}` });
      } else {
        add({ ...where, code: 'decrypt-failed', message: `does not decrypt: ${msg}` });
      }
      continue;
    }
    verified.files++;
    verified.values += encryptedValues;
    const values = isObj(plain) && isObj(plain.stringData) ? plain.stringData : {};
    for (const k of f.secret.keys) {
      if (values[k.name] === SECRET_PLACEHOLDER) add({ ...where, key: k.name, severity: 'warning', code: 'placeholder', message: `still ${SECRET_PLACEHOLDER} (set it: gitops secrets set ${f.file} ${k.name})` });
    }
  }

  const declaredPaths = new Set(declared.map((d) => d.file));
  for (const p of platforms) {
    for (const file of secretFilesOnDisk(root, p.name)) {
      if (!declaredPaths.has(file)) add({ platform: p.name, env: envOfPath(file), file, code: 'undeclared-file', message: 'secret file is not declared by any app of the platform (remove it, or declare the secret)' });
    }
  }
  return { ok: !problems.some((p) => p.severity === 'error'), files, verified, unverified, problems };
}

export function formatProblem(p: SecretProblem): string {
  const who = [p.platform, p.env && `env ${p.env}`, p.secret && `secret ${p.secret}`, p.key && `key ${p.key}`].filter(Boolean).join(', ');
  return `${p.severity}: ${who ? who + ': ' : ''}${p.message}${p.file ? ` [${p.file}]` : ''}`;
}

// ---- updatekeys --------------------------------------------------------------------------------

const SKIP_DIRS = new Set(['node_modules', '.git', '.nx', 'dist']);

function walkFiles(dir: string, out: string[] = []): string[] {
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

/** SOPS files under `paths` (default: the repository) that a `.sops.yaml` creation rule covers. */
export function sopsFilesUnder(root: string, paths: string[] = []): string[] {
  const { config, path } = loadSopsConfig(root);
  const covered = (abs: string) => {
    try {
      matchCreationRule(config, abs, path);
      return true;
    } catch {
      return false;
    }
  };
  const out = new Set<string>();
  for (const p of paths.length ? paths : [root]) {
    const abs = resolve(p);
    if (!existsSync(abs)) throw new Error(`${p}: no such file or directory`);
    if (statSync(abs).isDirectory()) {
      for (const f of walkFiles(abs)) if (covered(f)) out.add(f);
    }
    else out.add(abs);
  }
  return [...out].sort();
}

export interface UpdateKeysFileResult {
  file: string;
  added: string[];
  removed: string[];
  changed: boolean;
  error?: string;
}

/** Re-wrap every file's data key for the recipients of its `.sops.yaml` rule (values untouched). */
export async function updateAllKeys(root: string, paths: string[], opts: { dryRun?: boolean; identities?: string[] } = {}): Promise<UpdateKeysFileResult[]> {
  const cfgPath = join(root, SOPS_CONFIG_FILE);
  if (!existsSync(cfgPath)) throw new Error(`${SOPS_CONFIG_FILE} is missing (write it: gitops secrets config)`);
  const results: UpdateKeysFileResult[] = [];
  const idOpts = opts.identities ? { identities: opts.identities } : {};
  for (const abs of sopsFilesUnder(root, paths)) {
    const file = toPosix(relative(root, abs));
    try {
      const dry = await updateKeys(abs, undefined, { config: cfgPath, dryRun: true });
      if (!dry.changed || opts.dryRun) {
        results.push({ file, ...dry });
        continue;
      }
      results.push({ file, ...(await updateKeys(abs, undefined, { config: cfgPath, ...idOpts })) });
    } catch (e) {
      results.push({ file, added: [], removed: [], changed: false, error: relMessage(root, e) });
    }
  }
  return results;
}

// ---- take-ownership ----------------------------------------------------------------------------

const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

export interface TakeOwnershipOptions {
  /** Extra identities (besides discovered ones and the example key of the environment). */
  identities?: string[];
  /** Give every generated key (not `fixed`) a fresh value: the old ones were readable with the public example key. */
  regenerate?: LoadedPlatform[];
}

export interface TakeOwnershipResult {
  env: string;
  previous: string[];
  recipients: string[];
  /** Files re-encrypted by this run. */
  files: string[];
  /** Files already on exactly the new recipients (finished by an earlier, interrupted run). */
  alreadyDone: string[];
  regenerated: Array<{ file: string; keys: string[] }>;
}

/** The public example key of an environment (test-keys/example-<env>.agekey), if present. */
export function exampleIdentities(root: string, env: string): string[] {
  const p = join(root, 'test-keys', `example-${env}.agekey`);
  return existsSync(p) ? parseIdentities(readFileSync(p, 'utf8'), p) : [];
}

/** Rewrite one environment's entry of recipients.yaml (locked, atomic), keeping comments and the other entries. */
export async function writeEnvRecipients(file: string, env: string, recipients: string[]): Promise<void> {
  await withFileLock(file, () => writeEnvRecipientsLocked(file, env, recipients));
}

function writeEnvRecipientsLocked(file: string, env: string, recipients: string[]): void {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.set(env, doc.createNode(recipients));
  const note = ` ${env}: own recipients (gitops secrets take-ownership), not the example key`;
  if (isMap(doc.contents)) {
    for (const p of doc.contents.items) {
      if (isScalar(p.key) && p.key.value === env && !(p.key.commentBefore ?? '').includes(note)) {
        p.key.commentBefore = p.key.commentBefore ? `${p.key.commentBefore}\n${note}` : note;
      }
    }
  }
  const text = doc.toString({ lineWidth: 0 });
  writeFileAtomic(file, text);
  loadRecipients(file); // validates what was written
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Make `recipients` the only recipients of `env`: every file of the environment gets a new data
 * key (values re-encrypted, `rotate`), wrapped only for the new recipients — so neither the example
 * key nor the old data key (recoverable from git history) opens the new files — then
 * recipients.yaml and .sops.yaml are rewritten. Nothing is changed unless every pending file can be
 * opened.
 *
 * Resumable: each file is replaced atomically, and a file already encrypted to exactly the new
 * recipients is not rotated again (with `regenerate`, values are regenerated before the rotation,
 * and again on a rerun), so after an interruption the same command finishes the job. recipients.yaml holds the
 * environment's lock for the whole run, so two runs cannot interleave.
 */
export async function takeOwnership(root: string, env: string, recipients: string[], opts: TakeOwnershipOptions = {}): Promise<TakeOwnershipResult> {
  const wanted = [...new Set(recipients.map((r) => r.trim()))];
  // Bad input, not a failure: exit 2 like every other input error of the CLI.
  if (!wanted.length) throw new UserError('give at least one --age recipient', 2);
  for (const r of wanted) if (!AGE_RECIPIENT.test(r)) throw new UserError(`"${r}" is not an age X25519 recipient (age1…, 62 characters)`, 2);
  const example = (EXAMPLE_RECIPIENTS as Record<string, string>)[env];
  if (example && wanted.includes(example)) throw new UserError(`${example} is the public example recipient of ${env}; give your own (gitops secrets keygen)`, 2);
  const recFile = recipientsFile(root);
  return withFileLock(recFile, async () => {
    const all = envRecipients(root);
    if (!all[env]) throw new Error(`environment ${env} is not in ${toPosix(relative(root, recFile))}`);

    const envDir = join(root, 'environments', env);
    const files = existsSync(envDir) ? walkFiles(envDir).filter((f) => /\.enc\.ya?ml$/.test(f) && f.split(sep).includes('secrets')) : [];
    const pending: string[] = [];
    for (const f of files) {
      let md;
      try {
        md = await readMetadata(f, { config: false });
      } catch {
        pending.push(f); // reported below, when it cannot be opened
        continue;
      }
      if (!sameSet(md.recipients, wanted)) pending.push(f);
    }
    const identities = [...discoveredIdentities(), ...exampleIdentities(root, env), ...(opts.identities ?? [])];
    const regen = new Map<string, SecretDecl['keys']>();
    for (const d of opts.regenerate ? declaredSecretFiles(opts.regenerate, env) : []) {
      const keys = d.secret.keys.filter((k) => k.generate && k.generate.kind !== 'fixed');
      if (keys.length) regen.set(join(root, d.file), keys);
    }
    // Files to change: those not yet on the new recipients, plus (--regenerate) every file with generated keys.
    const todo = files.filter((f) => pending.includes(f) || regen.has(f));
    const unreadable: string[] = [];
    for (const f of todo) {
      try {
        await decryptFile(f, { identities, config: false });
      } catch (e) {
        unreadable.push(relMessage(root, e));
      }
    }
    if (unreadable.length) {
      throw new Error(`nothing changed: ${unreadable.length} file(s) of ${env} cannot be opened with the available identities (SOPS_AGE_KEY_FILE / SOPS_AGE_KEY / SOPS_AGE_KEY_CMD / keys.txt, test-keys/example-${env}.agekey, --identity files):\n  ${unreadable.join('\n  ')}`);
    }
    const regenerated: TakeOwnershipResult['regenerated'] = [];
    for (const f of todo) {
      // Regenerate first, then rotate: a kill in between leaves the file on the old recipients,
      // so a rerun does both again (new random values either way).
      const have = new Set(fileKeys(f));
      const keys = (regen.get(f) ?? []).filter((k) => have.has(k.name));
      for (const k of keys) await setValue(f, ['stringData', k.name], generateSecretValue(k.generate!), { identities, config: false });
      if (keys.length) regenerated.push({ file: toPosix(relative(root, f)), keys: keys.map((k) => k.name) });
      const md = await readMetadata(f, { config: false });
      if (sameSet(md.recipients, wanted)) continue; // done by an earlier run (regenerated above)
      await rotate(f, { identities, config: false, addRecipients: wanted, removeRecipients: md.recipients.filter((r) => !wanted.includes(r)) });
    }
    if (!sameSet(all[env], wanted)) writeEnvRecipientsLocked(recFile, env, wanted);
    await writeSopsConfig(root);
    return {
      env,
      previous: all[env],
      recipients: wanted,
      files: pending.map((f) => toPosix(relative(root, f))),
      alreadyDone: files.filter((f) => !pending.includes(f)).map((f) => toPosix(relative(root, f))),
      regenerated,
    };
  });
}

// ---- scan --------------------------------------------------------------------------------------

/**
 * Paths the leak scan skips: deliberate test data that contains plaintext secrets on purpose.
 * Repository-relative; a trailing `/` is a folder prefix, `*` matches within one path segment.
 * Add to this list only with a comment saying why. (Age private keys have their own, narrower
 * exemption in the scanner: test-keys/, third_party/sops-fixtures/<case>/keys.txt, files marked
 * `# TEST KEY`.)
 */
export const SCAN_EXCLUDES = [
  // libs/validate's test corpus: rendered manifests incl. a plaintext Secret the validator must see.
  'libs/validate/test/corpus/',
  // SOPS implementation fixtures: plaintext/encrypted pairs and TEST keys.
  'tools/secrets/test/fixtures/',
  // The leak scanner's own corpus: one planted leak per kind it must find.
  'tools/secrets/test/scan-corpus/',
  // compose-import's inputs: real-world Compose projects with their sample passwords (.env files, DSNs).
  'libs/compose-import/test/',
  // Vendored sops fixtures: the expected decryptions of the encrypted fixtures.
  'third_party/sops-fixtures/*/*.decrypted.json',
  'third_party/sops-fixtures/*/expected-plaintext.json',
];

function excludeMatcher(pattern: string): (rel: string) => boolean {
  if (!pattern.includes('*')) {
    const dir = pattern.endsWith('/') ? pattern : pattern + '/';
    return (rel) => rel === pattern.replace(/\/$/, '') || rel.startsWith(dir);
  }
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + (pattern.endsWith('/') ? '' : '$'));
  return (rel) => re.test(rel);
}

const excluded = (rel: string, excludes: string[]) => excludes.some((e) => excludeMatcher(e)(rel));

/**
 * The files a whole-repository scan reads: what git tracks or would add (ignored files such as
 * node_modules/ or .nx/ are not committed, so they are not scanned); every file when `root` is
 * not a git work tree.
 */
function candidateFiles(root: string): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    if (resolve(top) !== resolve(root)) return walkFiles(root);
    return [...new Set(out.toString('utf8').split('\0').filter(Boolean))].map((f) => join(root, f)).filter((f) => existsSync(f)).sort();
  } catch {
    return walkFiles(root);
  }
}

/** Scan files/folders (default: the repository) for plaintext secrets. */
export async function scanPaths(root: string, paths: string[] = [], excludes: string[] = SCAN_EXCLUDES, maxFileSize = 5 * 1024 * 1024): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const p of paths.length ? paths : [root]) {
    const abs = isAbsolute(p) ? p : resolve(p);
    if (!existsSync(abs)) throw new Error(`${p}: no such file or directory`);
    const list = !paths.length ? candidateFiles(root) : statSync(abs).isDirectory() ? walkFiles(abs) : [abs];
    for (const f of list) {
      const rel = toPosix(relative(root, f));
      if (excluded(rel, excludes)) continue;
      let st;
      try {
        st = statSync(f);
      } catch {
        continue;
      }
      if (!st.isFile() || st.size > maxFileSize) continue;
      out.push(...(await scanContent(rel, readFileSync(f))));
    }
  }
  return out;
}

/** Scan what is staged in the git index (the pre-commit hook): added, copied, modified, renamed files. */
export async function scanStaged(root: string, excludes: string[] = SCAN_EXCLUDES): Promise<Finding[]> {
  const git = (args: string[]) => execFileSync('git', args, { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  const names = git(['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMR']).toString('utf8').split('\0').filter(Boolean);
  const out: Finding[] = [];
  for (const rel of names) {
    if (excluded(rel, excludes)) continue;
    out.push(...(await scanContent(rel, git(['show', `:${rel}`]))));
  }
  return out;
}
