/**
 * Crash-safe, serialised rewrites of one file (every command that rewrites a SOPS file or
 * `.sops.yaml` goes through here):
 *
 *  - `withFileLock(file, fn)`: an exclusive lock file beside the target (`.<name>.gitops-lock`,
 *    created with O_EXCL, holding pid/host/command). A second writer waits (a line on stderr says
 *    for whom) and fails with a clear error after the timeout; a lock left by a process that no
 *    longer runs on this host is taken over. `fn` re-reads the file under the lock, so no update
 *    is lost.
 *  - `writeFileAtomic(file, data)`: a temporary file in the same folder, fsync, rename over the
 *    target, fsync the folder. A kill at any point leaves the old file or the new one, never
 *    neither; a leftover temporary file (ciphertext only) is removed by the next writer.
 *  - `createFileExclusive(file, data)`: the same, but published with link(2), which fails when the
 *    target exists: atomic "create, never overwrite".
 *
 * Test hooks (crash and pause injection at named steps, for the crash-safety tests):
 * `GITOPS_TEST_CRASH_AT=<step>[#n]` SIGKILLs the process at the n-th (default first) time it
 * reaches `step`; `GITOPS_TEST_PAUSE_AT=<step>` prints `paused at <step>` on stderr and blocks
 * until a line arrives on stdin. Steps: locked, temp-written, synced, renamed, linked.
 */
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SopsError, writeRefused } from './errors';

export type WriteStep = 'locked' | 'temp-written' | 'synced' | 'renamed' | 'linked';

const reached = new Map<string, number>();

/** Crash/pause injection for tests (see the module comment); a no-op unless the variables are set. */
export function testPoint(step: WriteStep): void {
  const crash = process.env.GITOPS_TEST_CRASH_AT;
  if (crash) {
    const n = (reached.get(step) ?? 0) + 1;
    reached.set(step, n);
    for (const spec of crash.split(',')) {
      const [name, count] = spec.split('#');
      if (name === step && n === Number(count ?? 1)) process.kill(process.pid, 'SIGKILL');
    }
  }
  if (process.env.GITOPS_TEST_PAUSE_AT === step) {
    process.stderr.write(`paused at ${step}\n`);
    const buf = Buffer.alloc(1);
    for (;;) {
      let n = 0;
      try {
        n = readSync(0, buf, 0, 1, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        break;
      }
      if (n === 0 || buf[0] === 0x0a) break;
    }
  }
}

// ---- lock ----------------------------------------------------------------------------------------

export interface LockOptions {
  /** How long a second writer waits for the lock (default: GITOPS_LOCK_TIMEOUT seconds, else 60 s). */
  timeoutMs?: number;
  /** Called once when the lock is held by another process (default: a line on stderr). */
  onWait?: (file: string, holder: string) => void;
}

interface Holder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export const lockPathOf = (file: string) => join(dirname(file), `.${basename(file)}.gitops-lock`);

function describeHolder(h: Holder | undefined): string {
  return h ? `pid ${h.pid} on ${h.host} (${h.command}) since ${h.since}` : 'another process';
}

function readHolder(lock: string): Holder | undefined {
  try {
    const h = JSON.parse(readFileSync(lock, 'utf8')) as Holder;
    return typeof h.pid === 'number' ? h : undefined;
  } catch {
    return undefined;
  }
}

/** True while a process with this pid exists (EPERM: it exists but belongs to another user). This library depends on nothing, so the rest of the repository has its own copy, @gitops/core/process. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove a lock whose holder died on this host. The lock is first renamed to a name only this
 * process uses, then its content compared with what was judged stale: a lock another process
 * created meanwhile is put back (link(2) fails if a third one exists) instead of being deleted.
 */
function breakStaleLock(lock: string, stale: Holder): void {
  const aside = `${lock}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(lock, aside);
  } catch {
    return; // someone else broke or released it
  }
  const now = readHolder(aside);
  if (now && (now.pid !== stale.pid || now.since !== stale.since)) {
    try {
      linkSync(aside, lock);
    } catch {
      /* a newer lock exists; the one we moved belonged to a writer that has already finished with it */
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    /* already gone */
  }
}

function timeoutFromEnv(): number {
  const s = Number(process.env.GITOPS_LOCK_TIMEOUT);
  return Number.isFinite(s) && s >= 0 && process.env.GITOPS_LOCK_TIMEOUT !== '' ? s * 1000 : 60_000;
}

/** Remove temporary files of this target left by writers that no longer run. */
function removeStaleTemps(file: string): void {
  const dir = dirname(file);
  const prefix = `.${basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const m = n.startsWith(prefix) ? /\.(\d+)\.[0-9a-f]+\.gitops-tmp$/.exec(n) : null;
    // Under the lock, before writing: a temp with our own pid is an earlier run's (pid reuse), not ours.
    if (m && (Number(m[1]) === process.pid || !processAlive(Number(m[1])))) {
      try {
        unlinkSync(join(dir, n));
      } catch {
        /* raced with another cleaner */
      }
    }
  }
}

/** Run `fn` holding the lock of `file` (see the module comment). */
export async function withFileLock<T>(file: string, fn: () => Promise<T> | T, opts: LockOptions = {}): Promise<T> {
  const lock = lockPathOf(file);
  const timeout = opts.timeoutMs ?? timeoutFromEnv();
  const started = Date.now();
  let delay = 10;
  let announced = false;
  const me: Holder = { pid: process.pid, host: hostname(), command: process.argv.slice(1).map((a) => basename(a)).join(' ').slice(0, 200), since: new Date().toISOString() };
  for (;;) {
    let fd: number | undefined;
    try {
      fd = openSync(lock, 'wx', 0o600);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A folder of the path that does not exist is a mistyped path (2); ENOENT where it exists (/proc) is a refusal.
      if (code === 'ENOENT' && !existsSync(dirname(file))) throw new SopsError('CONFIG', `cannot lock: folder ${dirname(file)} does not exist`, file);
      // A file in the way (ENOTDIR) is bad input (2); the folder refusing the lock file (permissions, read-only, full) a failure (1).
      if (code !== 'EEXIST') throw writeRefused(code, `cannot create lock file ${lock}`, file);
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, JSON.stringify(me) + '\n');
      } finally {
        closeSync(fd);
      }
      heldLocks.add(lock);
      break;
    }
    const holder = readHolder(lock);
    if (holder && holder.host === me.host && !holderRuns(holder.pid, lock)) {
      breakStaleLock(lock, holder);
      continue;
    }
    if (Date.now() - started >= timeout) {
      throw new SopsError(
        'LOCKED',
        `is being changed by ${describeHolder(holder)}; gave up after ${Math.round(timeout / 1000)} s ` +
          `(GITOPS_LOCK_TIMEOUT). Nothing was written. If that process is gone, remove ${lock}`,
        file,
      );
    }
    if (!announced) {
      announced = true;
      (opts.onWait ?? ((f, h) => process.stderr.write(`waiting for ${f}: locked by ${h}\n`)))(file, describeHolder(holder));
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 200);
  }
  try {
    removeStaleTemps(file);
    testPoint('locked');
    return await fn();
  } finally {
    heldLocks.delete(lock);
    try {
      unlinkSync(lock);
    } catch {
      /* removed by hand */
    }
  }
}

/** Locks this process holds now. */
const heldLocks = new Set<string>();

/**
 * Whether a lock's holder still runs. Our own pid counts only for a lock this process holds: in a
 * container every run may be pid 1, so a lock left by a killed earlier run names whoever runs now.
 */
function holderRuns(pid: number, lock: string): boolean {
  return pid === process.pid ? heldLocks.has(lock) : processAlive(pid);
}

// ---- atomic write --------------------------------------------------------------------------------

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* not supported on this platform/file system: the rename is still atomic */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Write `data` to a fresh temporary file beside `file` and fsync it; returns its path. */
function writeTemp(file: string, data: Buffer | string, mode: number): string {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.gitops-tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    testPoint('temp-written');
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  testPoint('synced');
  return tmp;
}

/** Replace `file` with `data` atomically (see the module comment); keeps the file's mode. */
export function writeFileAtomic(file: string, data: Buffer | string, opts: { mode?: number } = {}): void {
  let mode = opts.mode ?? 0o644;
  try {
    mode = statSync(file).mode & 0o7777;
  } catch {
    /* new file */
  }
  let tmp: string;
  try {
    tmp = writeTemp(file, data, mode);
  } catch (e) {
    throw writeRefused((e as NodeJS.ErrnoException).code, 'cannot write the file', file);
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* gone */
    }
    throw writeRefused((e as NodeJS.ErrnoException).code, 'cannot replace the file', file);
  }
  testPoint('renamed');
  fsyncDir(dirname(file));
}

/**
 * Create `file` with `data`, failing with EEXIST (Node error, code kept) when it exists: the
 * complete content appears at once or not at all.
 */
export function createFileExclusive(file: string, data: Buffer | string, opts: { mode?: number } = {}): void {
  const tmp = writeTemp(file, data, opts.mode ?? 0o644);
  try {
    linkSync(tmp, file);
    testPoint('linked');
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* gone */
    }
  }
  fsyncDir(dirname(file));
}

/** Lock, re-read (inside `fn`), write atomically when `fn` returns data. */
export async function rewriteFile<T>(file: string, fn: () => Promise<{ data?: Buffer | string; result: T }>, opts: LockOptions = {}): Promise<T> {
  return withFileLock(
    file,
    async () => {
      const { data, result } = await fn();
      if (data !== undefined) writeFileAtomic(file, data);
      return result;
    },
    opts,
  );
}
