/**
 * No plaintext value ever appears in a thrown error (message or stack), whatever
 * goes wrong: tampering, wrong keys, malformed input, plaintext where ciphertext
 * is expected, bad paths.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decryptDocument, decryptFile, editFile, encryptDocument, encryptFile, fsErrorExitCode, getValue, rotate, setValue, SopsError, SOPS_ERROR_CLASSES, sopsExitCode, updateKeys, type Format, type SopsErrorCode,
} from '../src';
import { fsRefusalCode, withFile } from '../src/errors';
import { tempDir, testKey, writeFile } from './helpers';

const SECRET = 'S3CR3T-SENTINEL-7f2a9c';
const alice = testKey('alice');
const bob = testKey('bob');
const asAlice = { identities: [alice.identity], config: false as const };
const t = tempDir();
afterAll(() => t.cleanup());

async function failure(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

function expectClean(e: Error) {
  expect(e).toBeInstanceOf(Error);
  expect(e.message).not.toContain(SECRET);
  expect(String(e.stack)).not.toContain(SECRET);
  expect(JSON.stringify(e)).not.toContain(SECRET);
}

const cases: Array<[string, () => Promise<unknown>]> = [];
const add = (name: string, fn: () => Promise<unknown>) => cases.push([name, fn]);

async function encrypted(name: string, plain: string, format: Format = 'yaml') {
  return writeFile(t.dir, name, await encryptDocument(plain, { format, recipients: [alice.recipient] }));
}

add('renamed encrypted key', async () => {
  const f = await encrypted('mac.yaml', `password: ${SECRET}\nother: x\n`);
  writeFileSync(f, readFileSync(f, 'utf8').replace('other: ENC', 'zother: ENC'));
  await decryptFile(f, asAlice);
});
add('unencrypted value changed', async () => {
  const f = await encrypted('k8s.yaml', `kind: Secret\nmetadata:\n    name: x\nstringData:\n    p: ${SECRET}\n`);
  writeFileSync(f, readFileSync(f, 'utf8').replace('name: x', 'name: y'));
  await decryptFile(f, asAlice);
});
add('wrong key', async () => decryptFile(await encrypted('wrong.yaml', `p: ${SECRET}\n`), { identities: [bob.identity], config: false }));
add('plaintext where ciphertext is expected', async () => {
  const f = await encrypted('plain.yaml', 'p: x\n');
  writeFileSync(f, readFileSync(f, 'utf8').replace(/^p: .*$/m, `p: ${SECRET}`));
  await decryptFile(f, asAlice);
});
add('plaintext int where ciphertext is expected', async () => {
  const f = await encrypted('plainint.yaml', 'p: x\n');
  writeFileSync(f, readFileSync(f, 'utf8').replace(/^p: .*$/m, `p: 1234`));
  await decryptFile(f, asAlice);
});
add('ciphertext moved between keys', async () => {
  const f = await encrypted('moved.yaml', `a: ${SECRET}\nb: y\n`);
  const s = readFileSync(f, 'utf8');
  writeFileSync(f, s.replace(/^b: .*$/m, 'b: ' + /^a: (.*)$/m.exec(s)![1]));
  await decryptFile(f, asAlice);
});
add('unknown ENC type', async () => {
  const f = await encrypted('type.yaml', `a: ${SECRET}\n`);
  writeFileSync(f, readFileSync(f, 'utf8').replace(/type:str\]$/m, 'type:weird]'));
  await decryptFile(f, asAlice);
});
add('invalid YAML to encrypt', async () => encryptDocument(`a: ${SECRET}\n  b: [unclosed ${SECRET}\n`, { format: 'yaml', recipients: [alice.recipient] }));
add('duplicate YAML key', async () => encryptDocument(`a: ${SECRET}\na: ${SECRET}\n`, { format: 'yaml', recipients: [alice.recipient] }));
add('non-string YAML key', async () => encryptDocument(`1: ${SECRET}\n`, { format: 'yaml', recipients: [alice.recipient] }));
add('YAML document that is a list', async () => encryptDocument(`- ${SECRET}\n`, { format: 'yaml', recipients: [alice.recipient] }));
add('invalid JSON', async () => encryptDocument(`{"a": "${SECRET}", "b": ${SECRET}}`, { format: 'json', recipients: [alice.recipient] }));
add('JSON top-level string', async () => encryptDocument(`"${SECRET}"`, { format: 'json', recipients: [alice.recipient] }));
add('dotenv line without =', async () => encryptDocument(`A=1\n${SECRET}\n`, { format: 'dotenv', recipients: [alice.recipient] }));
add('dotenv nested value', async () => {
  const f = await encrypted('x.env', `A=${SECRET}\n`, 'dotenv');
  await setValue(f, ['A', 'nested'], SECRET, asAlice).then(() => decryptFile(f, asAlice));
});
add('invalid recipient', async () => encryptDocument(`a: ${SECRET}\n`, { format: 'yaml', recipients: ['age1invalid'] }));
add('already encrypted', async () => encryptDocument(await encryptDocument(`a: ${SECRET}\n`, { format: 'yaml', recipients: [alice.recipient] }), { format: 'yaml', recipients: [alice.recipient] }));
add('getValue bad path', async () => getValue(await encrypted('get.yaml', `a: ${SECRET}\n`), ['a', 'b'], asAlice));
add('getValue bad index', async () => getValue(await encrypted('idx.yaml', `a: [${SECRET}]\n`), ['a', 3], asAlice));
add('edit producing invalid YAML', async () => editFile(await encrypted('edit.yaml', `a: ${SECRET}\n`), (p) => p + `  : [${SECRET}`, asAlice));
add('edit adding sops key', async () => editFile(await encrypted('edit2.yaml', `a: ${SECRET}\n`), (p) => p + `sops: ${SECRET}\n`, asAlice));
add('rotate with wrong key', async () => rotate(await encrypted('rot.yaml', `a: ${SECRET}\n`), { identities: [bob.identity], config: false }));
add('updateKeys with wrong key', async () => updateKeys(await encrypted('upd.yaml', `a: ${SECRET}\n`), [bob.recipient], { identities: [bob.identity], config: false }));
add('encryptFile without recipients', async () => encryptFile(writeFile(t.dir, 'norec.yaml', `a: ${SECRET}\n`), { config: false }));
add('decrypting a plaintext file', async () => decryptFile(writeFile(t.dir, 'p.yaml', `a: ${SECRET}\n`), asAlice));
add('malformed keys in SOPS_AGE_KEY', async () => decryptDocument(await encryptDocument(`a: ${SECRET}\n`, { format: 'yaml', recipients: [alice.recipient] }), { format: 'yaml', env: { SOPS_AGE_KEY: `x-${SECRET}`, HOME: t.dir } }));

describe('errors never contain plaintext', () => {
  for (const [name, fn] of cases) {
    it(name, async () => {
      const e = await failure(fn);
      if (process.env.SHOW_ERRORS) console.log(`${name}: ${e.message}`);
      expectClean(e);
    });
  }
});

describe('SOPS_ERROR_CLASSES: the one classification every caller reads', () => {
  // Written out here, not read from the table: a changed class must change this list too.
  const expected: Record<SopsErrorCode, { exitCode: 1 | 2; fileAtFault: boolean }> = {
    FILE_NOT_FOUND: { exitCode: 2, fileAtFault: true },
    METADATA_NOT_FOUND: { exitCode: 2, fileAtFault: true },
    INVALID_METADATA: { exitCode: 2, fileAtFault: true },
    INVALID_FORMAT: { exitCode: 2, fileAtFault: true },
    ALREADY_ENCRYPTED: { exitCode: 2, fileAtFault: true },
    UNSUPPORTED: { exitCode: 2, fileAtFault: true },
    NOT_A_FOLDER: { exitCode: 2, fileAtFault: true },
    CONFIG: { exitCode: 2, fileAtFault: false },
    MAC_MISMATCH: { exitCode: 1, fileAtFault: true },
    DECRYPT_FAILED: { exitCode: 1, fileAtFault: true },
    NO_DECRYPTION_KEY: { exitCode: 1, fileAtFault: false },
    IDENTITY_SOURCE_FAILED: { exitCode: 1, fileAtFault: false },
    LOCKED: { exitCode: 1, fileAtFault: false },
    WRITE_FAILED: { exitCode: 1, fileAtFault: false },
    NOT_A_FILE: { exitCode: 1, fileAtFault: true },
    READ_FAILED: { exitCode: 1, fileAtFault: false },
  };

  it('every code has its class, carried by the error as exitCode and fileAtFault', () => {
    expect(Object.keys(SOPS_ERROR_CLASSES).sort()).toEqual(Object.keys(expected).sort());
    for (const [code, cls] of Object.entries(expected)) {
      const e = new SopsError(code as SopsErrorCode, 'x', 'f.enc.yaml');
      expect({ code, exitCode: e.exitCode, fileAtFault: e.fileAtFault }).toEqual({ code, ...cls });
      expect(sopsExitCode(e)).toBe(cls.exitCode);
    }
  });

  it('one filesystem rule: a file in the way (ENOTDIR) is 2, any other refusal 1, also for raw Node errors; a bug is not this package\'s to classify', () => {
    expect(fsErrorExitCode('ENOTDIR')).toBe(2);
    for (const errno of ['EACCES', 'EROFS', 'ENOSPC', 'ENAMETOOLONG', 'ENOENT', undefined]) expect(fsErrorExitCode(errno)).toBe(1);
    expect(sopsExitCode(Object.assign(new Error('EACCES'), { syscall: 'open', code: 'EACCES' }))).toBe(1);
    expect(sopsExitCode(Object.assign(new Error('ENOTDIR'), { syscall: 'open', code: 'ENOTDIR' }))).toBe(2);
    expect(sopsExitCode(new TypeError('a bug'))).toBeUndefined();
  });

  it('an errno becomes a code in one place, whose class exits as fsErrorExitCode says, reading and writing', () => {
    const codes: Record<string, [SopsErrorCode, SopsErrorCode]> = {
      ENOTDIR: ['NOT_A_FOLDER', 'NOT_A_FOLDER'],
      EISDIR: ['NOT_A_FILE', 'WRITE_FAILED'],
      EACCES: ['READ_FAILED', 'WRITE_FAILED'],
      EROFS: ['READ_FAILED', 'WRITE_FAILED'],
      EIO: ['READ_FAILED', 'WRITE_FAILED'],
    };
    for (const [errno, [read, write]] of Object.entries(codes)) {
      expect([errno, fsRefusalCode(errno, 'read'), fsRefusalCode(errno, 'write')]).toEqual([errno, read, write]);
      for (const code of [read, write]) expect([errno, code, SOPS_ERROR_CLASSES[code].exitCode]).toEqual([errno, code, fsErrorExitCode(errno)]);
    }
  });

  it('a write or read below a regular file is NOT_A_FOLDER (2); a folder that does not exist CONFIG (2); a folder given as the file NOT_A_FILE (1, at fault); /proc refusing a folder that exists WRITE_FAILED (1)', async () => {
    const file = writeFile(t.dir, 'in-the-way', 'x\n');
    const below = await failure(() => setValue(join(file, 'x.enc.yaml'), ['a'], 'v', asAlice));
    expect(below).toMatchObject({ code: 'NOT_A_FOLDER', exitCode: 2 });
    expect(below.message).toContain('ENOTDIR');
    const missing = await failure(() => setValue(join(t.dir, 'no-such-folder', 'x.enc.yaml'), ['a'], 'v', asAlice));
    expect(missing).toMatchObject({ code: 'CONFIG', exitCode: 2 });
    expect(missing.message).toContain('does not exist');
    const read = await failure(() => decryptFile(join(file, 'x.enc.yaml'), asAlice));
    expect(read).toMatchObject({ code: 'NOT_A_FOLDER', exitCode: 2 });
    // A folder given as the file (EISDIR) is a failure (1) by the filesystem rule, and the path's fault: a render reports it as that overlay's error.
    const folder = await failure(() => decryptFile(t.dir, asAlice));
    expect(folder).toMatchObject({ code: 'NOT_A_FILE', exitCode: 1, fileAtFault: true });
    expect(folder.message).toBe(`${t.dir}: cannot read file: it is a folder (EISDIR)`);
    if (existsSync('/proc/self')) {
      // /proc/self exists, but refuses new files with ENOENT: not "folder does not exist".
      const proc = await failure(() => setValue('/proc/self/x.enc.yaml', ['a'], 'v', asAlice));
      expect(proc).toMatchObject({ code: 'WRITE_FAILED', exitCode: 1 });
      expect(proc.message).toContain('ENOENT');
    }
  });
});

describe('SopsError.reason', () => {
  it('is the message without the file in front, also after withFile names the file', () => {
    const e = withFile(new SopsError('MAC_MISMATCH', 'MAC mismatch: the file was modified'), 'secrets/x.enc.yaml');
    expect(e.message).toBe('secrets/x.enc.yaml: MAC mismatch: the file was modified');
    expect(e.reason).toBe('MAC mismatch: the file was modified');
  });
});

