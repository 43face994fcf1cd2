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
import { dependencySvg, flowSvg } from '../src/graph';

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

/** Node boxes and edge polylines of one drawn SVG (attributes as graph.ts writes them). */
function drawing(svg: string) {
  const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1] ?? '';
  const unesc = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const boxes = [...svg.matchAll(/<g class="node[^"]*" data-node="([^"]*)"><rect ([^>]*)\/>/g)].map((m) => ({
    id: unesc(m[1]),
    x: Number(attr(m[2], 'x')),
    y: Number(attr(m[2], 'y')),
    w: Number(attr(m[2], 'width')),
    h: Number(attr(m[2], 'height')),
  }));
  const edges = [...svg.matchAll(/<polyline [^>]*>/g)].map((m) => ({
    from: unesc(attr(m[0], 'data-from')),
    to: unesc(attr(m[0], 'data-to')),
    points: attr(m[0], 'points').split(' ').map((p) => p.split(',').map(Number) as [number, number]),
  }));
  return { boxes, edges };
}

/** Whether segment a→b passes through the inside of the box (touching its border is allowed), Liang–Barsky. */
function crosses(a: [number, number], b: [number, number], r: { x: number; y: number; w: number; h: number }): boolean {
  const e = 0.5;
  const [x0, y0, x1, y1] = [r.x + e, r.y + e, r.x + r.w - e, r.y + r.h - e];
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  let [t0, t1] = [0, 1];
  for (const [p, q] of [[-dx, a[0] - x0], [dx, x1 - a[0]], [-dy, a[1] - y0], [dy, y1 - a[1]]]) {
    if (p === 0) {
      if (q < 0) return false;
    } else if (p < 0) t0 = Math.max(t0, q / p);
    else t1 = Math.min(t1, q / p);
    if (t0 > t1) return false;
  }
  return true;
}

/** Every "edge crosses a box that is neither its source nor its target" of a drawing. */
function edgesThroughNodes(svg: string): string[] {
  const { boxes, edges } = drawing(svg);
  const out: string[] = [];
  for (const e of edges) {
    for (let i = 1; i < e.points.length; i++) {
      for (const b of boxes) if (b.id !== e.from && b.id !== e.to && crosses(e.points[i - 1], e.points[i], b)) out.push(`${e.from} -> ${e.to} crosses ${b.id}`);
    }
  }
  return [...new Set(out)];
}

describe('report graphs: edges route around nodes', () => {
  it('no edge of the hyperpage prod pictures passes under a node other than its own ends', () => {
    const g = models.find((m) => m.name === 'hyperpage')!.apps[0].graphs.find((x) => x.env === 'prod')!;
    const flows = flowSvg(g, 'hyperpage prod flows');
    expect(drawing(flows).edges.map((e) => `${e.from} -> ${e.to}`)).toContain('ns monitoring prometheus -> hyperpage');
    expect(edgesThroughNodes(flows)).toEqual([]);
    expect(edgesThroughNodes(dependencySvg(g, 'hyperpage prod dependencies'))).toEqual([]);
  });

  it('nor of any other platform, app and environment', () => {
    const found = models.flatMap((m) =>
      m.apps.flatMap((a) => a.graphs.flatMap((g) => [...edgesThroughNodes(flowSvg(g, '')), ...edgesThroughNodes(dependencySvg(g, ''))].map((x) => `${m.name}/${a.name}/${g.env}: ${x}`))),
    );
    expect(found).toEqual([]);
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

  let first: Awaited<ReturnType<typeof buildReport>>;
  const r0 = () => first;
  it('marks the component that changed and lists the rendered change', async () => {
    const r = (first = await buildReport({ root, base: 'HEAD' }));
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

  it('counts argocd/ as one more entry of the index: an Application added, with its diff; with platforms named, only theirs', async () => {
    expect(r0().argoCd).toEqual({ overlay: 'argocd', added: [], removed: [], changed: [], secrets: [] });
    const file = join(root, 'argocd/apps/prod/extra.yaml');
    mkdirSync(join(root, 'argocd/apps/prod'), { recursive: true });
    writeFileSync(file, readFileSync(join(repo, 'argocd/apps/prod/ms5.yaml'), 'utf8').replaceAll('ms5-prod', 'extra-prod'));
    try {
      const r = await buildReport({ root, base: 'HEAD' });
      expect(r.argoCd).toMatchObject({ overlay: 'argocd', added: ['Application/argocd/extra-prod'], changed: [] });
      const row = /<tr id="argocd">.*?<\/tr>/s.exec(r.files.get('index.html')!)![0];
      expect(row).toContain('<span class="badge changed">1 changed</span>');
      expect(row).toContain('- added `Application/argocd/extra-prod`');
      // extra-prod is part of ms5: not among sample's objects.
      const named = await buildReport({ root, base: 'HEAD', platforms: ['sample'] });
      expect(named.argoCd).toEqual({ overlay: 'argocd', added: [], removed: [], changed: [], secrets: [] });
    } finally {
      rmSync(join(root, 'argocd'), { recursive: true });
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
