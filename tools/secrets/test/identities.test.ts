/** Identity discovery as sops does it, keygen, and .sops.yaml parsing. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decryptDocument, decryptFile, defaultKeysFilePath, encryptDocument, findSopsConfig, formatKeysFile, generateAgeKey, isNoKey, loadAgeIdentities,
  matchCreationRule, parseSopsConfig, recipientOf, serializeSopsConfig, ruleKeyGroups, type SopsError,
} from '../src';
import { parseIdentities, shlexSplit } from '../src/identities';
import { FIXTURES, isolatedEnv, tempDir, testKey, writeFile } from './helpers';

const alice = testKey('alice');
const bob = testKey('bob');
const t = tempDir();
afterAll(() => t.cleanup());

describe('identity discovery', () => {
  it('default keys.txt: $XDG_CONFIG_HOME/sops/age/keys.txt, else ~/.config (Linux); macOS and Windows paths', () => {
    expect(defaultKeysFilePath({ env: { XDG_CONFIG_HOME: '/x' }, platform: 'linux', home: '/h' })).toBe('/x/sops/age/keys.txt');
    expect(defaultKeysFilePath({ env: {}, platform: 'linux', home: '/h' })).toBe('/h/.config/sops/age/keys.txt');
    expect(defaultKeysFilePath({ env: {}, platform: 'darwin', home: '/h' })).toBe('/h/Library/Application Support/sops/age/keys.txt');
    expect(defaultKeysFilePath({ env: { XDG_CONFIG_HOME: '/x' }, platform: 'darwin', home: '/h' })).toBe('/x/sops/age/keys.txt');
    expect(defaultKeysFilePath({ env: { APPDATA: 'C:\\AppData' }, platform: 'win32', home: '/h' })).toContain('sops');
  });

  it('loads every configured source together', () => {
    const env = isolatedEnv(t.dir, { SOPS_AGE_KEY: `${alice.identity} ${bob.identity}`, SOPS_AGE_KEY_FILE: alice.file });
    const r = loadAgeIdentities({ env });
    expect(r.identities).toEqual([alice.identity, bob.identity, alice.identity]);
    expect(r.sources).toEqual(['SOPS_AGE_KEY', `SOPS_AGE_KEY_FILE (${alice.file})`]);
  });

  it('reads the default keys file under XDG_CONFIG_HOME', async () => {
    const env = isolatedEnv(t.dir);
    mkdirSync(join(env.XDG_CONFIG_HOME!, 'sops', 'age'), { recursive: true });
    writeFileSync(join(env.XDG_CONFIG_HOME!, 'sops', 'age', 'keys.txt'), readFileSync(bob.file));
    const enc = await encryptDocument('a: b\n', { format: 'yaml', recipients: [bob.recipient] });
    expect((await decryptDocument(enc, { format: 'yaml', env })).toString()).toBe('a: b\n');
  });

  it('runs SOPS_AGE_KEY_CMD with SOPS_AGE_RECIPIENT set', async () => {
    const script = writeFile(t.dir, 'keycmd.sh', `#!/bin/sh\nif [ "$SOPS_AGE_RECIPIENT" = "${alice.recipient}" ]; then cat '${alice.file}'; fi\n`);
    const enc = await encryptDocument('a: b\n', { format: 'yaml', recipients: [bob.recipient, alice.recipient] });
    const env = isolatedEnv(t.dir, { SOPS_AGE_KEY_CMD: `sh '${script}'` });
    expect((await decryptDocument(enc, { format: 'yaml', env })).toString()).toBe('a: b\n');
  });

  it('fails clearly, without key material, when nothing is configured or a source is broken', () => {
    expect(() => loadAgeIdentities({ env: isolatedEnv(t.dir + '/empty') })).toThrow(/no age identities/);
    expect(() => loadAgeIdentities({ env: isolatedEnv(t.dir, { SOPS_AGE_KEY_FILE: '/does/not/exist' }) })).toThrow(/SOPS_AGE_KEY_FILE.*ENOENT/);
    const broken = 'AGE-SECRET-KEY-1NOTAKEY-but-looks-secret';
    let msg = '';
    try {
      loadAgeIdentities({ env: isolatedEnv(t.dir, { SOPS_AGE_KEY: `garbage-${broken}` }) });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/malformed identity at line 1/);
    expect(msg).not.toContain(broken);
  });

  it('"no key" and "a configured source that does not work" have different codes (callers never match message text)', () => {
    const code = (env: NodeJS.ProcessEnv) => {
      try {
        loadAgeIdentities({ env });
      } catch (e) {
        return { code: (e as SopsError).code, noKey: isNoKey(e) };
      }
      return undefined;
    };
    expect(code(isolatedEnv(t.dir + '/empty'))).toEqual({ code: 'NO_DECRYPTION_KEY', noKey: true });
    expect(code(isolatedEnv(t.dir, { SOPS_AGE_KEY_FILE: '/does/not/exist' }))).toEqual({ code: 'IDENTITY_SOURCE_FAILED', noKey: false });
    expect(code(isolatedEnv(t.dir, { SOPS_AGE_KEY_CMD: 'false' }))).toEqual({ code: 'IDENTITY_SOURCE_FAILED', noKey: false });
  });

  it('SOPS_AGE_KEY_FILE set but empty says so, and an unusable key source never blames the file being opened', async () => {
    const env = isolatedEnv(t.dir, { SOPS_AGE_KEY_FILE: '' });
    expect(() => loadAgeIdentities({ env })).toThrow(expect.objectContaining({ code: 'IDENTITY_SOURCE_FAILED', message: 'SOPS_AGE_KEY_FILE is set but empty (give the path of an age keys file, or unset it)' }));
    const file = writeFile(t.dir, 'blameless.enc.yaml', await encryptDocument('a: b\n', { format: 'yaml', recipients: [alice.recipient] }));
    for (const e of [env, isolatedEnv(t.dir, { SOPS_AGE_KEY_FILE: '/does/not/exist' })]) {
      const err = (await decryptFile(file, { env: e, config: false }).catch((x: unknown) => x)) as SopsError;
      expect(err).toMatchObject({ code: 'IDENTITY_SOURCE_FAILED', message: expect.stringMatching(/^(?:SOPS_AGE_KEY_FILE is set but empty|failed to open SOPS_AGE_KEY_FILE file \/does\/not\/exist)/) });
      expect(err.file).toBeUndefined();
    }
  });

  it('a malformed key source (SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, SOPS_AGE_KEY_CMD output, an unparsable or empty command) is IDENTITY_SOURCE_FAILED, never blamed on the file', async () => {
    const garbage = writeFile(t.dir, 'garbage-keys.txt', 'garbage\n');
    const file = writeFile(t.dir, 'blameless2.enc.yaml', await encryptDocument('a: b\n', { format: 'yaml', recipients: [alice.recipient] }));
    const envs: NodeJS.ProcessEnv[] = [
      { SOPS_AGE_KEY: 'garbage' },
      { SOPS_AGE_KEY_FILE: garbage },
      { SOPS_AGE_KEY_CMD: 'echo garbage' },
      { SOPS_AGE_KEY_CMD: 'echo "unclosed' },
      { SOPS_AGE_KEY_CMD: '' },
    ];
    for (const extra of envs) {
      const err = (await decryptFile(file, { env: isolatedEnv(t.dir, extra), config: false }).catch((x: unknown) => x)) as SopsError;
      expect(err, JSON.stringify(extra)).toMatchObject({ code: 'IDENTITY_SOURCE_FAILED', exitCode: 1, fileAtFault: false });
      expect(err.file).toBeUndefined();
      expect(err.message).not.toContain(file);
    }
    // A malformed keys file given on the command line stays bad input of that command.
    expect(() => parseIdentities('garbage\n', 'given.txt')).toThrow(expect.objectContaining({ code: 'CONFIG' }));
  });

  it('shlex splitting of the key command', () => {
    expect(shlexSplit(`pass show "age key" --raw 'x y'`)).toEqual(['pass', 'show', 'age key', '--raw', 'x y']);
  });
});

describe('keygen', () => {
  it('generates X25519 identities whose recipient encrypts to them', async () => {
    const k = await generateAgeKey();
    expect(k.identity).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    expect(k.recipient).toMatch(/^age1[0-9a-z]{58}$/);
    expect(await recipientOf(k.identity)).toBe(k.recipient);
    const file = formatKeysFile(k, { comment: 'TEST KEY - public, never use for real secrets' });
    expect(file.split('\n')[0]).toBe('# TEST KEY - public, never use for real secrets');
    expect(file).toContain(`# public key: ${k.recipient}\n${k.identity}\n`);
  });

  it('generates post-quantum hybrid identities', async () => {
    const k = await generateAgeKey({ postQuantum: true });
    expect(k.recipient.startsWith('age1pq1')).toBe(true);
    const enc = await encryptDocument('a: b\n', { format: 'yaml', recipients: [k.recipient] });
    expect((await decryptDocument(enc, { format: 'yaml', identities: [k.identity] })).toString()).toBe('a: b\n');
  });
});

describe('.sops.yaml', () => {
  it('parses the Flux fixture config (anchors, stores, key_groups fallback)', () => {
    const cfg = parseSopsConfig(readFileSync(join(FIXTURES, 'flux-k8s-secret-age', '.sops.yaml'), 'utf8'));
    expect(cfg.stores.yaml?.indent).toBe(2);
    expect(cfg.creationRules).toHaveLength(5);
    const cfgPath = '/repo/.sops.yaml';
    const r = matchCreationRule(cfg, '/repo/secrets/age.yaml', cfgPath);
    expect(r.encryptedRegex).toBe('^(data|stringData)$');
    expect(r.age).toEqual(['age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29']);
    expect(matchCreationRule(cfg, '/repo/x/json.yaml', cfgPath).encryptedRegex).toBe('.*');
    expect(matchCreationRule(cfg, '/repo/a.env', cfgPath).encryptedRegex).toBeUndefined();
    const fallback = matchCreationRule(cfg, '/repo/a.bin', cfgPath);
    expect(fallback.keyGroups).toHaveLength(2);
    expect(ruleKeyGroups(fallback)).toEqual([['age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29'], []]);
  });

  it('a misspelled path_regexp makes a catch-all rule (and is reported)', () => {
    const cfg = parseSopsConfig(readFileSync(join(FIXTURES, 'sops-age-lib-yaml', '.sops.yaml'), 'utf8'));
    expect(cfg.warnings.join('\n')).toMatch(/path_regexp/);
    const r = matchCreationRule(cfg, '/anywhere/file.bin', '/repo/.sops.yaml');
    expect(r.keyGroups?.[0].age).toHaveLength(3);
  });

  it('reads folded comma-separated age lists and path_regex relative to the config dir', () => {
    const cfg = parseSopsConfig(readFileSync(join(FIXTURES, 'sops-pr1031-yaml', '.sops.yaml'), 'utf8'));
    expect(cfg.creationRules[0].age).toEqual([
      'age1tmaae3ld5vpevmsh5yacsauzx8jetg300mpvc4ugp5zr5l6ssq9sla97ep',
      'age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw',
    ]);
    const c2 = parseSopsConfig('creation_rules:\n  - path_regex: ^secrets/\n    age: age1x\n');
    expect(matchCreationRule(c2, '/repo/secrets/a.yaml', '/repo/.sops.yaml').age).toEqual(['age1x']);
    expect(() => matchCreationRule(c2, '/repo/other/secrets/a.yaml', '/repo/.sops.yaml')).toThrow(/no matching creation rules/);
  });

  it('rejects a rule with two encryption rules', () => {
    expect(() => parseSopsConfig('creation_rules:\n  - encrypted_regex: a\n    unencrypted_regex: b\n')).toThrow(/more than one/);
  });

  it('writes a config that reads back the same', () => {
    const text = serializeSopsConfig({
      stores: { yaml: { indent: 2 } },
      creationRules: [
        { pathRegex: '.*\\.ya?ml$', encryptedRegex: '^(data|stringData)$', age: [alice.recipient, bob.recipient], other: {} },
        { age: [alice.recipient], other: {} },
      ],
    });
    const back = parseSopsConfig(text);
    expect(back.creationRules[0]).toMatchObject({ pathRegex: '.*\\.ya?ml$', encryptedRegex: '^(data|stringData)$', age: [alice.recipient, bob.recipient] });
    expect(back.creationRules[1].pathRegex).toBeUndefined();
    expect(back.stores.yaml?.indent).toBe(2);
  });

  it('is discovered by walking up from a directory', () => {
    const root = tempDir();
    try {
      writeFile(root.dir, '.sops.yaml', 'creation_rules: []\n');
      mkdirSync(join(root.dir, 'a', 'b'), { recursive: true });
      expect(findSopsConfig(join(root.dir, 'a', 'b'))).toBe(join(root.dir, '.sops.yaml'));
    } finally {
      root.cleanup();
    }
  });
});
