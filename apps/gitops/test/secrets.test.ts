/**
 * `gitops secrets …` end to end in a throwaway repository (GITOPS_ROOT): init, check, set/get/edit,
 * render with and without a key, take-ownership, the leak scan, and no secret value in any log.
 * Runs with an isolated HOME/XDG_CONFIG_HOME, so no personal age key on the machine is used.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { runMain } from './run-main';
import { parse } from 'yaml';
import { decryptFile, parseIdentities, readMetadata } from '@gitops/secrets';
import { EXAMPLE_RECIPIENTS } from '@gitops/environments';
import { REDACTED_VALUE, SECRET_PLACEHOLDER } from '@gitops/secrets-workflow';

const repo = resolve(__dirname, '../../..');
const bin = join(repo, 'apps/gitops/bin/gitops.mjs');
const ENVS = ['dev', 'staging', 'prod'] as const;
let root: string;
/** Everything the commands printed, except `get`/`view` output the test asked for. */
let logs = '';

const SPEC = readFileSync(join(repo, 'libs/core/test/fixtures.ts'), 'utf8')
  .replace("import type { PlatformSpec } from '../src';", "import type { PlatformSpec } from '@gitops/core';")
  .replace('export function samplePlatform(): PlatformSpec {', 'export const platform: PlatformSpec = (() => {')
  .replace(/\n}\n$/, '\n})();\n');
const DECL_BEFORE = "secrets: [{ name: 'db-credentials', keys: [{ name: 'password', generate: { kind: 'password' } }] }]";
const DECL_AFTER =
  "secrets: [{ name: 'db-credentials', keys: [{ name: 'password', generate: { kind: 'password' } }, { name: 'api-token' }, { name: 'salt', generate: { kind: 'hex', length: 24 } }] }]";

const keyFile = (env: string) => join(repo, 'test-keys', `example-${env}.agekey`);
const exampleIds = (env: string) => parseIdentities(readFileSync(keyFile(env), 'utf8'), env);
const secretFile = (env: string, name = 'db-credentials') => join(root, 'environments', env, 'sample', 'secrets', `${name}.enc.yaml`);

function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { GITOPS_ROOT: root, HOME: join(root, '.home'), XDG_CONFIG_HOME: join(root, '.home', 'xdg'), PATH: process.env.PATH!, ...extra };
}

async function gitops(args: string[], opts: { env?: Record<string, string>; input?: string; log?: boolean } = {}) {
  // In-process (run-main.ts) unless the call feeds standard input, which only a real process can take.
  const res =
    opts.input === undefined
      ? await runMain(args, { cwd: root, env: isolatedEnv(opts.env), extendEnv: false })
      : await execa('node', [bin, ...args], { cwd: root, reject: false, env: isolatedEnv(opts.env), extendEnv: false, input: opts.input });
  if (opts.log !== false) logs += `\n$ gitops ${args.join(' ')}\n${res.stdout}\n${res.stderr}\n`;
  return res;
}

function secretsSnapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const env of ENVS) {
    const dir = join(root, 'environments', env, 'sample', 'secrets');
    for (const f of readdirSync(dir)) out[`${env}/${f}`] = readFileSync(join(dir, f), 'utf8');
  }
  return out;
}

const encLine = (text: string, key: string) => text.split('\n').find((l) => l.trim().startsWith(`${key}:`));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gitops-secrets-'));
  writeFileSync(join(root, 'nx.json'), '{}\n');
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  mkdirSync(join(root, 'libs/platforms/sample/src'), { recursive: true });
  mkdirSync(join(root, 'libs/environments'), { recursive: true });
  mkdirSync(join(root, '.home/xdg'), { recursive: true });
  writeFileSync(join(root, 'libs/platforms/sample/src/index.ts'), SPEC);
  cpSync(join(repo, 'libs/environments/recipients.yaml'), join(root, 'libs/environments/recipients.yaml'));
  cpSync(join(repo, 'test-keys'), join(root, 'test-keys'), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  expect(SPEC).toContain(DECL_BEFORE);
  expect((await gitops(['generate', 'sample'])).exitCode).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('gitops secrets', () => {
  it('has --help on every subcommand', async () => {
    const cmds = ['keygen', 'config', 'init', 'set', 'get', 'view', 'edit', 'rotate', 'updatekeys', 'check', 'scan', 'take-ownership'];
    const results = await Promise.all(cmds.map((cmd) => gitops(['secrets', cmd, '--help'])));
    results.forEach((res, i) => {
      expect(res.exitCode, cmds[i]).toBe(0);
      expect(res.stdout, cmds[i]).toContain(`Usage: gitops secrets ${cmds[i]}`);
    });
    const usage = await gitops(['secrets', 'init']);
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toContain("required option '--env <env>' not specified");
    const badEnv = await gitops(['secrets', 'init', '--env', 'qa']);
    expect(badEnv.exitCode).toBe(2);
    expect(badEnv.stderr).toContain('unknown environment "qa"');
  });

  it('init creates every declared file, encrypted to the example recipients, and a second init changes nothing', async () => {
    for (const env of ENVS) {
      const res = await gitops(['secrets', 'init', '--env', env]);
      expect(res.exitCode, res.stderr).toBe(0);
      expect(res.stderr).toContain(`created environments/${env}/sample/secrets/db-credentials.enc.yaml (generated password)`);
    }
    const sops = readFileSync(join(root, '.sops.yaml'), 'utf8');
    for (const env of ENVS) {
      expect(sops).toContain(`path_regex: ^environments/${env}/.*/secrets/.*\\.enc\\.yaml$`);
      expect(sops).toContain(`age: ${EXAMPLE_RECIPIENTS[env]}`);
    }
    expect((await gitops(['secrets', 'config', '--check'])).exitCode).toBe(0);

    for (const env of ENVS) {
      const md = await readMetadata(secretFile(env));
      expect(md.recipients).toEqual([EXAMPLE_RECIPIENTS[env]]);
      expect(md.rule).toEqual({ kind: 'encrypted_regex', value: '^(data|stringData)$' });
      expect(md.macPresent).toBe(true);
      const raw = parse(readFileSync(secretFile(env), 'utf8'));
      expect(raw.metadata).toEqual({ name: 'db-credentials', annotations: { 'argocd.argoproj.io/sync-wave': '1' } });
      expect(raw.stringData.password).toMatch(/^ENC\[AES256_GCM,data:.*,type:str\]$/);
      const plain = parse(await decryptFile(secretFile(env), { identities: exampleIds(env), config: false }));
      expect(plain).toEqual({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db-credentials', annotations: { 'argocd.argoproj.io/sync-wave': '1' } },
        type: 'Opaque',
        stringData: { password: expect.stringMatching(/^[A-Za-z0-9]{32}$/) },
      });
      // another environment's example key does not open it
      const other = ENVS.find((e) => e !== env)!;
      await expect(decryptFile(secretFile(env), { identities: exampleIds(other), config: false })).rejects.toThrow(/no age identity matches/);
    }

    const before = secretsSnapshot();
    const again = await gitops(['secrets', 'init', '--env', 'dev']);
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toContain('init dev: 0 files created, 0 files given missing keys, 1 unchanged');
    expect(secretsSnapshot()).toEqual(before);
  });

  it('check passes, then fails naming platform, environment, secret and key; init adds the missing keys without touching existing values', async () => {
    const ok = await gitops(['secrets', 'check']);
    expect(ok.exitCode, ok.stdout).toBe(0);
    expect(ok.stderr).toContain('secrets check: 1 platform, 3 files, 0 errors');

    writeFileSync(join(root, 'libs/platforms/sample/src/index.ts'), SPEC.replace(DECL_BEFORE, DECL_AFTER));
    const bad = await gitops(['secrets', 'check']);
    expect(bad.exitCode).toBe(1);
    for (const env of ENVS) {
      expect(bad.stdout).toContain(`error: sample, env ${env}, secret db-credentials, key api-token: declared key is missing`);
      expect(bad.stdout).toContain(`[environments/${env}/sample/secrets/db-credentials.enc.yaml]`);
    }
    const json = JSON.parse((await gitops(['secrets', 'check', 'sample', '--json'])).stdout);
    expect(json.ok).toBe(false);
    expect(json.problems).toContainEqual(
      expect.objectContaining({ code: 'missing-key', platform: 'sample', env: 'prod', secret: 'db-credentials', key: 'salt', file: 'environments/prod/sample/secrets/db-credentials.enc.yaml' }),
    );

    // adding keys to an existing file needs a key that opens it; the error says which file and keys
    const noKey = await gitops(['secrets', 'init', '--env', 'dev']);
    expect(noKey.exitCode).toBe(1);
    expect(noKey.stderr).toContain('platform sample, env dev, secret db-credentials: cannot add keys api-token, salt');
    expect(noKey.stderr).toContain('set SOPS_AGE_KEY_FILE');

    for (const env of ENVS) {
      const before = readFileSync(secretFile(env), 'utf8');
      const res = await gitops(['secrets', 'init', '--env', env, '--set', `db-credentials.api-token=tok-${env}-given`], { env: { SOPS_AGE_KEY_FILE: keyFile(env) } });
      expect(res.exitCode, res.stderr).toBe(0);
      expect(res.stderr).toContain("warning: --set given on the command line is visible in shell history"); // explicit opt-in, warned
      expect(res.stderr).toContain(`added keys to environments/${env}/sample/secrets/db-credentials.enc.yaml (generated salt; given api-token)`);
      const after = readFileSync(secretFile(env), 'utf8');
      expect(encLine(after, 'password')).toBe(encLine(before, 'password'));
      const plain = parse(await decryptFile(secretFile(env), { identities: exampleIds(env), config: false }));
      expect(Object.keys(plain.stringData)).toEqual(['password', 'api-token', 'salt']);
      expect(plain.stringData['api-token']).toBe(`tok-${env}-given`);
      expect(plain.stringData.salt).toMatch(/^[0-9a-f]{24}$/);
    }
    expect((await gitops(['secrets', 'check'])).exitCode).toBe(0);

    // an undeclared key, a missing file and a tampered value are reported too
    const tampered = readFileSync(secretFile('staging'), 'utf8').replace(/(salt: ENC\[AES256_GCM,data:)(.)/, (_m, a: string, c: string) => a + (c === 'A' ? 'B' : 'A'));
    writeFileSync(secretFile('staging'), tampered);
    const prodFile = readFileSync(secretFile('prod'), 'utf8');
    rmSync(secretFile('prod'));
    writeFileSync(join(root, 'libs/platforms/sample/src/index.ts'), SPEC.replace(DECL_BEFORE, DECL_AFTER.replace(", { name: 'salt', generate: { kind: 'hex', length: 24 } }", '')));
    const many = JSON.parse((await gitops(['secrets', 'check', '--json'])).stdout);
    const codes = many.problems.map((p: any) => `${p.code} ${p.env} ${p.key ?? ''}`.trim());
    expect(codes).toContain('undeclared-key dev salt');
    expect(codes).toContain('missing-file prod');
    const view = await gitops(['secrets', 'view', 'environments/staging/sample/secrets/db-credentials.enc.yaml'], { env: { SOPS_AGE_KEY_FILE: keyFile('staging') } });
    expect(view.exitCode).toBe(1);
    expect(view.stderr).toContain('environments/staging/sample/secrets/db-credentials.enc.yaml');
    expect(view.stderr).toMatch(/MAC|authenticat|decrypt/i);

    writeFileSync(secretFile('prod'), prodFile);
    writeFileSync(join(root, 'libs/platforms/sample/src/index.ts'), SPEC.replace(DECL_BEFORE, DECL_AFTER));
    const fixStaging = await gitops(['secrets', 'edit', 'environments/staging/sample/secrets/db-credentials.enc.yaml'], { env: { SOPS_AGE_KEY_FILE: keyFile('staging'), EDITOR: 'true' } });
    expect(fixStaging.exitCode).toBe(1); // still refuses the tampered file
    rmSync(secretFile('staging'));
    const fromStdin = await gitops(['secrets', 'init', '--env', 'staging', '--from-env-file', '-'], { input: 'db-credentials__api-token=tok-staging-given\n' });
    expect(fromStdin.exitCode, fromStdin.stderr).toBe(0);
    expect(fromStdin.stderr).toContain('created environments/staging/sample/secrets/db-credentials.enc.yaml (generated password, salt; given api-token)');
    expect((await gitops(['secrets', 'check'])).exitCode).toBe(0);
  });

  it('set, get, view, edit and rotate', async () => {
    const file = 'environments/dev/sample/secrets/db-credentials.enc.yaml';
    const env = { SOPS_AGE_KEY_FILE: keyFile('dev') };
    const before = readFileSync(secretFile('dev'), 'utf8');
    const set = await gitops(['secrets', 'set', file, 'api-token', '-'], { env, input: 'from-stdin-token\n' });
    expect(set.exitCode, set.stderr).toBe(0);
    expect(set.stderr).toContain(`set api-token in ${file}`);
    const after = readFileSync(secretFile('dev'), 'utf8');
    expect(encLine(after, 'password')).toBe(encLine(before, 'password'));
    expect(encLine(after, 'api-token')).not.toBe(encLine(before, 'api-token'));
    expect((await gitops(['secrets', 'get', file, 'api-token'], { env, log: false })).stdout).toBe('from-stdin-token');

    const typo = await gitops(['secrets', 'set', file, 'api-tokn'], { env, input: 'x' });
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toContain(`${file}: has no key "api-tokn"`);

    const view = await gitops(['secrets', 'view', file], { env, log: false });
    expect(parse(view.stdout).stringData['api-token']).toBe('from-stdin-token');
    expect(view.stdout).toContain('kind: Secret');

    // an "editor" that rewrites one value: the others keep their exact ciphertext
    const editor = join(root, '.home', 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/from-stdin-token/edited-token/" "$1"\n');
    chmodSync(editor, 0o755);
    const pre = readFileSync(secretFile('dev'), 'utf8');
    const edit = await gitops(['secrets', 'edit', file], { env: { ...env, EDITOR: editor } });
    expect(edit.exitCode, edit.stderr).toBe(0);
    const post = readFileSync(secretFile('dev'), 'utf8');
    expect(encLine(post, 'password')).toBe(encLine(pre, 'password'));
    expect(encLine(post, 'salt')).toBe(encLine(pre, 'salt'));
    expect((await gitops(['secrets', 'get', file, 'api-token'], { env, log: false })).stdout).toBe('edited-token');
    const unchanged = await gitops(['secrets', 'edit', file], { env: { ...env, EDITOR: 'true' } });
    expect(unchanged.stderr).toContain('no changes');
    expect(readFileSync(secretFile('dev'), 'utf8')).toBe(post);

    const password = (await gitops(['secrets', 'get', file, 'password'], { env, log: false })).stdout;
    expect((await gitops(['secrets', 'rotate', file], { env })).exitCode).toBe(0);
    expect(encLine(readFileSync(secretFile('dev'), 'utf8'), 'password')).not.toBe(encLine(post, 'password'));
    expect((await gitops(['secrets', 'get', file, 'password'], { env, log: false })).stdout).toBe(password);

    const noKey = await gitops(['secrets', 'get', file, 'password']);
    expect(noKey.exitCode).toBe(1);
    expect(noKey.stderr).toContain(file);
  });

  it('render decrypts with a key and redacts without one, like KSOPS + the overlay namespace', async () => {
    const withKey = await gitops(['render', 'sample', '--env', 'dev', '--json'], { env: { SOPS_AGE_KEY_FILE: keyFile('dev') }, log: false });
    expect(withKey.exitCode, withKey.stderr).toBe(0);
    const plain = parse(await decryptFile(secretFile('dev'), { identities: exampleIds('dev'), config: false }));
    const secret = JSON.parse(withKey.stdout).filter((o: any) => o.kind === 'Secret');
    expect(secret).toEqual([{ ...plain, metadata: { ...plain.metadata, namespace: 'sample-dev' } }]);

    const without = await gitops(['render', 'sample', '--env', 'dev', '--json']);
    expect(without.exitCode, without.stderr).toBe(0);
    const redacted = JSON.parse(without.stdout).filter((o: any) => o.kind === 'Secret');
    expect(redacted).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db-credentials', namespace: 'sample-dev', annotations: { 'argocd.argoproj.io/sync-wave': '1' } },
        type: 'Opaque',
        stringData: { password: REDACTED_VALUE, 'api-token': REDACTED_VALUE, salt: REDACTED_VALUE },
      },
    ]);
    // a configured key file that does not exist is an error, not a silent redaction
    const broken = await gitops(['render', 'sample', '--env', 'dev', '--json'], { env: { SOPS_AGE_KEY_FILE: join(root, 'missing.agekey') } });
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr).toContain('failed to open SOPS_AGE_KEY_FILE');
    // the wrong environment's key is "no key" too, and validate works without any key
    const wrong = await gitops(['render', 'sample', '--env', 'prod', '--json'], { env: { SOPS_AGE_KEY_FILE: keyFile('dev') } });
    expect(JSON.parse(wrong.stdout).find((o: any) => o.kind === 'Secret').stringData.password).toBe(REDACTED_VALUE);
    // the sample fails prod policy on its own; what matters: nothing about the Secret or references to it
    const validate = await gitops(['validate', 'sample', '--json'], { log: false });
    const findings = (JSON.parse(validate.stdout) as Array<{ findings: Array<{ kind: string; rule: string; message: string }> }>).flatMap((r) => r.findings);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((f) => f.kind === 'Secret' || /secret/i.test(f.rule) || /db-credentials/.test(f.message))).toEqual([]);
  });

  it('take-ownership re-encrypts an environment to a new key; the example key no longer opens its files', async () => {
    const keygen = await gitops(['secrets', 'keygen'], { log: false });
    expect(keygen.exitCode).toBe(0);
    const recipient = /Public key: (age1\S+)/.exec(keygen.stderr)![1];
    expect(keygen.stdout).toContain(`# public key: ${recipient}`);
    const ownKey = join(root, '.home', 'own.agekey');
    writeFileSync(ownKey, keygen.stdout, { mode: 0o600 });

    const devPassword = (await gitops(['secrets', 'get', 'environments/dev/sample/secrets/db-credentials.enc.yaml', 'password'], { env: { SOPS_AGE_KEY_FILE: keyFile('dev') }, log: false })).stdout;
    const stagingBefore = readFileSync(secretFile('staging'), 'utf8');
    const dataKeyLineBefore = readFileSync(secretFile('dev'), 'utf8');

    const bad = await gitops(['secrets', 'take-ownership', '--env', 'dev', '--age', EXAMPLE_RECIPIENTS.dev]);
    expect(bad.exitCode).toBe(2); // bad input
    expect(bad.stderr).toContain('public example recipient');

    const res = await gitops(['secrets', 'take-ownership', '--env', 'dev', '--age', recipient]);
    expect(res.exitCode, res.stderr).toBe(0);
    expect(res.stderr).toContain('re-encrypted 1 file');

    const recipients = parse(readFileSync(join(root, 'libs/environments/recipients.yaml'), 'utf8'));
    expect(recipients).toEqual({ dev: [recipient], staging: [EXAMPLE_RECIPIENTS.staging], prod: [EXAMPLE_RECIPIENTS.prod] });
    const recText = readFileSync(join(root, 'libs/environments/recipients.yaml'), 'utf8');
    expect(recText).toContain('# age recipients per environment');
    expect(recText).toContain('# dev: own recipients (gitops secrets take-ownership), not the example key\ndev:\n');
    expect(readFileSync(join(root, '.sops.yaml'), 'utf8')).toContain(`age: ${recipient}`);
    expect(readFileSync(join(root, '.sops.yaml'), 'utf8')).not.toContain(EXAMPLE_RECIPIENTS.dev);

    expect((await readMetadata(secretFile('dev'))).recipients).toEqual([recipient]);
    await expect(decryptFile(secretFile('dev'), { identities: exampleIds('dev'), config: false })).rejects.toThrow(/no age identity matches/);
    const old = await gitops(['secrets', 'view', 'environments/dev/sample/secrets/db-credentials.enc.yaml'], { env: { SOPS_AGE_KEY_FILE: keyFile('dev') } });
    expect(old.exitCode).toBe(1);
    const mine = await gitops(['secrets', 'get', 'environments/dev/sample/secrets/db-credentials.enc.yaml', 'password'], { env: { SOPS_AGE_KEY_FILE: ownKey }, log: false });
    expect(mine.stdout).toBe(devPassword);
    // a new data key: no value keeps its old ciphertext
    expect(encLine(readFileSync(secretFile('dev'), 'utf8'), 'password')).not.toBe(encLine(dataKeyLineBefore, 'password'));
    expect(readFileSync(secretFile('staging'), 'utf8')).toBe(stagingBefore);

    expect((await gitops(['secrets', 'check'])).exitCode).toBe(0);
    expect((await gitops(['secrets', 'updatekeys', '--dry-run'])).stderr).toContain('0 to update');

    // --regenerate gives generated keys fresh values (the old ones were readable with the example key)
    const regen = await gitops(['secrets', 'take-ownership', '--env', 'dev', '--age', recipient, '--regenerate'], { env: { SOPS_AGE_KEY_FILE: ownKey } });
    expect(regen.exitCode, regen.stderr).toBe(0);
    expect(regen.stderr).toContain('regenerated password, salt in environments/dev/sample/secrets/db-credentials.enc.yaml');
    const fresh = await gitops(['secrets', 'get', 'environments/dev/sample/secrets/db-credentials.enc.yaml', 'password'], { env: { SOPS_AGE_KEY_FILE: ownKey }, log: false });
    expect(fresh.stdout).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(fresh.stdout).not.toBe(devPassword);
  });

  it('updatekeys re-wraps files for the recipients in .sops.yaml and reports per file', async () => {
    // staging: add a second recipient by hand-editing .sops.yaml (as a person would before `config` exists)
    const extra = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
    const cfg = readFileSync(join(root, '.sops.yaml'), 'utf8');
    writeFileSync(join(root, '.sops.yaml'), cfg.replace(`age: ${EXAMPLE_RECIPIENTS.staging}`, `age: ${EXAMPLE_RECIPIENTS.staging},${extra}`));
    const dry = await gitops(['secrets', 'updatekeys', '--dry-run']);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain(`would update environments/staging/sample/secrets/db-credentials.enc.yaml: added ${extra}`);
    const check = await gitops(['secrets', 'check']);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain('.sops.yaml does not match');
    const run = await gitops(['secrets', 'updatekeys'], { env: { SOPS_AGE_KEY_FILE: keyFile('staging') } });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect((await readMetadata(secretFile('staging'))).recipients).toEqual([EXAMPLE_RECIPIENTS.staging, extra]);
    // back to the generated config: check names the file whose recipients now differ
    expect((await gitops(['secrets', 'config'])).exitCode).toBe(0);
    const mismatch = await gitops(['secrets', 'check']);
    expect(mismatch.exitCode).toBe(1);
    expect(mismatch.stdout).toContain(`sample, env staging, secret db-credentials: recipients differ from .sops.yaml; not in .sops.yaml ${extra}`);
    expect((await gitops(['secrets', 'updatekeys'], { env: { SOPS_AGE_KEY_FILE: keyFile('staging') } })).exitCode).toBe(0);
    expect((await gitops(['secrets', 'check'])).exitCode).toBe(0);
  });

  it('never prints a secret value outside get/view', async () => {
    const ids: Record<string, string> = { dev: join(root, '.home', 'own.agekey'), staging: keyFile('staging'), prod: keyFile('prod') };
    const values: string[] = [];
    for (const env of ENVS) {
      const plain = parse(await decryptFile(secretFile(env), { identities: parseIdentities(readFileSync(ids[env], 'utf8'), env), config: false }));
      values.push(...(Object.values(plain.stringData) as string[]));
    }
    const secretValues = values.filter((v) => !v.startsWith('tok-') && v !== SECRET_PLACEHOLDER);
    expect(secretValues.length).toBeGreaterThanOrEqual(6);
    expect(logs.length).toBeGreaterThan(1000);
    for (const v of secretValues) expect(logs).not.toContain(v);
    expect(logs).not.toContain('AGE-SECRET-KEY-1');
  });
});

describe('gitops secrets scan', () => {
  let tree: string;
  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), 'gitops-scan-'));
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  const scan = (args: string[], cwd = tree) =>
    execa('node', [bin, 'secrets', 'scan', ...args], { cwd, reject: false, extendEnv: false, env: { GITOPS_ROOT: cwd, PATH: process.env.PATH!, HOME: cwd } });

  it('catches a planted leak of each kind and names file, line and key, never the value', async () => {
    const identity = exampleIds('dev')[0];
    mkdirSync(join(tree, 'deploy/app'), { recursive: true });
    mkdirSync(join(tree, 'ops'), { recursive: true });
    mkdirSync(join(tree, 'test/fixtures'), { recursive: true });
    writeFileSync(join(tree, 'deploy/app/secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2-planted\n');
    writeFileSync(join(tree, 'deploy/app/kustomization.yaml'), 'resources: []\nsecretGenerator:\n  - name: api\n    literals:\n      - TOKEN=planted-literal-value\n');
    writeFileSync(join(tree, 'ops/keys.txt'), `# my key\n${identity}\n`);
    writeFileSync(join(tree, 'test/fixtures/keys.txt'), `${identity}\n`); // a folder name is no exemption
    mkdirSync(join(tree, 'test-keys'), { recursive: true });
    writeFileSync(join(tree, 'test-keys/example.agekey'), `${identity}\n`); // the declared test-key location is
    const res = await scan([]);
    expect(res.exitCode).toBe(1);
    expect(res.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'deploy/app/kustomization.yaml:5: kustomize-secret-literal: secretGenerator api: literal TOKEN',
      'deploy/app/secret.yaml:6: k8s-secret-plaintext: Secret db: stringData.password is plaintext (not ENC[...])',
      'ops/keys.txt:2: age-private-key: age private key (AGE-SECRET-KEY-1...) outside the declared test-key locations',
      'test/fixtures/keys.txt:1: age-private-key: age private key (AGE-SECRET-KEY-1...) outside the declared test-key locations',
    ]);
    for (const v of ['hunter2-planted', 'planted-literal-value', identity]) expect(res.stdout + res.stderr).not.toContain(v);
    expect((await scan(['--exclude', 'deploy/', '--exclude', 'ops/', '--exclude', 'test/'])).exitCode).toBe(0);
    expect((await scan([join(tree, 'test')])).exitCode).toBe(1);
    expect((await scan([join(tree, 'test-keys')])).exitCode).toBe(0);
    const json = JSON.parse((await scan(['--json', join(tree, 'ops')])).stdout);
    expect(json).toEqual([{ file: 'ops/keys.txt', line: 2, kind: 'age-private-key', detail: 'age private key (AGE-SECRET-KEY-1...) outside the declared test-key locations' }]);
  });

  it('a path that does not exist is bad input (exit 2) naming it, without a source location', async () => {
    const res = await scan(['no-such-path']);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('error: no-such-path: no such file or directory');
    expect(res.stderr).not.toMatch(/\.ts:\d+/);
  });

  it('--staged scans the git index (the pre-commit hook), not the work tree', async () => {
    const git = (...args: string[]) => execa('git', args, { cwd: tree, env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    await git('init', '-q');
    expect((await scan(['--staged'])).exitCode).toBe(0); // nothing staged
    await git('add', 'deploy/app/secret.yaml');
    const res = await scan(['--staged']);
    expect(res.exitCode).toBe(1);
    expect(res.stdout).toContain('deploy/app/secret.yaml:6: k8s-secret-plaintext');
    expect(res.stdout).not.toContain('ops/keys.txt');
    // the staged content counts, not the work tree's
    writeFileSync(join(tree, 'deploy/app/secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n');
    expect((await scan(['--staged'])).exitCode).toBe(1);
    await git('add', 'deploy/app/secret.yaml');
    expect((await scan(['--staged'])).exitCode).toBe(0);
  });
});
