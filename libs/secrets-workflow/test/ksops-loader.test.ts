/**
 * The loader rendering is given (`renderOverlay(..., { secrets: loadOverlaySecrets })`): the files an
 * overlay's KSOPS generator lists, decrypted with a key, redacted without one, and an error (never a
 * redaction) for a key source that is configured but does not work. Decided by error code.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { KUSTOMIZATION_FILE, ksopsGenerator, SECRET_GENERATOR_FILE, secretFileName } from '@gitops/environments';
import { encryptDocument, formatKeysFile, generateAgeKey, K8S_SECRET_ENCRYPTED_REGEX } from '@gitops/secrets';
import { discoveredIdentities, ksopsFiles, loadOverlaySecrets, REDACTED_VALUE, secretManifestYaml } from '../src';

let dir: string;
let keyFile: string;
/** An environment with no identity source at all (no SOPS_AGE_* and an empty home). */
const noKeyEnv = () => ({ HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'home', '.config') });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gitops-ksops-loader-'));
  const key = await generateAgeKey();
  keyFile = join(dir, 'keys.txt');
  writeFileSync(keyFile, formatKeysFile(key, { comment: 'TEST KEY - generated for this test' }));
  const overlay = join(dir, 'overlay');
  mkdirSync(join(overlay, 'secrets'), { recursive: true });
  writeFileSync(join(overlay, KUSTOMIZATION_FILE), stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', namespace: 'shop', generators: [SECRET_GENERATOR_FILE] }));
  writeFileSync(join(overlay, SECRET_GENERATOR_FILE), stringify(ksopsGenerator([secretFileName('db'), secretFileName('not-yet')])));
  const plain = secretManifestYaml({ name: 'db' }, [['password', 'test-value-not-secret']]);
  writeFileSync(join(overlay, secretFileName('db')), await encryptDocument(plain, { format: 'yaml', recipients: [key.recipient], encryptedRegex: K8S_SECRET_ENCRYPTED_REGEX }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const overlay = () => join(dir, 'overlay');

describe('loadOverlaySecrets', () => {
  it('reads the files the KSOPS generator lists (the layout module writes and parses that format)', () => {
    expect(ksopsFiles(overlay())).toEqual([join(overlay(), 'secrets/db.enc.yaml'), join(overlay(), 'secrets/not-yet.enc.yaml')]);
  });

  it('decrypts with a key and applies the overlay namespace; a listed file that does not exist is reported, not fatal', async () => {
    const missing: string[] = [];
    const [s, ...rest] = (await loadOverlaySecrets(overlay(), undefined, { env: { ...noKeyEnv(), SOPS_AGE_KEY_FILE: keyFile }, onMissing: (f) => missing.push(f) })) as any[];
    expect(rest).toEqual([]);
    expect(s.metadata).toMatchObject({ name: 'db', namespace: 'shop' });
    expect(s.stringData).toEqual({ password: 'test-value-not-secret' });
    expect(missing).toEqual([join(overlay(), 'secrets/not-yet.enc.yaml')]);
  });

  it('without onMissing, a listed file that does not exist is FILE_NOT_FOUND naming it (KSOPS fails on it too)', async () => {
    await expect(loadOverlaySecrets(overlay(), undefined, { env: { ...noKeyEnv(), SOPS_AGE_KEY_FILE: keyFile } })).rejects.toMatchObject({
      name: 'SopsError',
      code: 'FILE_NOT_FOUND',
      file: join(overlay(), 'secrets/not-yet.enc.yaml'),
      message: expect.stringContaining('create it: gitops secrets init'),
    });
  });

  it('without any identity: the Secret with every value redacted (no key is "no key", NO_DECRYPTION_KEY)', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const [s] = (await loadOverlaySecrets(overlay(), undefined, { env: noKeyEnv(), onMissing: () => {} })) as any[];
      expect(s.stringData).toEqual({ password: REDACTED_VALUE });
      expect(discoveredIdentities(noKeyEnv())).toEqual([]);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('without any identity: a value that is not ENC[...] makes the file an error naming the key (INVALID_FORMAT), never a redaction or the value', async () => {
    const o = join(dir, 'plaintext-overlay');
    mkdirSync(join(o, 'secrets'), { recursive: true });
    writeFileSync(join(o, KUSTOMIZATION_FILE), stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', generators: [SECRET_GENERATOR_FILE] }));
    writeFileSync(join(o, SECRET_GENERATOR_FILE), stringify(ksopsGenerator([secretFileName('db')])));
    const encrypted = readFileSync(join(overlay(), secretFileName('db')), 'utf8');
    writeFileSync(join(o, secretFileName('db')), encrypted.replace(/^( +password:) ENC\[.*$/m, '$1 fake-PLAINTEXT-value'));
    const err = await loadOverlaySecrets(o, undefined, { env: noKeyEnv() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'SopsError', code: 'INVALID_FORMAT', fileAtFault: true, file: join(o, secretFileName('db')) });
    expect((err as Error).message).toMatch(/stringData\.password is not encrypted \(ENC\[\.\.\.\]\)/);
    expect((err as Error).message).not.toContain('fake-PLAINTEXT-value');
  });

  it('an explicit null value (sops leaves it unencrypted) is treated like an empty string: redacted without a key, no error', async () => {
    const o = join(dir, 'null-overlay');
    mkdirSync(join(o, 'secrets'), { recursive: true });
    writeFileSync(join(o, KUSTOMIZATION_FILE), stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', generators: [SECRET_GENERATOR_FILE] }));
    writeFileSync(join(o, SECRET_GENERATOR_FILE), stringify(ksopsGenerator([secretFileName('db')])));
    const plain = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: test-value-not-secret\n  empty:\n';
    const key = await generateAgeKey();
    writeFileSync(join(o, secretFileName('db')), await encryptDocument(plain, { format: 'yaml', recipients: [key.recipient], encryptedRegex: K8S_SECRET_ENCRYPTED_REGEX }));
    expect(readFileSync(join(o, secretFileName('db')), 'utf8')).toMatch(/^ {4}empty: *(null)?$/m);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const [s] = (await loadOverlaySecrets(o, undefined, { env: noKeyEnv() })) as any[];
      expect(s.stringData).toEqual({ password: REDACTED_VALUE, empty: REDACTED_VALUE });
    } finally {
      err.mockRestore();
    }
  });

  it('without any identity: a stringData that is a scalar, not a mapping, is an error (INVALID_FORMAT), never emitted or quoted', async () => {
    const o = join(dir, 'scalar-overlay');
    mkdirSync(join(o, 'secrets'), { recursive: true });
    writeFileSync(join(o, KUSTOMIZATION_FILE), stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', generators: [SECRET_GENERATOR_FILE] }));
    writeFileSync(join(o, SECRET_GENERATOR_FILE), stringify(ksopsGenerator([secretFileName('db')])));
    const encrypted = readFileSync(join(overlay(), secretFileName('db')), 'utf8');
    writeFileSync(join(o, secretFileName('db')), encrypted.replace(/^stringData:\n( +password:) ENC\[.*$/m, 'stringData: "password=fake-SCALAR-value"'));
    expect(readFileSync(join(o, secretFileName('db')), 'utf8')).toContain('stringData: "password=fake-SCALAR-value"');
    const err = await loadOverlaySecrets(o, undefined, { env: noKeyEnv() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'SopsError', code: 'INVALID_FORMAT', fileAtFault: true, file: join(o, secretFileName('db')) });
    expect((err as Error).message).toMatch(/stringData is not a mapping of keys to encrypted values \(ENC\[\.\.\.\]\)/);
    expect((err as Error).message).not.toContain('fake-SCALAR-value');
  });

  it.each([
    ['unencrypted_suffix "_unencrypted"', { unencryptedSuffix: '_unencrypted' }, 'LDAP_HOST_unencrypted'],
    ['unencrypted_regex "^LDAP_HOST$"', { unencryptedRegex: '^LDAP_HOST$' }, 'LDAP_HOST'],
  ])('a file encrypted with %s (a plaintext value under stringData) fails the same with and without a key', async (rule, ruleOpts, key) => {
    const key2 = await generateAgeKey();
    const kf = join(dir, `keys-${key}.txt`);
    writeFileSync(kf, formatKeysFile(key2, { comment: 'TEST KEY - generated for this test' }));
    const o = join(dir, `rule-overlay-${key}`);
    mkdirSync(join(o, 'secrets'), { recursive: true });
    writeFileSync(join(o, KUSTOMIZATION_FILE), stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', generators: [SECRET_GENERATOR_FILE] }));
    writeFileSync(join(o, SECRET_GENERATOR_FILE), stringify(ksopsGenerator([secretFileName('db')])));
    const plain = secretManifestYaml({ name: 'db' }, [[key, 'fake-host.example.test'], ['password', 'test-value-not-secret']]);
    writeFileSync(join(o, secretFileName('db')), await encryptDocument(plain, { format: 'yaml', recipients: [key2.recipient], ...ruleOpts }));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (const env of [noKeyEnv(), { ...noKeyEnv(), SOPS_AGE_KEY_FILE: kf }]) {
        const e = await loadOverlaySecrets(o, undefined, { env }).catch((x: unknown) => x);
        expect(e).toMatchObject({ name: 'SopsError', code: 'INVALID_FORMAT', fileAtFault: true, file: join(o, secretFileName('db')) });
        expect((e as Error).message).toBe(
          `${join(o, secretFileName('db'))}: stringData.${key} is not encrypted (ENC[...]): a plaintext value in a SOPS file (encrypted with ${rule} instead of encrypted_regex "${K8S_SECRET_ENCRYPTED_REGEX}")`,
        );
        expect((e as Error).message).not.toContain('fake-host');
      }
    } finally {
      err.mockRestore();
    }
  });

  it.each([
    ['SOPS_AGE_KEY_FILE that cannot be opened', { SOPS_AGE_KEY_FILE: '/does/not/exist' }],
    ['SOPS_AGE_KEY_CMD that fails', { SOPS_AGE_KEY_CMD: 'false' }],
  ])('%s: an error (IDENTITY_SOURCE_FAILED), never a redaction', async (_name, extra) => {
    const env = { ...noKeyEnv(), ...extra };
    await expect(loadOverlaySecrets(overlay(), undefined, { env, onMissing: () => {} })).rejects.toMatchObject({ code: 'IDENTITY_SOURCE_FAILED' });
    expect(() => discoveredIdentities(env)).toThrow(expect.objectContaining({ code: 'IDENTITY_SOURCE_FAILED' }));
  });
});
