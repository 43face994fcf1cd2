/**
 * `gitops secrets set/get/view/edit` refuse what would destroy or expose a value, and say so
 * plainly: an emptied editor buffer, empty standard input, a path outside the encrypted part, a
 * missing file, a failing editor. Every refusal leaves the file byte for byte as it was and never
 * prints a value; and `validate` with a key for one environment sums up what the key cannot open
 * in one line per environment. In-process (run-main.ts) except where standard input is under test.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { EXAMPLE_RECIPIENTS } from '@gitops/environments';
import { decryptFile, encryptDocument, K8S_SECRET_ENCRYPTED_REGEX, parseIdentities } from '@gitops/secrets';
import { redactionSummary } from '@gitops/secrets-workflow';
import { runMain } from './run-main';

const repo = resolve(__dirname, '../../..');
const bin = join(repo, 'apps/gitops/bin/gitops.mjs');
const exampleKey = join(repo, 'test-keys', 'example-dev.agekey'); // public example key (test data)
const FILE = 'environments/dev/app/secrets/app-secrets.enc.yaml';
let root: string;
let abs: string;
let original: string;

const env = (extra: Record<string, string> = {}) => ({
  HOME: join(root, '.home'),
  XDG_CONFIG_HOME: join(root, '.home', 'xdg'),
  PATH: process.env.PATH!,
  SOPS_AGE_KEY_FILE: exampleKey,
  ...extra,
});
const gitops = (args: string[], extra: Record<string, string> = {}) => runMain(args, { cwd: root, env: env(extra), extendEnv: false });
/** A real process: standard input is what is tested. */
const gitopsStdin = (args: string[], stdin: { input: string } | { stdin: 'ignore' }) =>
  execa('node', [bin, ...args], { cwd: root, reject: false, env: env(), extendEnv: false, ...stdin });
const plain = async () => parse(await decryptFile(abs, { identities: parseIdentities(readFileSync(exampleKey, 'utf8'), exampleKey), config: false }));

/** An $EDITOR: a script that replaces the file it is given with `text`. */
function editorWriting(name: string, text: string): string {
  const p = join(root, '.home', `${name}.sh`);
  writeFileSync(join(root, '.home', `${name}.txt`), text);
  writeFileSync(p, `#!/bin/sh\ncat "${join(root, '.home', `${name}.txt`)}" > "$1"\n`);
  chmodSync(p, 0o755);
  return p;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gitops-guards-'));
  mkdirSync(join(root, '.home/xdg'), { recursive: true });
  mkdirSync(join(root, 'environments/dev/app/secrets'), { recursive: true });
  abs = join(root, FILE);
  original = await encryptDocument(
    'apiVersion: v1\nkind: Secret\nmetadata:\n    name: app-secrets\nstringData:\n    GITLAB_TOKEN: glpat-test-value-1\n    OTHER: other-test-value\n',
    { format: 'yaml', recipients: [EXAMPLE_RECIPIENTS.dev], encryptedRegex: K8S_SECRET_ENCRYPTED_REGEX },
  );
});
beforeEach(() => writeFileSync(abs, original));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('secrets edit refuses a result that would destroy the file', () => {
  it.each([
    ['an emptied buffer', '', 'the edited document is empty; nothing changed'],
    ['only whitespace and comments', '\n   \n# all gone\n', 'the edited document is empty; nothing changed'],
    ['an empty mapping', '{}\n', 'the edited document is empty; nothing changed'],
    ['a scalar instead of a mapping', 'just some text\n', 'YAML documents that are values are not supported); nothing changed'],
    ['a list instead of a mapping', '- a\n- b\n', 'YAML documents that are sequences are not supported); nothing changed'],
    ['a Secret without data and stringData', 'apiVersion: v1\nkind: Secret\nmetadata:\n    name: app-secrets\n', 'has no key left in data or stringData'],
    ['a Secret whose stringData is emptied to {}', 'apiVersion: v1\nkind: Secret\nmetadata:\n    name: app-secrets\nstringData: {}\n', 'has no key left in data or stringData'],
    ['a Secret with empty data and stringData', 'apiVersion: v1\nkind: Secret\nmetadata:\n    name: app-secrets\ndata: {}\nstringData:\n', 'has no key left in data or stringData'],
  ])('%s: exit 2, the file unchanged, the message says nothing changed', async (_name, text, message) => {
    const res = await gitops(['secrets', 'edit', FILE], { EDITOR: editorWriting('ed', text) });
    expect(res.exitCode, res.stderr).toBe(2);
    expect(res.stderr).toContain(message);
    expect(res.stderr).toContain('nothing changed');
    expect(res.stderr.split(FILE).length - 1).toBe(1); // named once
    expect(res.stderr).not.toContain('saved');
    expect(readFileSync(abs, 'utf8')).toBe(original);
  });

  it('an editor that fails: exit 1, the file named once, unchanged', async () => {
    const res = await gitops(['secrets', 'edit', FILE], { EDITOR: 'sh -c "exit 3"' });
    expect(res.exitCode, res.stderr).toBe(1);
    expect(res.stderr).toBe(`error: ${FILE}: editor "sh -c "exit 3"" exited with 3; nothing changed`);
    expect(readFileSync(abs, 'utf8')).toBe(original);
  });

  it('a real edit still saves (the guards do not block a Secret that keeps a value section)', async () => {
    const res = await gitops(['secrets', 'edit', FILE], {
      EDITOR: editorWriting('ok', 'apiVersion: v1\nkind: Secret\nmetadata:\n    name: app-secrets\nstringData:\n    GITLAB_TOKEN: glpat-test-value-2\n'),
    });
    expect(res.exitCode, res.stderr).toBe(0);
    expect((await plain()).stringData).toEqual({ GITLAB_TOKEN: 'glpat-test-value-2' });
  });
});

describe('secrets set refuses an empty value unless --allow-empty', () => {
  it.each([
    ['empty piped input', { input: '' }, 'standard input is empty'],
    ['a lone newline', { input: '\n' }, 'standard input is empty'],
    ['stdin from /dev/null', { stdin: 'ignore' as const }, 'standard input is empty'],
  ])('%s: exit 2, nothing written', async (_name, stdin, message) => {
    const res = await gitopsStdin(['secrets', 'set', FILE, 'GITLAB_TOKEN', '-'], stdin);
    expect(res.exitCode, res.stderr).toBe(2);
    expect(res.stderr).toContain(`${message}; nothing changed (pass --allow-empty to set an empty value)`);
    expect(readFileSync(abs, 'utf8')).toBe(original);
  });

  it('--value "" is refused the same way (in-process: no stdin involved)', async () => {
    const res = await gitops(['secrets', 'set', FILE, 'GITLAB_TOKEN', '--value', '']);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('--value is empty; nothing changed');
    expect(readFileSync(abs, 'utf8')).toBe(original);
  });

  it('--allow-empty sets an empty value on purpose', async () => {
    const res = await gitopsStdin(['secrets', 'set', FILE, 'GITLAB_TOKEN', '-', '--allow-empty'], { input: '' });
    expect(res.exitCode, res.stderr).toBe(0);
    expect((await plain()).stringData).toEqual({ GITLAB_TOKEN: '', OTHER: 'other-test-value' });
  });
});

describe('secrets set writes only encrypted values', () => {
  it.each([
    ['["metadata"]["name"]'],
    ['["kind"]'],
    ['["metadata"]["labels"]["new"]'],
  ])('%s: outside data/stringData, exit 2, nothing written, the value never printed', async (path) => {
    const res = await gitops(['secrets', 'set', FILE, path, '--value', 'NEWVAL77', '--add']);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain(`${FILE}: ${path} is outside the encrypted part of the file (encrypted_regex "${K8S_SECRET_ENCRYPTED_REGEX}")`);
    expect(res.stdout + res.stderr).not.toContain('NEWVAL77');
    expect(readFileSync(abs, 'utf8')).toBe(original);
  });

  it('a sops-style path to a new key needs --add like a plain key does', async () => {
    const refused = await gitops(['secrets', 'set', FILE, '["stringData"]["BRANDNEW"]', '--value', 'new-test-value']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(`${FILE}: has no key "["stringData"]["BRANDNEW"]" (check the name, or pass --add to add it)`);
    expect(readFileSync(abs, 'utf8')).toBe(original);

    const added = await gitops(['secrets', 'set', FILE, '["stringData"]["BRANDNEW"]', '--value', 'new-test-value', '--add']);
    expect(added.exitCode, added.stderr).toBe(0);
    expect((await plain()).stringData.BRANDNEW).toBe('new-test-value');
    expect(readFileSync(abs, 'utf8')).toMatch(/BRANDNEW: ENC\[AES256_GCM,/);
  });

  it('a sops-style path to an existing key works without --add', async () => {
    const res = await gitops(['secrets', 'set', FILE, '["stringData"]["OTHER"]', '--value', 'other-test-value-2']);
    expect(res.exitCode, res.stderr).toBe(0);
    expect((await plain()).stringData.OTHER).toBe('other-test-value-2');
  });
});

describe('a file that does not exist', () => {
  it.each([
    [['get', 'nofile.enc.yaml', 'X']],
    [['set', 'nofile.enc.yaml', 'X', '--value', 'v']],
    [['view', 'nofile.enc.yaml']],
    [['edit', 'nofile.enc.yaml']],
  ])('secrets %j: exit 2, "the file does not exist"', async (args) => {
    const res = await gitops(['secrets', ...args], { EDITOR: 'true' });
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toBe('error: nofile.enc.yaml: the file does not exist');
  });
});

describe('validate with a key for one environment', () => {
  it('sums up the files the key cannot open in one line per environment, none per file', async () => {
    redactionSummary(); // test files share modules (isolate: false): drop what earlier renders in this worker recorded
    const res = await runMain(['validate', 'hyperpage'], { cwd: repo, env: { SOPS_AGE_KEY_FILE: exampleKey } });
    expect(res.stderr).not.toContain('could not decrypt the data key');
    const notes = res.stderr.split('\n').filter((l) => l.startsWith('note:'));
    const count = (env: string) => readdirSync(join(repo, 'environments', env, 'hyperpage', 'secrets')).filter((f) => f.endsWith('.enc.yaml')).length;
    expect(notes).toEqual(
      (['staging', 'prod'] as const).map(
        (env) =>
          `note: the age key opens no SOPS file of ${env} (${count(env)} files, encrypted to ${EXAMPLE_RECIPIENTS[env]}; ` +
          `key sources tried: SOPS_AGE_KEY_FILE (${exampleKey})): their Secrets are checked by key names only`,
      ),
    );
  });
});
