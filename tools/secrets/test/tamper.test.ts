/** Tampered or foreign files are refused, with an error naming the file and no plaintext. */
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decryptFile, editFile, encryptDocument, SopsError } from '../src';
import { parseIdentities } from '../src/identities';
import { FIXTURES, tempDir, testKey, writeFile } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function fixtureCopy(dir: string, file: string): { path: string; identities: string[] } {
  const path = join(tmp.dir, `${dir}-${Math.random().toString(36).slice(2)}-${file}`);
  copyFileSync(join(FIXTURES, dir, file), path);
  return { path, identities: parseIdentities(readFileSync(join(FIXTURES, dir, 'keys.txt'), 'utf8'), 'keys') };
}

function rewrite(path: string, fn: (s: string) => string) {
  const before = readFileSync(path, 'utf8');
  const after = fn(before);
  expect(after).not.toBe(before); // the tamper really happened
  writeFileSync(path, after);
}

async function expectRefused(path: string, identities: string[], code: string, secrets: string[] = []) {
  const err = await decryptFile(path, { identities, config: false }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'decryption must fail').toBeInstanceOf(SopsError);
  const e = err as SopsError;
  expect(e.code).toBe(code);
  expect(e.message).toContain(path);
  for (const s of secrets) {
    expect(e.message).not.toContain(s);
    expect(String(e.stack)).not.toContain(s);
  }
}

describe('tampering is detected', () => {
  it('a changed unencrypted value (K8s metadata.name) breaks the MAC', async () => {
    const { path, identities } = fixtureCopy('flux-k8s-secret-age', 'secret.enc.yaml');
    rewrite(path, (s) => s.replace('name: age', 'name: tampered-value'));
    await expectRefused(path, identities, 'MAC_MISMATCH', ['value']);
  });

  it('a changed _unencrypted value breaks the MAC', async () => {
    const { path, identities } = fixtureCopy('p5-sops3.13.3-nonascii', 'secret.enc.yaml');
    rewrite(path, (s) => s.replace('notiz_unencrypted: öffentlich', 'notiz_unencrypted: tampered'));
    await expectRefused(path, identities, 'MAC_MISMATCH', ['hämlich', 'öffentlich']);
  });

  it('a ciphertext moved to another key fails authentication (path AAD)', async () => {
    const { path, identities } = fixtureCopy('sops-age-lib-yaml', 'secret.enc.yaml');
    const src = readFileSync(path, 'utf8');
    const secretEnc = /^secret: (ENC\[.*\])$/m.exec(src)![1];
    rewrite(path, (s) => s.replace(/^string: ENC\[.*\]$/m, `string: ${secretEnc}`));
    await expectRefused(path, identities, 'DECRYPT_FAILED', ['this is a secret']);
  });

  it('a removed key breaks the MAC (JSON)', async () => {
    const { path, identities } = fixtureCopy('sops-pr1031-json', 'example.enc.json');
    rewrite(path, (s) => s.replace(/^\t"firstName": .*\n/m, ''));
    await expectRefused(path, identities, 'MAC_MISMATCH', ['Smith', 'New York']);
  });

  it('reordered keys break the MAC', async () => {
    const { path, identities } = fixtureCopy('sops-age-lib-yaml', 'secret.enc.yaml');
    rewrite(path, (s) => {
      const lines = s.split('\n');
      [lines[0], lines[1]] = [lines[1], lines[0]]; // secret: <-> string:
      return lines.join('\n');
    });
    await expectRefused(path, identities, 'MAC_MISMATCH', ['this is a secret']);
  });

  it('swapped list items (same AAD) break the MAC', async () => {
    const { path, identities } = fixtureCopy('sops-pr1031-yaml', 'example.enc.yaml');
    rewrite(path, (s) => {
      const items = s.split('\n').map((l, i) => [l, i] as const).filter(([l]) => /^ {4}- ENC\[/.test(l));
      const lines = s.split('\n');
      const [a, b] = [items[0][1], items[1][1]];
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    });
    await expectRefused(path, identities, 'MAC_MISMATCH', ['secretuser1']);
  });

  it('an added key breaks the MAC (binary envelope)', async () => {
    const { path, identities } = fixtureCopy('flux-binary', 'file.enc.txt');
    rewrite(path, (s) => s.replace('{\n', '{\n\t"extra_unencrypted": "x",\n'));
    await expectRefused(path, identities, 'MAC_MISMATCH');
  });

  it('a changed lastmodified breaks the MAC (it is the MAC AAD)', async () => {
    const { path, identities } = fixtureCopy('flux-dotenv', 'envs.enc.env');
    rewrite(path, (s) => s.replace('sops_lastmodified=2024-11-12T13:33:42Z', 'sops_lastmodified=2024-11-12T13:33:43Z'));
    await expectRefused(path, identities, 'MAC_MISMATCH');
  });

  it("a MAC swapped in from an older version of the same file is refused", async () => {
    const alice = testKey('alice');
    const path = writeFile(tmp.dir, 'swap.yaml', await encryptDocument('user: admin\npassword: hunter2\n', { format: 'yaml', recipients: [alice.recipient], now: new Date('2025-01-01T00:00:00Z') }));
    const v1 = readFileSync(path, 'utf8');
    await editFile(path, (t) => t.replace('hunter2', 'correct-horse'), { identities: [alice.identity], config: false, now: new Date('2025-02-01T00:00:00Z') });
    const field = (s: string, k: string) => new RegExp(`^    ${k}: .*$`, 'm').exec(s)![0];
    rewrite(path, (s) => s.replace(field(s, 'mac'), field(v1, 'mac')).replace(field(s, 'lastmodified'), field(v1, 'lastmodified')));
    await expectRefused(path, [alice.identity], 'MAC_MISMATCH', ['hunter2', 'correct-horse']);
  });

  it('a MAC swapped in from another file is refused', async () => {
    const alice = testKey('alice');
    const a = await encryptDocument('k: one\n', { format: 'yaml', recipients: [alice.recipient] });
    const b = await encryptDocument('k: two\n', { format: 'yaml', recipients: [alice.recipient] });
    const mac = (s: string) => /^ {4}mac: .*$/m.exec(s)![0];
    const path = writeFile(tmp.dir, 'other-mac.yaml', a.replace(mac(a), mac(b)));
    await expectRefused(path, [alice.identity], 'MAC_MISMATCH', ['one', 'two'].map((x) => `k: ${x}`));
  });

  it('a wrong key cannot open the file', async () => {
    const { path } = fixtureCopy('flux-k8s-secret-age', 'secret.enc.yaml');
    await expectRefused(path, [testKey('bob').identity], 'NO_DECRYPTION_KEY', ['value']);
  });
});
