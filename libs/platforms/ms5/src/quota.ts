/**
 * ResourceQuota and LimitRange (seed "resource quotas for CPU, memory, and storage").
 * The quota is computed from the very settings that size the pods: every workload at its maximum
 * (HPA max, plus the Deployment surge pod during a rollout), plus optional-feature pods and Istio
 * sidecars where enabled, plus 20 % headroom. It can therefore never block a legitimate rollout,
 * and it does block a runaway (a mistaken HPA max, a forgotten debug deployment). It also pins
 * LoadBalancer and NodePort Services at zero: external access goes through the one Ingress.
 */
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { mebibytes, mergeForEnv, millicores, type AppSpec, type ClaimSpec, type EnvName, type Resources } from '@gitops/core';
import { PLATFORM_LABELS } from './constants';

export interface ExtraPods {
  pods: number;
  resources: Resources;
}

export interface Footprint {
  pods: number;
  cpuRequestM: number;
  memoryRequestMi: number;
  memoryLimitMi: number;
  storageGi: number;
  claims: number;
}

/** What the app can use at most in an environment. */
export function footprint(app: AppSpec, env: EnvName, extra: ExtraPods[] = [], perPodOverhead?: Resources): Footprint {
  const f: Footprint = { pods: 0, cpuRequestM: 0, memoryRequestMi: 0, memoryLimitMi: 0, storageGi: 0, claims: 0 };
  const add = (pods: number, r: Resources | undefined) => {
    for (const res of [r, perPodOverhead]) {
      f.cpuRequestM += pods * millicores(res?.requests?.cpu ?? '0');
      f.memoryRequestMi += pods * mebibytes(res?.requests?.memory ?? '0Mi');
      f.memoryLimitMi += pods * mebibytes(res?.limits?.memory ?? '0Mi');
    }
    f.pods += pods;
  };
  for (const c of app.components) {
    const s = mergeForEnv(c.settings, env);
    if (s.enabled === false) continue;
    let pods = c.kind === 'Job' ? 1 : (s.autoscaling?.max ?? s.replicas ?? 1);
    const recreate = (c.strategy as { type?: string } | undefined)?.type === 'Recreate';
    if (c.kind === 'Deployment' && !recreate) pods += Math.ceil(pods * 0.25);
    add(pods, s.resources);
    if (c.kind === 'StatefulSet') {
      for (const v of c.volumes ?? []) {
        if (!('persistent' in v.source)) continue;
        const claim = { ...v.source.persistent, ...(s.storage?.[v.name] ?? {}) } as ClaimSpec;
        const replicas = s.replicas ?? 1;
        f.storageGi += replicas * mebibytes(claim.size) / 1024;
        f.claims += replicas;
      }
    }
  }
  for (const v of app.volumes ?? []) {
    f.storageGi += mebibytes(v.settings?.[env]?.size ?? v.size) / 1024;
    f.claims += 1;
  }
  for (const e of extra) add(e.pods, e.resources);
  return f;
}

const HEADROOM = 1.2;
const roundUp = (x: number, step: number) => Math.ceil(x / step) * step;

export function quotaObjects(app: AppSpec, env: EnvName, extra: ExtraPods[] = [], perPodOverhead?: Resources) {
  const f = footprint(app, env, extra, perPodOverhead);
  const labels = { ...PLATFORM_LABELS };
  const quota = new ResourceQuota({
    metadata: { name: 'ms5-quota', labels },
    spec: {
      hard: {
        pods: String(Math.ceil(f.pods * HEADROOM) + 2),
        'requests.cpu': `${roundUp(f.cpuRequestM * HEADROOM, 500)}m`,
        'requests.memory': `${roundUp((f.memoryRequestMi * HEADROOM) / 1024, 1)}Gi`,
        'limits.memory': `${roundUp((f.memoryLimitMi * HEADROOM) / 1024, 1)}Gi`,
        // Storage: 10 % for online volume expansion.
        'requests.storage': `${roundUp(f.storageGi * 1.1, 10)}Gi`,
        persistentvolumeclaims: String(f.claims + 2),
        'services.loadbalancers': '0',
        'services.nodeports': '0',
      },
    },
  });
  // Defaults only for containers that declare nothing (kubectl debug, one-off pods); MS5 workloads set their own.
  const limits = new LimitRange({
    metadata: { name: 'ms5-defaults', labels },
    spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }] },
  });
  return [quota, limits];
}
