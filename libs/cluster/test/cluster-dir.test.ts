/** `cluster up`/`down` delete only their own folder: a mistyped --dir never loses a user's files. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterDown } from '../src';

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
