/**
 * `gitops secrets take-ownership`: make a person's own age recipients the only recipients of an
 * environment, re-encrypting every file with a new data key (see `takeOwnership`).
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UserError, type SecretDecl } from '@gitops/core';
import { EXAMPLE_RECIPIENTS, ENVIRONMENTS_DIR, isInSecretsDir, isSecretFileName } from '@gitops/environments';
import { decryptFile, readMetadata, rotate, setValue, withFileLock } from '@gitops/secrets';
import { declaredSecretFiles, fileKeys, type SecretsPlatform } from './declared';
import { discoveredIdentities } from './identities';
import { envRecipients, exampleIdentities, recipientsFile, writeEnvRecipientsLocked } from './recipients';
import { relMessage, toPosix, walkFiles } from './repo-files';
import { writeSopsConfig } from './sops-config';
import { generateSecretValue } from './values';

const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

export interface TakeOwnershipOptions {
  /** Extra identities (besides discovered ones and the example key of the environment). */
  identities?: string[];
  /** Give every generated key (not `fixed`) a fresh value: the old ones were readable with the public example key. */
  regenerate?: SecretsPlatform[];
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
    if (!all[env]) throw new UserError(`environment ${env} is not in ${toPosix(relative(root, recFile))}`, 2);

    const envDir = join(root, ENVIRONMENTS_DIR, env);
    const files = existsSync(envDir) ? walkFiles(envDir).filter((f) => isSecretFileName(f) && isInSecretsDir(toPosix(relative(root, f)))) : [];
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
      throw new UserError(`nothing changed: ${unreadable.length} file(s) of ${env} cannot be opened with the available identities (SOPS_AGE_KEY_FILE / SOPS_AGE_KEY / SOPS_AGE_KEY_CMD / keys.txt, test-keys/example-${env}.agekey, --identity files):\n  ${unreadable.join('\n  ')}`, 1);
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
