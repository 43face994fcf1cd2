/**
 * The import as two steps: `planImport` does everything in memory (parse, validate, map, check the
 * spec compiles in every environment, emit the files) and throws before anything is written;
 * `writeImport` then creates the library through the platform generator, writes the files over
 * the scaffold and the secret values as SOPS files (never overwriting an existing one).
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { compileApp, SpecError, UserError, validatePlatform } from '@gitops/core';
import { platformNameProblem } from '@gitops/core/platform-name';
import { environments, envNames } from '@gitops/environments';
import { loadPlatform } from '@gitops/pipeline';
import { initSecrets, type InitFileResult } from '@gitops/secrets-workflow';
import { loadCompose, type LoadOptions } from './load';
import { checkDependencies } from './graph';
import { mapCompose } from './map';
import { emitLibrary, type FileMap } from './emit';
import { toPlatformSpec } from './spec';
import { refusePlaintextSecrets } from './plaintext-guard';
import type { ImportPlan } from './plan';

export interface ImportOptions extends LoadOptions {
  platform: string;
  /** service -> image reference (for `build:` services and unpinned images). */
  images?: Record<string, string>;
  devNodePorts?: boolean;
}

export interface PlannedImport {
  plan: ImportPlan;
  /** Library files, relative to libs/platforms/<platform>/. */
  files: FileMap;
}

export function libraryDir(platform: string): string {
  return `libs/platforms/${platform}`;
}

export function planImport(opts: ImportOptions): PlannedImport {
  const nameProblem = platformNameProblem(opts.platform);
  if (nameProblem) throw new UserError(`--platform: ${nameProblem}`, 2);
  const compose = loadCompose(opts);
  checkDependencies(compose);
  const plan = mapCompose(compose, { platform: opts.platform, images: opts.images, devNodePorts: opts.devNodePorts, shellEnv: opts.shellEnv ?? process.env });
  const spec = toPlatformSpec(plan);
  try {
    validatePlatform(spec, envNames, environments);
    for (const app of spec.apps) for (const env of envNames) compileApp(spec, app, environments[env]);
  } catch (e) {
    if (e instanceof SpecError) throw new UserError(`the imported platform would not compile (a bug of the importer or an unusual compose file):\n${e.message}`, 2);
    throw e;
  }
  const files = emitLibrary(plan);
  refusePlaintextSecrets(plan, files);
  return { plan, files };
}

/** Refuse an existing platform unless forced; true when the library exists (and will be replaced). */
export function checkTarget(root: string, platform: string, force = false): boolean {
  const lib = libraryDir(platform);
  if (!existsSync(join(root, lib))) return false;
  if (!force) throw new UserError(`platform "${platform}" already exists (${lib}); choose another --platform or pass --force to replace its library (existing secrets are kept)`, 2);
  return true;
}

export interface WriteResult {
  library: string;
  written: string[];
  secrets: InitFileResult[];
}

/** Write the planned library and its encrypted secrets under `root`. */
export async function writeImport(root: string, planned: PlannedImport, opts: { force?: boolean; progress?: (m: string) => void } = {}): Promise<WriteResult> {
  const { plan, files } = planned;
  const lib = libraryDir(plan.platform);
  const abs = join(root, lib);
  const say = opts.progress ?? (() => {});
  // --force: the old library is moved aside (into git-ignored tmp/, outside Nx's project scan) and
  // put back if anything below fails, so a failed replace never loses it.
  let aside: string | undefined;
  if (checkTarget(root, plan.platform, opts.force)) {
    say(`replacing ${lib} (--force; secrets under environments/ are kept)`);
    aside = join(root, 'tmp', `.import-replaced-${plan.platform}-${process.pid}`);
    mkdirSync(dirname(aside), { recursive: true });
    rmSync(aside, { recursive: true, force: true });
    renameSync(abs, aside);
  }
  say(`scaffolding ${lib} with nx g @gitops/nx-plugin:platform ${plan.platform}`);
  const written: string[] = [];
  const secrets: InitFileResult[] = [];
  try {
    runGenerator(root, plan.platform);
    for (const [rel, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
      const target = join(abs, rel);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
      written.push(`${lib}/${rel}`);
    }
    if (plan.secrets.length) {
      const platform = await loadPlatform(root, plan.platform);
      const sets: string[] = [];
      for (const [secret, values] of plan.secretValues) for (const [key, value] of values) sets.push(`${secret}.${key}=${value}`);
      for (const env of envNames) {
        const r = await initSecrets(root, [platform], env, { sets });
        secrets.push(...r.files);
        say(`secrets ${env}: ${r.files.filter((f) => f.action === 'created').length} created, ${r.files.filter((f) => f.action === 'unchanged').length} kept`);
      }
    }
  } catch (e) {
    // No half-written import: remove the library and the secret files this run created (never older ones).
    rmSync(abs, { recursive: true, force: true });
    for (const f of secrets) if (f.action === 'created') rmSync(join(root, f.file), { force: true });
    if (aside) renameSync(aside, abs);
    throw e;
  }
  if (aside) rmSync(aside, { recursive: true, force: true });
  return { library: lib, written, secrets };
}

/** The repository's own platform generator, run by Nx exactly as a person would. */
function runGenerator(root: string, name: string): void {
  const nx = join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
  try {
    execFileSync(process.execPath, [nx, 'g', '@gitops/nx-plugin:platform', name, '--no-interactive'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    });
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer };
    throw new UserError(`nx g @gitops/nx-plugin:platform ${name} failed:\n${err.stdout?.toString() ?? ''}${err.stderr?.toString() ?? ''}`, 1);
  }
}
