/**
 * The git side of the loop: a bare repository on disk (the "remote" Argo CD pulls from, by a
 * file:// URL) and a working copy of this repository that is committed and pushed to it.
 *
 * The working copy is a snapshot of this checkout's files (tracked plus untracked-not-ignored, as
 * `git ls-files` lists them) so uncommitted work is tested too. `gitops generate` runs on it
 * (GITOPS_ROOT); its `node_modules` is a symlink to this checkout's (never committed: listed in
 * .git/info/exclude) so the platform sources it loads resolve their `@gitops/*` imports.
 */
import { appendFileSync, copyFileSync, existsSync, lstatSync, mkdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';

export interface GitRemote {
  /** The bare repository folder. */
  bare: string;
  /** The URL Argo CD uses (file:///…). */
  url: string;
  /** The working copy that commits and pushes. */
  work: string;
  branch: string;
}

const IDENTITY = ['-c', 'user.name=gitops e2e', '-c', 'user.email=e2e@gitops.invalid', '-c', 'commit.gpgsign=false'];

export async function git(cwd: string, args: string[]): Promise<string> {
  const r = await execa('git', [...IDENTITY, ...args], { cwd, reject: false });
  if (r.exitCode !== 0) throw new Error(`git ${args.join(' ')} (in ${cwd}) failed: ${String(r.stderr).trim()}`);
  return String(r.stdout).trim();
}

/** Files of the checkout as git sees them: tracked and untracked, minus ignored and deleted. */
export async function checkoutFiles(root: string): Promise<string[]> {
  const out = await execa('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root });
  return [...new Set(String(out.stdout).split('\0').filter(Boolean))].filter((f) => existsSync(join(root, f))).sort();
}

/** Creates `<base>/remote.git` (bare) and `<base>/work` (a working copy of `root`'s files, not yet committed). */
export async function createRemote(root: string, base: string, branch = 'main'): Promise<GitRemote> {
  const bare = join(base, 'remote.git');
  mkdirSync(base, { recursive: true });
  await git(base, ['init', '--quiet', '--bare', '--initial-branch', branch, bare]);
  const work = join(base, 'work');
  mkdirSync(work);
  for (const f of await checkoutFiles(root)) {
    const from = join(root, f);
    const to = join(work, f);
    mkdirSync(dirname(to), { recursive: true });
    if (lstatSync(from).isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else if (lstatSync(from).isFile()) copyFileSync(from, to);
  }
  await git(work, ['init', '--quiet', '--initial-branch', branch]);
  await git(work, ['remote', 'add', 'origin', bare]);
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
  appendFileSync(join(work, '.git', 'info', 'exclude'), '/node_modules\n');
  return { bare, url: pathToFileURL(bare).href, work, branch };
}

/** Commits everything in the working copy (if anything changed) and pushes; returns the pushed commit. */
export async function commitAndPush(remote: GitRemote, message: string): Promise<string> {
  await git(remote.work, ['add', '--all']);
  const status = await git(remote.work, ['status', '--porcelain']);
  if (status) await git(remote.work, ['commit', '--quiet', '-m', message]);
  await git(remote.work, ['push', '--quiet', 'origin', `HEAD:refs/heads/${remote.branch}`]);
  return git(remote.work, ['rev-parse', 'HEAD']);
}

/** Paths changed between two commits of the working copy. */
export async function changedFiles(remote: GitRemote, from: string, to: string): Promise<string[]> {
  return (await git(remote.work, ['diff', '--name-only', from, to])).split('\n').filter(Boolean);
}
