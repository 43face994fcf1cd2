/** The report's data: per platform and app, components × environments, and the graph per environment. */
import { objectId, type CompiledApp, type KubeObject } from '@gitops/core';
import type { OverlayDiff } from '@gitops/pipeline';
import { componentFacts, FACT_LABELS, isWorkload, podLabels, type ComponentFacts } from './workloads';
import { networkFlows, simplifyFlows, type Flow } from './flows';

export interface ComponentRow {
  name: string;
  cells: Record<string, ComponentFacts | undefined>;
  /** Facts whose value is not the same in every environment where the component runs. */
  differs: Array<keyof ComponentFacts>;
  /** Objects of this component changed against --base, per environment. */
  changed: Record<string, string[]>;
}

export interface GraphNode {
  id: string;
  wave?: string;
  outside: boolean;
}

export interface AppGraph {
  env: string;
  nodes: GraphNode[];
  /** Dependency `from` must be up before `to` (the order sync waves encode). */
  dependencies: Array<{ from: string; to: string }>;
  flows: Flow[];
  /** Flows between an outside peer and every component, as sentences. */
  everyComponent: string[];
  networkPolicies: number;
}

export interface AppModel {
  name: string;
  namespaces: Record<string, string>;
  rows: ComponentRow[];
  graphs: AppGraph[];
}

export interface PlatformModel {
  name: string;
  envs: string[];
  apps: AppModel[];
  summary: Record<string, { workloads: number; networkPolicies: number; objects: number; namespaces: string[] }>;
  /** Rendered changes against --base, per overlay that changed (undefined without --base). */
  changes?: OverlayDiff[];
}

export interface PlatformInput {
  name: string;
  /** app -> env -> compiled objects (the pipeline's compileAll). */
  compiled: Map<string, Map<string, CompiledApp>>;
  /** app -> component -> components it depends on (from the spec). */
  dependsOn: Map<string, Map<string, string[]>>;
  envs: readonly string[];
  /** Rendered changes against --base by `app/env` (only overlays that changed). */
  changes?: Map<string, OverlayDiff>;
}

const objectsOf = (c: CompiledApp): KubeObject[] => [...c.groups.flatMap((g) => g.objects), ...c.features.flatMap((f) => f.objects)];

/** Component groups (compiler groups and features) that run a workload, with those workloads. */
function componentsOf(c: CompiledApp): Map<string, KubeObject[]> {
  const out = new Map<string, KubeObject[]>();
  for (const g of [...c.groups, ...c.features]) {
    const workloads = g.objects.filter(isWorkload);
    if (workloads.length) out.set(g.name, workloads);
  }
  return out;
}

export function buildPlatformModel(input: PlatformInput): PlatformModel {
  const apps: AppModel[] = [];
  const summary: PlatformModel['summary'] = {};
  for (const env of input.envs) summary[env] = { workloads: 0, networkPolicies: 0, objects: 0, namespaces: [] };

  for (const [app, perEnv] of input.compiled) {
    const names = new Set<string>();
    const byEnv = new Map<string, Map<string, KubeObject[]>>();
    for (const env of input.envs) {
      const c = perEnv.get(env);
      if (!c) continue;
      const comps = componentsOf(c);
      byEnv.set(env, comps);
      comps.forEach((_, k) => names.add(k));
      const all = objectsOf(c);
      summary[env].objects += all.length;
      summary[env].workloads += all.filter(isWorkload).length;
      summary[env].networkPolicies += all.filter((o) => o.kind === 'NetworkPolicy').length;
      if (!summary[env].namespaces.includes(c.namespace)) summary[env].namespaces.push(c.namespace);
    }
    const rows: ComponentRow[] = [...names].map((name) => {
      const cells: ComponentRow['cells'] = {};
      const changed: ComponentRow['changed'] = {};
      for (const env of input.envs) {
        const c = perEnv.get(env);
        const workloads = byEnv.get(env)?.get(name);
        cells[env] = c && workloads ? componentFacts(workloads, objectsOf(c)) : undefined;
        const ids = new Set([...(c?.groups ?? []), ...(c?.features ?? [])].filter((g) => g.name === name).flatMap((g) => g.objects.map(objectId)));
        const overlay = input.changes?.get(`${app}/${env}`);
        const hit = overlay ? [...overlay.added, ...overlay.removed, ...overlay.changed.map((x) => x.id)].filter((id) => ids.has(id)) : [];
        if (hit.length) changed[env] = hit;
      }
      const present = Object.values(cells).filter((x): x is ComponentFacts => !!x);
      const differs = (Object.keys(FACT_LABELS) as Array<keyof ComponentFacts>).filter(
        (k) => present.length < input.envs.length || new Set(present.map((f) => f[k])).size > 1,
      );
      return { name, cells, differs, changed };
    });

    const graphs: AppGraph[] = [];
    const deps = input.dependsOn.get(app) ?? new Map<string, string[]>();
    for (const env of input.envs) {
      const c = perEnv.get(env);
      const comps = byEnv.get(env);
      if (!c || !comps) continue;
      const all = objectsOf(c);
      const flowNodes = [...comps].map(([id, ws]) => ({ id, labels: ws.map(podLabels) }));
      const { flows, everyComponent } = simplifyFlows(networkFlows(flowNodes, all, c.namespace), [...comps.keys()]);
      const outside = [...new Set(flows.flatMap((f) => [f.from, f.to]).filter((n) => !comps.has(n)))].sort();
      graphs.push({
        env,
        nodes: [...[...comps.keys()].map((id) => ({ id, wave: cells(rows, id, env)?.wave || undefined, outside: false })), ...outside.map((id) => ({ id, outside: true }))],
        dependencies: [...comps.keys()].flatMap((to) => (deps.get(to) ?? []).filter((from) => comps.has(from)).map((from) => ({ from, to }))),
        flows,
        everyComponent,
        networkPolicies: all.filter((o) => o.kind === 'NetworkPolicy').length,
      });
    }
    apps.push({ name: app, namespaces: Object.fromEntries([...perEnv].map(([e, c]) => [e, c.namespace])), rows, graphs });
  }
  return { name: input.name, envs: [...input.envs], apps, summary, ...(input.changes ? { changes: [...input.changes.values()] } : {}) };
}

const cells = (rows: ComponentRow[], name: string, env: string) => rows.find((r) => r.name === name)?.cells[env];
