/**
 * The repository's platforms as the workflow takes them (`{ name, spec }`), imported by path: the
 * workflow does not depend on pipeline (pipeline depends on it), so its tests do not either.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PlatformSpec } from '@gitops/core';
import type { SecretsPlatform } from '../src';

export async function repoPlatforms(repo: string): Promise<SecretsPlatform[]> {
  const dir = join(repo, 'libs', 'platforms');
  const names = readdirSync(dir).filter((n) => existsSync(join(dir, n, 'src', 'index.ts'))).sort();
  return Promise.all(
    names.map(async (name) => {
      const mod = (await import(pathToFileURL(join(dir, name, 'src', 'index.ts')).href)) as { platform: PlatformSpec };
      return { name, spec: mod.platform };
    }),
  );
}
