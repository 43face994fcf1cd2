/** Replicas, HPAs, PDBs, resources and storage per environment (values, HA). */
import { describe, expect, it } from 'vitest';
import { ENVS, RESOURCES, WORKLOADS, mainContainer, rendered } from './seed';

const r = rendered();
const HA_ENVS = ['staging', 'prod'] as const;

/** HPAs of the seed, by Deployment: the seed's HPA name, min, max, cpu, memory. */
const HPAS = {
  'pf9-ui': { hpa: 'pf9-ui-hpa', min: 2, max: 5, cpu: 80 },
  'pf9-api': { hpa: 'pf9-api-hpa', min: 3, max: 10, cpu: 70, memory: 80 },
  'pf9-monitoring': { hpa: 'pf9-monitoring-hpa', min: 2, max: 4, cpu: 75 },
} as const;

/** PDBs by workload: the seed's three names plus monitoring (required by the prod policy), minAvailable. */
const PDBS = { 'pf9-ui': ['pf9-ui-pdb', 1], 'pf9-api': ['pf9-api-pdb', 2], postgres: ['postgres-pdb', 1], 'pf9-monitoring': ['pf9-monitoring-pdb', 1] } as const;

describe.each(HA_ENVS)('%s: autoscaling and disruption budgets', (env) => {
  it.each(Object.entries(HPAS))('HPA for %s matches the seed', (name, h) => {
    const hpa = r().get(env, 'HorizontalPodAutoscaler', h.hpa);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([h.min, h.max]);
    const target = (res: string) => hpa.spec.metrics.find((m: any) => m.resource.name === res)?.resource.target.averageUtilization;
    expect(target('cpu')).toBe(h.cpu);
    expect(target('memory')).toBe('memory' in h ? h.memory : undefined);
    // The HPA owns the replica count: the Deployment does not pin one.
    expect(r().get(env, 'Deployment', name).spec.replicas).toBeUndefined();
  });

  it('the API HPA carries the seed behaviour block', () => {
    const b = r().get(env, 'HorizontalPodAutoscaler', 'pf9-api-hpa').spec.behavior;
    expect(b.scaleDown).toEqual({ stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] });
    expect(b.scaleUp.policies).toEqual([
      { type: 'Percent', value: 100, periodSeconds: 30 },
      { type: 'Pods', value: 2, periodSeconds: 60 },
    ]);
    expect(b.scaleUp.selectPolicy).toBe('Max');
  });

  it.each(Object.entries(PDBS))('PDB for %s: %j', (name, [pdbName, min]) => {
    const pdb = r().get(env, 'PodDisruptionBudget', pdbName);
    expect(pdb.spec.minAvailable).toBe(min);
    expect(pdb.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': name });
  });

  it('HA Deployments spread over zones and nodes', () => {
    for (const name of Object.keys(HPAS)) {
      const spec = r().get(env, 'Deployment', name).spec.template.spec;
      expect(spec.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
      expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    }
  });
});

describe('dev: one replica, no HPA, no PDB', () => {
  it('runs every Deployment and StatefulSet with one replica', () => {
    for (const [name, w] of Object.entries(WORKLOADS)) expect(r().get('dev', w.kind, name).spec.replicas).toBe(1);
  });
  it('has no HorizontalPodAutoscaler or PodDisruptionBudget', () => {
    expect(r().objects('dev').filter((o) => o.kind === 'HorizontalPodAutoscaler' || o.kind === 'PodDisruptionBudget')).toEqual([]);
  });
});

describe.each(ENVS)('%s: resources', (env) => {
  it.each(Object.entries(RESOURCES))('%s limits match values.yaml', (name, res) => {
    const kind = WORKLOADS[name as keyof typeof WORKLOADS].kind;
    const c = mainContainer(r().get(env, kind, name));
    expect(c.resources.limits).toEqual(res.limits);
    // dev lowers a few requests to fit a Kind node; the other environments keep the chart's.
    if (env !== 'dev') expect(c.resources.requests).toEqual(res.requests);
  });

  it('every container, init containers included, has CPU and memory requests and limits', () => {
    const missing: string[] = [];
    for (const o of r().objects(env) as any[]) {
      const spec = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec?.template?.spec;
      for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
        for (const k of ['requests', 'limits']) for (const res of ['cpu', 'memory']) if (!c.resources?.[k]?.[res]) missing.push(`${o.metadata.name}/${c.name} ${k}.${res}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

/** Storage: size and class per environment (values persistence.*,; PVC). */
const STORAGE: Record<string, Record<(typeof ENVS)[number], [string, string]>> = {
  'postgres/postgres-data': { dev: ['10Gi', 'local-path'], staging: ['100Gi', 'gp3-iops'], prod: ['500Gi', 'gp3-iops'] },
  'redis-cache/redis-data': { dev: ['1Gi', 'local-path'], staging: ['5Gi', 'gp3'], prod: ['5Gi', 'gp3'] },
  'openldap/ldap-data': { dev: ['1Gi', 'local-path'], staging: ['10Gi', 'gp3'], prod: ['10Gi', 'gp3'] },
  'openldap/slapd-config': { dev: ['1Gi', 'local-path'], staging: ['5Gi', 'gp3'], prod: ['5Gi', 'gp3'] },
};
const CLAIMS: Record<string, Record<(typeof ENVS)[number], [string, string, string]>> = {
  'backups-pvc': { dev: ['5Gi', 'local-path', 'ReadWriteOnce'], staging: ['50Gi', 'efs', 'ReadWriteMany'], prod: ['100Gi', 'efs', 'ReadWriteMany'] },
  'reports-pvc': { dev: ['2Gi', 'local-path', 'ReadWriteOnce'], staging: ['10Gi', 'gp3', 'ReadWriteOnce'], prod: ['20Gi', 'gp3', 'ReadWriteOnce'] },
  'app-logs-pvc': { dev: ['1Gi', 'local-path', 'ReadWriteOnce'], staging: ['5Gi', 'efs', 'ReadWriteMany'], prod: ['10Gi', 'efs', 'ReadWriteMany'] },
};

describe.each(ENVS)('%s: storage', (env) => {
  it.each(Object.entries(STORAGE))('volumeClaimTemplate %s', (id, sizes) => {
    const [sts, volume] = id.split('/');
    const t = r().get(env, 'StatefulSet', sts).spec.volumeClaimTemplates.find((v: any) => v.metadata.name === volume);
    expect([t.spec.resources.requests.storage, t.spec.storageClassName]).toEqual(sizes[env]);
    expect(t.spec.accessModes).toEqual(['ReadWriteOnce']);
  });

  it.each(Object.entries(CLAIMS))('PVC %s', (name, sizes) => {
    const pvc = r().get(env, 'PersistentVolumeClaim', name);
    expect([pvc.spec.resources.requests.storage, pvc.spec.storageClassName, pvc.spec.accessModes[0]]).toEqual(sizes[env]);
  });

  it('the seed standalone postgres-pvc is not rendered (volumeClaimTemplates instead)', () => {
    expect(r().objects(env).filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata?.name).sort()).toEqual(['app-logs-pvc', 'backups-pvc', 'reports-pvc']);
  });
});
