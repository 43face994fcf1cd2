/**
 * Writes a generated tree into the repository as one transaction that either happens whole or not at
 * all: every file is first written to a staging folder beside the target, a journal is written, then
 * every changed file is renamed into place and every stale file moved aside (each replaced file goes
 * to the staging folder first), and only then is the staging folder dropped (the commit point is the
 * removal of the journal). A failure, SIGINT, SIGTERM or SIGHUP before the commit rolls everything
 * back; a staging folder left by a process that died harder (SIGKILL, power loss) is rolled back
 * and removed by the next write. `secrets/` folders are never read, written or deleted here: they
 * belong to the secrets tool.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, existsSync, rmdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, relative, sep } from 'node:path';
import { UserError } from '@gitops/core';
import { processAlive } from '@gitops/core/process';
import { isInSecretsDir } from '@gitops/environments/layout';
import type { FileTree } from './emit';

/** Staging folders live in the repository root (same file system, so renames are atomic); `.gitignore` lists the pattern. */
export const STAGING_PREFIX = '.gitops-staging-';
/** `.gitops-staging-<pid>-<random>`; the older `.gitops-staging-<random>` form (no pid) is always stale. */
const STAGING_NAME = /^\.gitops-staging-(?:(\d+)-)?[A-Za-z0-9]{6,}$/;
const JOURNAL = 'journal.json';
/** Test hook: `<step>:<signal>`, e.g. `swap:2:SIGTERM`; see `faultPoint`. */
export const FAULT_ENV = 'GITOPS_WRITE_FAULT';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const SIGNAL_NUMBER: Record<(typeof SIGNALS)[number], number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

export interface WriteResult {
  written: string[];
  unchanged: string[];
  removed: string[];
  /** Staging folders of interrupted writes that were rolled back and removed first. */
  recovered: string[];
}

/** One journal entry: a target path and whether a file stood there before the write. */
interface JournalEntry {
  rel: string;
  existed: boolean;
}


/** Files under `roots` (relative to repo) that generation owns, i.e. everything outside secrets/. */
export function listOwnedFiles(repo: string, roots: string[]): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    if (!existsSync(abs)) return;
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const p = join(abs, entry.name);
      const rel = relative(repo, p).split(sep).join('/');
      if (isInSecretsDir(rel)) continue;
      if (entry.isDirectory()) walk(p);
      else out.push(rel);
    }
  };
  roots.forEach((r) => walk(join(repo, r)));
  return out.sort();
}

/**
 * Replace the files under `roots` with `tree`. Files in `tree` must live under one of `roots`.
 * With `check`, nothing is written and the result says what would change (drift check).
 * A SIGINT/SIGTERM/SIGHUP during the write restores every file and rejects with a UserError whose
 * exit code is 128 + the signal number.
 */
export async function writeTree(repo: string, roots: string[], tree: FileTree, opts: { check?: boolean } = {}): Promise<WriteResult> {
  for (const rel of tree.keys()) {
    if (isInSecretsDir(rel)) throw new Error(`refusing to write ${rel}: secrets/ folders belong to the secrets tool`);
    if (!roots.some((r) => rel.startsWith(r + '/'))) throw new Error(`refusing to write ${rel}: outside ${roots.join(', ')}`);
  }
  const recovered = opts.check ? [] : recoverStaging(repo);
  const existing = listOwnedFiles(repo, roots);
  const result: WriteResult = { written: [], unchanged: [], removed: [], recovered };
  const changed: string[] = [];
  for (const [rel, content] of [...tree].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const abs = join(repo, rel);
    if (existsSync(abs) && readFileSync(abs, 'utf8') === content) result.unchanged.push(rel);
    else changed.push(rel);
  }
  result.written = changed;
  result.removed = existing.filter((rel) => !tree.has(rel));
  if (opts.check || (!changed.length && !result.removed.length)) return result;

  const signals = trapSignals();
  mkdirSync(repo, { recursive: true });
  const staging = join(repo, `${STAGING_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
  mkdirSync(staging);
  ownStaging.add(staging);
  let keep = false;
  try {
    for (const rel of changed) {
      const p = join(staging, 'new', rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, tree.get(rel)!);
    }
    faultPoint('staged');
    await signals.check();
    const journal: JournalEntry[] = [
      ...changed.map((rel) => ({ rel, existed: existsSync(join(repo, rel)) })),
      ...result.removed.map((rel) => ({ rel, existed: true })),
    ];
    writeFileSync(join(staging, `${JOURNAL}.tmp`), JSON.stringify({ pid: process.pid, entries: journal }));
    renameSync(join(staging, `${JOURNAL}.tmp`), join(staging, JOURNAL));
    try {
      await swapIn(repo, staging, journal, changed.length, signals);
    } catch (err) {
      try {
        rollBack(repo, staging);
      } catch (undo) {
        // The staging folder now holds the only copy of some old files: keep it for the next run.
        keep = true;
        throw new Error(`${(err as Error).message}; rolling back failed too (${(undo as Error).message}): the next \`gitops generate\` restores the files from ${relative(repo, staging)}`);
      }
      throw err;
    }
    // Commit point: without a journal the staging folder is only garbage.
    rmSync(join(staging, JOURNAL));
    faultPoint('committed');
  } finally {
    if (!keep) rmSync(staging, { recursive: true, force: true });
    ownStaging.delete(staging);
    await signals.release();
  }
  for (const rel of result.removed) pruneEmptyDirs(repo, dirname(join(repo, rel)), roots);
  return result;
}

/**
 * Moves every target aside into `old/` and (for the first `writes` entries) renames the staged file
 * into place. Between files it lets pending signal handlers run, so an interrupt stops the swap.
 */
async function swapIn(repo: string, staging: string, journal: JournalEntry[], writes: number, signals: Trap): Promise<void> {
  for (let i = 0; i < journal.length; i++) {
    await signals.check();
    const { rel, existed } = journal[i];
    const target = join(repo, rel);
    if (existed) {
      const backup = join(staging, 'old', rel);
      mkdirSync(dirname(backup), { recursive: true });
      renameSync(target, backup);
    }
    const step = i < writes ? `swap:${i + 1}` : `remove:${i - writes + 1}`;
    faultPoint(step);
    if (i < writes) {
      mkdirSync(dirname(target), { recursive: true });
      renameSync(join(staging, 'new', rel), target);
    }
  }
  await signals.check();
}

/**
 * Undo a swap described by the staging folder's journal: every file moved aside is put back, every
 * file that did not exist before is removed. Idempotent, so it also repairs a swap cut short by SIGKILL.
 */
function rollBack(repo: string, staging: string): void {
  const file = join(staging, JOURNAL);
  if (!existsSync(file)) return;
  const { entries } = JSON.parse(readFileSync(file, 'utf8')) as { entries: JournalEntry[] };
  for (const { rel, existed } of [...entries].reverse()) {
    const target = join(repo, rel);
    const backup = join(staging, 'old', rel);
    if (existsSync(backup)) {
      mkdirSync(dirname(target), { recursive: true });
      renameSync(backup, target);
    } else if (!existed && !existsSync(join(staging, 'new', rel))) {
      rmSync(target, { force: true });
    }
  }
  rmSync(file);
}

/**
 * Roll back and remove the staging folders in `repo` whose writer is gone (its pid is not alive, or
 * the folder predates pids in names). Folders of live processes are left alone. Returns what was removed.
 */
export function recoverStaging(repo: string): string[] {
  if (!existsSync(repo)) return [];
  const removed: string[] = [];
  for (const entry of readdirSync(repo, { withFileTypes: true })) {
    const m = STAGING_NAME.exec(entry.name);
    if (!m || !entry.isDirectory()) continue;
    const staging = join(repo, entry.name);
    if (m[1] !== undefined && writerAlive(Number(m[1]), staging)) continue;
    rollBack(repo, staging);
    rmSync(staging, { recursive: true, force: true });
    removed.push(entry.name);
  }
  return removed;
}

/** Staging folders this process is writing now. */
const ownStaging = new Set<string>();

/**
 * Whether the writer of a staging folder still runs. Our own pid counts only for a folder this
 * process made: in a container every run may be pid 1, so a folder left by a killed earlier run
 * carries the pid of whoever runs now.
 */
function writerAlive(pid: number, staging: string): boolean {
  return pid === process.pid ? ownStaging.has(staging) : processAlive(pid);
}

interface Trap {
  /** Yield to the event loop so pending signal handlers run; reject if one arrived. */
  check(): Promise<void>;
  /** Stop trapping; a signal that arrived after the last check (the write completed) is raised again. */
  release(): Promise<void>;
}

/** While a write runs, SIGINT/SIGTERM/SIGHUP only set a flag; the swap sees it and rolls back. */
function trapSignals(): Trap {
  let caught: (typeof SIGNALS)[number] | undefined;
  let reported = false;
  const handlers = SIGNALS.map((sig) => [sig, () => { caught ??= sig; }] as const);
  for (const [sig, h] of handlers) process.on(sig, h);
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    async check() {
      await tick();
      if (caught) {
        reported = true;
        throw new UserError(`interrupted by ${caught}: the write was rolled back, every generated file is as it was`, 128 + SIGNAL_NUMBER[caught]);
      }
    },
    async release() {
      await tick(); // a signal delivered during the last synchronous steps is dispatched now, not lost
      for (const [sig, h] of handlers) process.off(sig, h);
      if (caught && !reported) process.kill(process.pid, caught);
    },
  };
}

/** Test hook: with `GITOPS_WRITE_FAULT=<step>:<signal>` the writer sends itself the signal at that step. */
function faultPoint(step: string): void {
  const spec = process.env[FAULT_ENV];
  if (!spec) return;
  const at = spec.lastIndexOf(':');
  if (spec.slice(0, at) === step) process.kill(process.pid, spec.slice(at + 1) as NodeJS.Signals);
}

function pruneEmptyDirs(repo: string, dir: string, roots: string[]): void {
  const rootAbs = roots.map((r) => join(repo, r));
  let d = dir;
  while (!rootAbs.includes(d) && d.startsWith(repo) && existsSync(d) && statSync(d).isDirectory() && readdirSync(d).length === 0) {
    rmdirSync(d);
    d = dirname(d);
  }
}
