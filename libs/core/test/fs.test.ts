/** makeDirs: missing parents one by one; a refusal (even /proc's ENOENT) is an error naming the folder, never a hang. */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderErrorExitCode, makeDirs, MakeDirError } from '../src/fs';

const dir = mkdtempSync(join(tmpdir(), 'core-fs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const thrown = (f: () => unknown): MakeDirError => {
  try {
    f();
  } catch (e) {
    return e as MakeDirError;
  }
  throw new Error('did not throw');
};

describe('folderErrorExitCode', () => {
  it('a file in the way (ENOTDIR) is 2, any other refusal 1 (the SOPS library agrees: apps/gitops/test/secrets-write-failures.test.ts)', () => {
    expect(['ENOTDIR', 'EACCES', 'EROFS', 'ENOSPC', 'ENOENT', undefined].map(folderErrorExitCode)).toEqual([2, 1, 1, 1, 1, 1]);
  });
});

describe('makeDirs', () => {
  it('creates the missing folders outermost first, with the mode, and nothing when all exist', () => {
    expect(makeDirs(join(dir, 'a/b/c'), { mode: 0o700 })).toEqual([join(dir, 'a'), join(dir, 'a/b'), join(dir, 'a/b/c')]);
    expect(statSync(join(dir, 'a/b/c')).mode & 0o777).toBe(0o700 & ~process.umask());
    expect(makeDirs(join(dir, 'a/b/c'))).toEqual([]);
  });

  it('a file in the way is named', () => {
    writeFileSync(join(dir, 'file'), 'x');
    const err = thrown(() => makeDirs(join(dir, 'file/sub/deeper')));
    expect(err).toBeInstanceOf(MakeDirError);
    expect(err.code).toBe('ENOTDIR');
    expect(err.exitCode).toBe(2); // bad input: the path given
    expect(err.message).toBe(`cannot create folder ${join(dir, 'file')}: a file is in the way, not a folder (ENOTDIR)`);
    expect(existsSync(join(dir, 'file/sub'))).toBe(false);
  });

  it.runIf(existsSync('/proc/self'))('/proc, where mkdir answers ENOENT although the parent exists, fails at once (recursive mkdirSync loops forever)', () => {
    const err = thrown(() => makeDirs('/proc/gitops-test/x'));
    expect(err).toBeInstanceOf(MakeDirError);
    expect(err.path).toBe('/proc/gitops-test');
    expect(err.code).toBe('ENOENT');
    expect(err.exitCode).toBe(1); // the filesystem refused it: a failure
    expect(err.message).toMatch(/^cannot create folder \/proc\/gitops-test: the file system refused it/);
  });
});
