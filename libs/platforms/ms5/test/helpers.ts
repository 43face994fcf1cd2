/** Helpers over rendered objects (plain JSON from the real kustomize build). */
import { beforeAll } from 'vitest';
import { renderForTest, type RenderedPlatform } from '@gitops/pipeline';

export const ENVS = ['dev', 'staging', 'prod'] as const;
export type Env = (typeof ENVS)[number];
export const AKS_ENVS = ['staging', 'prod'] as const;

let cached: Promise<RenderedPlatform> | undefined;
/** Render ms5 once per test file (three real kustomize builds). */
export function useRendered(): () => RenderedPlatform {
  let r: RenderedPlatform;
  beforeAll(async () => {
    cached ??= renderForTest('ms5');
    r = await cached;
  });
  return () => r;
}

export type Obj = Record<string, any>;
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

export function podSpec(o: Obj): Obj {
  return o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec;
}
export function podLabels(o: Obj): Record<string, string> {
  return (o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.metadata.labels : o.spec.template.metadata.labels) ?? {};
}
export function workloads(objs: Obj[]): Obj[] {
  return objs.filter((o) => WORKLOAD_KINDS.includes(o.kind));
}
export function containers(o: Obj): Obj[] {
  const s = podSpec(o);
  return [...(s.initContainers ?? []), ...s.containers];
}
/** Quantity -> millicores. */
export function milli(q: string | number): number {
  const s = String(q);
  return s.endsWith('m') ? Number(s.slice(0, -1)) : Math.round(Number(s) * 1000);
}
/** Quantity -> MiB. */
export function mib(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Mi|Gi|Ti)?$/.exec(q);
  if (!m) throw new Error(`quantity ${q}`);
  return Number(m[1]) * ({ Mi: 1, Gi: 1024, Ti: 1024 ** 2 } as Record<string, number>)[m[2] ?? 'Mi'];
}
export function byName(objs: Obj[], kind: string): Map<string, Obj> {
  return new Map(objs.filter((o) => o.kind === kind).map((o) => [o.metadata.name, o]));
}
