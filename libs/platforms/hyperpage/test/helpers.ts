/** Shared helpers for the Hyperpage tests: quantities and pod-template access on rendered objects. */
import type { EnvName, KubeObject } from '@gitops/core';
import { envNames } from '@gitops/environments';

/** The environments, from their one home. */
export const ENVS = envNames;
export type Env = EnvName;

/** CPU in millicores. */
export function cpu(q: string | number): number {
  const s = String(q);
  return s.endsWith('m') ? Number(s.slice(0, -1)) : Number(s) * 1000;
}

/** Memory in MiB. */
export function mem(q: string): number {
  const m = /^(\d+)(Mi|Gi)$/.exec(q);
  if (!m) throw new Error(`unexpected memory quantity ${q}`);
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
}

/** The pod spec of a Deployment/StatefulSet/Job/CronJob. */
export function podSpec(o: any): any {
  return o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec;
}

export function podTemplate(o: any): any {
  return o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template;
}

export function container(o: any, name?: string): any {
  const cs = podSpec(o).containers;
  return name ? cs.find((c: any) => c.name === name) : cs[0];
}

export function envOf(c: any): Record<string, string | undefined> {
  return Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value]));
}

export const workloads = (objs: KubeObject[]) => objs.filter((o) => ['Deployment', 'StatefulSet', 'Job', 'CronJob'].includes(o.kind));
