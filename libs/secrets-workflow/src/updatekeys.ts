/** `gitops secrets updatekeys`: re-wrap every SOPS file's data key for the recipients of its `.sops.yaml` rule. */
import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '@gitops/core';
import { matchCreationRule, updateKeys } from '@gitops/secrets';
import { relMessage, toPosix, walkFiles } from './repo-files';
import { loadSopsConfig, SOPS_CONFIG_FILE } from './sops-config';

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
    if (!existsSync(abs)) throw new UserError(`${p}: no such file or directory`, 2);
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
  if (!existsSync(cfgPath)) throw new UserError(`${SOPS_CONFIG_FILE} is missing (write it: gitops secrets config)`, 2);
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
