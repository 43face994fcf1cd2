/**
 * The real sops CLI (pinned in tools/toolchain/versions.json) and `gitops secrets` read and write the
 * same files: every SOPS file under environments/ opened by `sops -d` with the example TEST keys
 * prints exactly what our decryption prints; `sops -e` with the repository's .sops.yaml writes files
 * `gitops secrets` reads; our rotate/updatekeys output is read by sops and sops's by ours.
 * `gitops secrets` runs in this process (runMain): the files, not the bin, are what is compared.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptFile, readMetadata, rotate, updateKeys } from '@gitops/secrets';
import { sopsFilesUnder } from '@gitops/secrets-workflow';
import { findTool } from '../src';
import { runMain } from '../../../apps/gitops/test/run-main';
import { missingTools, ROOT, tempDir, testIdentities, testKeyFile } from './support';

const skip = missingTools(['sops']);
const ENVS = ['dev', 'staging', 'prod'] as const;
const RECIPIENT = (env: string) => /age1[0-9a-z]+/.exec(readFileSync(testKeyFile(env), 'utf8').split('\n').find((l) => l.includes('public key')) ?? '')![0];

describe.skipIf(!!skip)('real sops CLI interop', () => {
  const sops = skip ? '' : findTool('sops', ROOT).path;
  const envOf = (file: string) => relative(ROOT, file).split('/')[1];
  const runSops = (args: string[], opts: { env?: string; cwd?: string } = {}) =>
    execa(sops, args, {
      cwd: opts.cwd ?? ROOT,
      reject: false,
      stdin: 'ignore',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...(opts.env ? { SOPS_AGE_KEY_FILE: testKeyFile(opts.env) } : {}) },
      extendEnv: false,
      stripFinalNewline: false,
    });
  let work: string;
  beforeAll(() => {
    work = tempDir('sops-interop');
    // A scratch copy of the repository's .sops.yaml, so paths match its creation rules without touching the tree.
    copyFileSync(join(ROOT, '.sops.yaml'), join(work, '.sops.yaml'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('sops reports the pinned version', async () => {
    const r = await runSops(['--version', '--disable-version-check']);
    const pin = JSON.parse(readFileSync(join(ROOT, 'tools/toolchain/versions.json'), 'utf8')).tools.sops.version.slice(1);
    expect(String(r.stdout)).toContain(pin);
  });

  it('sops -d opens every SOPS file under environments/ and prints what our decryption prints', async () => {
    const files = sopsFilesUnder(ROOT, [join(ROOT, 'environments')]);
    expect(files.length).toBeGreaterThan(50);
    const mismatches: string[] = [];
    for (const file of files) {
      const env = envOf(file);
      const r = await runSops(['--decrypt', file], { env });
      if (r.exitCode !== 0) {
        mismatches.push(`${relative(ROOT, file)}: sops -d failed: ${r.stderr}`);
        continue;
      }
      const ours = await decryptFile(file, { identities: testIdentities(env), config: false });
      if (String(r.stdout) !== ours) mismatches.push(`${relative(ROOT, file)}: sops -d and gitops differ`);
    }
    expect(mismatches).toEqual([]);
    process.stderr.write(`sops-interop: real sops ${'-d'} opened all ${files.length} SOPS files under environments/ and matched our decryption\n`);
  });

  for (const env of ENVS) {
    it(`files written by sops -e with the repository's .sops.yaml are read by gitops secrets (${env})`, async () => {
      const rel = `environments/${env}/demo/secrets/interop.enc.yaml`;
      const file = join(work, rel);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(
        file,
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: interop\ntype: Opaque\nstringData:\n  user: test-user\n  password: not-a-real-secret-test-value\ndata:\n  blob: aGVsbG8gd29ybGQ=\n',
      );
      const enc = await runSops(['--encrypt', '--in-place', rel], { cwd: work });
      expect(enc.exitCode, String(enc.stderr)).toBe(0);
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain('not-a-real-secret-test-value');
      expect(text).toContain(RECIPIENT(env));
      const gitops = (args: string[]) =>
        runMain(args, { cwd: work, env: { GITOPS_QUIET: '1', SOPS_AGE_KEY_FILE: testKeyFile(env) }, stripFinalNewline: false });
      const pw = await gitops(['secrets', 'get', file, 'password']);
      expect(pw.exitCode, String(pw.stderr)).toBe(0);
      expect(String(pw.stdout)).toBe('not-a-real-secret-test-value');
      const blob = await gitops(['secrets', 'get', file, 'blob']);
      expect(String(blob.stdout)).toBe('hello world');
      const view = await gitops(['secrets', 'view', file]);
      expect(String(view.stdout)).toBe(String((await runSops(['--decrypt', file], { env })).stdout));
    });
  }

  it('our rotate and updatekeys output is read by sops', async () => {
    const file = join(work, 'environments/dev/demo/secrets/ours.enc.yaml');
    mkdirSync(join(file, '..'), { recursive: true });
    copyFileSync(sopsFilesUnder(ROOT, [join(ROOT, 'environments/dev')])[0], file);
    const before = String((await runSops(['--decrypt', file], { env: 'dev' })).stdout);
    const ids = { identities: testIdentities('dev'), config: false as const };
    await rotate(file, ids);
    expect(String((await runSops(['--decrypt', file], { env: 'dev' })).stdout)).toBe(before);
    // Re-wrap for dev + staging: sops must open it with either key.
    await updateKeys(file, [RECIPIENT('dev'), RECIPIENT('staging')], ids);
    for (const env of ['dev', 'staging']) {
      const r = await runSops(['--decrypt', file], { env });
      expect(r.exitCode, String(r.stderr)).toBe(0);
      expect(String(r.stdout)).toBe(before);
    }
  });

  it('sops rotate and sops updatekeys output is read by ours', async () => {
    const rel = 'environments/staging/demo/secrets/theirs.enc.yaml';
    const file = join(work, rel);
    mkdirSync(join(file, '..'), { recursive: true });
    copyFileSync(sopsFilesUnder(ROOT, [join(ROOT, 'environments/dev')])[0], file);
    const before = await decryptFile(file, { identities: testIdentities('dev'), config: false });
    // updatekeys: the .sops.yaml rule for staging/ names the staging recipient; the dev file moves to it.
    const up = await runSops(['updatekeys', '--yes', rel], { env: 'dev', cwd: work });
    expect(up.exitCode, String(up.stderr)).toBe(0);
    expect((await readMetadata(file)).recipients).toEqual([RECIPIENT('staging')]);
    const staging = { identities: testIdentities('staging'), config: false as const };
    expect(await decryptFile(file, staging)).toBe(before);
    const rot = await runSops(['rotate', '--in-place', rel], { env: 'staging', cwd: work });
    expect(rot.exitCode, String(rot.stderr)).toBe(0);
    expect(await decryptFile(file, staging)).toBe(before);
  });
});
