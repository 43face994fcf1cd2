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
import { compileApp, type ComponentSettings, type PlatformSpec, type Resources } from '@gitops/core';
import { environments, envNames } from '@gitops/environments';
import { emitAppTree, kustomizeBuild, writeTree, type FileTree } from '../src';
import { envOnlyFile, resourceName } from '../src/overlay-files';
import { samplePlatform } from '../../core/test/fixtures';

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

function tree(p: PlatformSpec): FileTree {
  const app = p.apps[0];
  return emitAppTree({
    platform: p.name,
    source: 'libs/platforms/sample',
    app: app.name,
    nested: false,
    envs: envNames.map((env) => ({ env, compiled: compileApp(p, app, environments[env]) })),
  });
}

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
