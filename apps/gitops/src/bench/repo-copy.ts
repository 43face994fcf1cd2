/**
 * A throwaway copy of this repository's working tree (tracked and new files, not ignored ones) for
 * runs that change it: the bench's 100-platform scale run, the build staleness test. node_modules and
 * the toolchain cache .tools are shared through links, except the workspace packages (@gitops/*), which point into the copy so the
 * copy's own sources are the ones that run. The copy is a git repository with one commit, so Nx's
 * affected logic has a base to compare against. Nx runs in it with `nxEnv`, which keeps its cache and
 * workspace data inside the copy: by default Nx 23 keeps them in ~/.nx/<workspace id>/, and each copy
 * (a new git repository) is a new id, so every copy left a folder there (346 of them, 509 MB).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { execaSync } from 'execa';

export interface RepoCopy {
  root: string;
  /** Commits everything in the copy (the base for `nx affected`). */
  commit: (message: string) => void;
  /** Environment for Nx runs in the copy: its cache and workspace data in the copy's .nx/ (removed by cleanup). */
  nxEnv: Record<string, string>;
  cleanup: () => void;
}

/** Nx's cache and workspace data (the names Nx 23 reads, nx/src/utils/cache-directory) in `root`'s git-ignored .nx/. */
const nxDataEnv = (root: string): Record<string, string> => ({
  NX_CACHE_DIRECTORY: join(root, '.nx/cache'),
  NX_WORKSPACE_DATA_DIRECTORY: join(root, '.nx/workspace-data'),
});

export function copyRepo(source: string, prefix = 'gitops-copy-'): RepoCopy {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const files = execaSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: source }).stdout.split('\0').filter(Boolean);
  for (const f of files) {
    try {
      mkdirSync(dirname(join(root, f)), { recursive: true });
      cpSync(join(source, f), join(root, f), { verbatimSymlinks: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // deleted in the working tree
    }
  }
  linkNodeModules(source, root);
  // The toolchain cache (git-ignored, pinned binaries such as kustomize): shared like node_modules.
  if (existsSync(join(source, '.tools')) && !existsSync(join(root, '.tools'))) symlinkSync(join(source, '.tools'), join(root, '.tools'));
  const git = (...args: string[]) => execaSync('git', args, { cwd: root, env: { GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.invalid', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.invalid' } });
  git('init', '-q', '-b', 'main');
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', message);
  };
  commit('copy');
  return { root, commit, nxEnv: nxDataEnv(root), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

function linkNodeModules(source: string, root: string): void {
  const from = join(source, 'node_modules');
  const to = join(root, 'node_modules');
  mkdirSync(to);
  for (const name of readdirSync(from)) {
    // npm's record of the installed tree stays the workspace's own: an npm run in the copy writes its own.
    if (name === '@gitops' || name.startsWith('.vite') || name === '.cache' || name === '.package-lock.json') continue;
    symlinkSync(join(from, name), join(to, name));
  }
  mkdirSync(join(to, '@gitops'));
  for (const name of readdirSync(join(from, '@gitops'))) {
    // npm links each workspace package: keep the link, relative to the copy.
    const target = resolve(join(from, '@gitops'), readlinkSync(join(from, '@gitops', name)));
    symlinkSync(relative(join(to, '@gitops'), join(root, relative(source, target))), join(to, '@gitops', name));
  }
}
