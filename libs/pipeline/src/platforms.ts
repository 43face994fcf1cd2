/**
 * Discovers platform libraries: every folder under libs/platforms/ whose src/index.ts exports
 * `platform`. A new platform (e.g. from the Nx generator) needs no registration anywhere.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { PlatformSpec } from '@gitops/core';
import { SpecError, UserError } from '@gitops/core';
import { stackPositions } from '@gitops/core/source-frames';
import { platformNameProblem } from '@gitops/core/platform-name';
import { importPlatformModules } from './platform-module';

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
  return (await loadPlatforms(root, [name]))[0];
}

/** The platform library `name` from its imported module (a failed import is bad input naming its file:line). */
async function fromModule(root: string, name: string, imported: Promise<unknown>): Promise<LoadedPlatform> {
  const source = `libs/platforms/${name}`;
  let mod: { platform?: PlatformSpec };
  try {
    mod = (await imported) as { platform?: PlatformSpec };
  } catch (err) {
    if (err instanceof SpecError) throw err;
    // Bad input the platform's code reported itself (releases.yaml): its message, paths repository-relative.
    if (err instanceof UserError) throw err.message.includes(`${root}${sep}`) ? new UserError(err.message.replaceAll(`${root}${sep}`, ''), err.exitCode) : err;
    // An exception in the platform's own code is bad input: name its file:line, not a stack.
    const at = platformFrame(err, root, source) ?? `${source}/src/index.ts`;
    const message = String((err as Error)?.message ?? err).replaceAll(`${root}${sep}`, '');
    throw new UserError(`${at}: ${message} (loading platform "${name}")`, 2);
  }
  if (!mod.platform) throw new UserError(`${source}/src/index.ts does not export \`platform\``, 2);
  const nameProblem = platformNameProblem(name);
  if (nameProblem) throw new UserError(`${source}: ${nameProblem}; rename the folder and platform.name`, 2);
  if (mod.platform.name !== name) throw new UserError(`${source}: platform.name is "${mod.platform.name}" but the folder is "${name}"`, 2);
  return { name, source, spec: mod.platform };
}

/** `libs/platforms/x/src/a.ts:12:5`: the innermost stack frame of `err` inside the platform's folder. */
export function platformFrame(err: unknown, root: string, source: string): string | undefined {
  const dir = join(root, source) + sep;
  // Frames of the compiled platform (the built CLI) are mapped to the platform's TypeScript here.
  const at = stackPositions(String((err as Error)?.stack ?? '')).find((p) => p.file.startsWith(dir));
  return at && `${relative(root, at.file)}:${at.line}:${at.column}`;
}

/** The named platforms (all when none are named), in that order; loaded together (one compile in the built CLI). */
export async function loadPlatforms(root: string, names?: string[]): Promise<LoadedPlatform[]> {
  const known = platformNames(root);
  const wanted = names?.length ? names : known;
  const unknown = wanted.find((n) => !known.includes(n));
  if (unknown) throw new UserError(`unknown platform "${unknown}" (known: ${known.join(', ') || 'none'})`, 2);
  const modules = await importPlatformModules(root, wanted.map((n) => `libs/platforms/${n}`));
  modules.forEach((m) => m.catch(() => {})); // each is awaited below; a second failure is not unhandled
  const loaded: LoadedPlatform[] = [];
  for (const [i, n] of wanted.entries()) loaded.push(await fromModule(root, n, modules[i]));
  return loaded;
}

/** Exit 2 naming the platform's apps when `app` is given and is not one of them. */
export function requirePlatformApp(p: LoadedPlatform, app: string | undefined): void {
  if (app && !p.spec.apps.some((a) => a.name === app)) {
    throw new UserError(`platform ${p.name} has no app "${app}" (apps: ${p.spec.apps.map((a) => a.name).join(', ')})`, 2);
  }
}
