/**
 * `gitops secrets check`: every declared secret exists for every environment with exactly the
 * declared keys, is valid SOPS with a MAC and well-formed age entries, encrypted to the recipients
 * of its `.sops.yaml` rule; no key needed. With `values`, also decrypt (MAC and values verified)
 * and warn about placeholders. Problems name files, secrets and keys, never values.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { envOfPath } from '@gitops/environments';
import { decryptFile, isNoKey, K8S_SECRET_ENCRYPTED_REGEX, matchCreationRule, readMetadata, ruleKeyGroups, type EncryptionRule } from '@gitops/secrets';
import { declaredSecretFiles, secretFilesOnDisk, type SecretsPlatform } from './declared';
import { isEncryptedValue, isObj, nonMappingFields, nonMappingMessage, readYamlDocuments, relMessage, unencryptedKeys, unencryptedMessage } from './repo-files';
import { loadSopsConfig, SOPS_CONFIG_FILE, sopsConfigState } from './sops-config';
import { sopsConfigStaleMessage } from './sops-config-drift';
import { SECRET_PLACEHOLDER } from './values';

export type SecretProblemCode =
  | 'sops-config-missing'
  | 'sops-config-stale'
  | 'missing-file'
  | 'invalid-sops'
  | 'no-mac'
  | 'wrong-rule'
  | 'plaintext-value'
  | 'not-a-mapping'
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
  | 'cannot-decrypt'
  | 'key-source-failed';

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
  /**
   * Set when `values` met a configured key source that does not work (IDENTITY_SOURCE_FAILED: a failing
   * SOPS_AGE_KEY_CMD, a malformed SOPS_AGE_KEY…): why, naming the source. Reported once (`key-source-failed`),
   * and no further file is decrypted: every file would fail for the same reason.
   */
  keySourceFailed?: string;
}

/**
 * Why a file's rule is not the repository's (`encrypted_regex ^(data|stringData)$`), or undefined when it
 * is: `gitops secrets check`'s `wrong-rule` wording, also given by the loader for a plaintext value.
 */
export function wrongRuleMessage(rule: EncryptionRule): string | undefined {
  if (rule.kind === 'encrypted_regex' && rule.value === K8S_SECRET_ENCRYPTED_REGEX) return undefined;
  return `encrypted with ${rule.kind} "${rule.value}" instead of encrypted_regex "${K8S_SECRET_ENCRYPTED_REGEX}"`;
}

export async function checkSecrets(root: string, platforms: SecretsPlatform[], opts: CheckOptions = {}): Promise<CheckResult> {
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
  let keySourceFailed: string | undefined;
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
    const wrongRule = wrongRuleMessage(md.rule);
    if (wrongRule) add({ ...where, code: 'wrong-rule', message: wrongRule });
    const [doc, ...more] = readYamlDocuments(abs) ?? [];
    // Further documents of the file (KSOPS emits each): a plaintext value there is in git as much as in the first.
    more.forEach((d, i) => {
      const at = `document ${i + 2}`;
      if (!isObj(d)) return add({ ...where, code: 'not-a-secret', message: `${at} is not a v1 Secret manifest` });
      for (const field of nonMappingFields(d)) add({ ...where, code: 'not-a-mapping', message: `${at}: ${nonMappingMessage(field)}` });
      for (const k of unencryptedKeys(d)) add({ ...where, code: 'plaintext-value', message: `${at}: ${unencryptedMessage(k)}` });
    });
    if (!isObj(doc) || doc.kind !== 'Secret' || doc.apiVersion !== 'v1') {
      add({ ...where, code: 'not-a-secret', message: 'is not a v1 Secret manifest' });
      continue;
    }
    if (doc.metadata?.name !== f.secret.name) add({ ...where, code: 'wrong-name', message: `metadata.name differs from the expected Secret name "${f.secret.name}"` });
    if ((doc.type ?? 'Opaque') !== (f.secret.type ?? 'Opaque')) add({ ...where, code: 'wrong-type', message: `type differs from the declared type "${f.secret.type ?? 'Opaque'}"` });
    if (doc.metadata?.namespace !== undefined) add({ ...where, code: 'has-namespace', message: 'sets metadata.namespace (the overlay sets it; remove it)' });
    for (const field of nonMappingFields(doc)) add({ ...where, code: 'not-a-mapping', message: nonMappingMessage(field) });
    const keys = new Set<string>();
    for (const section of ['stringData', 'data']) {
      if (!isObj(doc[section])) continue;
      for (const [k, v] of Object.entries(doc[section])) {
        keys.add(k);
        if (!isEncryptedValue(v)) add({ ...where, key: k, code: 'plaintext-value', message: unencryptedMessage(`${section}.${k}`) });
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
    if (!opts.values || keySourceFailed !== undefined) {
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
      if (isNoKey(e)) {
        add({ ...where, severity: 'warning', code: 'cannot-decrypt', message: `values and MAC not verified: ${msg}` });
      } else if ((e as { code?: unknown } | undefined)?.code === 'IDENTITY_SOURCE_FAILED') {
        // Not this file's fault, and every other file would fail the same way: one error naming the source, then no more decrypting.
        keySourceFailed = msg;
        add({ code: 'key-source-failed', message: `the age key source does not work: ${msg} (fix or unset it; values and MACs not verified)` });
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
  return { ok: !problems.some((p) => p.severity === 'error'), files, verified, unverified, problems, ...(keySourceFailed !== undefined ? { keySourceFailed } : {}) };
}

export function formatProblem(p: SecretProblem): string {
  const who = [p.platform, p.env && `env ${p.env}`, p.secret && `secret ${p.secret}`, p.key && `key ${p.key}`].filter(Boolean).join(', ');
  return `${p.severity}: ${who ? who + ': ' : ''}${p.message}${p.file ? ` [${p.file}]` : ''}`;
}
