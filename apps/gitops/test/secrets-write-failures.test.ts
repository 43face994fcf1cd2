/**
 * A write the filesystem refuses is a failure (exit 1), not a usage error (exit 2); bad input stays
 * exit 2. Real processes of the bin in a throwaway repository (root-proof failures: a folder where a
 * file should be, a path below a regular file).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleRepo, type SampleRepo } from './sample-repo';

let s: SampleRepo;
beforeAll(() => {
  s = sampleRepo('gitops-secrets-write-');
});
afterAll(() => s.cleanup());

describe('secrets: write failures exit 1, bad input exits 2', () => {
  it('keygen -o below a regular file: exit 1, nothing written; over an existing key: exit 2', async () => {
    s.writeFile('not-a-folder', 'x\n');
    const res = await s.gitops('secrets', 'keygen', '-o', join(s.root, 'not-a-folder', 'age', 'keys.txt'));
    expect(res.exitCode, String(res.stderr)).toBe(1);
    expect(res.stderr).toContain('cannot write');
    expect(res.stderr).toContain('ENOTDIR');
    expect(res.stdout).toBe('');
    const own = join(s.root, 'keys.txt');
    expect((await s.gitops('secrets', 'keygen', '-o', own)).exitCode).toBe(0);
    const again = await s.gitops('secrets', 'keygen', '-o', own);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('the file exists');
  });

  it('init whose secrets folder cannot be created: exit 1; a --set that matches no declared key: exit 2, nothing written', async () => {
    const bad = await s.gitops('secrets', 'init', '--env', 'dev', '--set', 'no-such-secret.key=x');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('no declared secret key matches --set no-such-secret.key');
    expect(existsSync(join(s.root, 'environments/dev/sample/secrets'))).toBe(false);

    s.writeFile('environments/dev/sample', 'a file where the overlay folder belongs\n');
    const res = await s.gitops('secrets', 'init', '--env', 'dev');
    expect(res.exitCode, String(res.stderr)).toBe(1);
    expect(res.stderr).toContain('ENOTDIR');
    expect(readFileSync(join(s.root, 'environments/dev/sample'), 'utf8')).toBe('a file where the overlay folder belongs\n');
  });
});
