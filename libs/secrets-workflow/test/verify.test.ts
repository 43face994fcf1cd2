/**
 * Issue 19 item 7 and issue 13 item 5: a file no key can open does not pass silently.
 * Without a key, every age entry must be a well-formed age file for its recipient, and `check`
 * counts what it could not verify (MAC and values); with a key that should open a file, a file that
 * does not open is an error (check --values, render), never a redaction; a key that opens nothing
 * is summed up per environment (one line, not one per file). Runs in-process on a copy of the repository's secret files.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { armor } from 'age-encryption';
import { parseDocument } from 'yaml';
import { ageStanzaProblems, decryptFile, encryptDocument, generateAgeKey, K8S_SECRET_ENCRYPTED_REGEX, parseIdentities, readMetadata } from '@gitops/secrets';
import { EXAMPLE_RECIPIENTS } from '@gitops/environments';
import { checkSecrets, declaredSecretFiles, initSecrets, loadOverlaySecrets, redactionSummary, type SecretsPlatform } from '../src';
import { repoPlatforms } from './repo-platforms';

const repo = resolve(__dirname, '../../..');
const devIds = parseIdentities(readFileSync(join(repo, 'test-keys/example-dev.agekey'), 'utf8'), 'dev');
let root: string;
let platforms: SecretsPlatform[];
let file: string; // one dev secret file (repository-relative)

/** Rewrite the `enc` of the file's first age entry. */
function setEnc(abs: string, change: (enc: string) => string): void {
  const doc = parseDocument(readFileSync(abs, 'utf8'));
  const enc = doc.getIn(['sops', 'age', 0, 'enc']) as string;
  doc.setIn(['sops', 'age', 0, 'enc'], change(enc));
  writeFileSync(abs, doc.toString());
}
/** Change the binary age file inside the armor and re-armor it (so the armor itself stays valid). */
const rebinary = (change: (b: Buffer) => Buffer) => (enc: string) => armor.encode(change(Buffer.from(armor.decode(enc))));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gitops-verify-'));
  for (const p of ['environments', 'libs/environments/recipients.yaml', '.sops.yaml']) cpSync(join(repo, p), join(root, p), { recursive: true });
  platforms = await repoPlatforms(repo);
  file = declaredSecretFiles(platforms, 'dev')[0].file;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  cpSync(join(repo, file), join(root, file));
  vi.restoreAllMocks();
});

describe('age entries are checked without a key', () => {
  it('accepts every entry of the repository and of the real sops fixtures', async () => {
    const md = await readMetadata(join(root, file));
    expect(md.ageStanzaProblems).toEqual([]);
  });

  const damages: Array<[string, (enc: string) => string, RegExp]> = [
    ['armor character changed', (e) => e.replace(/\n[A-Za-z0-9+/]/, '\n#'), /armor is malformed \(invalid base64\)/],
    ['armor truncated', (e) => e.split('\n').slice(0, 3).join('\n') + '\n-----END AGE ENCRYPTED FILE-----\n', /age header|payload/],
    ['not an age file', rebinary(() => Buffer.from('hello world, not age at all\n')), /does not start with/],
    ['stanza type changed', rebinary((b) => Buffer.from(b.toString('latin1').replace('-> X25519 ', '-> X25518 '), 'latin1')), /expected one X25519 stanza/],
    ['share shortened', rebinary((b) => Buffer.from(b.toString('latin1').replace(/-> X25519 (\S{4})\S+/, '-> X25519 $1'), 'latin1')), /share is malformed/],
    ['payload cut', rebinary((b) => b.subarray(0, b.length - 5)), /payload is \d+ bytes/],
  ];
  it.each(damages)('%s: check reports the entry as an error (exit 1), no key needed', async (_name, damage, why) => {
    setEnc(join(root, file), damage);
    const res = await checkSecrets(root, platforms);
    const bad = res.problems.filter((p) => p.code === 'bad-age-stanza');
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ severity: 'error', file, env: 'dev' });
    expect(bad[0].message).toMatch(why);
    expect(bad[0].message).toContain(EXAMPLE_RECIPIENTS.dev);
    expect(res.ok).toBe(false);
  });

  it('sizes follow the recipient kind (hybrid post-quantum entries)', async () => {
    const { encryptDocument } = await import('@gitops/secrets');
    const pq = await generateAgeKey({ postQuantum: true });
    const text = await encryptDocument('a: b\n', { format: 'yaml', recipients: [pq.recipient] });
    const enc = parseDocument(text).getIn(['sops', 'age', 0, 'enc']) as string;
    expect(ageStanzaProblems(enc, pq.recipient)).toEqual([]);
    expect(ageStanzaProblems(enc, EXAMPLE_RECIPIENTS.dev)[0]).toMatch(/expected one X25519 stanza/);
  });
});

describe('what a check without a key did not verify is said plainly', () => {
  it('counts the files and values whose MAC and values were not verified', async () => {
    const res = await checkSecrets(root, platforms);
    expect(res.ok).toBe(true);
    expect(res.verified).toEqual({ files: 0, values: 0 });
    expect(res.unverified.files).toBe(res.files);
    expect(res.unverified.values).toBeGreaterThanOrEqual(res.files);
  });

  it('a damaged payload passes the structural check, and --values with the key makes it an error', async () => {
    // a flipped bit in the wrapped data key: well-formed, undetectable without the identity
    setEnc(join(root, file), rebinary((b) => Buffer.from(b.map((x, i) => (i === b.length - 1 ? x ^ 1 : x)))));
    const noKey = await checkSecrets(root, platforms);
    expect(noKey.ok).toBe(true);
    const withKey = await checkSecrets(root, platforms.filter((p) => file.includes(`/${p.name}/`)), { values: true, identities: devIds });
    const failed = withKey.problems.filter((p) => p.code === 'decrypt-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ severity: 'error', file });
    expect(failed[0].message).toContain(`the age entry for ${EXAMPLE_RECIPIENTS.dev} did not open with that recipient's identity`);
    expect(withKey.ok).toBe(false);
    expect(withKey.verified.files).toBeGreaterThan(0);
    // files of other environments: not openable with the dev key, a warning that says so
    expect(withKey.problems.some((p) => p.code === 'cannot-decrypt' && p.env !== 'dev' && /values and MAC not verified/.test(p.message))).toBe(true);
  });

  it('an altered value is an error with the key (MAC), and not counted as verified', async () => {
    const abs = join(root, file);
    const text = readFileSync(abs, 'utf8');
    writeFileSync(abs, text.replace(/(ENC\[AES256_GCM,data:)([A-Za-z0-9+/])/, (_m, a, c) => a + (c === 'A' ? 'B' : 'A')));
    const res = await checkSecrets(root, platforms.filter((p) => file.includes(`/${p.name}/`)), { values: true, identities: devIds });
    const failed = res.problems.filter((p) => p.code === 'decrypt-failed');
    expect(failed.map((p) => p.file)).toEqual([file]);
    expect(res.ok).toBe(false);
  });
});

describe('render with a key', () => {
  const overlay = () => join(root, dirname(dirname(file)));

  it('a file the key should open but does not is an error, not a redaction', async () => {
    setEnc(join(root, file), rebinary((b) => Buffer.from(b.map((x, i) => (i === b.length - 1 ? x ^ 1 : x)))));
    await expect(loadOverlaySecrets(overlay(), 'ns', { identities: devIds })).rejects.toThrow(/did not open with that recipient's identity/);
    await expect(decryptFile(join(root, file), { identities: devIds, config: false })).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
  });

  it('a key that opens no file: one summary line per environment says how many files, which recipients and which sources, none per file', async () => {
    const other = await generateAgeKey();
    const overlays = [...new Set(declaredSecretFiles(platforms, 'dev').map((f) => join(root, dirname(dirname(f.file)))))];
    redactionSummary(); // start from an empty record (earlier tests rendered with the dev key)
    let said = '';
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((said += String(chunk)), true));
    let summary: string[];
    try {
      for (const o of overlays) expect((await loadOverlaySecrets(o, 'ns', { identities: [other.identity] })).length).toBeGreaterThan(0);
      expect(said).toBe(''); // nothing per file while rendering
      summary = redactionSummary();
    } finally {
      err.mockRestore();
    }
    const files = new Set(declaredSecretFiles(platforms, 'dev').map((f) => f.file)).size;
    expect(files).toBeGreaterThan(1);
    expect(summary).toEqual([
      `note: the age key opens no SOPS file of dev (${files} files, encrypted to ${EXAMPLE_RECIPIENTS.dev}; key sources tried: explicit identities): their Secrets are checked by key names only`,
    ]);
    expect(redactionSummary()).toEqual([]); // reported once
  });

  it('a key that opens some files of an environment: the summary counts both and names the others', async () => {
    const [opens, ...others] = [...new Set(declaredSecretFiles(platforms, 'dev').map((f) => f.file))];
    // one file re-encrypted to a second recipient the test holds: the key opens that one only
    const other = await generateAgeKey();
    const text = await decryptFile(join(root, opens), { identities: devIds, config: false });
    writeFileSync(join(root, opens), await encryptDocument(text, { format: 'yaml', recipients: [other.recipient], encryptedRegex: K8S_SECRET_ENCRYPTED_REGEX }));
    redactionSummary();
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (const f of [opens, ...others]) await loadOverlaySecrets(join(root, dirname(dirname(f))), 'ns', { identities: [other.identity] });
    } finally {
      err.mockRestore();
    }
    const [line, ...rest] = redactionSummary();
    expect(rest).toEqual([]);
    expect(line).toMatch(new RegExp(`^note: the age key opens 1 of ${others.length + 1} SOPS files of dev; the other ${others.length} \\(encrypted to ${EXAMPLE_RECIPIENTS.dev}; key sources tried: explicit identities\\) are checked by key names only: `));
    cpSync(join(repo, opens), join(root, opens));
  });
});

describe('check messages quote no value from the file', () => {
  it('a changed metadata.name is named, its value is not', async () => {
    const abs = join(root, file);
    writeFileSync(abs, readFileSync(abs, 'utf8').replace(/^( {4}name: ).*$/m, '$1NEWVAL77'));
    const res = await checkSecrets(root, platforms);
    const wrong = res.problems.filter((p) => p.code === 'wrong-name');
    expect(wrong).toHaveLength(1);
    expect(wrong[0].message).toMatch(/^metadata\.name differs from the expected Secret name "[a-z0-9-]+"$/);
    expect(JSON.stringify(res.problems)).not.toContain('NEWVAL77');
  });
});

describe('data/stringData that is not a mapping', () => {
  it('a scalar stringData is a problem of its own (not-a-mapping), its content never quoted', async () => {
    const abs = join(root, file);
    writeFileSync(abs, readFileSync(abs, 'utf8').replace(/^stringData:\n(?: {4}.*\n)+/m, 'stringData: "SOME_KEY=fake-scalar-value"\n'));
    expect(readFileSync(abs, 'utf8')).toContain('fake-scalar-value');
    const res = await checkSecrets(root, platforms);
    const bad = res.problems.filter((p) => p.file === file && p.code === 'not-a-mapping');
    expect(bad).toEqual([expect.objectContaining({ severity: 'error', message: 'stringData is not a mapping of keys to encrypted values (ENC[...])' })]);
    expect(res.ok).toBe(false);
    expect(JSON.stringify(res.problems)).not.toContain('fake-scalar-value');
  });
});

describe('an explicit null value', () => {
  it('is no plaintext value (sops leaves null unencrypted, like an empty string)', async () => {
    const abs = join(root, file);
    writeFileSync(abs, readFileSync(abs, 'utf8').replace(/^( {4}[A-Za-z0-9_]+:) ENC\[.*$/m, '$1'));
    const res = await checkSecrets(root, platforms);
    expect(res.problems.filter((p) => p.file === file && p.code === 'plaintext-value')).toEqual([]);
  });
});

describe('every document of a SOPS file is checked', () => {
  it('a plaintext value in the second document is an error naming the document and key, never the value', async () => {
    const abs = join(root, file);
    const text = readFileSync(abs, 'utf8');
    const second = text.replace(/^( {4}[A-Za-z0-9_]+:) ENC\[.*$/m, '$1 fake-second-doc-value');
    writeFileSync(abs, `${text}---\n${second}`);
    const res = await checkSecrets(root, platforms);
    const bad = res.problems.filter((p) => p.file === file && p.code === 'plaintext-value');
    expect(bad).toHaveLength(1);
    expect(bad[0].message).toMatch(/^document 2: stringData\.[A-Za-z0-9_]+ is not encrypted \(ENC\[\.\.\.\]\)$/);
    expect(res.ok).toBe(false);
    expect(JSON.stringify(res.problems)).not.toContain('fake-second-doc-value');
  });
});

describe('init', () => {
  it('re-creates a 0-byte secret file (what an interrupted write of older versions left) and nothing else', async () => {
    const abs = join(root, file);
    writeFileSync(abs, '');
    const platform = platforms.filter((p) => file.includes(`/${p.name}/`));
    const before = await checkSecrets(root, platform);
    expect(before.problems.filter((p) => p.file === file).map((p) => p.code)).toContain('invalid-sops');
    const res = await initSecrets(root, platform, 'dev');
    const mine = res.files.find((f) => f.file === file)!;
    expect(mine).toMatchObject({ action: 'created', replacedEmpty: true });
    expect(res.files.filter((f) => f.action === 'created')).toHaveLength(1);
    expect((await checkSecrets(root, platform)).problems.filter((p) => p.file === file)).toEqual([]);
    expect(await decryptFile(abs, { identities: devIds, config: false })).toContain('kind: Secret');
  });
});
