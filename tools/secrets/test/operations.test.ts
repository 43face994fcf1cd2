/** File operations: edit, set/get, rotate, updatekeys, metadata, encryptFile. */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decryptFile, editFile, encryptDocument, encryptFile, getValue, isEncryptedPath, K8S_SECRET_ENCRYPTED_REGEX, readMetadata, rotate, setValue, SopsFloat, updateKeys,
} from '../src';
import { unwrapDataKey } from '../src/age';
import { hasBinary, tempDir, testKey, writeFile } from './helpers';

const alice = testKey('alice');
const bob = testKey('bob');
const carol = testKey('carol');
const asAlice = { identities: [alice.identity], config: false as const };

const t = tempDir();
afterAll(() => t.cleanup());

const PLAIN = `apiVersion: v1
kind: Secret
metadata:
    name: app
stringData:
    user: admin
    password: hunter2
    token: abc123
`;

let file: string;
beforeEach(async () => {
  file = writeFile(t.dir, `secret-${Math.random().toString(36).slice(2)}.yaml`, await encryptDocument(PLAIN, { format: 'yaml', recipients: [alice.recipient], now: new Date('2025-01-01T00:00:00Z') }));
});

const line = (text: string, key: string) => new RegExp(`^ *${key}: .*$`, 'm').exec(text)![0];
const encOf = (text: string) => /enc: \|\n((?: {12}.*\n)+)/.exec(text)![1].replace(/^ {12}/gm, '');

describe('editFile', () => {
  it('re-encrypts only what changed: untouched values keep their exact ciphertext', async () => {
    const before = readFileSync(file, 'utf8');
    const r = await editFile(file, (p) => p.replace('password: hunter2', 'password: correct-horse'), asAlice);
    expect(r.changed).toBe(true);
    const after = readFileSync(file, 'utf8');
    for (const k of ['user', 'token', 'name', 'recipient']) expect(line(after, k)).toBe(line(before, k));
    expect(encOf(after)).toBe(encOf(before)); // same data key, same wrapping
    expect(line(after, 'password')).not.toBe(line(before, 'password'));
    expect(line(after, 'mac')).not.toBe(line(before, 'mac'));
    expect(line(after, 'lastmodified')).not.toBe(line(before, 'lastmodified'));
    expect(await decryptFile(file, asAlice)).toBe(PLAIN.replace('hunter2', 'correct-horse'));
    // the diff is exactly: password, lastmodified, mac
    const diff = after.split('\n').filter((l, i) => l !== before.split('\n')[i]);
    expect(diff).toHaveLength(3);
  });

  it('does not touch the file when nothing changed', async () => {
    const before = readFileSync(file, 'utf8');
    expect((await editFile(file, (p) => p, asAlice)).changed).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('accepts new keys and bumps version like sops edit', async () => {
    // `version` is not covered by the MAC, so an older-looking file still opens
    writeFileSync(file, readFileSync(file, 'utf8').replace('version: 3.13.2', 'version: 3.9.0'));
    await editFile(file, (p) => p + '    extra: new\n', asAlice);
    const after = readFileSync(file, 'utf8');
    expect(after).toContain('version: 3.13.2');
    expect(await getValue(file, ['stringData', 'extra'], asAlice)).toBe('new');
  });

  it('refuses an edit that adds a top-level sops key', async () => {
    await expect(editFile(file, (p) => p + 'sops: x\n', asAlice)).rejects.toMatchObject({ code: 'ALREADY_ENCRYPTED' });
  });

  it.each([
    ['nothing', ''],
    ['whitespace', '  \n\n'],
    ['only comments', '# emptied\n# by the editor\n'],
    ['an empty mapping', '{}\n'],
    ['an empty document marker', '---\n'],
  ])('refuses an empty result (%s) like sops, and leaves the file as it was', async (_name, text) => {
    const before = readFileSync(file, 'utf8');
    await expect(editFile(file, () => text, asAlice)).rejects.toMatchObject({ code: 'INVALID_FORMAT', message: `${file}: the edited document is empty; nothing changed (delete the file to remove it)` });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('refuses a result the format cannot hold, naming the parse error', async () => {
    const before = readFileSync(file, 'utf8');
    await expect(editFile(file, () => 'a scalar\n', asAlice)).rejects.toMatchObject({ code: 'INVALID_FORMAT', message: expect.stringMatching(/values are not supported\); nothing changed$/) });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it.each([
    ['a character outside the alphabet', 'not-base64'],
    ['missing padding', 'aGVsbG8'],
    // Go's decoder skips only '\r' and '\n'; YAML folding turns these line breaks into spaces.
    ['a space inside', 'aGVs bG8='],
    ['a folded block', '>\n      aGVs\n      bG8='],
    ['a plain scalar split across lines', 'aGVs\n      bG8='],
  ])('refuses !!binary that is not valid base64 (%s) as go-yaml (sops) does, instead of saving other bytes', async (_name, b64) => {
    const before = readFileSync(file, 'utf8');
    await expect(editFile(file, (p) => p + `    extra: !!binary ${b64}\n`, asAlice)).rejects.toMatchObject({
      code: 'INVALID_FORMAT',
      message: expect.stringMatching(/!!binary value contains invalid base64 data \(line \d+\)\); nothing changed$/),
    });
    expect(readFileSync(file, 'utf8')).toBe(before);
    await editFile(file, (p) => p + '    extra: !!binary aGVsbG8=\n', asAlice);
    expect(await getValue(file, ['stringData', 'extra'], asAlice)).toBe('hello');
  });

  it('accepts !!binary in a literal block across lines (its newlines are skipped, as the real sops does)', async () => {
    await editFile(file, (p) => p + '    lit: !!binary |\n      aGVs\n      bG8=\n', asAlice);
    expect(await getValue(file, ['stringData', 'lit'], asAlice)).toBe('hello');
  });

  it("passes the editor function's own error through unchanged (not wrapped, not renamed)", async () => {
    const mine = new Error('editor exited with 3');
    await expect(editFile(file, () => { throw mine; }, asAlice)).rejects.toBe(mine);
  });
});

describe('a file that does not exist', () => {
  it('is FILE_NOT_FOUND for every operation, named once', async () => {
    const missing = join(t.dir, 'missing.enc.yaml');
    const want = { code: 'FILE_NOT_FOUND', message: `${missing}: the file does not exist` };
    await expect(decryptFile(missing, asAlice)).rejects.toMatchObject(want);
    await expect(readMetadata(missing)).rejects.toMatchObject(want);
    await expect(getValue(missing, ['x'], asAlice)).rejects.toMatchObject(want);
    await expect(setValue(missing, ['x'], 'v', asAlice)).rejects.toMatchObject(want);
    await expect(editFile(missing, (p) => p, asAlice)).rejects.toMatchObject(want);
  });
});

describe('isEncryptedPath', () => {
  it('follows the rule by path; a comment rule cannot be judged by path and counts as not encrypted', () => {
    const regex = { kind: 'encrypted_regex' as const, value: K8S_SECRET_ENCRYPTED_REGEX };
    expect(isEncryptedPath(regex, ['stringData', 'TOKEN'])).toBe(true);
    expect(isEncryptedPath(regex, ['data', 'x'])).toBe(true);
    expect(isEncryptedPath(regex, ['metadata', 'name'])).toBe(false);
    expect(isEncryptedPath(regex, ['kind'])).toBe(false);
    expect(isEncryptedPath({ kind: 'unencrypted_suffix', value: '_unencrypted' }, ['a', 'b'])).toBe(true);
    expect(isEncryptedPath({ kind: 'unencrypted_suffix', value: '_unencrypted' }, ['a_unencrypted'])).toBe(false);
    expect(isEncryptedPath({ kind: 'encrypted_comment_regex', value: 'sops' }, ['stringData', 'x'])).toBe(false);
  });
});

describe('getValue / setValue', () => {
  it('reads values by path (array or sops --extract syntax)', async () => {
    expect(await getValue(file, ['stringData', 'password'], asAlice)).toBe('hunter2');
    expect(await getValue(file, '["stringData"]["user"]', asAlice)).toBe('admin');
    expect(await getValue(file, ['metadata'], asAlice)).toEqual({ name: 'app' });
    await expect(getValue(file, ['nope'], asAlice)).rejects.toThrow(/not found/);
  });

  it('re-encrypts only the value that was set', async () => {
    const before = readFileSync(file, 'utf8');
    expect((await setValue(file, ['stringData', 'token'], 'xyz789', asAlice)).changed).toBe(true);
    const after = readFileSync(file, 'utf8');
    expect(line(after, 'user')).toBe(line(before, 'user'));
    expect(line(after, 'password')).toBe(line(before, 'password'));
    expect(line(after, 'token')).not.toBe(line(before, 'token'));
    expect(after).toContain('version: 3.13.2');
    expect(await getValue(file, ['stringData', 'token'], asAlice)).toBe('xyz789');
  });

  it('adds new keys with typed values and reports no-op sets', async () => {
    await setValue(file, ['stringData', 'port'], 5432, asAlice);
    await setValue(file, ['stringData', 'ratio'], new SopsFloat(1), asAlice);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/port: ENC\[.*type:int\]/);
    expect(text).toMatch(/ratio: ENC\[.*type:float\]/);
    expect(await getValue(file, ['stringData', 'port'], asAlice)).toBe(5432);
    expect((await setValue(file, ['stringData', 'user'], 'admin', asAlice)).changed).toBe(false);
  });
});

describe('rotate', () => {
  it('generates a new data key and re-encrypts every value', async () => {
    const before = readFileSync(file, 'utf8');
    const oldKey = await unwrapDataKey(encOf(before), [alice.identity]);
    await rotate(file, asAlice);
    const after = readFileSync(file, 'utf8');
    const newKey = await unwrapDataKey(encOf(after), [alice.identity]);
    expect(oldKey).toHaveLength(32);
    expect(newKey).toHaveLength(32);
    expect(Buffer.compare(Buffer.from(oldKey!), Buffer.from(newKey!))).not.toBe(0);
    for (const k of ['user', 'password', 'token', 'mac']) expect(line(after, k)).not.toBe(line(before, k));
    // IVs are reused (stash), ciphertexts differ because the key changed
    const iv = (s: string) => /iv:([^,]+)/.exec(line(s, 'user'))![1];
    expect(iv(after)).toBe(iv(before));
    expect(await decryptFile(file, asAlice)).toBe(PLAIN);
  });

  it('can add and remove recipients', async () => {
    await rotate(file, { ...asAlice, addRecipients: [bob.recipient], removeRecipients: [alice.recipient] });
    expect((await readMetadata(file)).recipients).toEqual([bob.recipient]);
    expect(await decryptFile(file, { identities: [bob.identity], config: false })).toBe(PLAIN);
    await expect(decryptFile(file, asAlice)).rejects.toMatchObject({ code: 'NO_DECRYPTION_KEY' });
  });
});

describe('updateKeys', () => {
  it('dry run reports added/removed recipients and writes nothing', async () => {
    const before = readFileSync(file, 'utf8');
    const r = await updateKeys(file, [bob.recipient, carol.recipient], { ...asAlice, dryRun: true });
    expect(r).toEqual({ added: [bob.recipient, carol.recipient], removed: [alice.recipient], changed: true });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('re-wraps the same data key; values, MAC and lastmodified are unchanged', async () => {
    const before = readFileSync(file, 'utf8');
    const oldKey = await unwrapDataKey(encOf(before), [alice.identity]);
    const r = await updateKeys(file, [alice.recipient, bob.recipient], asAlice);
    expect(r).toEqual({ added: [bob.recipient], removed: [], changed: true });
    const after = readFileSync(file, 'utf8');
    for (const k of ['user', 'password', 'token', 'mac', 'lastmodified', 'version']) expect(line(after, k)).toBe(line(before, k));
    expect((await readMetadata(file)).recipients).toEqual([alice.recipient, bob.recipient]);
    expect(await decryptFile(file, { identities: [bob.identity], config: false })).toBe(PLAIN);
    const doc = /- enc: \|\n((?: {12}.*\n)+) {10}recipient: (\S+)\n {8}- enc: \|\n((?: {12}.*\n)+)/.exec(after)!;
    const bobKey = await unwrapDataKey(doc[3].replace(/^ {12}/gm, ''), [bob.identity]);
    expect(Buffer.compare(Buffer.from(bobKey!), Buffer.from(oldKey!))).toBe(0);

    // removing alice: she can no longer decrypt, bob still can
    expect(await updateKeys(file, [bob.recipient], { identities: [bob.identity], config: false })).toEqual({ added: [], removed: [alice.recipient], changed: true });
    await expect(decryptFile(file, asAlice)).rejects.toMatchObject({ code: 'NO_DECRYPTION_KEY' });
    expect(await decryptFile(file, { identities: [bob.identity], config: false })).toBe(PLAIN);
  });

  it('is a no-op when the recipients already match', async () => {
    expect(await updateKeys(file, [alice.recipient], asAlice)).toEqual({ added: [], removed: [], changed: false });
  });

  it('takes recipients from the .sops.yaml creation rule', async () => {
    const dir = tempDir();
    try {
      const cfg = writeFile(dir.dir, '.sops.yaml', `creation_rules:\n  - path_regex: secrets/.*\\.yaml$\n    age: >-\n      ${alice.recipient},\n      ${carol.recipient}\n`);
      const f = join(dir.dir, 'secrets-x.yaml');
      writeFileSync(f, readFileSync(file));
      await expect(updateKeys(f, undefined, { ...asAlice, config: cfg })).rejects.toThrow(/no matching creation rules/);
      mkdirSync(join(dir.dir, 'secrets'));
      const f3 = join(dir.dir, 'secrets', 'app.yaml');
      writeFileSync(f3, readFileSync(file));
      expect(await updateKeys(f3, undefined, { ...asAlice, config: cfg })).toEqual({ added: [carol.recipient], removed: [], changed: true });
      expect(await decryptFile(f3, { identities: [carol.identity], config: false })).toBe(PLAIN);
    } finally {
      dir.cleanup();
    }
  });
});

describe('readMetadata', () => {
  it('lists recipients, rule and key paths without any key', async () => {
    const md = await readMetadata(file);
    expect(md.recipients).toEqual([alice.recipient]);
    expect(md.rule).toEqual({ kind: 'encrypted_regex', value: '^(data|stringData)$' });
    expect(md.macPresent).toBe(true);
    expect(md.version).toBe('3.13.2');
    expect(md.lastModified).toBe('2025-01-01T00:00:00Z');
    expect(md.paths.map((p) => [p.path.join('.'), p.encrypted, p.type ?? null])).toEqual([
      ['apiVersion', false, null],
      ['kind', false, null],
      ['metadata.name', false, null],
      ['stringData.user', true, 'str'],
      ['stringData.password', true, 'str'],
      ['stringData.token', true, 'str'],
    ]);
  });
});

describe('encryptFile with .sops.yaml', () => {
  it('applies the first matching creation rule (path relative to the config, unanchored regex)', async () => {
    const dir = tempDir();
    try {
      const cfg = writeFile(
        dir.dir,
        '.sops.yaml',
        [
          'stores:',
          '  yaml:',
          '    indent: 2',
          'creation_rules:',
          '  - path_regex: \\.env$',
          `    age: ${bob.recipient}`,
          '  - path_regex: apps/.*\\.ya?ml$',
          '    encrypted_regex: ^(data|stringData|password)$',
          '    key_groups:',
          `      - age: ["${alice.recipient}", "${alice.recipient}"]`,
          '',
        ].join('\n'),
      );
      mkdirSync(join(dir.dir, 'apps'));
      const f = writeFile(join(dir.dir, 'apps'), 'db.yaml', 'host: db\npassword: pw\n');
      const out = await encryptFile(f, { config: cfg, inPlace: true });
      expect(out).toContain('host: db\n');
      expect(out).toMatch(/^password: ENC/m);
      expect(out).toContain('  encrypted_regex: ^(data|stringData|password)$\n');
      expect(out.match(/recipient: /g)).toHaveLength(1); // key_groups entries are de-duplicated
      expect(out).toMatch(/^ {2}age:\n {4}- enc: \|/m); // stores.yaml.indent: 2
      expect(await decryptFile(f, { identities: [alice.identity], config: cfg })).toBe('host: db\npassword: pw\n');

      const env = writeFile(dir.dir, 'x.env', 'A=1\n');
      const envOut = await encryptFile(env, { config: cfg });
      expect(envOut).toContain(`sops_age__list_0__map_recipient=${bob.recipient}`);

      const other = writeFile(dir.dir, 'other.json', '{}');
      await expect(encryptFile(other, { config: cfg })).rejects.toThrow(/no matching creation rules/);
      // explicit recipients replace the config's keys; the rule's encrypted_regex still applies
      const f2 = writeFile(join(dir.dir, 'apps'), 'db2.yaml', 'host: db\npassword: pw\n');
      const explicit = await encryptFile(f2, { config: cfg, recipients: [carol.recipient] });
      expect(explicit).toContain(`recipient: ${carol.recipient}`);
      expect(explicit).not.toContain(alice.recipient);
      expect(explicit).toContain('host: db\n');
      const missing = await encryptFile(join(dir.dir, 'apps', 'missing.yaml'), { config: cfg }).catch((e) => e);
      expect((missing as Error).message).toContain('missing.yaml');
    } finally {
      dir.cleanup();
    }
  });
});

describe.skipIf(!hasBinary('age') && !process.env.CI)('written files open with the keys file the CLI reads', () => {
  it('SOPS_AGE_KEY_FILE pointing at a TEST key file', async () => {
    const env = { PATH: process.env.PATH, HOME: t.dir, SOPS_AGE_KEY_FILE: alice.file };
    expect(await decryptFile(file, { env, config: false })).toBe(PLAIN);
  });
});
