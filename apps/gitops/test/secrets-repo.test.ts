/**
 * The secrets of the real repository: `check` and `scan` pass, every declared secret file opens with
 * its environment's example TEST key (while the environment still uses it), and the Secrets the render
 * loader adds are exactly what KSOPS + kustomize produce from the same files.
 *
 * KSOPS itself needs kustomize's exec plugins (not available in `kubectl kustomize`), so "what KSOPS
 * produces" is built the way KSOPS works: each file is decrypted (`sops -d`, here our implementation)
 * and the plaintext manifest is given to the real kustomize with the overlay's `namespace`.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { decryptFile, parseIdentities, readMetadata } from '@gitops/secrets';
import { EXAMPLE_RECIPIENTS, loadRecipients } from '@gitops/environments';
import { kustomizeBuild } from '@gitops/kustomize';
import { loadPlatforms, overlayDirs, renderOverlay } from '@gitops/pipeline';
import { declaredSecretFiles, ksopsFiles, loadOverlaySecrets, REDACTED_VALUE } from '@gitops/secrets-workflow';

const repo = resolve(__dirname, '../../..');
const bin = join(repo, 'apps/gitops/bin/gitops.mjs');
const ENVS = ['dev', 'staging', 'prod'] as const;
const recipients = loadRecipients(join(repo, 'libs/environments/recipients.yaml'));
/** Environments still encrypted to the public example key (after take-ownership only the owner can open them). */
const exampleEnvs = ENVS.filter((e) => recipients[e]?.length === 1 && recipients[e][0] === EXAMPLE_RECIPIENTS[e]);
const ids = (env: string) => parseIdentities(readFileSync(join(repo, 'test-keys', `example-${env}.agekey`), 'utf8'), env);

const cli = (args: string[], env: Record<string, string> = {}) =>
  execa('node', [bin, ...args], { cwd: repo, reject: false, extendEnv: false, env: { PATH: process.env.PATH!, HOME: join(tmpdir(), 'gitops-no-home'), GITOPS_ROOT: repo, ...env } });

describe('secrets of the repository', () => {
  it('gitops secrets check passes (no key needed) and says plainly what it did not verify', async () => {
    const res = await cli(['secrets', 'check']);
    expect(res.exitCode, res.stdout).toBe(0);
    const files = /secrets check: \d+ platforms, (\d+) files, 0 errors/.exec(res.stderr)![1];
    expect(res.stderr).toMatch(new RegExp(`not verified \\(no key used\\): the MAC and \\d+ encrypted values of ${files} files`));
  });

  it('gitops secrets check --values without any key fails: it verified nothing, and says how to give a key', async () => {
    const res = await cli(['secrets', 'check', '--values', 'cptm8']);
    expect(res.exitCode, res.stderr).toBe(1);
    expect(res.stderr).toMatch(/verified MAC and values: 0 files \(0 values\); NOT verified: \d+ files/);
    expect(res.stderr).toMatch(/error: secrets check failed: --values verified nothing: no age identity opened any of the \d+ files \(give the environment's age key: SOPS_AGE_KEY_FILE=/);
  });

  it('gitops secrets check --values --json without any key: the JSON says ok false and why, as the exit code does', async () => {
    const res = await cli(['secrets', 'check', '--values', '--json', 'cptm8']);
    expect(res.exitCode, res.stderr).toBe(1);
    const doc = JSON.parse(res.stdout);
    expect(doc).toMatchObject({ ok: false, verified: { files: 0 }, reason: expect.stringMatching(/^--values verified nothing: no age identity opened any of the \d+ files/) });
  });

  it('gitops secrets check --values with a broken key source: one error naming it, no per-file errors, no "give the key"', async () => {
    const res = await cli(['secrets', 'check', '--values', 'platform9'], { SOPS_AGE_KEY_CMD: 'false' });
    expect(res.exitCode, res.stderr).toBe(1);
    const lines = res.stdout.split('\n').filter(Boolean);
    expect(lines).toEqual(['error: the age key source does not work: failed to execute the SOPS_AGE_KEY_CMD command (false) (fix or unset it; values and MACs not verified)']);
    expect(res.stderr).not.toMatch(/does not decrypt|verified nothing/);
    expect(res.stderr).toMatch(/error: secrets check failed: 1 error$/m);
  });

  it('gitops secrets scan passes', async () => {
    const res = await cli(['secrets', 'scan']);
    expect(res.exitCode, res.stdout).toBe(0);
  });

  it('.sops.yaml is what the environment definitions produce', async () => {
    expect((await cli(['secrets', 'config', '--check'])).exitCode).toBe(0);
  });

  it.each(exampleEnvs)('%s: every declared secret exists and opens with the example key, with exactly the declared keys', async (env) => {
    const platforms = await loadPlatforms(repo);
    const files = declaredSecretFiles(platforms, env);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const abs = join(repo, f.file);
      expect((await readMetadata(abs)).recipients, f.file).toEqual([EXAMPLE_RECIPIENTS[env]]);
      const plain = parse(await decryptFile(abs, { identities: ids(env), config: false }));
      expect(plain.kind, f.file).toBe('Secret');
      expect(plain.metadata.name, f.file).toBe(f.secret.name);
      expect(plain.metadata.namespace, f.file).toBeUndefined();
      expect(plain.type, f.file).toBe(f.secret.type ?? 'Opaque');
      expect(Object.keys(plain.stringData).sort(), f.file).toEqual(f.secret.keys.map((k) => k.name).sort());
      for (const [k, v] of Object.entries(plain.stringData)) expect(typeof v, `${f.file} ${k}`).toBe('string');
    }
  });

  it.each(exampleEnvs)('%s: the render loader adds what KSOPS + kustomize would, and redacts without a key', async (env) => {
    const platforms = await loadPlatforms(repo);
    let overlays = 0;
    for (const p of platforms) {
      for (const o of overlayDirs(p, env)) {
        const dir = join(repo, o.dir);
        const listed = ksopsFiles(dir);
        if (!listed.length) continue;
        overlays++;
        // The overlay's namespace transformer, or (apps with one namespace everywhere set none) the
        // Application's destination namespace, where Argo CD puts objects that carry none.
        const appNamespace = parse(readFileSync(join(dir, 'namespace.yaml'), 'utf8').replace(/^#.*\n/gm, '')).metadata.name as string;
        const namespace = (parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')).namespace as string | undefined) ?? appNamespace;
        const ours = await loadOverlaySecrets(dir, appNamespace, { identities: ids(env) });

        const tmp = mkdtempSync(join(tmpdir(), 'ksops-'));
        try {
          for (const f of listed) writeFileSync(join(tmp, basename(f)), await decryptFile(f, { identities: ids(env), config: false }));
          writeFileSync(join(tmp, 'kustomization.yaml'), `namespace: ${namespace}\nresources:\n${listed.map((f) => `  - ${basename(f)}\n`).join('')}`);
          const ksops = await kustomizeBuild(tmp);
          const byName = (l: any[]) => [...l].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
          expect(byName(ours), o.dir).toEqual(byName(ksops));
        } finally {
          rmSync(tmp, { recursive: true, force: true });
        }

        const redacted = await loadOverlaySecrets(dir, appNamespace, { identities: [] });
        expect(redacted.map((s: any) => ({ ...s, stringData: Object.keys(s.stringData) })), o.dir).toEqual(
          ours.map((s: any) => ({ ...s, stringData: Object.keys(s.stringData) })),
        );
        for (const s of redacted as any[]) for (const v of Object.values(s.stringData)) expect(v).toBe(REDACTED_VALUE);
      }
    }
    expect(overlays).toBeGreaterThan(0);
  });

  it('renderOverlay adds the Secrets of the loader it is given: decrypted with SOPS_AGE_KEY_FILE, redacted without, none with secrets: false', async () => {
    const env = exampleEnvs[0];
    expect(env, 'an environment still on its example key').toBeDefined();
    const [p] = (await loadPlatforms(repo)).filter((x) => declaredSecretFiles([x], env).length);
    const app = declaredSecretFiles([p], env)[0].app;
    const saved = { ...process.env };
    try {
      for (const k of ['SOPS_AGE_KEY', 'SOPS_AGE_KEY_CMD']) delete process.env[k];
      process.env.HOME = process.env.XDG_CONFIG_HOME = join(tmpdir(), 'gitops-no-home');
      delete process.env.SOPS_AGE_KEY_FILE;
      const none = (await renderOverlay(repo, p, app, env, { secrets: false })).objects.filter((o) => o.kind === 'Secret');
      expect(none).toEqual([]);
      const without = (await renderOverlay(repo, p, app, env, { secrets: loadOverlaySecrets })).objects.filter((o) => o.kind === 'Secret') as any[];
      expect(without.length).toBeGreaterThan(0);
      expect(Object.values(without[0].stringData ?? {})).toContain(REDACTED_VALUE);
      process.env.SOPS_AGE_KEY_FILE = join(repo, 'test-keys', `example-${env}.agekey`);
      const withKey = (await renderOverlay(repo, p, app, env, { secrets: loadOverlaySecrets })).objects.filter((o) => o.kind === 'Secret') as any[];
      expect(withKey.map((s) => s.metadata)).toEqual(without.map((s) => s.metadata));
      for (const s of withKey) for (const v of Object.values(s.stringData ?? {})) expect(v).not.toBe(REDACTED_VALUE);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});
