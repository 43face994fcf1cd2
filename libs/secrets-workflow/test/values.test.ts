/** Generated values and the plaintext of a secret file. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { decryptDocument, encryptDocument, generateAgeKey } from '@gitops/secrets';
import { generateSecretValue, secretManifestYaml } from '../src';

describe('generated values', () => {
  it('password, hex, base64 and fixed have the documented shape and are random', () => {
    expect(generateSecretValue({ kind: 'password' })).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(generateSecretValue({ kind: 'password', length: 40 })).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(generateSecretValue({ kind: 'hex', length: 20 })).toMatch(/^[0-9a-f]{20}$/);
    expect(generateSecretValue({ kind: 'hex', length: 7 })).toMatch(/^[0-9a-f]{7}$/);
    expect(Buffer.from(generateSecretValue({ kind: 'base64', length: 32 }), 'base64')).toHaveLength(32);
    expect(generateSecretValue({ kind: 'base64' })).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(generateSecretValue({ kind: 'fixed', value: 'pf9' })).toBe('pf9');
    const many = new Set(Array.from({ length: 50 }, () => generateSecretValue({ kind: 'password', length: 12 })));
    expect(many.size).toBe(50);
    expect(() => generateSecretValue({ kind: 'hex', length: 0 })).toThrow(/length/);
  });
});

describe('secret file plaintext', () => {
  it('keeps every value a string through encryption, whatever it looks like', async () => {
    const key = await generateAgeKey();
    const values: Array<[string, string]> = [
      ['zero', '0123'],
      ['bool', 'true'],
      ['yes', 'yes'],
      ['date', '2024-01-02'],
      ['hexnum', '1e10'],
      ['multi', 'line1\nline2\n'],
      ['quote', 'a"b\'c: #d'],
      ['.dockerconfigjson', '{"auths":{}}'],
    ];
    const plain = secretManifestYaml({ name: 'x', type: 'kubernetes.io/dockerconfigjson' }, values);
    expect(parse(plain)).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'x', annotations: { 'argocd.argoproj.io/sync-wave': '1' } },
      type: 'kubernetes.io/dockerconfigjson',
      stringData: Object.fromEntries(values),
    });
    const enc = await encryptDocument(plain, { format: 'yaml', recipients: [key.recipient], encryptedRegex: '^(data|stringData)$' });
    for (const [k] of values) expect(enc).toMatch(new RegExp(`"?${k.replace('.', '\\.')}"?: ENC\\[AES256_GCM,.*type:str\\]`));
    const back = parse((await decryptDocument(enc, { format: 'yaml', identities: [key.identity] })).toString('utf8'));
    expect(back.stringData).toEqual(Object.fromEntries(values));
  });
});
