import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { parse, stringify } from 'yaml';
import { MANIFEST_GENERATE_PATHS, manifestGeneratePaths, renderedFolders, treeReader } from '../src';
import { argoObjects, buildsOf, parseDocs, testPlatforms, workspace, type Workspace } from './support';

const k = (body: Record<string, unknown>) => stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...body });

describe('renderedFolders (kustomization graph)', () => {
  const tree = new Map<string, string>([
    ['env/dev/app/kustomization.yaml', k({ resources: ['../../base/app', 'ns.yaml', 'https://example.com/remote.yaml'], components: ['../../base/app/components/extra'], generators: ['gen.yaml'], patches: [{ path: 'patches/p.yaml' }, { patch: 'inline: true\n', target: { kind: 'X' } }] })],
    ['env/dev/app/ns.yaml', 'kind: Namespace\n'],
    ['env/dev/app/gen.yaml', stringify({ apiVersion: 'viaduct.ai/v1', kind: 'ksops', files: ['./secrets/a.enc.yaml', './secrets/b.enc.yaml'] })],
    ['env/dev/app/patches/p.yaml', 'kind: Deployment\n'],
    ['env/base/app/kustomization.yml', k({ resources: ['deploy.yaml', '../common'], configMapGenerator: [{ name: 'c', files: ['key=../files/conf.txt'] }] })],
    ['env/base/app/deploy.yaml', 'kind: Deployment\n'],
    ['env/base/common/kustomization.yaml', k({ resources: ['svc.yaml'] })],
    ['env/base/common/svc.yaml', 'kind: Service\n'],
    ['env/base/app/components/extra/kustomization.yaml', stringify({ apiVersion: 'kustomize.config.k8s.io/v1alpha1', kind: 'Component', resources: ['extra.yaml'] })],
    ['env/base/app/components/extra/extra.yaml', 'kind: ConfigMap\n'],
    ['env/base/app/components/unused/kustomization.yaml', stringify({ kind: 'Component', resources: [] })],
  ]);
  const read = treeReader(undefined, tree);

  it('follows resources, bases, components, generators and file fields, overlay first', () => {
    expect(renderedFolders('env/dev/app', read)).toEqual([
      'env/dev/app',
      'env/base/app',
      'env/base/common',
      'env/base/files',
      'env/base/app/components/extra',
      'env/dev/app/secrets',
      'env/dev/app/patches',
    ]);
    expect(manifestGeneratePaths('env/dev/app', read).split(';')[0]).toBe('/env/dev/app');
    expect(manifestGeneratePaths('env/dev/app', read)).not.toContain('unused');
  });

  it('fails on a reference to nothing, and on a path leaving the repository', () => {
    const broken = new Map(tree);
    broken.set('env/dev/app/kustomization.yaml', k({ resources: ['../../base/missing'] }));
    expect(() => renderedFolders('env/dev/app', treeReader(undefined, broken))).toThrow(/missing/);
    broken.set('env/dev/app/kustomization.yaml', k({ resources: ['../../../../outside'] })); // outside-ref: test data (leaves the tree under test)
    expect(() => renderedFolders('env/dev/app', treeReader(undefined, broken))).toThrow(/outside the repository/);
    expect(() => renderedFolders('env/nowhere', read)).toThrow(/no kustomization/);
  });

  it('terminates on cycles', () => {
    const cyclic = new Map([
      ['a/kustomization.yaml', k({ resources: ['../b'] })],
      ['b/kustomization.yaml', k({ resources: ['../a'] })],
    ]);
    expect(renderedFolders('a', treeReader(undefined, cyclic))).toEqual(['a', 'b']);
  });
});

describe('manifest-generate-paths from the emitter', () => {
  it('are exactly the folders the kustomization graph of the written tree reads, for every overlay', async () => {
    const builds = buildsOf(await testPlatforms());
    let overlays = 0;
    for (const b of builds) {
      const read = treeReader(undefined, b.tree);
      for (const o of b.overlays) {
        expect(o.reads, o.dir).toEqual(renderedFolders(o.dir, read));
        overlays++;
      }
    }
    // The fixture alone has nested apps, components, secrets and patches; the real platforms add more.
    expect(overlays).toBeGreaterThan(builds.length * 3 - 1);
    expect(builds.some((b) => b.overlays.some((o) => o.reads.some((d) => d.endsWith('/secrets'))))).toBe(true);
    expect(builds.some((b) => b.overlays.some((o) => o.reads.some((d) => d.includes('/components/'))))).toBe(true);
    expect(builds.some((b) => b.overlays.some((o) => o.reads.some((d) => d.endsWith('/patches'))))).toBe(true);
  });
});

/**
 * The real check: in a temporary copy of every generated tree, change a file in EVERY folder that
 * has a kustomization (append a uniquely annotated ConfigMap to one of its resource files, or add
 * one), render every Application's path with the real kustomize, and see which probes come out.
 * The folders an application renders must be exactly the kustomization folders of its
 * manifest-generate-paths: a missing one would leave the application stale after a commit there,
 * an extra one would refresh it for nothing.
 */
describe('manifest-generate-paths against real renders', () => {
  const PROBE = 'gitops.test/probe-folder';
  let ws: Workspace;
  const kustomizationDirs: string[] = [];
  beforeAll(async () => {
    ws = await workspace();
    const walk = (abs: string) => {
      for (const e of readdirSync(abs)) {
        const p = join(abs, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (e === 'kustomization.yaml') kustomizationDirs.push(relative(ws.dir, abs).split('\\').join('/'));
      }
    };
    walk(join(ws.dir, 'environments'));
    kustomizationDirs.sort().forEach((dir, i) => {
      const probe = stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `argocd-probe-${i}`, annotations: { [PROBE]: dir } }, data: {} });
      const kfile = join(ws.dir, dir, 'kustomization.yaml');
      const kdoc = parse(readFileSync(kfile, 'utf8')) as { resources?: string[] };
      const target = (kdoc.resources ?? []).find((r) => /\.ya?ml$/.test(r) && existsSync(join(ws.dir, dir, r)));
      if (target) {
        const file = join(ws.dir, dir, target);
        const text = readFileSync(file, 'utf8');
        writeFileSync(file, `${text}${text.endsWith('\n') ? '' : '\n'}---\n${probe}`);
      } else {
        writeFileSync(join(ws.dir, dir, 'argocd-probe.yaml'), probe);
        writeFileSync(kfile, stringify({ ...kdoc, resources: [...(kdoc.resources ?? []), 'argocd-probe.yaml'] }));
      }
    });
  });
  afterAll(() => ws?.cleanup());

  it('lists exactly the kustomization folders each application renders', async () => {
    expect(kustomizationDirs.length).toBeGreaterThan(0);
    await ws.renderAll();
    const renderedBy = new Map<string, string[]>(kustomizationDirs.map((d) => [d, []]));
    for (const { target: t } of ws.applications) {
      const app = argoObjects(ws.argocd).find((x) => x.obj.kind === 'Application' && x.obj.metadata.name === t.name)!.obj;
      const annotated = (app.metadata.annotations[MANIFEST_GENERATE_PATHS] as string).split(';').map((p) => p.slice(1));
      const probes = (await ws.render(t.overlay)).map((o) => o.metadata?.annotations?.[PROBE]).filter((x): x is string => !!x);
      expect(probes.length, t.name).toBeGreaterThan(0);
      expect(new Set(probes).size, `${t.name}: a folder rendered twice`).toBe(probes.length);
      const withKustomization = annotated.filter((d) => kustomizationDirs.includes(d));
      expect([...withKustomization].sort(), t.name).toEqual([...probes].sort());
      probes.forEach((d) => renderedBy.get(d)!.push(t.name));
    }
    // Every kustomization folder belongs to some application (nothing generated is unreachable).
    for (const [dir, apps] of renderedBy) expect(apps.length, `${dir} is rendered by no application`).toBeGreaterThan(0);
  });

  it('lists the folders of the other files the render reads (patches, encrypted secrets) and nothing else', () => {
    for (const { target: t } of ws.applications) {
      const paths = t.reads;
      const overlayFiles = [...ws.platformTree.keys()].filter((f) => f.startsWith(`${t.overlay}/`));
      const read = new Set(overlayFiles.map((f) => posix.dirname(f)));
      // KSOPS reads the encrypted files the overlay's generator lists (written by the secrets tool).
      for (const f of overlayFiles.filter((x) => x.endsWith('secret-generator.yaml'))) {
        for (const doc of parseDocs(ws.platformTree.get(f)!)) for (const s of doc.files ?? []) read.add(posix.dirname(posix.join(t.overlay, s)));
      }
      for (const d of read) expect(paths, `${t.name} misses ${d}`).toContain(d);
      for (const p of paths) expect(kustomizationDirs.includes(p) || read.has(p), `${t.name}: ${p} is listed but not read`).toBe(true);
      const secrets = ws.platforms.find((p) => p.name === t.platform)!.spec.apps.find((a) => a.name === t.app)!.secrets ?? [];
      if (secrets.length) expect(paths).toContain(`${t.overlay}/secrets`);
    }
  });
});
