/**
 * Whether a process runs: a signal-0 probe (EPERM: it runs as another user) and, where /proc
 * exists, not a zombie (exited, not yet reaped by its parent, so it holds nothing and will do
 * nothing). The SOPS library (tools/secrets) keeps its own copy because it depends on nothing.
 */
import { readFileSync } from 'node:fs';

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
