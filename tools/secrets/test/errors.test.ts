/**
 * No plaintext value ever appears in a thrown error (message or stack), whatever
 * goes wrong: tampering, wrong keys, malformed input, plaintext where ciphertext
 * is expected, bad paths.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  decryptDocument, decryptFile, editFile, encryptDocument, encryptFile, getValue, rotate, setValue, SopsError, SOPS_ERROR_CLASSES, sopsExitCode, updateKeys, type Format, type SopsErrorCode,
} from '../src';
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
  it('a missing or non-SOPS file is bad input (2) and the file\'s fault; a tampered file a failure (1) and the file\'s fault; key, lock and filesystem are not the file\'s', () => {
    const cls = (code: SopsErrorCode) => {
      const e = new SopsError(code, 'x', 'f.enc.yaml');
      // The properties libraries read by name (without importing this package) agree with the table.
      expect({ exitCode: e.exitCode, fileAtFault: e.fileAtFault }).toEqual(SOPS_ERROR_CLASSES[code]);
      return `${e.exitCode}${e.fileAtFault ? ' file' : ''}`;
    };
    expect(['FILE_NOT_FOUND', 'INVALID_FORMAT', 'METADATA_NOT_FOUND', 'INVALID_METADATA'].map((c) => cls(c as SopsErrorCode))).toEqual(['2 file', '2 file', '2 file', '2 file']);
    expect(['MAC_MISMATCH', 'DECRYPT_FAILED'].map((c) => cls(c as SopsErrorCode))).toEqual(['1 file', '1 file']);
    expect(['NO_DECRYPTION_KEY', 'IDENTITY_SOURCE_FAILED', 'LOCKED', 'WRITE_FAILED', 'CONFIG'].map((c) => cls(c as SopsErrorCode))).toEqual(['1', '1', '1', '1', '2']);
    expect(sopsExitCode(Object.assign(new Error('EACCES'), { syscall: 'open', code: 'EACCES' }))).toBe(1);
    expect(sopsExitCode(new Error('a bug'))).toBeUndefined();
  });
});
