/** Everything the writer writes decrypts back to the same plaintext, in the sops 3.13 layout. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decryptDocument, encryptDocument, type Format } from '../src';
import { loadYamlBranches } from '../src/yaml/load';
import { toPlain } from '../src/tree';
import { testKey } from './helpers';

const alice = testKey('alice');
const bob = testKey('bob');
const carol = testKey('carol');
const NOW = new Date('2025-03-04T05:06:07.890Z');

async function roundTrip(plain: string | Buffer, format: Format, extra: Record<string, unknown> = {}) {
  const enc = await encryptDocument(plain, { format, recipients: [alice.recipient], now: NOW, ...extra });
  const dec = await decryptDocument(enc, { format, identities: [alice.identity] });
  return { enc, dec };
}

const YAML = `# top comment
name: app # inline comment
db:
    # head of user
    user: admin
    password: 's3cr3t: with colon'
    port: 5432
    ratio: 0.25
    big: 1.234568e+09
    enabled: true
    mode: 493
    quoted_yes: "yes"
    empty: ""
    nothing: null
    when: 2024-01-02T03:04:05Z
    # foot of db
list:
    - one
    - 2
    - three: 3
multiline: |
    line 1
    line 2
public_unencrypted: visible
!!merge <<: merged
`;

describe('YAML', () => {
  it('round-trips values, types, comments and key order byte-for-byte', async () => {
    const { enc, dec } = await roundTrip(YAML, 'yaml');
    expect(dec.toString()).toBe(YAML);
    // types recorded in ENC[]
    expect(enc).toMatch(/ {4}port: ENC\[AES256_GCM,data:[^,]+,iv:[^,]+,tag:[^,]+,type:int\]/);
    expect(enc).toMatch(/ {4}ratio: ENC\[.*type:float\]/);
    expect(enc).toMatch(/ {4}enabled: ENC\[.*type:bool\]/);
    expect(enc).toMatch(/ {4}when: ENC\[.*type:time\]/);
    expect(enc).toMatch(/ {4}mode: ENC\[.*type:int\]/);
    expect(enc).toMatch(/^#ENC\[.*type:comment\]$/m);
    expect(enc).toMatch(/^name: ENC\[.*type:str\] #ENC\[.*type:comment\]$/m);
    // _unencrypted suffix, empty strings and nulls stay as they are
    expect(enc).toContain('public_unencrypted: visible\n');
    expect(enc).toContain('    empty: ""\n');
    expect(enc).toContain('    nothing: null\n');
    // no plaintext value left
    for (const s of ['admin', 's3cr3t', '5432', 'line 1']) expect(enc).not.toContain(s);
  });

  it('normalises the plaintext the way sops -d prints it', async () => {
    const { dec } = await roundTrip('a: "x: y"\nb: 0755\nc: 1.0\nd: 2024-01-02\ne: ~\nf: y\n"<<": m\n', 'yaml');
    expect(dec.toString()).toBe("a: 'x: y'\nb: 493\nc: 1\nd: 2024-01-02T00:00:00Z\ne: null\nf: \"y\"\n!!merge <<: m\n");
  });

  it('keeps trailing comments at the indentation they were written at', async () => {
    const plain = 'a:\n    b:\n        c: 1\n        # foot c\n    # foot b\n# before z\nz: 1\n';
    expect((await roundTrip(plain, 'yaml')).dec.toString()).toBe(plain);
  });

  it('uses 32-byte IVs and 16-byte tags', async () => {
    const { enc } = await roundTrip('a: b\n', 'yaml');
    const m = /iv:([^,]+),tag:([^,]+),/.exec(enc)!;
    expect(Buffer.from(m[1], 'base64')).toHaveLength(32);
    expect(Buffer.from(m[2], 'base64')).toHaveLength(16);
  });

  it('writes the sops 3.13 metadata layout last, keys sorted, with a semver version', async () => {
    const { enc } = await roundTrip('a: b\n', 'yaml', { recipients: [alice.recipient, bob.recipient] });
    const sops = enc.slice(enc.indexOf('sops:\n'));
    expect(enc.endsWith(sops)).toBe(true);
    const keys = [...sops.matchAll(/^ {4}(\w+):/gm)].map((m) => m[1]);
    expect(keys).toEqual(['age', 'lastmodified', 'mac', 'unencrypted_suffix', 'version']);
    expect(sops).toContain('    lastmodified: "2025-03-04T05:06:07Z"\n');
    expect(sops).toContain('    unencrypted_suffix: _unencrypted\n');
    expect(sops).toContain('    version: 3.13.2\n');
    expect(sops).toMatch(/ {4}mac: ENC\[AES256_GCM,.*type:str\]\n/);
    // age items: enc (literal block, 64-column armor) before recipient
    expect(sops).toMatch(/ {8}- enc: \|\n {12}-----BEGIN AGE ENCRYPTED FILE-----\n( {12}[A-Za-z0-9+/=]{1,64}\n)+ {12}-----END AGE ENCRYPTED FILE-----\n {10}recipient: age1/);
    expect(sops.match(/recipient: /g)).toHaveLength(2);
  });

  it('multi-document YAML: one MAC, metadata in every document', async () => {
    const plain = 'a: 1\n---\nb: two\n---\nc:\n    - x\n';
    const { enc, dec } = await roundTrip(plain, 'yaml');
    expect(dec.toString()).toBe(plain);
    const docs = enc.split(/^---\n/m);
    expect(docs).toHaveLength(3);
    const macs = docs.map((d) => /^ {4}mac: (.*)$/m.exec(d)![1]);
    expect(new Set(macs).size).toBe(1);
  });

  it('honours the stores.yaml.indent setting', async () => {
    const plain = 'a:\n  b: c\n  l:\n    - x\n';
    const { enc, dec } = await roundTrip(plain, 'yaml', { yamlIndent: 2 });
    expect(enc).toMatch(/^sops:\n {2}age:\n {4}- enc: \|\n {8}-----BEGIN/m);
    const back = await decryptDocument(enc, { format: 'yaml', identities: [alice.identity], yamlIndent: 2 });
    expect(back.toString()).toBe(plain);
    expect(dec.toString()).toBe('a:\n    b: c\n    l:\n        - x\n');
  });

  it('refuses a document that already has a top-level sops key', async () => {
    await expect(encryptDocument('sops: 1\n', { format: 'yaml', recipients: [alice.recipient] })).rejects.toMatchObject({ code: 'ALREADY_ENCRYPTED' });
  });
});

describe('Kubernetes Secret', () => {
  const SECRET = `apiVersion: v1
kind: Secret
metadata:
    name: db-credentials
    namespace: prod
type: Opaque
data:
    username: YWRtaW4=
stringData:
    password: hunter2
`;

  it('defaults to encrypted_regex ^(data|stringData)$ and keeps the rest readable', async () => {
    const { enc, dec } = await roundTrip(SECRET, 'yaml');
    expect(dec.toString()).toBe(SECRET);
    expect(enc).toContain('    encrypted_regex: ^(data|stringData)$\n');
    expect(enc).not.toContain('unencrypted_suffix');
    for (const readable of ['apiVersion: v1', 'kind: Secret', 'name: db-credentials', 'namespace: prod', 'type: Opaque']) expect(enc).toContain(readable);
    expect(enc).toMatch(/ {4}username: ENC\[.*type:str\]/);
    expect(enc).toMatch(/ {4}password: ENC\[.*type:str\]/);
    expect(enc).not.toContain('hunter2');
    expect(enc).not.toContain('YWRtaW4=');
  });

  it('an explicit rule wins over the Secret default', async () => {
    const { enc } = await roundTrip(SECRET, 'yaml', { unencryptedRegex: '^(apiVersion|metadata|kind|type)$' });
    expect(enc).toContain('    unencrypted_regex: ^(apiVersion|metadata|kind|type)$\n');
    expect(enc).toContain('name: db-credentials');
  });

  it('mac_only_encrypted lets unencrypted fields change', async () => {
    const { enc } = await roundTrip(SECRET, 'yaml', { macOnlyEncrypted: true });
    expect(enc).toContain('    mac_only_encrypted: true\n');
    const relabelled = enc.replace('namespace: prod', 'namespace: staging');
    const dec = await decryptDocument(relabelled, { format: 'yaml', identities: [alice.identity] });
    expect(dec.toString()).toBe(SECRET.replace('namespace: prod', 'namespace: staging'));
  });
});

describe('other rules', () => {
  it('encrypted_suffix encrypts only matching paths', async () => {
    const plain = 'token_secret: abc\nhost: example.org\nnested_secret:\n    x: val\n';
    const { enc, dec } = await roundTrip(plain, 'yaml', { encryptedSuffix: '_secret' });
    expect(dec.toString()).toBe(plain);
    expect(enc).toContain('host: example.org');
    expect(enc).toMatch(/^token_secret: ENC/m);
    expect(enc).toMatch(/^ {4}x: ENC/m);
  });

  it('encrypted_comment_regex encrypts values after a marker comment', async () => {
    const plain = 'public: 1\n# sops:enc\nprivate: 2\n';
    const { enc, dec } = await roundTrip(plain, 'yaml', { encryptedCommentRegex: 'sops:enc' });
    expect(dec.toString()).toBe(plain);
    expect(enc).toContain('public: 1\n# sops:enc\nprivate: ENC[');
  });

  it('rejects more than one rule', async () => {
    await expect(encryptDocument('a: b\n', { format: 'yaml', recipients: [alice.recipient], encryptedRegex: 'a', unencryptedSuffix: '_x' })).rejects.toThrow(/more than one/);
  });
});

describe('JSON', () => {
  it('round-trips with tab indentation and typed numbers', async () => {
    const plain = '{\n\t"a": "b",\n\t"int": 42,\n\t"big": 9223372036854775807,\n\t"float": 1.5,\n\t"arr": [\n\t\t1,\n\t\t"x",\n\t\tnull,\n\t\tfalse\n\t],\n\t"empty": "",\n\t"obj": {},\n\t"html": "<a&b>"\n}\n';
    const { enc, dec } = await roundTrip(plain, 'json');
    expect(dec.toString()).toBe(plain.replace('"<a&b>"', '"\\u003ca\\u0026b\\u003e"'));
    expect(enc).toMatch(/^\t"int": "ENC\[.*type:int\]",$/m);
    expect(enc).toMatch(/^\t"float": "ENC\[.*type:float\]",$/m);
    expect(enc).toMatch(/^\t"sops": \{\n\t\t"age": \[\n\t\t\t\{\n\t\t\t\t"enc": "-----BEGIN AGE ENCRYPTED FILE-----\\n/m);
    expect(enc.endsWith('\t\t"version": "3.13.2"\n\t}\n}\n')).toBe(true);
  });

  it('refuses a top-level array', async () => {
    await expect(encryptDocument('[1]', { format: 'json', recipients: [alice.recipient] })).rejects.toThrow(/top-level object/);
  });
});

describe('dotenv', () => {
  it('round-trips with flattened sops_ metadata lines', async () => {
    const plain = '# database\nDB_USER=admin\nDB_PASS=p=ss w0rd\nMULTI=a\\nb\n';
    const { enc, dec } = await roundTrip(plain, 'dotenv');
    expect(dec.toString()).toBe(plain);
    const lines = enc.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^#ENC\[.*type:comment\]$/);
    expect(lines[1]).toMatch(/^DB_USER=ENC\[.*type:str\]$/);
    expect(lines.slice(4).map((l) => l.split('=')[0])).toEqual([
      'sops_age__list_0__map_enc',
      'sops_age__list_0__map_recipient',
      'sops_lastmodified',
      'sops_mac',
      'sops_unencrypted_suffix',
      'sops_version',
    ]);
    expect(enc).toMatch(/^sops_age__list_0__map_enc=-----BEGIN AGE ENCRYPTED FILE-----\\n.*\\n-----END AGE ENCRYPTED FILE-----\\n$/m);
  });
});

describe('binary', () => {
  it('round-trips arbitrary bytes in a JSON envelope without a rule field', async () => {
    const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 10, 13, 65]);
    const { enc, dec } = await roundTrip(bytes, 'binary');
    expect(Buffer.compare(dec, bytes)).toBe(0);
    const env = JSON.parse(enc);
    expect(Object.keys(env)).toEqual(['data', 'sops']);
    expect(env.data).toMatch(/^ENC\[AES256_GCM,.*type:str\]$/);
    expect(Object.keys(env.sops)).toEqual(['age', 'lastmodified', 'mac', 'version']);
  });
});

describe('!!binary that is not UTF-8', () => {
  // Made by the real sops 3.13.3 (`sops --config /dev/null encrypt --age <alice> p.yaml`, p.yaml: `a: !!binary /w==`,
  // an 80-byte 0xFF `b`, `c: ok`) and decrypted by it to binary-not-utf8.decrypted.yaml. Byte 0xFF is no UTF-8:
  // read as text it became U+FFFD and the MAC, which sops computes over the bytes, did not match.
  const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
  it('decrypts a file the real sops wrote (MAC over the bytes) to what the real sops prints, and round-trips', async () => {
    const dec = (await decryptDocument(fixture('binary-not-utf8.enc.yaml'), { format: 'yaml', identities: [alice.identity] })).toString('utf8');
    expect(dec).toBe(fixture('binary-not-utf8.decrypted.yaml'));
    const { dec: again } = await roundTrip(dec, 'yaml');
    expect(again.toString('utf8')).toBe(dec);
  });
});

describe('key groups', () => {
  it('splits the data key with Shamir and decrypts with a threshold of groups', async () => {
    const plain = 'a: b\n';
    const enc = await encryptDocument(plain, { format: 'yaml', keyGroups: [[alice.recipient], [bob.recipient], [carol.recipient]], shamirThreshold: 2 });
    expect(enc).toContain('    key_groups:\n');
    expect(enc).toContain('    shamir_threshold: 2\n');
    const two = await decryptDocument(enc, { format: 'yaml', identities: [alice.identity, carol.identity] });
    expect(two.toString()).toBe(plain);
    await expect(decryptDocument(enc, { format: 'yaml', identities: [bob.identity] })).rejects.toMatchObject({ code: 'NO_DECRYPTION_KEY' });
  });
});

describe('YAML typing follows go-yaml, not YAML 1.2', () => {
  it('types plain scalars like sops', () => {
    const [b] = loadYamlBranches('oct: 0755\nhex: 0x1F\nunder: 1_000\neight: 08\nyes: yes\nts: 2024-01-02\nf: 1e3\ns: "12"\n');
    const plain = toPlain(b) as Record<string, unknown>;
    expect(plain).toEqual({ oct: 493, hex: 31, under: 1000, eight: 8, yes: 'yes', ts: '2024-01-02T00:00:00Z', f: 1000, s: '12' });
  });
});
