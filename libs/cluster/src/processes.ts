/**
 * Long-running daemons (etcd, kube-apiserver, kube-controller-manager): started detached with their
 * output in a log file, so `gitops cluster up` can return while they run; stopped by pid only after
 * checking that the pid still belongs to this cluster (its command line names the cluster folder).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { processAlive } from '@gitops/core/process';

export interface DaemonProcess {
  name: string;
  pid: number;
  log: string;
}

/** Started with node:child_process rather than execa: execa keeps a promise and pipes open until exit. */
export function startDaemon(name: string, file: string, args: string[], log: string, env: NodeJS.ProcessEnv = process.env): DaemonProcess {
  const fd = openSync(log, 'a', 0o600);
  try {
    const child = spawn(file, args, { detached: true, stdio: ['ignore', fd, fd], env });
    if (child.pid === undefined) throw new Error(`${name}: could not start ${file}`);
    child.unref();
    return { name, pid: child.pid, log };
  } finally {
    closeSync(fd);
  }
}


/** True when the pid is alive and its command line mentions `marker` (the cluster folder). */
export function ours(pid: number, marker: string): boolean {
  if (!processAlive(pid)) return false;
  const f = `/proc/${pid}/cmdline`;
  if (!existsSync(f)) return true; // no procfs: trust the recorded pid
  return readFileSync(f, 'utf8').includes(marker);
}

/** Resolves when `done()` is true; rejects after `timeoutMs` with `what` in the message. */
export async function waitFor(what: string, done: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** SIGTERM, wait for the exit, SIGKILL if it does not go within `graceMs`. */
export async function stopDaemon(p: DaemonProcess, marker: string, graceMs = 15_000): Promise<boolean> {
  if (!ours(p.pid, marker)) return false;
  process.kill(p.pid, 'SIGTERM');
  try {
    await waitFor(`${p.name} (pid ${p.pid}) to exit`, () => !processAlive(p.pid), graceMs, 100);
  } catch {
    if (processAlive(p.pid)) process.kill(p.pid, 'SIGKILL');
    await waitFor(`${p.name} (pid ${p.pid}) to exit after SIGKILL`, () => !processAlive(p.pid), 5_000, 100);
  }
  return true;
}

/** The last lines of a log, for an error message. */
export function logTail(log: string, lines = 15): string {
  if (!existsSync(log)) return '';
  return readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
