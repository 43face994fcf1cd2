/**
 * Discovers platform libraries: every folder under libs/platforms/ whose src/index.ts exports
 * `platform`. A new platform (e.g. from the Nx generator) needs no registration anywhere.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PlatformSpec } from '@gitops/core';
import { UserError } from '@gitops/core';

export interface LoadedPlatform {
  name: string;
  /** Library folder relative to the repository, e.g. libs/platforms/cptm8. */
  source: string;
  spec: PlatformSpec;
}

export function platformNames(root: string): string[] {
  const dir = join(root, 'libs', 'platforms');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'src', 'index.ts')))
    .map((d) => d.name)
    .sort();
}

export async function loadPlatform(root: string, name: string): Promise<LoadedPlatform> {
  const names = platformNames(root);
  if (!names.includes(name)) throw new UserError(`unknown platform "${name}" (known: ${names.join(', ') || 'none'})`, 2);
  const source = `libs/platforms/${name}`;
  const mod = (await import(pathToFileURL(join(root, source, 'src', 'index.ts')).href)) as { platform?: PlatformSpec };
  if (!mod.platform) throw new UserError(`${source}/src/index.ts does not export \`platform\``);
  if (mod.platform.name !== name) throw new UserError(`${source}: platform.name is "${mod.platform.name}" but the folder is "${name}"`);
  return { name, source, spec: mod.platform };
}

export async function loadPlatforms(root: string, names?: string[]): Promise<LoadedPlatform[]> {
  const wanted = names?.length ? names : platformNames(root);
  return Promise.all(wanted.map((n) => loadPlatform(root, n)));
}
