/**
 * One rule for every secrets command (fsErrorExitCode in tools/secrets, also behind core's
 * makeDirs): a write the filesystem refuses is a failure (exit 1); bad input (a file where a folder
 * must be, an existing key) is exit 2. Real processes of the bin in a throwaway repository, with
 * failures that hold even for root (a path below a regular file, a lock file name over the file
 * system's limit). An error that is neither the SOPS library's nor the filesystem's is a bug and
 * reaches main.ts unchanged (commandError).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { UserError } from '@gitops/core';
import { folderErrorExitCode } from '@gitops/core/fs';
import { encryptDocument, formatKeysFile, fsErrorExitCode, generateAgeKey, K8S_SECRET_ENCRYPTED_REGEX, SopsError } from '@gitops/secrets';
import { commandError, initFailure } from '../src/commands/secrets/common';
import { bin, sampleRepo, type SampleRepo } from './sample-repo';

let s: SampleRepo;
beforeAll(() => {
  s = sampleRepo('gitops-secrets-write-');
});
afterAll(() => s.cleanup());

describe('secrets: write failures exit 1, bad input exits 2', () => {
  it('keygen -o below a regular file: exit 2 (a file in the way is bad input, as for report --out), nothing written; over an existing key: exit 2', async () => {
    s.writeFile('not-a-folder', 'x\n');
    const res = await s.gitops('secrets', 'keygen', '-o', join(s.root, 'not-a-folder', 'age', 'keys.txt'));
    expect(res.exitCode, String(res.stderr)).toBe(2);
    expect(res.stderr).toContain('cannot write');
    expect(res.stderr).toContain('ENOTDIR');
    expect(res.stdout).toBe('');
    const own = join(s.root, 'keys.txt');
    expect((await s.gitops('secrets', 'keygen', '-o', own)).exitCode).toBe(0);
    const again = await s.gitops('secrets', 'keygen', '-o', own);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('the file exists');
  });

  it('set whose lock file the filesystem refuses (name too long): exit 1, the file unchanged', async () => {
    const key = await generateAgeKey();
    const keys = join(s.root, 'test-key.txt');
    writeFileSync(keys, formatKeysFile(key, { comment: 'TEST KEY - generated for this test' }));
    // 245 characters: the file fits the 255-byte name limit, its lock file `.<name>.gitops-lock` does not.
    const file = join(s.root, `${'x'.repeat(236)}.enc.yaml`);
    const text = await encryptDocument('apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\nstringData:\n  k: "old"\n', { format: 'yaml', recipients: [key.recipient], encryptedRegex: K8S_SECRET_ENCRYPTED_REGEX });
    writeFileSync(file, text);
    const res = await execa('node', [bin, 'secrets', 'set', file, 'k', '-'], { cwd: s.root, reject: false, input: 'new', env: { GITOPS_ROOT: s.root, SOPS_AGE_KEY_FILE: keys } });
    expect(res.exitCode, res.stderr).toBe(1);
    expect(res.stderr).toContain('ENAMETOOLONG');
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('init whose secrets folder is blocked by a file (ENOTDIR): exit 2, as keygen -o; a --set that matches no declared key: exit 2, nothing written', async () => {
    const sopsConfig = existsSync(join(s.root, '.sops.yaml')) ? readFileSync(join(s.root, '.sops.yaml'), 'utf8') : undefined;
    const bad = await s.gitops('secrets', 'init', '--env', 'dev', '--set', 'no-such-secret.key=x');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('no declared secret key matches --set no-such-secret.key');
    expect(existsSync(join(s.root, 'environments/dev/sample/secrets'))).toBe(false);
    // Nothing means nothing: .sops.yaml is not written either.
    expect(existsSync(join(s.root, '.sops.yaml')) ? readFileSync(join(s.root, '.sops.yaml'), 'utf8') : undefined).toBe(sopsConfig);

    s.writeFile('environments/dev/sample', 'a file where the overlay folder belongs\n');
    const res = await s.gitops('secrets', 'init', '--env', 'dev');
    expect(res.exitCode, String(res.stderr)).toBe(2);
    expect(res.stderr).toContain('ENOTDIR');
    // Reported per file, relative to the repository, not as Node's raw error.
    expect(res.stderr).toMatch(/environments\/dev\/sample\/secrets\/[^ ]+: not written: ENOTDIR/);
    expect(readFileSync(join(s.root, 'environments/dev/sample'), 'utf8')).toBe('a file where the overlay folder belongs\n');

    // The file in the way is the secrets folder itself (mkdir answers EEXIST there, not ENOTDIR).
    rmSync(join(s.root, 'environments/dev/sample'));
    s.writeFile('environments/dev/sample/secrets', 'a file where the secrets folder belongs\n');
    const last = await s.gitops('secrets', 'init', '--env', 'dev');
    expect(last.exitCode, String(last.stderr)).toBe(2);
    expect(last.stderr).toMatch(/environments\/dev\/sample\/secrets\/[^ ]+: not written: ENOTDIR/);
  });

  it('init with a broken recipients.yaml is bad input naming the file (exit 2), not an internal error', async () => {
    s.writeFile('libs/environments/recipients.yaml', 'dev: []\n');
    try {
      const res = await s.gitops('secrets', 'init', '--env', 'dev');
      expect(res.exitCode, String(res.stderr)).toBe(2);
      expect(res.stderr).toMatch(/recipients\.yaml: dev must list at least one age recipient/);
      expect(res.stderr).not.toMatch(/\.ts:\d+:\d+/); // no source location of ours
    } finally {
      rmSync(join(s.root, 'libs/environments/recipients.yaml'));
    }
  });
});

describe('one filesystem rule, written in the two libraries that may not import each other', () => {
  it('core (makeDirs: report --out, keygen -o) and the SOPS library give the same exit code for each of a list of errnos', () => {
    const errnos = ['ENOTDIR', 'EACCES', 'EISDIR', 'EROFS', 'ENOSPC', 'ENAMETOOLONG', 'ENOENT', 'EIO', 'EEXIST', undefined];
    expect(errnos.map(folderErrorExitCode)).toEqual(errnos.map(fsErrorExitCode));
    expect(errnos.map(fsErrorExitCode)).toEqual([2, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });
});

describe('commandError: how init and take-ownership hand an error to main.ts', () => {
  it('a SopsError or a Node system error gets the exit code of the SOPS table and the filesystem rule', () => {
    const sops = commandError(new SopsError('LOCKED', 'is being changed by pid 1', 'a.enc.yaml'));
    expect(sops).toBeInstanceOf(UserError);
    expect(sops).toMatchObject({ message: 'a.enc.yaml: is being changed by pid 1', exitCode: 1 });
    expect(commandError(new SopsError('FILE_NOT_FOUND', 'the file does not exist', 'a.enc.yaml'))).toMatchObject({ exitCode: 2 });
    const sys = (code: string) => Object.assign(new Error(`${code}: refused`), { code, syscall: 'open' });
    expect(commandError(sys('ENOTDIR'))).toMatchObject({ exitCode: 2 });
    expect(commandError(sys('EACCES'))).toMatchObject({ exitCode: 1 });
    const user = new UserError('given', 2);
    expect(commandError(user)).toBe(user);
  });

  it('a programming error comes back unchanged (main.ts reports it with its source location), never as bad input', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'keys')");
    expect(commandError(bug)).toBe(bug);
    const plain = new Error('not a system error');
    expect(commandError(plain)).toBe(plain);
  });

  it('an init with failed files (secrets init and import compose alike): 2 only when every failure is bad input', () => {
    expect(initFailure('m', [{ exitCode: 2 }, { exitCode: 2 }])).toMatchObject({ message: 'm', exitCode: 2 });
    expect(initFailure('m', [{ exitCode: 2 }, { exitCode: 1 }])).toMatchObject({ exitCode: 1 });
    expect(initFailure('m', [{}])).toMatchObject({ exitCode: 1 });
  });
});
