/**
 * Output paths where mkdir answers ENOENT although the parent exists (/proc): Node's
 * `mkdirSync(dir, { recursive: true })` looped there forever at 100% CPU, so `report --out /proc/x`
 * and `secrets keygen -o /proc/x/keys.txt` hung. Real processes with a time limit: a hang fails the
 * test instead of blocking the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { bin, sampleRepo, type SampleRepo } from './sample-repo';

let s: SampleRepo;
beforeAll(async () => {
  s = sampleRepo('gitops-out-paths-');
  expect((await s.run('generate', 'sample')).exitCode).toBe(0);
});
afterAll(() => s.cleanup());

const gitops = (...args: string[]) => execa('node', [bin, ...args], { cwd: s.root, reject: false, env: { GITOPS_ROOT: s.root }, timeout: 60_000 });

describe.runIf(existsSync('/proc/self'))('output paths under /proc', () => {
  // The filesystem refusing a folder is a failure (exit 1) for both commands; a file in the way is exit 2 (secrets-write-failures, report tests).
  it('report --out /proc/x: exit 1 naming the path, no hang', async () => {
    const res = await gitops('report', '--out', '/proc/gitops-report-test');
    expect(res.timedOut).toBe(false);
    expect(res.exitCode).toBe(1);
    expect(res.stderr).toContain('error: --out /proc/gitops-report-test: cannot create a folder in /proc (ENOENT)');
  }, 90_000);

  it('secrets keygen -o /proc/x/keys.txt: exit 1 naming the folder, no hang', async () => {
    const res = await gitops('secrets', 'keygen', '-o', '/proc/gitops-keygen-test/keys.txt');
    expect(res.timedOut).toBe(false);
    expect(res.exitCode).toBe(1);
    expect(res.stderr).toContain('error: cannot write /proc/gitops-keygen-test/keys.txt: cannot create folder /proc/gitops-keygen-test: the file system refused it');
  }, 90_000);
});
