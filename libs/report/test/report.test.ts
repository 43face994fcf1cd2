/**
 * The report model from the real platforms' compiled objects, and `--base` on a throw-away git
 * repository (core's sample platform) where one setting changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { UserError } from '@gitops/core';
import { runMain } from '../../../apps/gitops/test/run-main';
import { buildReport, writeReport, type PlatformModel } from '../src';

const repo = resolve(__dirname, '../../..');
let models: PlatformModel[];

beforeAll(async () => {
  models = (await buildReport({ root: repo })).models;
});

describe('report model (repository platforms, compiled objects)', () => {
  it('covers every platform, app and environment', () => {
    expect(models.map((m) => m.name)).toEqual(['cptm8', 'hyperpage', 'ms5', 'platform9', 'sevensa']);
    expect(models.find((m) => m.name === 'sevensa')!.apps.map((a) => a.name)).toContain('rentguy');
    for (const m of models) for (const env of ['dev', 'staging', 'prod']) expect(m.summary[env].workloads, `${m.name}/${env}`).toBeGreaterThan(0);
  });

  it('shows image tag, replicas, resources, storage, exposure and wave per environment, marking differences', () => {
    const asmm8 = models.find((m) => m.name === 'cptm8')!.apps[0].rows.find((r) => r.name === 'asmm8')!;
    expect(asmm8.cells.dev!.images).toContain('cptm8/asmm8:1.4.0');
    expect(asmm8.cells.prod!.images).toContain('cptm8/asmm8:1.3.2');
    expect(asmm8.differs).toContain('images');
    const pg = models.find((m) => m.name === 'cptm8')!.apps[0].rows.find((r) => r.name === 'postgresqlm8')!;
    expect(pg.cells.prod!.storage).toBe('data 20Gi (gp3-iops)');
    expect(pg.cells.dev!.storage).toBe('data 2Gi (local-path)');
    expect(pg.differs).toEqual(expect.arrayContaining(['storage', 'resources']));
    expect(pg.differs).not.toContain('images');
    expect(pg.cells.prod!.exposure).toContain('ClusterIP postgresql-service:5432');
    expect(pg.cells.prod!.wave).toMatch(/^\d+$/);
    const hpa = models.flatMap((m) => m.apps.flatMap((a) => a.rows)).find((r) => Object.values(r.cells).some((c) => c?.replicas.startsWith('HPA ')));
    expect(hpa, 'some component scales with an HPA').toBeDefined();
  });

  it('builds the graph from the spec dependencies and the generated NetworkPolicies', () => {
    const g = models.find((m) => m.name === 'cptm8')!.apps[0].graphs.find((x) => x.env === 'prod')!;
    expect(g.networkPolicies).toBeGreaterThan(0);
    expect(g.dependencies.length).toBeGreaterThan(0);
    expect(g.flows.length).toBeGreaterThan(0);
    expect(g.everyComponent.some((s) => s.includes('kube-dns'))).toBe(true);
    expect(g.nodes.find((n) => n.id === 'asmm8')!.wave).toMatch(/^\d+$/);
  });
});

describe('report --base and the written site', () => {
  const SPEC = readFileSync(join(repo, 'libs/core/test/fixtures.ts'), 'utf8')
    .replace("import type { PlatformSpec } from '../src';", "import type { PlatformSpec } from '@gitops/core';")
    .replace('export function samplePlatform(): PlatformSpec {', 'export const platform: PlatformSpec = (() => {')
    .replace(/\n}\n$/, '\n})();\n');
  let root: string;
  const git = (...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: root });
  // main() in this process (apps/gitops/test/run-main.ts): no process start per call.
  const gitops = (...args: string[]) => runMain(args, { cwd: root, env: { GITOPS_ROOT: root } });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gitops-report-'));
    writeFileSync(join(root, 'nx.json'), '{}\n');
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(root, '.gitignore'), 'node_modules\ndist\n');
    mkdirSync(join(root, 'libs/platforms/sample/src'), { recursive: true });
    writeFileSync(join(root, 'libs/platforms/sample/src/index.ts'), SPEC);
    symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
    expect((await gitops('generate', 'sample')).exitCode).toBe(0);
    await git('init', '-q');
    await git('add', '.');
    await git('commit', '-q', '-m', 'base');
    // prod api: 3 -> 4 replicas, regenerated.
    writeFileSync(join(root, 'libs/platforms/sample/src/index.ts'), SPEC.replace('prod: { replicas: 3,', 'prod: { replicas: 4,'));
    expect((await gitops('generate', 'sample')).exitCode).toBe(0);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('marks the component that changed and lists the rendered change', async () => {
    const r = await buildReport({ root, base: 'HEAD' });
    const api = r.models[0].apps[0].rows.find((x) => x.name === 'api')!;
    expect(api.changed).toEqual({ prod: ['Deployment/sample-prod/api'] });
    expect(r.models[0].apps[0].rows.find((x) => x.name === 'db')!.changed).toEqual({});
    const html = r.files.get('sample.html')!;
    expect(html).toContain('Changes against <code>HEAD</code>');
    expect(html).toMatch(/-  replicas: 3\n\+  replicas: 4/);
    expect(r.files.get('index.html')).toContain('<span class="badge changed">1 changed</span>');
  });

  it('counts a change that touches only a SOPS file in the index (dev: one Secret added, no object)', async () => {
    // A SOPS-shaped file, ciphertext only: the diff reads key names without a key.
    const file = join(root, 'environments/dev/sample/secrets/acr-pull.enc.yaml');
    mkdirSync(join(root, 'environments/dev/sample/secrets'), { recursive: true });
    writeFileSync(file, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: acr-pull\nstringData:\n  token: ENC[AES256_GCM,data:eA==,iv:eA==,tag:eA==,type:str]\nsops:\n  age: []\n');
    try {
      const r = await buildReport({ root, base: 'HEAD' });
      expect(r.models[0].changes!.find((d) => d.overlay === 'environments/dev/sample')!.secrets).toMatchObject([{ name: 'acr-pull', change: 'added' }]);
      const cells = [...r.files.get('index.html')!.matchAll(/<td><a href="sample\.html#env-(\w+)">.*?<\/td>/g)].map((m) => [m[1], /badge[^>]*>(\d+) changed/.exec(m[0])![1]]);
      expect(Object.fromEntries(cells)).toEqual({ dev: '1', staging: '0', prod: '1' });
    } finally {
      rmSync(file);
    }
  });

  it('the CLI writes the site whole, and refuses a folder that is not a report', async () => {
    const res = await gitops('report', '--out', 'dist/site', '--base', 'HEAD');
    expect(res.stderr).toContain('report: 2 pages in dist/site');
    expect(res.exitCode).toBe(0);
    expect(readdirSync(join(root, 'dist/site')).sort()).toEqual(['.gitops-report', 'index.html', 'sample.html']);
    expect(readdirSync(join(root, 'dist')).sort()).toEqual(['site']);
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs/notes.md'), 'mine\n');
    expect(() => writeReport(join(root, 'docs'), new Map([['index.html', '']]))).toThrow(UserError);
    expect(existsSync(join(root, 'docs/notes.md'))).toBe(true);
    const bad = await gitops('report', '--out', 'docs');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--out docs: the folder exists and is not a gitops report');
    // A site of someone else's (it has an index.html) is not a report either.
    writeFileSync(join(root, 'docs/index.html'), '<p>my site</p>\n');
    expect(() => writeReport(join(root, 'docs'), new Map([['index.html', '']]))).toThrow(/not a gitops report/);
    expect(readFileSync(join(root, 'docs/index.html'), 'utf8')).toBe('<p>my site</p>\n');
  });

  it('--out naming a file, or a path below one: exit 2 naming it, the file untouched', async () => {
    writeFileSync(join(root, 'site.html'), 'mine\n');
    const file = await gitops('report', '--out', 'site.html');
    expect(file.exitCode).toBe(2);
    expect(file.stderr).toBe('error: --out site.html: a file of that name exists; the report is a folder: choose another path');
    const below = await gitops('report', '--out', 'site.html/report');
    expect(below.exitCode).toBe(2);
    expect(below.stderr).toBe(`error: --out site.html/report: ${join(root, 'site.html')} is a file, not a folder`);
    // writeReport itself checks too (the library call, without the CLI).
    expect(() => writeReport(join(root, 'site.html/deeper/report'), new Map([['index.html', '']]))).toThrow(`${join(root, 'site.html')} is a file, not a folder`);
    expect(readFileSync(join(root, 'site.html'), 'utf8')).toBe('mine\n');
    expect(readdirSync(root).filter((f) => f.includes('report-tmp'))).toEqual([]);
  });

  it.runIf(existsSync('/proc/self'))('--out where the filesystem refuses a folder (/proc): a failure, exit 1, as keygen -o', () => {
    let err: unknown;
    try {
      writeReport('/proc/gitops-report-test/site', new Map([['index.html', '']]));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(1);
    expect((err as UserError).message).toMatch(/^--out \/proc\/gitops-report-test\/site: cannot create folder \/proc\/gitops-report-test: the file system refused it/);
  });
});
