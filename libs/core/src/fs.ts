/**
 * Creating a folder and its missing parents without `mkdirSync(dir, { recursive: true })`: Node's
 * recursive mkdir loops forever at 100% CPU when mkdir(2) answers ENOENT although the parent exists
 * (/proc, some FUSE and network mounts), so `gitops report --out /proc/x` hung. Here each missing
 * folder is created on its own, top down, and the first refusal is thrown naming that folder.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The exit code of a folder that could not be created, by errno, for every command that creates
 * output folders (`report --out`, `secrets keygen -o`): the repository's one filesystem rule, the
 * same as `fsErrorExitCode` of the SOPS library: a file in the way (ENOTDIR) is bad input (2), any
 * other refusal (EACCES, EROFS, ENOSPC, /proc's ENOENT) a failure (1). Written twice on purpose:
 * the SOPS library must import nothing of the workspace, and core must not import the SOPS library
 * (an age-encryption update would mark every project; tools/nx-plugin/test/lockfile.test.ts).
 * apps/gitops/test/secrets-write-failures.test.ts checks that the two agree.
 */
export function folderErrorExitCode(code: string | undefined): 1 | 2 {
  return code === 'ENOTDIR' ? 2 : 1;
}

/** A folder that could not be created: `path` is the folder mkdir refused, `code` the errno name. */
export class MakeDirError extends Error {
  override name = 'MakeDirError';
  constructor(
    readonly path: string,
    readonly code: string,
    why: string,
  ) {
    super(`cannot create folder ${path}: ${why}`);
  }

  /** 2 when a file is in the way, else 1 (`folderErrorExitCode`). */
  get exitCode(): 1 | 2 {
    return folderErrorExitCode(this.code);
  }
}

const errno = (e: unknown): string => (e as NodeJS.ErrnoException)?.code ?? 'error';

/** Whether `path` is a folder; false when nothing is there; throws when something else is. */
function isFolder(path: string): boolean {
  try {
    if (statSync(path).isDirectory()) return true;
  } catch (e) {
    // ENOTDIR: a parent is a file; the walk up reaches it and says so.
    if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return false;
    throw new MakeDirError(path, errno(e), `cannot look at it (${errno(e)})`);
  }
  throw new MakeDirError(path, 'ENOTDIR', 'a file is in the way, not a folder (ENOTDIR)');
}

/** Create `dir` and any missing parent (each with `mode`); returns the folders created, outermost first. */
export function makeDirs(dir: string, opts: { mode?: number } = {}): string[] {
  const missing: string[] = [];
  for (let p = resolve(dir); !isFolder(p); p = dirname(p)) {
    missing.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing) {
    try {
      mkdirSync(p, { mode: opts.mode });
    } catch (e) {
      // EEXIST: created meanwhile (another process); fine if it is a folder.
      if (errno(e) === 'EEXIST' && isFolder(p)) continue;
      throw new MakeDirError(p, errno(e), errno(e) === 'ENOENT' ? 'the file system refused it (ENOENT although its parent exists, as in /proc)' : errno(e));
    }
  }
  return missing;
}
