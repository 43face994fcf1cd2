/**
 * `gitops secrets init`: create every missing secret file of an environment (generated, given or
 * placeholder values), never overwriting one; add declared keys missing from existing files.
 */
import { makeDirs, MakeDirError } from '@gitops/core/fs';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { UserError, type SecretDecl } from '@gitops/core';
import { createFileExclusive, encryptDocument, isNoKey, K8S_SECRET_ENCRYPTED_REGEX, setValue, sopsExitCode, withFileLock, writeFileAtomic } from '@gitops/secrets';
import { declaredSecretFiles, fileKeys, type SecretsPlatform } from './declared';
import { parseDotenv, resolveGivenValues, type GivenValues } from './given-values';
import { envRecipients, recipientsFile } from './recipients';
import { relMessage } from './repo-files';
import { writeSopsConfig } from './sops-config';
import { generateSecretValue, SECRET_PLACEHOLDER, secretManifestYaml } from './values';

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
  /** The exit code `error` stands for (sopsExitCode: the SOPS table and the one filesystem rule; a file in the way is 2). */
  exitCode?: 1 | 2;
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
export async function initSecrets(root: string, platforms: SecretsPlatform[], env: string, opts: InitOptions = {}): Promise<InitResult> {
  const recipients = envRecipients(root)[env];
  if (!recipients?.length) throw new UserError(`environment ${env} has no age recipients in ${relative(root, recipientsFile(root))}`, 2);
  const files = declaredSecretFiles(platforms, env);
  const given = resolveGivenValues(files, opts.sets ?? [], opts.envFileText ? parseDotenv(opts.envFileText) : []);
  // Checked before anything is written, .sops.yaml included.
  if (given.unused.length) throw new UserError(`no declared secret key matches ${given.unused.join(', ')} (nothing was written)`, 2);
  const sopsConfigUpdated = await writeSopsConfig(root);
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
      try {
        makeDirs(dirname(abs)); // names a file in the way (exit 2), unlike mkdirSync's EEXIST for the last folder
        if (empty) {
          await withFileLock(abs, () => {
            if (statSync(abs).size !== 0) throw Object.assign(new Error('changed meanwhile'), { code: 'EEXIST' });
            writeFileAtomic(abs, text);
          });
          r.replacedEmpty = true;
        } else createFileExclusive(abs, text); // complete or absent, and never overwrites, even if it appeared meanwhile
        r.action = 'created';
      } catch (e) {
        // EEXIST: the empty file changed meanwhile (a race, a failure); anything unclassified is a bug and propagates.
        const exitCode = e instanceof MakeDirError ? e.exitCode : (sopsExitCode(e) ?? ((e as NodeJS.ErrnoException).code === 'EEXIST' ? 1 : undefined));
        if (exitCode === undefined) throw e;
        r.action = 'failed';
        r.error = `${f.file}: not written: ${(e as NodeJS.ErrnoException).code ?? 'error'}`;
        r.exitCode = exitCode;
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
      const exitCode = sopsExitCode(e);
      if (exitCode === undefined) throw e; // not the SOPS library's nor the filesystem's: a bug
      r.exitCode = exitCode;
      r.action = r.generated.length + r.given.length + r.placeholders.length ? 'keys-added' : 'failed';
      const left = missing.map((k) => k.name).filter((k) => ![...r.generated, ...r.given, ...r.placeholders].includes(k));
      r.error =
        `platform ${f.platform}, env ${f.env}, secret ${f.secret.name}: cannot add key${left.length === 1 ? '' : 's'} ${left.join(', ')}: ` +
        relMessage(root, e) +
        (isNoKey(e) ? ` (set SOPS_AGE_KEY_FILE to a key of ${env})` : '');
    }
  }
  return { files: results, sopsConfigUpdated };
}
