/** Builds a throwaway git repository from this workspace so Nx can be run for real against it. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa, execaSync } from 'execa';

export const workspace = resolve(__dirname, '../../..');

/**
 * The workspace's pinned kustomize (.tools/bin, built by `node tools/toolchain/build.mjs` as CI does):
 * a copy has no .tools/ of its own, and its renders fell back to `kubectl kustomize`, twice the CPU.
 * Named by its path in this workspace, never by a link in the copy: a process keeps the first
 * kustomize it finds (libs/kustomize/src/binary.ts), and in-process runs would keep a path that
 * disappears with the copy.
 */
const PINNED_KUSTOMIZE = join(workspace, '.tools/bin/kustomize');

/** Environment of every run in a copy: Nx without daemon, cloud or TUI; the pinned kustomize when built. */
export const NX_ENV = {
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  NX_SKIP_NX_CACHE: 'false',
  CI: 'true',
  // Nx's cache and workspace data in the copy's own (git-ignored) .nx/, relative to the workspace
  // root Nx finds: by default Nx 23 keeps them in ~/.nx/<workspace id>/, a new folder per copy, never removed.
  NX_CACHE_DIRECTORY: '.nx/cache',
  NX_WORKSPACE_DATA_DIRECTORY: '.nx/workspace-data',
  ...(existsSync(PINNED_KUSTOMIZE) ? { KUSTOMIZE_BIN: PINNED_KUSTOMIZE } : {}),
};

export function tempWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-nx-'));
  const files = execaSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: workspace }).stdout.split('\n').filter(Boolean);
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    try {
      cpSync(join(workspace, f), join(dir, f));
    } catch {
      /* deleted in the work tree but still listed */
    }
  }
  borrowNodeModules(dir);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-qm', 'base');
  return dir;
}

/**
 * The workspace's packages, linked entry by entry into a node_modules folder of the copy's own: npm
 * writes its record of the tree (`node_modules/.package-lock.json`) there, so an `npm install` in the
 * copy never rewrites the workspace's. (Through one link to the whole folder it did, with the copy's
 * new platform in it: the workspace's prebuilt CLI, stamped with that file, then rebuilt on every
 * start until another copy's npm wrote it back.)
 */
function borrowNodeModules(dir: string): void {
  const own = join(dir, 'node_modules');
  mkdirSync(own);
  for (const name of readdirSync(join(workspace, 'node_modules'))) {
    // Nor tools' caches (a child vitest records its results in .vite): the copy's runs keep their own.
    if (name !== '.package-lock.json' && !name.startsWith('.vite') && name !== '.cache') symlinkSync(join(workspace, 'node_modules', name), join(own, name));
  }
}

/** The workspace's record of its installed tree (npm's hidden lockfile), to show that copies leave it alone. */
export const workspaceNpmRecord = (): string => readFileSync(join(workspace, 'node_modules/.package-lock.json'), 'utf8');

export function git(dir: string, ...args: string[]): string {
  return execaSync('git', args, { cwd: dir }).stdout;
}

export function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-qm', message);
}

export async function nx(dir: string, ...args: string[]) {
  return execa('node', [join(workspace, 'node_modules/nx/dist/bin/nx.js'), ...args], { cwd: dir, reject: false, env: NX_ENV, all: true });
}

/** Projects `nx affected` marks between HEAD~1 and HEAD. */
export async function affected(dir: string, target?: string): Promise<string[]> {
  const args = ['show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--json', ...(target ? ['-t', target] : [])];
  const res = await nx(dir, ...args);
  if (res.exitCode !== 0) throw new Error(`nx ${args.join(' ')} failed:\n${res.all}`);
  return (JSON.parse(res.stdout) as string[]).sort();
}
