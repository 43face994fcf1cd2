/**
 * PriorityClasses, ResourceQuota and LimitRange.
 *
 * The seed's quota (2 CPU / 4Gi requested) cannot hold its own HPA minimum at production sizes
 * (3 pods x 1 CPU / 4Gi) nor its storage (10 + 10 + 5 Gi > 20Gi). Resolution (D4): the quota of
 * each environment is computed from the same numbers the workloads use (design.ts): the HPA
 * maximum plus the rollout surge of app pods, every other pod, and the Istio proxy in each pod
 * where the mesh runs. The seed's values are kept as the floor. The quota therefore never
 * silently caps the HPA, and a change to any size changes the quota in the same diff.
 */
import { mebibytes, millicores, syncWave, type CompileContext, type EnvName, type TypedObject, type Resources } from '@gitops/core';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1/PriorityClass';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import {
  APP_RESOURCES,
  BACKUP_RESOURCES,
  DB_RESOURCES,
  EXPORTER_REPLICAS,
  EXPORTER_RESOURCES,
  HPA,
  N,
  PRIORITY,
  PROXY_RESOURCES,
  SEED_LIMITS,
  SEED_QUOTA,
  STORAGE,
  SURGE_PODS,
  VALIDATOR_RESOURCES,
  backedUp,
  inMesh,
} from './design';

interface Demand {
  reqCpu: number; // millicores
  reqMem: number; // MiB
  limCpu: number;
  limMem: number;
}

const zero = (): Demand => ({ reqCpu: 0, reqMem: 0, limCpu: 0, limMem: 0 });

function add(d: Demand, r: Resources, count: number): void {
  d.reqCpu += millicores(r.requests!.cpu!) * count;
  d.reqMem += mebibytes(r.requests!.memory!) * count;
  d.limCpu += millicores(r.limits!.cpu!) * count;
  d.limMem += mebibytes(r.limits!.memory!) * count;
}

/** Pods that can run at the same time in an environment, with their per-pod resources. */
export function podBudget(env: EnvName): Array<{ what: string; count: number; resources: Resources }> {
  return [
    { what: 'hyperpage (HPA max + rollout surge)', count: HPA.max + SURGE_PODS, resources: APP_RESOURCES[env] },
    { what: 'postgresql', count: 1, resources: DB_RESOURCES[env] },
    { what: 'postgresql-exporter', count: EXPORTER_REPLICAS[env], resources: EXPORTER_RESOURCES },
    { what: 'postgresql-backup (concurrencyPolicy Forbid)', count: backedUp(env) ? 1 : 0, resources: BACKUP_RESOURCES },
    { what: 'hyperpage-validate (PostSync hook)', count: 1, resources: VALIDATOR_RESOURCES },
  ];
}

/** Total requests/limits of everything that can run at once, proxies included. */
export function demand(env: EnvName): Demand {
  const d = zero();
  for (const p of podBudget(env)) {
    add(d, p.resources, p.count);
    if (inMesh(env)) add(d, PROXY_RESOURCES, p.count);
  }
  return d;
}

/** Claims in an environment: database, app data + logs, backups where they run. */
export function claims(env: EnvName): string[] {
  return [STORAGE.db.size, STORAGE.data.size, STORAGE.logs.size, ...(backedUp(env) ? [STORAGE.backup.size] : [])];
}

const cores = (m: number) => String(Math.ceil(m / 1000));
const gibs = (mi: number) => `${Math.ceil(mi / 1024)}Gi`;
const atLeast = (computed: string, floor: string, parse: (q: string) => number) => (parse(computed) >= parse(floor) ? computed : floor);

/** The quota of an environment: computed demand rounded up to whole cores / GiB, never below the seed. */
export function quotaHard(env: EnvName): Record<string, string> {
  const d = demand(env);
  const c = claims(env);
  const storage = c.reduce((sum, q) => sum + mebibytes(q), 0);
  return {
    'requests.cpu': atLeast(cores(d.reqCpu), SEED_QUOTA['requests.cpu'], millicores),
    'requests.memory': atLeast(gibs(d.reqMem), SEED_QUOTA['requests.memory'], mebibytes),
    'limits.cpu': atLeast(cores(d.limCpu), SEED_QUOTA['limits.cpu'], millicores),
    'limits.memory': atLeast(gibs(d.limMem), SEED_QUOTA['limits.memory'], mebibytes),
    persistentvolumeclaims: String(Math.max(c.length, Number(SEED_QUOTA.persistentvolumeclaims))),
    'requests.storage': atLeast(gibs(storage), SEED_QUOTA['requests.storage'], mebibytes),
  };
}

/**
 * The seed's LimitRange (D7): its defaults unchanged; its maximum raised where the seed's own
 * production container (4 CPU / 8Gi) exceeds it. Type Container, because the Istio
 * proxy would push a "per pod" 2 CPU maximum over in staging (2 + 0.5 CPU).
 */
export function limitMax(env: EnvName): { cpu: string; memory: string } {
  const app = APP_RESOURCES[env].limits!;
  return {
    cpu: millicores(app.cpu!) > millicores(SEED_LIMITS.max.cpu) ? app.cpu! : SEED_LIMITS.max.cpu,
    memory: mebibytes(app.memory!) > mebibytes(SEED_LIMITS.max.memory) ? app.memory! : SEED_LIMITS.max.memory,
  };
}

/** Seed priority classes. Cluster-scoped; `normal` never preempts (batch jobs, D23). */
export function priorityClasses(): TypedObject[] {
  return [
    new PriorityClass({
      metadata: { name: N.priorityCritical, annotations: syncWave(-1) },
      description: 'Hyperpage serving path: application and PostgreSQL',
      value: PRIORITY.critical,
      globalDefault: false,
    }),
    new PriorityClass({
      metadata: { name: N.priorityNormal, annotations: syncWave(-1) },
      description: 'Hyperpage supporting workloads: exporter, backup, validation',
      value: PRIORITY.normal,
      globalDefault: false,
      preemptionPolicy: 'Never',
    }),
  ];
}

export function capacityObjects(ctx: CompileContext): TypedObject[] {
  const env = ctx.env.name as EnvName;
  return [
    new ResourceQuota({ metadata: { name: N.quota, annotations: syncWave(1) }, spec: { hard: quotaHard(env) } }),
    new LimitRange({
      metadata: { name: N.limits, annotations: syncWave(1) },
      spec: {
        limits: [{ type: 'Container', default: { ...SEED_LIMITS.default }, defaultRequest: { ...SEED_LIMITS.defaultRequest }, max: limitMax(env) }],
      },
    }),
  ];
}
