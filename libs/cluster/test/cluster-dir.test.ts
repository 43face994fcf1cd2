/** `cluster up`/`down` delete only their own folder: a mistyped --dir never loses a user's files. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../../../apps/gitops/test/run-main';
import { clusterDown, clusterUp, ours } from '../src';
import { missingTools, ROOT } from './support';

const work = mkdtempSync(join(tmpdir(), 'gitops-cluster-dir-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('cluster folder ownership', () => {
  it('down refuses a non-empty folder that is not a cluster folder (exit 2) and deletes nothing', async () => {
    const dir = join(work, 'mine');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    await expect(clusterDown(dir)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/not a gitops cluster folder/) });
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('down removes a folder a dead cluster left (marked as ours) and an empty one', async () => {
    const dead = join(work, 'dead');
    mkdirSync(dead);
    writeFileSync(join(dead, '.gitops-cluster'), '');
    writeFileSync(join(dead, 'ca.crt'), 'x');
    await clusterDown(dead);
    expect(existsSync(dead)).toBe(false);
    const empty = join(work, 'empty');
    mkdirSync(empty);
    await clusterDown(empty);
    expect(existsSync(empty)).toBe(false);
  });
});

describe('a --dir that is not a folder', () => {
  const file = join(work, 'a-file');
  writeFileSync(file, 'not a folder');

  it.each([['up'], ['down']])('cluster %s --dir <file> exits 2 naming it, no source location, the file kept', async (cmd) => {
    const r = await runMain(['cluster', cmd, '--dir', file], { env: { GITOPS_QUIET: '1' } });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toBe(`error: cluster folder ${file}: a file is in the way, not a folder; choose another --dir`);
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
  });

  it('cluster up --dir under a file exits 2 naming the file in the way', async () => {
    await expect(clusterUp({ root: ROOT, dir: join(file, 'sub', 'cp') })).rejects.toMatchObject({
      exitCode: 2,
      message: `cluster folder ${join(file, 'sub', 'cp')}: cannot create folder ${file}: a file is in the way, not a folder (ENOTDIR)`,
    });
  });
});

const skip = missingTools(['etcd', 'kube-apiserver']);

describe.skipIf(!!skip)('a --dir whose parents are missing', () => {
  it('cluster up creates them (as report --out does), down removes the cluster folder', async () => {
    const dir = join(work, 'new', 'parents', 'cp');
    const state = await clusterUp({ root: ROOT, dir, controllerManager: false });
    try {
      expect(state.dir).toBe(dir);
      expect(existsSync(join(dir, 'kubeconfig'))).toBe(true);
    } finally {
      await clusterDown(dir);
    }
    for (const p of state.processes) expect(ours(p.pid, dir)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(join(work, 'new', 'parents'))).toBe(true);
  }, 240_000);
});
