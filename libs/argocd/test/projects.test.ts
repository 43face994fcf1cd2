import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environments } from '@gitops/environments';
import { ARGOCD_NAMESPACE, BOOTSTRAP_PROJECT, CLUSTER_SCOPED, PROJECTS_APP, REPO_URL, groupOf, rootAppName, teamOf } from '../src';
import { platformNameProblem } from '@gitops/core/platform-name';
import { argoObjects, workspace, type Workspace } from './support';

let ws: Workspace;
beforeAll(async () => {
  ws = await workspace();
  await ws.renderAll();
});
afterAll(() => ws?.cleanup());

const project = (name: string) => argoObjects(ws.argocd).find((x) => x.obj.kind === 'AppProject' && x.obj.metadata.name === name)?.obj;
const dest = (d: { server?: string; name?: string; namespace?: string }) => `${d.server ?? `name:${d.name}`} ${d.namespace}`;

describe('AppProject per platform', () => {
  it('exists for every platform, sources only this repository, warns on orphans, binds the team', () => {
    for (const p of ws.platforms) {
      const proj = project(p.name);
      expect(proj, p.name).toBeDefined();
      expect(proj.spec.sourceRepos).toEqual([REPO_URL]);
      expect(proj.spec.orphanedResources.warn).toBe(true);
      const roles = Object.fromEntries(proj.spec.roles.map((r: any) => [r.name, r]));
      expect(Object.keys(roles).sort()).toEqual(['read-only', 'sync']);
      for (const r of Object.values<any>(roles)) {
        expect(r.groups).toEqual([p.spec.team ?? `${p.name}-team`]);
        expect(r.groups).toEqual([teamOf(p)]);
        for (const policy of r.policies) expect(policy).toMatch(new RegExp(`^p, proj:${p.name}:${r.name}, applications, (get|sync), ${p.name}/\\*, allow$`));
      }
      expect(roles['read-only'].policies.some((x: string) => x.includes(', sync,'))).toBe(false);
      expect(roles.sync.policies.some((x: string) => x.includes(', sync,'))).toBe(true);
    }
  });

  it('allows exactly the clusters and namespaces the platform renders into', async () => {
    for (const p of ws.platforms) {
      const expected = new Set<string>();
      for (const { target: t } of ws.applications.filter((a) => a.target.platform === p.name)) {
        const env = environments[t.env as keyof typeof environments];
        for (const o of await ws.render(t.overlay)) {
          const ns = o.kind === 'Namespace' ? o.metadata?.name : CLUSTER_SCOPED.has(o.kind) ? undefined : o.metadata?.namespace;
          if (ns) expected.add(dest({ ...env.destination, namespace: ns }));
        }
      }
      const actual = project(p.name).spec.destinations.map(dest);
      expect(new Set(actual).size, `${p.name}: duplicate destinations`).toBe(actual.length);
      expect([...actual].sort(), p.name).toEqual([...expected].sort());
      expect(actual.some((d: string) => d.includes('*')), 'no wildcards').toBe(false);
    }
  });

  it('whitelists exactly the cluster-scoped kinds the platform renders, and Namespaces by name: only those it owns', async () => {
    for (const p of ws.platforms) {
      const expected = new Set<string>();
      for (const { target: t } of ws.applications.filter((a) => a.target.platform === p.name)) {
        for (const o of await ws.render(t.overlay)) {
          if (o.kind === 'Namespace') expected.add(`/Namespace/${o.metadata?.name}`);
          else if (!o.metadata?.namespace || CLUSTER_SCOPED.has(o.kind)) expected.add(`${groupOf(o.apiVersion)}/${o.kind}`);
        }
      }
      expect([...expected].some((k) => k.startsWith('/Namespace/')), p.name).toBe(true);
      // A kind-wide Namespace entry would let the project create, change or delete any Namespace (monitoring too).
      const actual = project(p.name).spec.clusterResourceWhitelist.map((k: any) => `${k.group}/${k.kind}${k.name ? `/${k.name}` : ''}`);
      expect([...actual].sort(), p.name).toEqual([...expected].sort());
    }
  });

  it('accepts every Application that uses it (destination, source)', () => {
    const apps = argoObjects(ws.argocd).filter((x) => x.obj.kind === 'Application');
    for (const { obj: app } of apps) {
      const proj = argoObjects(ws.argocd).find((x) => x.obj.kind === 'AppProject' && x.obj.metadata.name === app.spec.project)?.obj;
      expect(proj, `${app.metadata.name}: project ${app.spec.project}`).toBeDefined();
      expect(proj.spec.sourceRepos).toContain(app.spec.source.repoURL);
      expect(proj.spec.destinations.map(dest), app.metadata.name).toContain(dest(app.spec.destination));
    }
  });

  it('ignores, for orphan warnings, volume claims of StatefulSets and cert-manager TLS Secrets', async () => {
    const fx = project('argofixture');
    expect(fx.spec.orphanedResources.ignore).toEqual(
      expect.arrayContaining([
        { group: '', kind: 'PersistentVolumeClaim', name: 'data-db-*' },
        { group: '', kind: 'Secret', name: 'api-tls' },
      ]),
    );
    for (const p of ws.platforms) {
      for (const { target: t } of ws.applications.filter((a) => a.target.platform === p.name)) {
        for (const sts of (await ws.render(t.overlay)).filter((o: any) => o.kind === 'StatefulSet')) {
          for (const tpl of (sts as any).spec.volumeClaimTemplates ?? []) {
            expect(project(p.name).spec.orphanedResources.ignore, `${t.name}`).toContainEqual({ group: '', kind: 'PersistentVolumeClaim', name: `${tpl.metadata.name}-${sts.metadata!.name}-*` });
          }
        }
      }
    }
  });
});

describe('names a platform cannot take', () => {
  it('include the AppProjects, Applications and namespace Argo CD itself uses, so a platform cannot replace them', () => {
    const envs = Object.keys(environments);
    for (const name of ['default', ARGOCD_NAMESPACE, BOOTSTRAP_PROJECT, PROJECTS_APP, ...envs.map(rootAppName)]) expect(platformNameProblem(name), name).toMatch(/is reserved/);
    // A platform's Application names start with the platform's name, so none can equal the bootstrap ones.
    for (const name of [PROJECTS_APP, ...envs.map(rootAppName)]) expect(platformNameProblem(name.split('-').slice(0, 2).join('-')), name).toMatch(/is reserved/);
  });
});
