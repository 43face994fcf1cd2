/**
 * The Phase-1 AKS node pools (seed) and how a workload lands on one.
 *
 * AKS labels every node with its pool name (`kubernetes.azure.com/agentpool`) and taints spot nodes
 * `kubernetes.azure.com/scalesetpriority=spot:NoSchedule` itself. The dedicated pools are assumed
 * tainted `workload=<pool>:NoSchedule` (README decision 9) so nothing else drifts onto them; the
 * system pool carries AKS's recommended `CriticalAddonsOnly=true:NoSchedule` and hosts no MS5 pod.
 * Dev is a single-node Kind cluster without pools: no selector, no toleration.
 */
import type { ComponentSettings, EnvName } from '@gitops/core';

export type Pool = 'system' | 'database' | 'compute' | 'monitoring' | 'spot';

export const AGENTPOOL_LABEL = 'kubernetes.azure.com/agentpool';
export const SPOT_LABEL = 'kubernetes.azure.com/scalesetpriority';

export interface PoolInfo {
  vmSize: string;
  nodes: string;
  purpose: string;
  nodeSelector: Record<string, string>;
  taint: { key: string; value: string; effect: 'NoSchedule' };
}

export const POOLS: Record<Pool, PoolInfo> = {
  system: {
    vmSize: 'Standard_D4s_v3',
    nodes: '3-5',
    purpose: 'AKS add-ons, ingress-nginx, CSI drivers; no MS5 pods',
    nodeSelector: { [AGENTPOOL_LABEL]: 'system' },
    taint: { key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' },
  },
  database: {
    vmSize: 'Standard_D8s_v3',
    nodes: '2-4',
    purpose: 'PostgreSQL/TimescaleDB, Redis + Sentinel, MinIO (stateful data tier)',
    nodeSelector: { [AGENTPOOL_LABEL]: 'database' },
    taint: { key: 'workload', value: 'database', effect: 'NoSchedule' },
  },
  compute: {
    vmSize: 'Standard_D4s_v3',
    nodes: '3-8',
    purpose: 'FastAPI backend, Celery worker and beat, setup jobs, Key Vault sync',
    nodeSelector: { [AGENTPOOL_LABEL]: 'compute' },
    taint: { key: 'workload', value: 'compute', effect: 'NoSchedule' },
  },
  monitoring: {
    vmSize: 'Standard_D2s_v3',
    nodes: '2-4',
    purpose: 'Prometheus, Grafana, Alertmanager, exporters',
    nodeSelector: { [AGENTPOOL_LABEL]: 'monitoring' },
    taint: { key: 'workload', value: 'monitoring', effect: 'NoSchedule' },
  },
  spot: {
    vmSize: 'Standard_D4s_v3',
    nodes: '0-4',
    purpose: 'Interruptible: Flower (a monitoring UI; eviction loses nothing)',
    nodeSelector: { [SPOT_LABEL]: 'spot' },
    taint: { key: SPOT_LABEL, value: 'spot', effect: 'NoSchedule' },
  },
};

/** nodeSelector + toleration that put a workload on its pool (nothing in dev). */
export function placement(pool: Pool, env: EnvName): Pick<ComponentSettings, 'nodeSelector' | 'tolerations'> {
  if (env === 'dev') return {};
  const p = POOLS[pool];
  return {
    nodeSelector: { ...p.nodeSelector },
    tolerations: [{ key: p.taint.key, operator: 'Equal', value: p.taint.value, effect: p.taint.effect }],
  };
}
