/**
 * The base/overlay split a reviewer can read (issue 16 item 5): the base holds every value all
 * environments have at prod's value, so a one-environment edit changes only that environment's files,
 * a value equal everywhere lives only in the base, and replicas stay in the base when all agree.
 * Checked on a small fixture with the real kustomize.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileApp, type CompiledApp, type ComponentSettings, type KubeObject, type PlatformSpec, type Resources } from '@gitops/core';
import { environments, envNames } from '@gitops/environments';
import { emitAppTree, kustomizeBuild, writeTree, type FileTree } from '../src';
import { envOnlyFile, resourceName } from '../src/overlay-files';
import { samplePlatform } from '../../core/test/fixtures';
import { sampleTree } from './sample-tree';

const res = (reqCpu: string, limCpu: string): Resources => ({ requests: { cpu: reqCpu, memory: '128Mi' }, limits: { cpu: limCpu, memory: '512Mi' } });

/** The sample platform with a resource ladder like CPTM8's services: requests per environment, one CPU limit everywhere. */
function fixture(edit?: (api: { dev: ComponentSettings; staging: ComponentSettings; prod: ComponentSettings }) => void): PlatformSpec {
  const p = samplePlatform();
  const api = p.apps[0].components.find((c) => c.name === 'api')!;
  const settings = {
    dev: { replicas: 1, resources: res('100m', '500m') },
    staging: { replicas: 1, resources: res('150m', '500m') },
    prod: { replicas: 3, resources: res('200m', '500m'), disruptionBudget: { minAvailable: 2 } },
  };
  edit?.(settings);
  api.settings = { default: settings.dev, ...settings };
  return p;
}

const tree = (p: PlatformSpec): FileTree => sampleTree(p);

/** Files added, removed or changed between two trees. */
function changed(a: FileTree, b: FileTree): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((f) => a.get(f) !== b.get(f)).sort();
}

async function expectRendersCompiled(p: PlatformSpec): Promise<void> {
  const repo = mkdtempSync(join(tmpdir(), 'gitops-split-'));
  try {
    await writeTree(repo, ['environments/base/sample', ...envNames.map((e) => `environments/${e}/sample`)], tree(p));
    for (const env of envNames) {
      const rendered = await kustomizeBuild(join(repo, `environments/${env}/sample`));
      const compiled = compileApp(p, p.apps[0], environments[env]).groups.flatMap((g) => g.objects);
      const key = (o: { kind: string; metadata?: { name?: string } }) => `${o.kind}/${o.metadata?.name}`;
      expect(rendered.map(key).sort(), env).toEqual(compiled.map(key).sort());
      for (const c of compiled) expect(rendered.find((r) => key(r) === key(c)), `${env} ${key(c)}`).toEqual(c);
    }
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

describe('base at the reference environment (prod)', () => {
  it('an edit of one environment changes only that environment’s files (dev CPU limit 500m -> 400m)', async () => {
    const before = tree(fixture());
    const editedSpec = fixture((s) => (s.dev.resources = res('100m', '400m')));
    const after = tree(editedSpec);
    const files = changed(before, after);
    expect(files).toEqual(['environments/dev/sample/patches/deployment-api.yaml']);
    expect(after.get(files[0])).toMatch(/limits:\n\s+cpu: 400m/);
    await expectRendersCompiled(editedSpec);
  });

  it('an edit of staging changes only staging, whether a patch value or a replica count', () => {
    const before = tree(fixture());
    const cpu = changed(before, tree(fixture((s) => (s.staging.resources = res('150m', '750m')))));
    expect(cpu).toEqual(['environments/staging/sample/patches/deployment-api.yaml']);
    const replicas = changed(before, tree(fixture((s) => (s.staging.replicas = 2))));
    expect(replicas).toEqual(['environments/staging/sample/kustomization.yaml']);
  });

  it('a value equal in every environment appears only in the base', () => {
    const t = tree(fixture());
    const base = t.get('environments/base/sample/api.yaml')!;
    expect(base).toMatch(/limits:\n\s+cpu: 500m\n\s+memory: 512Mi/);
    const overlays = [...t].filter(([f]) => !f.startsWith('environments/base/'));
    expect(overlays.length).toBeGreaterThan(0);
    for (const [f, content] of overlays) {
      expect(content, f).not.toContain('500m');
      expect(content, f).not.toContain('512Mi');
    }
  });

  it('holds prod’s values in the base, so prod gets no patch where only others differ', () => {
    const t = tree(fixture());
    expect(t.get('environments/base/sample/api.yaml')).toMatch(/requests:\n\s+cpu: 200m/);
    expect(t.has('environments/prod/sample/patches/deployment-api.yaml')).toBe(false);
    expect(t.get('environments/dev/sample/patches/deployment-api.yaml')).toMatch(/requests:\n\s+cpu: 100m/);
  });

  it('keeps replicas in the base when every environment agrees; otherwise only the others list theirs', async () => {
    const t = tree(fixture());
    // db: 1 replica everywhere.
    expect(t.get('environments/base/sample/db.yaml')).toMatch(/^  replicas: 1$/m);
    // api: 3 in prod (the base), 1 in dev and staging.
    expect(t.get('environments/base/sample/api.yaml')).toMatch(/^  replicas: 3$/m);
    expect(t.get('environments/prod/sample/kustomization.yaml')).not.toContain('replicas:');
    for (const env of ['dev', 'staging']) {
      const k = t.get(`environments/${env}/sample/kustomization.yaml`)!;
      expect(k, env).toMatch(/replicas:\n  - name: api\n    count: 1\n(?!  - name)/);
      expect(k, env).not.toContain('name: db\n    count');
    }
    const allAgree = tree(fixture((s) => (s.dev.replicas = s.staging.replicas = 3)));
    for (const env of envNames) expect(allAgree.get(`environments/${env}/sample/kustomization.yaml`), env).not.toContain('replicas:');
    await expectRendersCompiled(fixture((s) => (s.prod.replicas = 2)));
  });

  it('names environment-only files by what they add (their kind), the Namespace first', () => {
    const t = tree(fixture());
    expect(t.get('environments/prod/sample/poddisruptionbudgets.yaml')).toContain('kind: PodDisruptionBudget');
    expect(t.get('environments/prod/sample/kustomization.yaml')).toMatch(/resources:\n  - \.\.\/\.\.\/base\/sample\n  - namespace\.yaml\n  - poddisruptionbudgets\.yaml\n/);
    expect(t.has('environments/dev/sample/poddisruptionbudgets.yaml')).toBe(false);
    expect(['NetworkPolicy', 'Ingress', 'HorizontalPodAutoscaler', 'ClusterIssuer', 'Gateway', 'Endpoints'].map(resourceName)).toEqual([
      'networkpolicies',
      'ingresses',
      'horizontalpodautoscalers',
      'clusterissuers',
      'gateways',
      'endpoints',
    ]);
    expect(envOnlyFile('Namespace')).toBe('namespace.yaml');
  });
});

describe('lists that differ between environments', () => {
  const NS = 'lists';
  // dev's lists are shorter than prod's and share item names with them: a merge where kustomize
  // replaces (or the reverse) leaves an item behind or loses one, and the render comparison fails.
  function objects(env: string): KubeObject[] {
    const prod = env === 'prod';
    const named = (names: string[]) => names.map((name, i) => ({ name, value: `${env}-${i}` }));
    return [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: NS },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              containers: [
                {
                  name: 'web',
                  image: 'nginx:1.27',
                  args: prod ? ['--a', '--b'] : ['--a'],
                  env: named(prod ? ['A', 'B'] : ['A']),
                  ports: prod ? [{ containerPort: 80 }, { containerPort: 81 }] : [{ containerPort: 80, name: 'http' }],
                  volumeMounts: prod ? [{ name: 'v', mountPath: '/a' }, { name: 'v', mountPath: '/b' }] : [{ name: 'v', mountPath: '/a', readOnly: true }],
                },
              ],
              tolerations: prod ? [{ key: 'k1', operator: 'Exists' }, { key: 'k2', operator: 'Exists' }] : [{ key: 'k1', operator: 'Exists', effect: 'NoSchedule' }],
              volumes: [{ name: 'v', emptyDir: {} }],
            },
          },
        },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS }, spec: { ports: prod ? [{ name: 'http', port: 80 }, { name: 'metrics', port: 90 }] : [{ name: 'http', port: 8080 }] } },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'web', namespace: NS },
        spec: { rules: (prod ? ['a.example', 'b.example'] : [`${env}.example`]).map((host) => ({ host })), tls: [{ hosts: [`${env}.example`], secretName: 'tls' }] },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'web', namespace: NS },
        spec: { podSelector: {}, egress: (prod ? [53, 443] : [53]).map((port) => ({ ports: [{ port, protocol: 'TCP' }] })) },
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'web', namespace: NS },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'web' },
        subjects: (prod ? ['a', 'b'] : ['a']).map((name) => ({ kind: 'ServiceAccount', name, namespace: env })),
      },
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db', namespace: NS },
        spec: {
          serviceName: 'db',
          selector: { matchLabels: { app: 'db' } },
          template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
          volumeClaimTemplates: (prod ? ['data', 'logs'] : ['data']).map((name) => ({ metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: prod ? '10Gi' : '1Gi' } } } })),
        },
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: NS, finalizers: prod ? ['x/a', 'x/b'] : ['x/a'] }, data: { k: 'v' } },
      { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'web', namespace: NS }, spec: { items: named(prod ? ['a', 'b'] : ['a']) } },
    ];
  }
  const compiled = (env: string): CompiledApp => ({ app: 'lists', namespace: NS, groups: [{ name: 'web', objects: objects(env) }], features: [], images: {} });
  const t = emitAppTree({ platform: 'lists', source: 'libs/platforms/lists', app: 'lists', nested: false, envs: envNames.map((env) => ({ env, compiled: compiled(env) })) });

  it('a list kustomize replaces sits in the base at prod’s value; one it merges stays out when it differs', () => {
    const base = t.get('environments/base/lists/web.yaml')!;
    for (const kept of ['host: a.example', 'secretName: tls', 'key: k2', '--b', 'port: 443', 'name: b\n', 'name: logs', 'value: prod-1']) expect(base, kept).toContain(kept);
    for (const merged of ['finalizers', 'env:', 'ports:\n        - containerPort', 'volumeMounts', 'port: 90']) expect(base, merged).not.toContain(merged);
  });

  it('renders every environment exactly, with the real kustomize', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'gitops-lists-'));
    try {
      await writeTree(repo, ['environments/base/lists', ...envNames.map((e) => `environments/${e}/lists`)], t);
      for (const env of envNames) {
        const rendered = await kustomizeBuild(join(repo, `environments/${env}/lists`));
        const key = (o: KubeObject) => `${o.kind}/${o.metadata?.name}`;
        const want = objects(env);
        expect(rendered.filter((o) => o.kind !== 'Namespace').map(key).sort(), env).toEqual(want.map(key).sort());
        for (const w of want) expect(rendered.find((r) => key(r) === key(w)), `${env} ${key(w)}`).toEqual(w);
      }
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
