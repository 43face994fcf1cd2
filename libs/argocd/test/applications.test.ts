import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProject, Application, ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { environments, envNames } from '@gitops/environments';
import { overlayDirs } from '@gitops/pipeline';
import {
  APP_SYNC_OPTIONS,
  ARGOCD_NAMESPACE,
  BOOTSTRAP_PROJECT,
  FINALIZER,
  IN_CLUSTER,
  MANIFEST_GENERATE_PATHS,
  PROJECTS_APP,
  REPO_URL,
  TARGET_REVISION,
  rootAppName,
} from '../src';
import { argoObjects, workspace, type Workspace } from './support';

let ws: Workspace;
beforeAll(async () => {
  ws = await workspace();
  await ws.renderAll();
});
afterAll(() => ws?.cleanup());

const TYPED: Record<string, new (data: any) => { validate(): void }> = { Application, AppProject, ApplicationSet };

function validateTyped(obj: any): void {
  const Model = TYPED[obj.kind];
  if (!Model) throw new Error(`unexpected kind ${obj.kind}`);
  new Model(obj).validate();
}

const applications = () => argoObjects(ws.argocd).filter((x) => x.obj.kind === 'Application' && x.file.includes('/apps/'));

describe('Applications', () => {
  it('exist exactly once per (platform app, environment), in apps/<env>/', () => {
    const apps = applications();
    for (const p of ws.platforms) {
      for (const o of overlayDirs(p)) {
        const matching = apps.filter((a) => a.obj.spec.source.path === o.dir);
        expect(matching.map((m) => m.file), `${p.name}/${o.app}/${o.env}`).toHaveLength(1);
        expect(matching[0].file.startsWith(`argocd/apps/${o.env}/`)).toBe(true);
        expect(matching[0].obj.metadata.labels['gitops.environment']).toBe(o.env);
        expect(matching[0].obj.spec.project).toBe(p.name);
      }
    }
    expect(apps).toHaveLength(ws.platforms.reduce((n, p) => n + overlayDirs(p).length, 0));
    const names = apps.map((a) => a.obj.metadata.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n, n).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });

  it('point at this repository and revision, with the environment destination and app namespace', () => {
    for (const { target: t } of ws.applications) {
      const app = applications().find((a) => a.obj.metadata.name === t.name)!.obj;
      expect(app.metadata.namespace).toBe(ARGOCD_NAMESPACE);
      expect(app.spec.source).toEqual({ repoURL: REPO_URL, targetRevision: TARGET_REVISION, path: t.overlay });
      const env = environments[t.env as keyof typeof environments];
      expect(app.spec.destination).toEqual({ ...env.destination, namespace: t.compiled.namespace });
    }
  });

  it('sync as their environment says: dev/staging automated with prune + self-heal, prod manual', () => {
    for (const { obj } of applications()) {
      const env = environments[obj.metadata.labels['gitops.environment'] as keyof typeof environments];
      const sp = obj.spec.syncPolicy;
      if (env.sync.automated) expect(sp.automated).toEqual({ prune: env.sync.prune, selfHeal: env.sync.selfHeal });
      else expect(sp.automated).toBeUndefined();
      expect(sp.syncOptions).toEqual(APP_SYNC_OPTIONS);
      expect(sp.syncOptions).toContain('CreateNamespace=true');
      expect(sp.retry.limit).toBeGreaterThan(0);
      expect(sp.retry.backoff).toMatchObject({ duration: expect.any(String), factor: 2, maxDuration: expect.any(String) });
      expect(obj.metadata.finalizers).toEqual([FINALIZER]);
      expect(obj.metadata.annotations[MANIFEST_GENERATE_PATHS]).toMatch(/^\/[^;]+(;\/[^;]+)*$/);
    }
    expect(environments.dev.sync.automated && environments.staging.sync.automated).toBe(true);
    expect(applications().filter((a) => a.obj.metadata.labels['gitops.environment'] === 'prod').every((a) => !a.obj.spec.syncPolicy.automated)).toBe(true);
  });

  it('render with the real kustomize from their path', async () => {
    for (const { target: t } of ws.applications) {
      const objects = await ws.render(t.overlay);
      expect(objects.length, t.name).toBeGreaterThan(0);
      expect(objects.some((o) => o.kind === 'Namespace' && o.metadata?.name === t.namespace), t.name).toBe(true);
    }
  });
});

describe('ownership', () => {
  it('no object is rendered by two Applications on the same cluster (Argo CD would flag it shared and flap)', async () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const { target: t } of ws.applications) {
      const cluster = JSON.stringify(t.destination);
      for (const o of await ws.render(t.overlay)) {
        const id = `${cluster} ${o.apiVersion.split('/').length > 1 ? o.apiVersion.split('/')[0] : ''}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
        const first = owner.get(id);
        if (first && first !== t.name) clashes.push(`${id}: ${first} and ${t.name}`);
        else owner.set(id, t.name);
      }
    }
    expect(clashes).toEqual([]);
  });
});

describe('every generated Argo CD object', () => {
  it('validates against the @kubernetes-models/argo-cd schema', () => {
    const all = argoObjects(ws.argocd);
    expect(all.length).toBeGreaterThan(0);
    for (const { file, obj } of all) expect(() => validateTyped(obj), file).not.toThrow();
  });

  it('and the validation rejects a broken object (the check can fail)', () => {
    const app = structuredClone(applications()[0].obj);
    app.spec.source.repoURL = 42;
    expect(() => validateTyped(app)).toThrow();
    const project = structuredClone(argoObjects(ws.argocd).find((x) => x.obj.kind === 'AppProject')!.obj);
    project.spec.destinations = 'everywhere';
    expect(() => validateTyped(project)).toThrow();
  });

  it('renders folder by folder with kustomize, each folder holding exactly its files', async () => {
    const folders = [...new Set([...ws.argocd.keys()].filter((f) => f.endsWith('/kustomization.yaml') && !f.includes('/install/')).map((f) => f.slice(0, -'/kustomization.yaml'.length)))];
    expect(folders.sort()).toEqual(['argocd/apps/dev', 'argocd/apps/prod', 'argocd/apps/staging', 'argocd/bootstrap/common', 'argocd/bootstrap/dev', 'argocd/bootstrap/prod', 'argocd/bootstrap/staging', 'argocd/projects']);
    for (const folder of folders) {
      const rendered = await ws.render(folder);
      for (const o of rendered) expect(() => validateTyped(o), `${folder}: ${o.kind}/${o.metadata?.name}`).not.toThrow();
      const own = argoObjects(new Map([...ws.argocd].filter(([f]) => f.startsWith(`${folder}/`))));
      if (!folder.startsWith('argocd/bootstrap/') || folder.endsWith('common')) {
        expect(rendered.map((o) => `${o.kind}/${o.metadata?.name}`).sort(), folder).toEqual(own.map((x) => `${x.obj.kind}/${x.obj.metadata.name}`).sort());
      }
    }
  });
});

describe('bootstrap', () => {
  it('one root per environment: bootstrap project + projects app + that environment root', async () => {
    for (const env of envNames) {
      const objs = await ws.render(`argocd/bootstrap/${env}`);
      expect(objs.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual(
        [`AppProject/${BOOTSTRAP_PROJECT}`, `Application/${PROJECTS_APP}`, `Application/${rootAppName(env)}`].sort(),
      );
      const root = objs.find((o) => o.metadata?.name === rootAppName(env)) as any;
      expect(root.spec.source).toEqual({ repoURL: REPO_URL, targetRevision: TARGET_REVISION, path: `argocd/apps/${env}` });
      expect(root.spec.destination).toEqual({ server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE });
      expect(root.spec.project).toBe(BOOTSTRAP_PROJECT);
      // Deleting a root must not cascade into every workload of the environment.
      expect(root.metadata.finalizers).toBeUndefined();
      // Removing an Application from a manual environment is a person's decision.
      if (!environments[env].sync.automated) expect(root.spec.syncPolicy.automated.prune).toBe(false);
      // The root syncs exactly this environment's Applications.
      const children = await ws.render(root.spec.source.path);
      expect(children.every((c: any) => c.kind === 'Application' && c.metadata.labels['gitops.environment'] === env)).toBe(true);
      expect(children.length).toBe(ws.applications.filter((a) => a.target.env === env).length);
    }
  });

  it('the common bootstrap is identical for every environment (idempotent on one Argo CD)', async () => {
    const projects = (await ws.render('argocd/bootstrap/common')).find((o) => o.metadata?.name === PROJECTS_APP) as any;
    expect(projects.spec.source.path).toBe('argocd/projects');
    const all = await ws.render('argocd/projects');
    expect(all.map((o: any) => o.metadata.name).sort()).toEqual(ws.platforms.map((p) => p.name).sort());
  });
});
