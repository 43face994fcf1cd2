/** Node pools (seed): each workload on its pool in the AKS environments, none in dev (one Kind node). */
import { describe, expect, it } from 'vitest';
import { AKS_ENVS, podSpec, useRendered, workloads } from './helpers';

const r = useRendered();

const POOL_OF: Record<string, 'database' | 'compute' | 'monitoring' | 'spot'> = {
  postgres: 'database',
  redis: 'database',
  'redis-sentinel': 'database',
  minio: 'database',
  backend: 'compute',
  'celery-worker': 'compute',
  'celery-beat': 'compute',
  'minio-setup': 'compute',
  prometheus: 'monitoring',
  grafana: 'monitoring',
  alertmanager: 'monitoring',
  'postgres-exporter': 'monitoring',
  'redis-exporter': 'monitoring',
  flower: 'spot',
};

describe('node pools', () => {
  describe.each(AKS_ENVS)('%s', (env) => {
    it('places every workload on its pool with the matching toleration', () => {
      const placed = workloads(r().objects(env)).filter((w) => w.metadata.name !== 'keyvault-sync');
      expect(placed.map((w) => w.metadata.name).sort()).toEqual(Object.keys(POOL_OF).sort());
      for (const w of placed) {
        const pool = POOL_OF[w.metadata.name];
        const spec = podSpec(w);
        if (pool === 'spot') {
          expect(spec.nodeSelector).toEqual({ 'kubernetes.azure.com/scalesetpriority': 'spot' });
          expect(spec.tolerations).toEqual([{ key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot', effect: 'NoSchedule' }]);
        } else {
          expect(spec.nodeSelector, w.metadata.name).toEqual({ 'kubernetes.azure.com/agentpool': pool });
          expect(spec.tolerations, w.metadata.name).toEqual([{ key: 'workload', operator: 'Equal', value: pool, effect: 'NoSchedule' }]);
        }
      }
    });

    it('keeps MS5 pods off the system pool and keeps the scheduler off spot for stateful and singleton work', () => {
      for (const w of workloads(r().objects(env))) {
        const spec = podSpec(w);
        expect(spec.nodeSelector?.['kubernetes.azure.com/agentpool']).not.toBe('system');
        const onSpot = spec.nodeSelector?.['kubernetes.azure.com/scalesetpriority'] === 'spot';
        if (w.kind === 'StatefulSet' || w.metadata.name === 'celery-beat') expect(onSpot, w.metadata.name).toBe(false);
      }
    });

    it('spreads the API across zones and Redis replicas across zones', () => {
      for (const [kind, name] of [['Deployment', 'backend'], ['StatefulSet', 'redis'], ['StatefulSet', 'redis-sentinel']]) {
        const tsc = r().get(env, kind, name).spec.template.spec.topologySpreadConstraints;
        expect(tsc[0].topologyKey).toBe('topology.kubernetes.io/zone');
      }
    });
  });

  it('schedules nothing by pool in dev', () => {
    for (const w of workloads(r().objects('dev'))) {
      expect(podSpec(w).nodeSelector, w.metadata.name).toBeUndefined();
      expect(podSpec(w).tolerations, w.metadata.name).toBeUndefined();
    }
  });

  it('runs the prod Key Vault sync pods on the compute pool', () => {
    expect(r().get('prod', 'Deployment', 'keyvault-sync').spec.template.spec.nodeSelector).toEqual({ 'kubernetes.azure.com/agentpool': 'compute' });
  });
});
