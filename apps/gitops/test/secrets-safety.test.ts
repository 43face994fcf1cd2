/**
 * Issue 19 items 2, 4 and 5 through the real CLI in a throwaway repository (GITOPS_ROOT):
 * take-ownership resumes after a kill, `secrets edit` removes its plaintext copy on every catchable
 * signal, values come from stdin or a hidden prompt (a value argument is refused or, with --value,
 * warned about), and `keygen -o` writes a 0600 file it never overwrites. Kills happen at named
 * steps (GITOPS_TEST_CRASH_AT) or after the child says it is ready: no timing sleeps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { EXAMPLE_RECIPIENTS } from '@gitops/environments';
import { decryptFile, encryptDocument, K8S_SECRET_ENCRYPTED_REGEX, parseIdentities, readMetadata } from '@gitops/secrets';
import { editTempRoot, removeStaleEditDirs } from '@gitops/secrets-workflow';

const repo = resolve(__dirname, '../../..');
const bin = join(repo, 'apps/gitops/bin/gitops.mjs');
const exampleKey = join(repo, 'test-keys', 'example-dev.agekey');
let root: string;

const env = (extra: Record<string, string> = {}) => ({
  GITOPS_ROOT: root,
  HOME: join(root, '.home'),
  XDG_CONFIG_HOME: join(root, '.home', 'xdg'),
  PATH: process.env.PATH!,
  ...extra,
});
const gitops = (args: string[], opts: { env?: Record<string, string>; input?: string } = {}) =>
  execa('node', [bin, ...args], { cwd: root, reject: false, env: env(opts.env), extendEnv: false, input: opts.input ?? '' });

async function secretFile(rel: string, values: Record<string, string>): Promise<string> {
  const abs = join(root, rel);
  mkdirSync(dirname(abs), { recursive: true });
  const body = Object.entries(values).map(([k, v]) => `    ${k}: ${v}\n`).join('');
  writeFileSync(abs, await encryptDocument(`apiVersion: v1\nkind: Secret\nmetadata:\n    name: x\nstringData:\n${body}`, {
    format: 'yaml', recipients: [EXAMPLE_RECIPIENTS.dev], encryptedRegex: K8S_SECRET_ENCRYPTED_REGEX,
  }));
  return abs;
}
const open = (f: string, keyFile = exampleKey) => decryptFile(f, { identities: parseIdentities(readFileSync(keyFile, 'utf8'), keyFile), config: false });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'gitops-safety-'));
  writeFileSync(join(root, 'nx.json'), '{}\n');
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  mkdirSync(join(root, 'libs/platforms'), { recursive: true });
  mkdirSync(join(root, '.home/xdg'), { recursive: true });
  cpSync(join(repo, 'libs/environments/recipients.yaml'), join(root, 'libs/environments/recipients.yaml'));
  cpSync(join(repo, 'test-keys'), join(root, 'test-keys'), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('take-ownership', () => {
  it('killed half-way, a rerun of the same command finishes the job', async () => {
    const files = await Promise.all(['a', 'b', 'c'].map((n) => secretFile(`environments/dev/${n}/secrets/s.enc.yaml`, { token: `value-${n}` })));
    expect((await gitops(['secrets', 'config'])).exitCode).toBe(0);
    const own = join(root, '.home', 'own.agekey');
    const kg = await gitops(['secrets', 'keygen', '-o', own]);
    const recipient = /Public key: (age1\S+)/.exec(kg.stderr)![1];

    // killed right after the second file was replaced: two files on the new key, one on the old
    const killed = await gitops(['secrets', 'take-ownership', '--env', 'dev', '--age', recipient], { env: { GITOPS_TEST_CRASH_AT: 'renamed#2' } });
    expect(killed.signal).toBe('SIGKILL');
    const recipientsOf = async () => Promise.all(files.map(async (f) => (await readMetadata(f)).recipients[0]));
    expect((await recipientsOf()).filter((r) => r === recipient)).toHaveLength(2);
    expect(parse(readFileSync(join(root, 'libs/environments/recipients.yaml'), 'utf8')).dev).toEqual([EXAMPLE_RECIPIENTS.dev]);

    const rerun = await gitops(['secrets', 'take-ownership', '--env', 'dev', '--age', recipient], { env: { SOPS_AGE_KEY_FILE: own } });
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain('re-encrypted 1 file');
    expect(rerun.stderr).toContain('2 files already on the new recipients');
    expect(await recipientsOf()).toEqual([recipient, recipient, recipient]);
    expect(parse(readFileSync(join(root, 'libs/environments/recipients.yaml'), 'utf8')).dev).toEqual([recipient]);
    expect(readFileSync(join(root, '.sops.yaml'), 'utf8')).toContain(`age: ${recipient}`);
    for (const [i, f] of files.entries()) expect(await open(f, own)).toContain(`token: value-${'abc'[i]}`);
    await expect(open(files[2])).rejects.toThrow(/no age identity matches/);
  });
});

describe('secrets edit', () => {
  it('keeps the plaintext copy in a RAM-backed folder when one exists', () => {
    const where = editTempRoot();
    if (existsSync('/dev/shm')) expect(where).toEqual({ dir: '/dev/shm', ramBacked: true });
  });

  it('removes folders of killed edits, including one naming its own pid (pid 1 in every container run), and keeps a live one', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'gitops-edit-root-'));
    try {
      for (const pid of [process.pid, process.ppid, 2 ** 22 + 1]) mkdirSync(join(tmp, `gitops-edit-${pid}-x`));
      expect(removeStaleEditDirs(tmp).sort()).toEqual([join(tmp, `gitops-edit-${2 ** 22 + 1}-x`), join(tmp, `gitops-edit-${process.pid}-x`)].sort());
      expect(existsSync(join(tmp, `gitops-edit-${process.ppid}-x`))).toBe(true);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('removes the decrypted copy on %s', async (signal) => {
    const f = await secretFile(`environments/dev/edit-${signal}/secrets/s.enc.yaml`, { token: 'v' });
    const before = readFileSync(f, 'utf8');
    // The "editor" reports the file it was given, then waits for input that never comes.
    const editor = join(root, 'wait-editor.sh');
    writeFileSync(editor, '#!/bin/sh\necho "EDITING $1" >&2\nread line\n');
    chmodSync(editor, 0o755);
    const proc = spawn('node', [bin, 'secrets', 'edit', f], { cwd: root, env: env({ SOPS_AGE_KEY_FILE: exampleKey, EDITOR: editor }), stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    const tmp = await new Promise<string>((res, rej) => {
      proc.stderr.on('data', (d) => {
        stderr += d.toString();
        const m = /EDITING (\S+)/.exec(stderr);
        if (m) res(m[1]);
      });
      proc.on('close', () => rej(new Error(`edit exited early: ${stderr}`)));
    });
    expect(readFileSync(tmp, 'utf8')).toContain('token: v'); // the plaintext copy exists while editing
    expect(statSync(tmp).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(tmp)).mode & 0o777).toBe(0o700);
    if (existsSync('/dev/shm')) expect(tmp.startsWith('/dev/shm/')).toBe(true);
    const done = new Promise<NodeJS.Signals | null>((res) => proc.on('close', (_c, s) => res(s)));
    proc.kill(signal);
    expect(await done).toBe(signal);
    expect(existsSync(tmp)).toBe(false);
    expect(existsSync(dirname(tmp))).toBe(false);
    expect(readFileSync(f, 'utf8')).toBe(before);
  });

  it('a SIGKILLed edit leaves its copy; the next edit removes it', async () => {
    const f = await secretFile('environments/dev/edit-kill/secrets/s.enc.yaml', { token: 'v' });
    const editor = join(root, 'kill-editor.sh');
    // The editor SIGKILLs the CLI (its parent's parent is sh -c; $PPID is that sh, whose parent is node).
    writeFileSync(editor, '#!/bin/sh\necho "$1" > "$GITOPS_TEST_TMP_RECORD"\nkill -9 $(ps -o ppid= -p $PPID)\n');
    chmodSync(editor, 0o755);
    const record = join(root, 'killed-tmp.txt');
    const killed = await gitops(['secrets', 'edit', f], { env: { SOPS_AGE_KEY_FILE: exampleKey, EDITOR: editor, GITOPS_TEST_TMP_RECORD: record } });
    expect(killed.signal).toBe('SIGKILL');
    const tmp = readFileSync(record, 'utf8').trim();
    expect(existsSync(tmp)).toBe(true);
    const next = await gitops(['secrets', 'edit', f], { env: { SOPS_AGE_KEY_FILE: exampleKey, EDITOR: 'true' } });
    expect(next.exitCode, next.stderr).toBe(0);
    expect(existsSync(dirname(tmp))).toBe(false);
  });
});

describe('secret values never need the command line', () => {
  let f: string;
  beforeAll(async () => {
    f = await secretFile('environments/dev/values/secrets/s.enc.yaml', { token: 'old' });
  });

  it('a value argument is refused (exit 2, file untouched) with the safe alternatives named', async () => {
    const before = readFileSync(f, 'utf8');
    const res = await gitops(['secrets', 'set', f, 'token', 'leaky-value'], { env: { SOPS_AGE_KEY_FILE: exampleKey } });
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('refusing a secret value as a command-line argument');
    expect(res.stderr).toContain('--value');
    expect(res.stderr).not.toContain('leaky-value');
    expect(readFileSync(f, 'utf8')).toBe(before);
  });

  it('reads stdin by default', async () => {
    const res = await gitops(['secrets', 'set', f, 'token'], { env: { SOPS_AGE_KEY_FILE: exampleKey }, input: 'from-stdin\n' });
    expect(res.exitCode, res.stderr).toBe(0);
    expect(await open(f)).toContain('token: from-stdin');
  });

  it('--value is an explicit opt-in and warns', async () => {
    const res = await gitops(['secrets', 'set', f, 'token', '--value', 'from-arg'], { env: { SOPS_AGE_KEY_FILE: exampleKey } });
    expect(res.exitCode, res.stderr).toBe(0);
    expect(res.stderr).toContain("npm's debug log");
    expect(await open(f)).toContain('token: from-arg');
  });

  it('prompts with hidden input on a terminal', async () => {
    // `script` gives the CLI a real pseudo-terminal; the value is typed once the prompt is shown and must not be echoed.
    const cmd = `node ${bin} secrets set ${f} token`;
    const proc = spawn('script', ['-qec', cmd, '/dev/null'], { env: env({ SOPS_AGE_KEY_FILE: exampleKey }), stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    const exited = new Promise<number | null>((res) => proc.on('close', (code) => res(code)));
    await new Promise<void>((res, rej) => {
      proc.stdout.on('data', (d) => {
        screen += d.toString();
        if (screen.includes('(input hidden): ')) res();
      });
      exited.then(() => rej(new Error(`no prompt: ${screen}`)));
    });
    proc.stdin.write('typed-secret\r');
    expect(await exited, screen).toBe(0);
    expect(screen).toContain(`set token in ${f}`);
    expect(screen).not.toContain('typed-secret');
    expect(await open(f)).toContain('token: typed-secret');
  });
});

describe('keygen -o', () => {
  it('writes the keys file with mode 0600 and never overwrites one', async () => {
    const out = join(root, '.home', 'xdg', 'sops', 'age', 'keys.txt');
    const res = await gitops(['secrets', 'keygen', '-o', out]);
    expect(res.exitCode, res.stderr).toBe(0);
    expect(res.stdout).toBe('');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]+$/m);
    expect(res.stderr).toContain(`Public key: ${/# public key: (age1\S+)/.exec(text)![1]}`);
    const again = await gitops(['secrets', 'keygen', '-o', out]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('the file exists');
    expect(readFileSync(out, 'utf8')).toBe(text);
  });
});
