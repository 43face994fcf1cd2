/**
 * Sync order as Argo CD will apply it: read the sync-wave annotations of the rendered objects and
 * check them against the dependency graph of the spec.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSpec, KubeObject } from '@gitops/core';
import { ANNOTATIONS, LABELS, componentWaves, mergeForEnv } from '@gitops/core';
import { workspace, type Workspace } from './support';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job']);
const wave = (o: KubeObject): number | undefined => {
  const w = o.metadata?.annotations?.[ANNOTATIONS.syncWave];
  return w === undefined ? undefined : Number(w);
};

/** Problems with the waves of one rendered overlay, given its app spec. */
export function waveProblems(app: AppSpec, env: string, objects: KubeObject[]): string[] {
  const problems: string[] = [];
  const expected = componentWaves(app);
  const enabled = new Set(app.components.filter((c) => mergeForEnv(c.settings, env).enabled !== false).map((c) => c.name));
  const of = (component: string) => objects.filter((o) => o.metadata?.labels?.[LABELS.name] === component && wave(o) !== undefined);
  const namespaceWaves = objects.filter((o) => o.kind === 'Namespace').map((o) => wave(o) ?? 0);
  const supportWaves = objects.filter((o) => (o.kind === 'ConfigMap' || o.kind === 'PersistentVolumeClaim') && !o.metadata?.labels?.[LABELS.name] && wave(o) !== undefined).map((o) => wave(o)!);
  for (const s of supportWaves) if (!(s > Math.max(...namespaceWaves, -Infinity))) problems.push(`config/storage wave ${s} is not after the namespace`);
  for (const c of app.components) {
    if (!enabled.has(c.name)) continue;
    const workload = objects.find((o) => WORKLOADS.has(o.kind) && o.metadata?.name === c.name);
    if (!workload) {
      problems.push(`${c.name}: no ${c.kind} rendered`);
      continue;
    }
    const w = wave(workload);
    if (w !== expected.get(c.name)) problems.push(`${c.name}: wave ${w}, componentWaves says ${expected.get(c.name)}`);
    for (const own of of(c.name)) if (wave(own) !== w) problems.push(`${c.name}: ${own.kind}/${own.metadata?.name} has wave ${wave(own)}, its workload ${w}`);
    if (w === undefined) continue;
    for (const ns of namespaceWaves) if (!(w > ns)) problems.push(`${c.name}: wave ${w} is not after the namespace (${ns})`);
    for (const s of supportWaves) if (!(w > s)) problems.push(`${c.name}: wave ${w} is not after config/storage (${s})`);
    for (const dep of c.dependsOn ?? []) {
      if (!enabled.has(dep)) continue;
      const depWaves = of(dep).map((o) => wave(o)!);
      if (!depWaves.length) problems.push(`${c.name}: dependency ${dep} has no rendered objects with a wave`);
      for (const d of depWaves) if (!(w > d)) problems.push(`${c.name} (wave ${w}) is not after its dependency ${dep} (wave ${d})`);
    }
  }
  return problems;
}

/** Hook Jobs: every hook has a delete policy, every spec'd hook is rendered as one. */
export function hookProblems(app: AppSpec, env: string, objects: KubeObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    const a = o.metadata?.annotations ?? {};
    if (a[ANNOTATIONS.hook] && !a[ANNOTATIONS.hookDeletePolicy]) problems.push(`${o.kind}/${o.metadata?.name}: hook ${a[ANNOTATIONS.hook]} without ${ANNOTATIONS.hookDeletePolicy}`);
  }
  for (const c of app.components.filter((x) => x.hook && mergeForEnv(x.settings, env).enabled !== false)) {
    const job = objects.find((o) => o.kind === 'Job' && o.metadata?.name === c.name);
    if (job?.metadata?.annotations?.[ANNOTATIONS.hook] !== c.hook) problems.push(`${c.name}: expected a Job with hook ${c.hook}`);
    // PreSync hooks run before the Sync phase creates anything, so on a first sync an in-app
    // dependency does not exist yet: such a hook must be a Sync hook (ordered by its wave).
    const inApp = (c.dependsOn ?? []).filter((d) => app.components.some((x) => x.name === d && !x.hook));
    if (c.hook === 'PreSync' && inApp.length) problems.push(`${c.name}: PreSync hook depends on ${inApp.join(', ')}, which is only created in the Sync phase`);
  }
  return problems;
}

let ws: Workspace;
beforeAll(async () => {
  ws = await workspace();
  await ws.renderAll();
});
afterAll(() => ws?.cleanup());

describe('sync waves and hooks (rendered)', () => {
  it('every component syncs after everything it depends on, for every platform', async () => {
    let checked = 0;
    for (const { target: t } of ws.applications) {
      const app = ws.platforms.find((p) => p.name === t.platform)!.spec.apps.find((a) => a.name === t.app)!;
      const objects = await ws.render(t.overlay);
      expect(waveProblems(app, t.env, objects), t.name).toEqual([]);
      checked += app.components.filter((c) => c.dependsOn?.length).length;
    }
    expect(checked, 'at least one dependency edge is exercised').toBeGreaterThan(0);
  });

  it('hook Jobs carry a delete policy', async () => {
    let hooks = 0;
    for (const { target: t } of ws.applications) {
      const app = ws.platforms.find((p) => p.name === t.platform)!.spec.apps.find((a) => a.name === t.app)!;
      const objects = await ws.render(t.overlay);
      expect(hookProblems(app, t.env, objects), t.name).toEqual([]);
      hooks += objects.filter((o) => o.metadata?.annotations?.[ANNOTATIONS.hook]).length;
    }
    expect(hooks, 'at least one hook is exercised').toBeGreaterThan(0);
  });

  it('the checks catch wrong waves and missing delete policies', async () => {
    const t = ws.applications.find((a) => a.target.platform === 'argofixture' && a.target.app === 'backend' && a.target.env === 'prod')!.target;
    const app = ws.platforms.find((p) => p.name === 'argofixture')!.spec.apps.find((a) => a.name === 'backend')!;
    const objects = structuredClone(await ws.render(t.overlay));
    const api = objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === 'api')!;
    api.metadata!.annotations![ANNOTATIONS.syncWave] = '2'; // same wave as its dependency db
    expect(waveProblems(app, 'prod', objects).join('\n')).toMatch(/api \(wave 2\) is not after its dependency db/);
    const job = objects.find((o) => o.kind === 'Job')!;
    delete job.metadata!.annotations![ANNOTATIONS.hookDeletePolicy];
    expect(hookProblems(app, 'prod', objects).join('\n')).toMatch(/without argocd.argoproj.io\/hook-delete-policy/);
    const preSync = { ...app, components: app.components.map((c) => (c.name === 'migrate' ? { ...c, hook: 'PreSync' as const } : c)) };
    expect(hookProblems(preSync, 'prod', objects).join('\n')).toMatch(/migrate: PreSync hook depends on db/);
  });
});
