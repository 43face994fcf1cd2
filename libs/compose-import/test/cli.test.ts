/**
 * `gitops import compose` end to end, in a temporary copy of the repository: the shop project
 * (written for these tests) imports, generates, renders and validates; secrets are never in
 * plaintext; bad input exits 2 and writes nothing; --dry-run writes nothing; --force keeps secrets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { compileApp, type PlatformSpec } from '@gitops/core';
import { environments, envNames } from '@gitops/environments';
import { planImport } from '../src/import';
import { toPlatformSpec } from '../src/spec';
import { changedFiles, gitops, plaintextHits, tempWorkspace } from './workspace';

const shop = (f: string) => join(__dirname, 'compose/shop', f);
const SHOP_ARGS = [shop('compose.yaml'), shop('compose.override.yaml'), '--env-file', shop('shop.env'), '--profile', 'workers', '--image', 'worker=ghcr.io/example/worker:3.1.0'];
/** Every secret value of the shop (TEST values from shop.env, api.env and stripe.key). */
const SECRET_VALUES = ['db-Kf83nQ2xLm5R', 'sess-Hy62vB9qWe1T', 'tok-Pq45sD8fGh2J', 'smtp-Zq7xW2pL9vB4', 'stripe-TESTONLY-Vb71xQ9kLp3M'];

let dir: string;
const bad = mkdtempSync(join(tmpdir(), 'compose-bad-'));
beforeAll(() => {
  dir = tempWorkspace();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(bad, { recursive: true, force: true });
});

const badFile = (name: string, text: string) => {
  writeFileSync(join(bad, name), text);
  return join(bad, name);
};

describe('gitops import compose: bad input writes nothing and exits 2', () => {
  it.each([
    ['unknown service in depends_on', 'services:\n  web:\n    image: nginx:1.27\n    depends_on: [db]\n', /deps\.yaml: service "web", field "depends_on\.db": depends on unknown service "db"/],
    ['a dependency cycle', 'services:\n  a:\n    image: x:1\n    depends_on: [b]\n  b:\n    image: x:1\n    depends_on: [a]\n', /field "depends_on": dependency cycle a -> b -> a/],
    ['a file the Compose schema rejects', 'services:\n  web:\n    image: nginx:1.27\n    ports: "80"\n', /invalid compose file:\n {2}- .*\.yaml: service "web", field "ports": must be array/],
    ['YAML that does not parse', 'services: [\n', /not valid YAML/],
    ['a host port that is not a number', 'services:\n  web:\n    image: nginx:1.27\n    ports: ["abc:80"]\n', /service "web", field "ports\[0\]": host port "abc" is not a port or port range/],
    ['a host port out of range', 'services:\n  web:\n    image: nginx:1.27\n    ports: [{ target: 80, published: 99999 }]\n', /service "web", field "ports\[0\]": host port "99999" is not a port or port range/],
  ])('%s', async (_what, text, message) => {
    const file = badFile(`${_what.includes('depends') ? 'deps' : _what.replace(/\W+/g, '-')}.yaml`, text);
    const res = await gitops(dir, ['import', 'compose', file, '--platform', 'broken']);
    expect(res.exitCode, res.stderr).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(changedFiles(dir)).toEqual([]);
  });

  it('an existing platform name without --force', async () => {
    const res = await gitops(dir, ['import', 'compose', ...SHOP_ARGS, '--platform', 'hyperpage']);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toMatch(/platform "hyperpage" already exists \(libs\/platforms\/hyperpage\); .* --force/);
    expect(changedFiles(dir)).toEqual([]);
  });

  it('a platform name that is not a DNS label', async () => {
    const res = await gitops(dir, ['import', 'compose', ...SHOP_ARGS, '--platform', 'Shop_1']);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toMatch(/must be a DNS-1123 label/);
    expect(changedFiles(dir)).toEqual([]);
  });

  it('a platform name Argo CD already uses, refused by the same rule as everywhere', async () => {
    const res = await gitops(dir, ['import', 'compose', ...SHOP_ARGS, '--platform', 'default']);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('--platform: platform name "default" is reserved');
    expect(changedFiles(dir)).toEqual([]);
  });
});

describe('gitops import compose: the shop', () => {
  it('--dry-run prints the report and the files, and writes nothing', async () => {
    const res = await gitops(dir, ['import', 'compose', ...SHOP_ARGS, '--platform', 'shop', '--dry-run']);
    expect(res.exitCode, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/refused +proxy: volumes\[1\]: bind mount of \/var\/run\/docker\.sock refused/);
    expect(res.stdout).toContain('would write libs/platforms/shop/src/components/api.ts');
    expect(changedFiles(dir)).toEqual([]);
    expect(plaintextHits(dir, [], SECRET_VALUES, { stdout: res.stdout, stderr: res.stderr })).toEqual([]);
  });

  let written: string[] = [];
  let output = '';
  it('imports, generates, renders and validates with zero errors in every environment', async () => {
    const res = await gitops(dir, ['import', 'compose', ...SHOP_ARGS, '--platform', 'shop', '--json']);
    output = res.stdout + res.stderr;
    expect(res.exitCode, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout) as { validation: Array<{ env: string; findings: Array<{ severity: string }> }>; secrets: Array<{ action: string }> };
    expect(summary.validation.map((v) => v.env).sort()).toEqual([...envNames].sort());
    for (const v of summary.validation) expect(v.findings.filter((f) => f.severity === 'error'), v.env).toEqual([]);
    expect(summary.secrets.filter((s) => s.action === 'created')).toHaveLength(5 * envNames.length);
    written = changedFiles(dir);
    expect(written).toEqual(expect.arrayContaining(['libs/platforms/shop/src/index.ts', 'libs/platforms/shop/src/components/db.ts', 'libs/platforms/shop/releases.yaml', 'libs/platforms/shop/package.json', 'environments/prod/shop/kustomization.yaml', 'environments/prod/shop/secrets/api-env.enc.yaml']));
    // Only the new platform's folders and its Argo CD objects changed (and .sops.yaml stays as it was).
    expect(written.filter((f) => !f.startsWith('libs/platforms/shop/') && !/^environments\/(base|dev|staging|prod)\/shop\//.test(f) && !f.startsWith('argocd/'))).toEqual([]);
    expect(written).toEqual(expect.arrayContaining(['argocd/projects/shop.yaml', ...envNames.map((env) => `argocd/apps/${env}/shop.yaml`)]));
    expect((JSON.parse(res.stdout) as { nextSteps: string[] }).nextSteps.join('\n')).toMatch(/npm install .*package-lock\.json/);
    const validate = await gitops(dir, ['validate', 'shop']);
    expect(validate.exitCode, validate.stdout).toBe(0);
  });

  it('leaves a tree without drift: generate --check and gitops all pass (argocd/ included), all changes nothing', async () => {
    const check = await gitops(dir, ['generate', '--check']);
    expect(check.exitCode, check.stderr).toBe(0);
    const all = await gitops(dir, ['all']);
    expect(all.exitCode, all.stderr).toBe(0);
    expect(changedFiles(dir)).toEqual(written);
  }, 120_000);

  it('no plaintext secret value in anything the import wrote or printed', () => {
    expect(written.length).toBeGreaterThan(20);
    expect(plaintextHits(dir, written, SECRET_VALUES, { output })).toEqual([]);
  });

  it('the secrets decrypt to the compose values with the environment key', async () => {
    const res = await gitops(dir, ['render', 'shop', '--env', 'dev', '--json'], { SOPS_AGE_KEY_FILE: join(dir, 'test-keys/example-dev.agekey') });
    expect(res.exitCode, res.stderr).toBe(0);
    const secrets = (JSON.parse(res.stdout) as Array<{ kind: string; metadata: { name: string }; data?: Record<string, string>; stringData?: Record<string, string> }>).filter((o) => o.kind === 'Secret');
    const value = (name: string, key: string) => {
      const s = secrets.find((x) => x.metadata.name === name)!;
      return s.stringData?.[key] ?? Buffer.from(s.data![key], 'base64').toString('utf8');
    };
    expect(value('api-env', 'SESSION_SECRET')).toBe('sess-Hy62vB9qWe1T');
    expect(value('shop-env', 'DATABASE_URL')).toBe('postgres://shop:db-Kf83nQ2xLm5R@db:5432/shop');
    expect(value('stripe-key', 'stripe-key')).toBe('stripe-TESTONLY-Vb71xQ9kLp3M');
    expect(value('worker-env', 'API_TOKEN')).toBe('tok-Pq45sD8fGh2J');
  });

  it('the written code compiles to exactly what the in-memory plan compiles to', async () => {
    const planned = planImport({ platform: 'shop', files: [shop('compose.yaml'), shop('compose.override.yaml')], envFiles: [shop('shop.env')], profiles: ['workers'], images: { worker: 'ghcr.io/example/worker:3.1.0' }, shellEnv: process.env });
    const fromDisk = ((await import(pathToFileURL(join(dir, 'libs/platforms/shop/src/index.ts')).href)) as { platform: PlatformSpec }).platform;
    const inMemory = toPlatformSpec(planned.plan);
    for (const env of envNames) {
      const a = compileApp(fromDisk, fromDisk.apps[0], environments[env]);
      const b = compileApp(inMemory, inMemory.apps[0], environments[env]);
      expect(JSON.parse(JSON.stringify(a)), env).toEqual(JSON.parse(JSON.stringify(b)));
    }
  });

  it('the library typechecks and its own render test passes', async () => {
    const tsc = await execa('node', [join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'libs/platforms/shop/tsconfig.json', '--noEmit'], { cwd: dir, reject: false, all: true });
    expect(tsc.exitCode, tsc.all).toBe(0);
    const test = await execa('node', [join(dir, 'node_modules/vitest/vitest.mjs'), 'run', 'libs/platforms/shop'], { cwd: dir, reject: false, all: true, env: { GITOPS_ROOT: dir } });
    expect(test.exitCode, test.all).toBe(0);
  });

  it('--force rewrites the library and keeps every existing secret file byte for byte', async () => {
    const secretFiles = written.filter((f) => f.includes('/secrets/'));
    const before = new Map(secretFiles.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    writeFileSync(join(dir, 'libs/platforms/shop/src/stale.ts'), 'export {};\n');
    const again = await gitops(dir, ['import', 'compose', ...SHOP_ARGS, '--platform', 'shop']);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    // With dev's TEST key: staging's and prod's files do not open, which the import says once per environment.
    const key = { SOPS_AGE_KEY_FILE: join(dir, 'test-keys/example-dev.agekey') };
    const forced = await gitops(dir, ['import', 'compose', ...SHOP_ARGS, '--platform', 'shop', '--force'], key);
    expect(forced.exitCode, forced.stderr).toBe(0);
    const notes = forced.stderr.split('\n').filter((l) => l.startsWith('note: the age key opens'));
    expect(notes).toEqual([expect.stringMatching(/^note: the age key opens no SOPS file of staging \(5 files, /), expect.stringMatching(/^note: the age key opens no SOPS file of prod \(5 files, /)]);
    // Reported by the import itself, so nothing is left over for the next command in this process.
    const render = await gitops(dir, ['render', 'shop', '--env', 'dev'], key);
    expect(render.exitCode, render.stderr).toBe(0);
    expect(render.stderr).not.toContain('note: the age key opens');
    expect(existsSync(join(dir, 'libs/platforms/shop/src/stale.ts'))).toBe(false);
    for (const [f, text] of before) expect(readFileSync(join(dir, f), 'utf8'), f).toBe(text);
  });
});
