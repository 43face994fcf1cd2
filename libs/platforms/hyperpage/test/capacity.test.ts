/**
 * Quota and LimitRange per environment. The seed's quota (2 CPU / 4Gi requests) cannot hold its
 * own HPA minimum at prod sizes; the rendered quota must hold everything that can run at once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForTest, type RenderedPlatform } from '@gitops/pipeline';
import { ENVS, type Env, container, cpu, mem, podSpec, podTemplate, workloads } from './helpers';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('hyperpage');
});

const SEED_QUOTA = { 'requests.cpu': '2', 'requests.memory': '4Gi', 'limits.cpu': '4', 'limits.memory': '8Gi', persistentvolumeclaims: '4', 'requests.storage': '20Gi' };

const QUOTA: Record<Env, Record<string, string>> = {
  dev: { 'requests.cpu': '11', 'requests.memory': '53Gi', 'limits.cpu': '53', 'limits.memory': '106Gi', persistentvolumeclaims: '4', 'requests.storage': '20Gi' },
  staging: { 'requests.cpu': '33', 'requests.memory': '113Gi', 'limits.cpu': '135', 'limits.memory': '225Gi', persistentvolumeclaims: '4', 'requests.storage': '30Gi' },
  prod: { 'requests.cpu': '59', 'requests.memory': '218Gi', 'limits.cpu': '240', 'limits.memory': '435Gi', persistentvolumeclaims: '4', 'requests.storage': '30Gi' },
};

const LIMIT_MAX: Record<Env, { cpu: string; memory: string }> = {
  dev: { cpu: '2', memory: '4Gi' },
  staging: { cpu: '2', memory: '4Gi' },
  prod: { cpu: '4', memory: '8Gi' },
};

/** Requests/limits of one pod as rendered, including the Istio proxy sized by annotation. */
function perPod(o: any) {
  const t = { reqCpu: 0, reqMem: 0, limCpu: 0, limMem: 0 };
  for (const c of podSpec(o).containers) {
    t.reqCpu += cpu(c.resources.requests.cpu);
    t.reqMem += mem(c.resources.requests.memory);
    t.limCpu += cpu(c.resources.limits.cpu);
    t.limMem += mem(c.resources.limits.memory);
  }
  const a = podTemplate(o).metadata.annotations ?? {};
  if (a['sidecar.istio.io/proxyCPU']) {
    t.reqCpu += cpu(a['sidecar.istio.io/proxyCPU']);
    t.reqMem += mem(a['sidecar.istio.io/proxyMemory']);
    t.limCpu += cpu(a['sidecar.istio.io/proxyCPULimit']);
    t.limMem += mem(a['sidecar.istio.io/proxyMemoryLimit']);
  }
  return t;
}

describe.each(ENVS)('%s capacity', (env) => {
  it('ResourceQuota hyperpage-quota has the computed values', () => {
    expect(r.get(env, 'ResourceQuota', 'hyperpage-quota').spec.hard).toEqual(QUOTA[env]);
  });

  it('the quota never goes below the seed quota', () => {
    const hard = r.get(env, 'ResourceQuota', 'hyperpage-quota').spec.hard;
    expect(cpu(hard['requests.cpu'])).toBeGreaterThanOrEqual(cpu(SEED_QUOTA['requests.cpu']));
    expect(cpu(hard['limits.cpu'])).toBeGreaterThanOrEqual(cpu(SEED_QUOTA['limits.cpu']));
    expect(mem(hard['requests.memory'])).toBeGreaterThanOrEqual(mem(SEED_QUOTA['requests.memory']));
    expect(mem(hard['limits.memory'])).toBeGreaterThanOrEqual(mem(SEED_QUOTA['limits.memory']));
    expect(mem(hard['requests.storage'])).toBeGreaterThanOrEqual(mem(SEED_QUOTA['requests.storage']));
    expect(Number(hard.persistentvolumeclaims)).toBeGreaterThanOrEqual(4);
  });

  it('the quota holds the HPA maximum plus rollout surge and every other pod, proxies included', () => {
    const objs = r.objects(env);
    const hpa = r.get(env, 'HorizontalPodAutoscaler', 'hyperpage-hpa');
    const total = { reqCpu: 0, reqMem: 0, limCpu: 0, limMem: 0 };
    for (const w of workloads(objs) as any[]) {
      let count = 1; // CronJob (concurrencyPolicy Forbid) and the hook Job run one pod at a time
      if (w.kind === 'Deployment' && w.metadata.name === 'hyperpage') {
        const surge = Math.ceil((hpa.spec.minReplicas * parseInt(w.spec.strategy.rollingUpdate.maxSurge, 10)) / 100);
        count = hpa.spec.maxReplicas + surge;
      } else if (w.kind === 'Deployment' || w.kind === 'StatefulSet') count = w.spec.replicas;
      const p = perPod(w);
      total.reqCpu += p.reqCpu * count;
      total.reqMem += p.reqMem * count;
      total.limCpu += p.limCpu * count;
      total.limMem += p.limMem * count;
    }
    const hard = r.get(env, 'ResourceQuota', 'hyperpage-quota').spec.hard;
    expect(total.reqCpu).toBeLessThanOrEqual(cpu(hard['requests.cpu']));
    expect(total.reqMem).toBeLessThanOrEqual(mem(hard['requests.memory']));
    expect(total.limCpu).toBeLessThanOrEqual(cpu(hard['limits.cpu']));
    expect(total.limMem).toBeLessThanOrEqual(mem(hard['limits.memory']));
    // Rounded up to whole cores / GiB, no more.
    expect(cpu(hard['requests.cpu']) - total.reqCpu).toBeLessThan(1000);
    expect(mem(hard['requests.memory']) - total.reqMem).toBeLessThan(1024);
  });

  it('the quota holds every claim', () => {
    const claims = r.objects(env).filter((o) => o.kind === 'PersistentVolumeClaim') as any[];
    const templates = (r.objects(env) as any[]).filter((o) => o.kind === 'StatefulSet').flatMap((s) => s.spec.volumeClaimTemplates ?? []);
    const all = [...claims, ...templates];
    const hard = r.get(env, 'ResourceQuota', 'hyperpage-quota').spec.hard;
    expect(all.length).toBeLessThanOrEqual(Number(hard.persistentvolumeclaims));
    expect(all.reduce((s, c) => s + mem(c.spec.resources.requests.storage), 0)).toBeLessThanOrEqual(mem(hard['requests.storage']));
  });

  it('LimitRange: seed defaults 500m/1Gi, default requests 100m/512Mi, per-container max', () => {
    const [limit] = r.get(env, 'LimitRange', 'hyperpage-limits').spec.limits;
    expect(limit.type).toBe('Container');
    expect(limit.default).toEqual({ cpu: '500m', memory: '1Gi' });
    expect(limit.defaultRequest).toEqual({ cpu: '100m', memory: '512Mi' });
    expect(limit.max).toEqual(LIMIT_MAX[env]);
  });

  it('every container fits under the LimitRange maximum', () => {
    const { max } = r.get(env, 'LimitRange', 'hyperpage-limits').spec.limits[0];
    for (const w of workloads(r.objects(env))) {
      for (const c of podSpec(w).containers) {
        expect(cpu(c.resources.limits.cpu), `${w.metadata!.name}/${c.name}`).toBeLessThanOrEqual(cpu(max.cpu));
        expect(mem(c.resources.limits.memory), `${w.metadata!.name}/${c.name}`).toBeLessThanOrEqual(mem(max.memory));
      }
    }
    expect(container(r.get(env, 'Deployment', 'hyperpage')).resources.limits).toBeDefined();
  });
});
