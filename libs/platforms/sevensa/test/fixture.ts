/** Shared helpers for the Sevensa platform tests (all read RENDERED output). */
import type { KubeObject } from '@gitops/core';
import type { RenderedPlatform } from '@gitops/pipeline';
import { Cluster, type Pod } from './netpol';

export const ENVS = ['dev', 'staging', 'prod'] as const;
export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

/** The eight apps of the seed's namespace table (plus `backups` for the Velero schedules). */
export const SEED_APPS = ['rentguy', 'psra', 'wpcs', 'ai', 'infra', 'monitoring', 'logging', 'ingress'] as const;

export const workloads = (objects: KubeObject[]) => objects.filter((o) => WORKLOAD_KINDS.has(o.kind));

/** Every rendered object of one environment, across apps. */
export function allObjects(r: RenderedPlatform, env: string): KubeObject[] {
  return r.platform.spec.apps.flatMap((a) => r.objects(env, a.name));
}

export function cluster(r: RenderedPlatform, env: string): Cluster {
  return new Cluster(allObjects(r, env));
}

/** The pod of a rendered workload, by app and name. */
export function pod(r: RenderedPlatform, env: string, app: string, name: string): Pod {
  const o = workloads(r.objects(env, app)).find((w) => w.metadata?.name === name);
  if (!o) throw new Error(`no workload ${name} in ${app}/${env}`);
  return Cluster.podOf(o);
}

export const traefikPod = (r: RenderedPlatform, env: string) => pod(r, env, 'ingress', 'traefik');

export function mainContainer(o: any): any {
  return o.spec.template.spec.containers[0];
}

export function envVar(container: any, name: string): any {
  const e = (container.env ?? []).find((x: any) => x.name === name);
  if (!e) throw new Error(`container ${container.name} has no env ${name}`);
  return e;
}
