/** The age identities a command uses: found as sops finds them, or read from keys files given on the command line. */
import { readFileSync } from 'node:fs';
import { UserError } from '@gitops/core';
import { defaultKeysFilePath, isNoKey, loadAgeIdentities, parseIdentities } from '@gitops/secrets';

/** Identities found as sops finds them; [] when no source is configured (a configured source that fails throws). */
export function discoveredIdentities(env: NodeJS.ProcessEnv = process.env): string[] {
  try {
    return loadAgeIdentities({ env }).identities;
  } catch (e) {
    if (isNoKey(e)) return [];
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
      throw new UserError(`cannot read identity file ${f}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, 2);
    }
    return parseIdentities(text, f);
  });
}

/** How to give sops an age key, where a command found none that opens a file (one wording for every command). */
export function keySourcesHint(env: NodeJS.ProcessEnv = process.env): string {
  return `give the environment's age key: SOPS_AGE_KEY_FILE=<keys file>, SOPS_AGE_KEY, SOPS_AGE_KEY_CMD or ${defaultKeysFilePath({ env }) ?? 'the default keys.txt'}`;
}

