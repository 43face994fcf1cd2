/** Builds a throwaway git repository from this workspace so Nx can be run for real against it. */
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa, execaSync } from 'execa';

export const workspace = resolve(__dirname, '../../..');

export const NX_ENV = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CACHE: 'false', CI: 'true' };

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
  symlinkSync(join(workspace, 'node_modules'), join(dir, 'node_modules'));
  git(dir, 'init', '-q', '-b', 'main');
  // The toolchain (.tools/bin: the pinned kustomize, sops) is the workspace's too, as in a checkout
  // where `node tools/toolchain/build.mjs` ran (CI): without it every render in the copy fell back to
  // `kubectl kustomize`, twice the CPU (libs/kustomize/src/binary.ts). Kept out of the copy's commits.
  if (existsSync(join(workspace, '.tools'))) {
    symlinkSync(join(workspace, '.tools'), join(dir, '.tools'));
    appendFileSync(join(dir, '.git/info/exclude'), '/.tools\n');
  }
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-qm', 'base');
  return dir;
}

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
