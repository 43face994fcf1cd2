/**
 * `gitops diff` shows changes to an overlay's SOPS files (kustomize's output never holds the
 * Secrets, so a `secrets set` used to read "No rendered changes"): the Secret, the file, keys added
 * or removed by name, "values changed (not shown)", and never a value. Real files: written by
 * `secrets init` and `secrets set` with the example TEST key of dev.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { repo, sampleRepo, type SampleRepo } from './sample-repo';
import { runMain } from './run-main';

const FILE = 'environments/dev/sample/secrets/db-credentials.enc.yaml';
const OLD = 'old-TESTVALUE-4kQ9';
const NEW = 'new-TESTVALUE-7pX2';
const ADDED = 'added-TESTVALUE-2mB8';
const KEY = { SOPS_AGE_KEY_FILE: join(repo, 'test-keys/example-dev.agekey') };

let s: SampleRepo;
const run = (...args: string[]) => runMain(args, { cwd: s.root, env: { GITOPS_ROOT: s.root, ...KEY } });
const git = (...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: s.root });

beforeAll(async () => {
  s = sampleRepo('gitops-diff-secrets-');
  expect((await run('generate', 'sample')).exitCode).toBe(0);
  const init = await run('secrets', 'init', '--env', 'dev', 'sample', '--set', `db-credentials.password=${OLD}`);
  expect(init.exitCode, init.stderr).toBe(0);
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('commit', '-qm', 'base');
}, 120_000);
afterAll(() => s?.cleanup());

describe('gitops diff: secrets', () => {
  it('a value set and a key added are listed by key name, without any value', async () => {
    const keys = Object.keys((await import('yaml')).parse(readFileSync(join(s.root, FILE), 'utf8')).stringData ?? {});
    expect(keys).toContain('password');
    expect((await run('secrets', 'set', FILE, 'password', '--value', NEW)).exitCode).toBe(0);
    expect((await run('secrets', 'set', FILE, 'extra', '--add', '--value', ADDED)).exitCode).toBe(0);
    const res = await run('diff', '--base', 'HEAD');
    expect(res.exitCode, res.stderr).toBe(0);
    expect(res.stdout).not.toMatch(/No rendered changes/);
    expect(res.stdout).toContain(`- Secret \`db-credentials\` (\`${FILE}\`): key \`extra\` added; values changed (not shown): \`password\``);
    const json = await run('diff', '--base', 'HEAD', '--json');
    const diffs = JSON.parse(json.stdout) as Array<{ overlay: string; secrets: Array<{ name: string; change: string; keysAdded: string[]; keysRemoved: string[]; valuesChanged: string[] }> }>;
    expect(diffs.map((d) => d.overlay)).toEqual(['environments/dev/sample']);
    expect(diffs[0].secrets).toMatchObject([{ name: 'db-credentials', change: 'changed', keysAdded: ['extra'], keysRemoved: [], valuesChanged: ['password'] }]);
    for (const out of [res.stdout, res.stderr, json.stdout]) for (const v of [OLD, NEW, ADDED]) expect(out).not.toContain(v);
    expect(json.stdout).not.toMatch(/ENC\[/);
  });

  it('a removed secret file is listed as removed, with its key names', async () => {
    rmSync(join(s.root, FILE));
    const res = await run('diff', '--base', 'HEAD');
    expect(res.exitCode, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/- Secret `db-credentials` \(`environments\/dev\/sample\/secrets\/db-credentials\.enc\.yaml`\): removed \(keys [^)]*`password`/);
    await git('checkout', '--', FILE);
    expect((await run('diff', '--base', 'HEAD')).stdout).toMatch(/No rendered changes/);
  });

  it('a plaintext file, a plaintext value or broken YAML fails the diff (exit 1) naming file and key, never the value', async () => {
    const view = await run('secrets', 'view', FILE);
    expect(view.exitCode, view.stderr).toBe(0);
    const encrypted = readFileSync(join(s.root, FILE), 'utf8');
    const cases: Array<[string, string, RegExp]> = [
      ['plaintext file (secrets view output)', view.stdout, /is not a SOPS file \(no sops metadata\); stringData\.password is not encrypted/],
      ['one plaintext value', encrypted.replace(/^( {4}password:) .*$/m, `$1 ${NEW}`), /: stringData\.password is not encrypted \(ENC\[\.\.\.\]\)$/m],
      ['broken YAML', `apiVersion: v1\nkind: [Secret\n  password: ${NEW}\n`, /does not parse as a YAML mapping/],
    ];
    for (const [what, text, problem] of cases) {
      writeFileSync(join(s.root, FILE), text);
      for (const args of [['diff', '--base', 'HEAD'], ['diff', '--base', 'HEAD', '--json'], ['report', '--base', 'HEAD', '--json']]) {
        const res = await run(...args);
        expect(res.exitCode, `${what}: ${args.join(' ')}: ${res.stderr}`).toBe(1);
        expect(res.stderr).toContain(`${FILE}: `);
        expect(res.stderr, what).toMatch(problem);
        expect(res.stderr).not.toMatch(/\.ts:\d+/);
        for (const out of [res.stdout, res.stderr]) for (const v of [OLD, NEW]) expect(out, `${what}: ${args.join(' ')}`).not.toContain(v);
      }
      const comment = (await run('diff', '--base', 'HEAD')).stdout;
      expect(comment).toContain(`- **ERROR: not a sound SOPS file, do not merge**: Secret \`db-credentials\` (\`${FILE}\`): `);
      expect(comment).not.toMatch(/values changed|removed/);
    }
    await git('checkout', '--', FILE);
  }, 120_000);
});
