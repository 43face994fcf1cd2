/** The pieces behind `gitops secrets`: generated values, given values, file plaintext, .sops.yaml. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { decryptDocument, encryptDocument, generateAgeKey, parseSopsConfig } from '@gitops/secrets';
import type { SecretDecl } from '@gitops/core';
import {
  generateSecretValue,
  parseDotenv,
  resolveGivenValues,
  secretManifestYaml,
  sopsConfigText,
  type DeclaredSecretFile,
} from '@gitops/pipeline';

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

describe('given values', () => {
  const decl = (name: string, keys: string[]): DeclaredSecretFile =>
    ({ platform: 'p', app: 'p', env: 'dev', file: `environments/dev/p/secrets/${name}.enc.yaml`, overlay: 'environments/dev/p', secret: { name, keys: keys.map((k) => ({ name: k })) } as SecretDecl });
  const files = [decl('acr-pull', ['.dockerconfigjson']), decl('db.credentials', ['user.name', 'password']), decl('api', ['TOKEN'])];

  it('resolves secret.key and SECRET__KEY against the declarations, dots and all', () => {
    const r = resolveGivenValues(
      files,
      ['acr-pull..dockerconfigjson={"auths":{}}', 'db.credentials.user.name=admin=x'],
      parseDotenv('# comment\nexport api__TOKEN="a b\\n"\ndb.credentials__password=\'lit $x\'\nnope__X=1\n'),
    );
    expect(Object.fromEntries([...r.bySecret].map(([s, m]) => [s, Object.fromEntries(m)]))).toEqual({
      'acr-pull': { '.dockerconfigjson': '{"auths":{}}' },
      'db.credentials': { 'user.name': 'admin=x', password: 'lit $x' },
      api: { TOKEN: 'a b\n' },
    });
    expect(r.unused).toEqual(['env file nope__X']);
  });

  it('never echoes a value in its errors', () => {
    expect(() => resolveGivenValues(files, ['s3cr3t-no-equals'], [])).toThrow(/^--set \(empty\): expected secret\.key=value$/);
    expect(() => parseDotenv('ok=1\ns3cr3t-line\n')).toThrow(/^env file line 2: expected NAME=value$/);
  });
});

describe('.sops.yaml', () => {
  it('has one rule per environment, in environment order, deterministic and parseable by sops', () => {
    const rec = { prod: ['age1se7cz3kfse0pe2cac5qvy9tgt3hk2sq0t49w9mq3a4nwd530jvmqfta709'], dev: ['age1qvku6txs4wmmn8ppzswsyehp296k523wxlyympy3u2ylcnv0racqjgnna2'] };
    const text = sopsConfigText(rec);
    expect(sopsConfigText({ dev: rec.dev, prod: rec.prod })).toBe(text);
    const cfg = parseSopsConfig(text);
    expect(cfg.warnings).toEqual([]);
    expect(cfg.creationRules.map((r) => [r.pathRegex, r.encryptedRegex, r.age])).toEqual([
      ['^environments/dev/.*/secrets/.*\\.enc\\.yaml$', '^(data|stringData)$', rec.dev],
      ['^environments/prod/.*/secrets/.*\\.enc\\.yaml$', '^(data|stringData)$', rec.prod],
    ]);
  });
});
