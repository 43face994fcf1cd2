/** CPU, memory and storage per environment, against the seed's figures. */
import { describe, expect, it } from 'vitest';
import { AKS_ENVS, ENVS, containers, mib, milli, useRendered, workloads, type Obj } from './helpers';

const r = useRendered();

/** The seed, restated: cores, GiB of RAM, GiB of storage per replica. */
const SEED: Record<string, { kind: string; cpu: number; memGi: number; storageGi?: number; volume?: string }> = {
  postgres: { kind: 'StatefulSet', cpu: 2, memGi: 4, storageGi: 100, volume: 'data' },
  redis: { kind: 'StatefulSet', cpu: 1, memGi: 2, storageGi: 10, volume: 'data' },
  backend: { kind: 'Deployment', cpu: 2, memGi: 4 },
  'celery-worker': { kind: 'Deployment', cpu: 1, memGi: 2 },
  'celery-beat': { kind: 'Deployment', cpu: 0.5, memGi: 1 },
  flower: { kind: 'Deployment', cpu: 0.5, memGi: 1 },
  minio: { kind: 'StatefulSet', cpu: 2, memGi: 4, storageGi: 500, volume: 'data' },
  prometheus: { kind: 'StatefulSet', cpu: 2, memGi: 4, storageGi: 200, volume: 'data' },
  grafana: { kind: 'StatefulSet', cpu: 1, memGi: 2, storageGi: 10, volume: 'storage' },
  alertmanager: { kind: 'StatefulSet', cpu: 1, memGi: 2, storageGi: 5, volume: 'data' },
};
/** Staging disks (smaller than the seed) and dev disks. */
const STAGING_GI: Record<string, number> = { postgres: 50, redis: 10, minio: 100, prometheus: 50, grafana: 10, alertmanager: 5 };
const DEV_GI: Record<string, number> = { postgres: 10, redis: 1, minio: 10, prometheus: 10, grafana: 1, alertmanager: 1 };
const DEV_SCALE = 0.25;

const main = (o: Obj) => o.spec.template.spec.containers[0];
function claim(sts: Obj, volume: string) {
  const t = sts.spec.volumeClaimTemplates.find((v: Obj) => v.metadata.name === volume);
  return { gi: mib(t.spec.resources.requests.storage) / 1024, class: t.spec.storageClassName, modes: t.spec.accessModes };
}

describe('resources', () => {
  describe.each(ENVS)('%s', (env) => {
    const scale = env === 'dev' ? DEV_SCALE : 1;

    it.each(Object.keys(SEED))('%s: limits are the seed figures, requests half the CPU and all the memory', (name) => {
      const s = SEED[name];
      const res = main(r().get(env, s.kind, name)).resources;
      expect(milli(res.limits.cpu)).toBe(s.cpu * 1000 * scale);
      expect(mib(res.limits.memory)).toBe(s.memGi * 1024 * scale);
      expect(milli(res.requests.cpu)).toBe(Math.round((s.cpu * 1000 * scale) / 2));
      expect(mib(res.requests.memory)).toBe(mib(res.limits.memory));
    });

    it('gives every container CPU and memory requests and limits', () => {
      for (const w of workloads(r().objects(env))) {
        for (const c of containers(w)) {
          for (const k of ['requests', 'limits']) {
            expect(c.resources?.[k]?.cpu, `${w.metadata.name}/${c.name} ${k}.cpu`).toBeTruthy();
            expect(c.resources?.[k]?.memory, `${w.metadata.name}/${c.name} ${k}.memory`).toBeTruthy();
          }
        }
      }
    });

    it('sizes every disk for the environment', () => {
      const expected = env === 'prod' ? Object.fromEntries(Object.entries(SEED).filter(([, s]) => s.storageGi).map(([n, s]) => [n, s.storageGi!])) : env === 'staging' ? STAGING_GI : DEV_GI;
      for (const [name, gi] of Object.entries(expected)) {
        const c = claim(r().get(env, 'StatefulSet', name), SEED[name].volume!);
        expect(c.gi, name).toBe(gi);
        expect(c.modes).toEqual(['ReadWriteOnce']);
        // Azure Premium SSD on AKS (seed); the Kind dev cluster has local-path only.
        expect(c.class, name).toBe(env === 'dev' ? 'local-path' : 'managed-premium');
      }
    });

    it('shares one uploads claim between backend and workers (ReadWriteMany on AKS)', () => {
      const pvc = r().get(env, 'PersistentVolumeClaim', 'uploads');
      expect(pvc.spec.accessModes).toEqual(env === 'dev' ? ['ReadWriteOnce'] : ['ReadWriteMany']);
      expect(pvc.spec.storageClassName).toBe(env === 'dev' ? 'local-path' : 'azurefile-csi-premium');
      for (const name of ['backend', 'celery-worker']) {
        const vols = r().get(env, 'Deployment', name).spec.template.spec.volumes;
        expect(vols.find((v: Obj) => v.name === 'uploads').persistentVolumeClaim.claimName).toBe('uploads');
      }
    });

    it('sets a quota that fits every workload at its maximum and forbids LoadBalancers and NodePorts', () => {
      const objs = r().objects(env) as Obj[];
      const hpas = objs.filter((o) => o.kind === 'HorizontalPodAutoscaler');
      let cpu = 0;
      let storage = 0;
      for (const w of workloads(objs)) {
        const hpa = hpas.find((h) => h.spec.scaleTargetRef.name === w.metadata.name);
        const pods = hpa ? hpa.spec.maxReplicas : (w.spec.replicas ?? 1);
        cpu += pods * containers(w).reduce((n, c) => n + milli(c.resources.requests.cpu), 0);
        for (const t of w.spec.volumeClaimTemplates ?? []) storage += (w.spec.replicas ?? 1) * mib(t.spec.resources.requests.storage);
      }
      for (const p of objs.filter((o) => o.kind === 'PersistentVolumeClaim')) storage += mib(p.spec.resources.requests.storage);
      const hard = r().get(env, 'ResourceQuota', 'ms5-quota').spec.hard;
      expect(milli(hard['requests.cpu'])).toBeGreaterThanOrEqual(cpu);
      expect(mib(hard['requests.storage'])).toBeGreaterThanOrEqual(storage);
      expect(hard['services.loadbalancers']).toBe('0');
      expect(hard['services.nodeports']).toBe('0');
    });
  });

  it('puts 850 GiB of Premium SSD in prod (seed ~820: Redis x3 and Alertmanager x2 replicas add theirs)', () => {
    let total = 0;
    for (const sts of (r().objects('prod') as Obj[]).filter((o) => o.kind === 'StatefulSet')) {
      for (const t of sts.spec.volumeClaimTemplates ?? []) total += sts.spec.replicas * mib(t.spec.resources.requests.storage);
    }
    expect(total / 1024).toBe(850);
  });

  it.each(AKS_ENVS)('%s: Redis and Sentinel run three replicas; dev runs one', (env) => {
    expect(r().get(env, 'StatefulSet', 'redis').spec.replicas).toBe(3);
    expect(r().get(env, 'StatefulSet', 'redis-sentinel').spec.replicas).toBe(3);
    expect(r().get('dev', 'StatefulSet', 'redis').spec.replicas).toBe(1);
  });
});
