/** The migration Job and the CronJobs (seed). */
import { describe, expect, it } from 'vitest';
import { ENVS, REGISTRY, TAG, mainContainer, podSpec, rendered } from './seed';

const r = rendered();

/** name -> schedule, image, SA. Metrics every 5 minutes (not's 30 min). */
const CRONJOBS = {
  'metrics-collection-job': { schedule: '*/5 * * * *', image: 'pf9-tools', command: ['python', 'host_metrics_collector.py', '--once'] },
  'snapshot-policy-job': { schedule: '0 1 * * *', image: 'pf9-tools', command: ['python', 'snapshots/p9_snapshot_policy_assign.py'] },
  'cleanup-job': { schedule: '0 3 * * 0', image: 'pf9-tools', command: ['python', 'cleanup_snapshots.py'] },
  'postgres-backup': { schedule: '0 2 * * *', image: 'pf9-backup', command: undefined },
} as const;

describe.each(ENVS)('%s: CronJobs', (env) => {
  it.each(Object.entries(CRONJOBS))('%s: schedule, image, command, ServiceAccount pf9-jobs', (name, cj) => {
    const obj = r().get(env, 'CronJob', name);
    expect(obj.spec.schedule).toBe(cj.schedule);
    expect(obj.spec.concurrencyPolicy).toBe('Forbid');
    expect([obj.spec.successfulJobsHistoryLimit, obj.spec.failedJobsHistoryLimit]).toEqual([3, 3]);
    const c = mainContainer(obj);
    expect(c.image).toBe(`${REGISTRY}/${cj.image}:${TAG[env]}`);
    if (cj.command) expect(c.command).toEqual(cj.command);
    expect(podSpec(obj).serviceAccountName).toBe('pf9-jobs');
  });

  it('metrics collection reads monitoring-config (Redis address) and api-secrets', () => {
    const c = mainContainer(r().get(env, 'CronJob', 'metrics-collection-job'));
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'monitoring-config' } }, { secretRef: { name: 'api-secrets' } }]);
    expect(r().get(env, 'ConfigMap', 'monitoring-config').data.REDIS_HOST).toBe('redis-cache.pf9.svc.cluster.local');
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  });

  it('postgres-backup: seed resources, credentials, backups volume and a pg_dump that can authenticate', () => {
    const obj = r().get(env, 'CronJob', 'postgres-backup');
    const c = mainContainer(obj);
    expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '4Gi' } });
    expect(podSpec(obj).restartPolicy).toBe('Never');
    const ref = (n: string) => c.env.find((e: any) => e.name === n)?.valueFrom;
    expect(ref('POSTGRES_PASSWORD').secretKeyRef).toEqual({ name: 'db-credentials', key: 'POSTGRES_PASSWORD' });
    expect(ref('AWS_ACCESS_KEY_ID').secretKeyRef).toEqual({ name: 'aws-backup-credentials', key: 'access-key' });
    expect(ref('AWS_SECRET_ACCESS_KEY').secretKeyRef).toEqual({ name: 'aws-backup-credentials', key: 'secret-key' });
    const script: string = c.command[2];
    expect(c.command.slice(0, 2)).toEqual(['/bin/bash', '-c']);
    expect(script).toContain('export PGPASSWORD="$POSTGRES_PASSWORD"');
    expect(script).toContain('set -euo pipefail');
    expect(script).not.toContain('--before');
    expect(c.volumeMounts).toContainEqual({ name: 'backups', mountPath: '/backup', subPath: 'daily-pg-dump' });
    expect(podSpec(obj).volumes).toContainEqual({ name: 'backups', persistentVolumeClaim: { claimName: 'backups-pvc' } });
    const cfg = r().get(env, 'ConfigMap', 'backup-config').data;
    expect(cfg.BACKUP_DESTINATION).toBe(`s3://pf9-backups/${env}/`);
    expect(cfg.BACKUP_RETENTION_DAYS).toBe('30');
  });
});

describe.each(ENVS)('%s: database migration', (env) => {
  it('is one Argo CD PreSync Job running db_migration.py with the API image', () => {
    const job = r().get(env, 'Job', 'db-migration');
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PreSync');
    expect(job.metadata.annotations['argocd.argoproj.io/hook-delete-policy']).toBe('BeforeHookCreation,HookSucceeded');
    expect(job.spec.template.metadata.labels['job-type']).toBe('db-migration');
    const c = mainContainer(job);
    expect(c.image).toBe(`${REGISTRY}/pf9-api:${TAG[env]}`);
    expect(c.command[2]).toContain('exec python db_migration.py');
    // Runs before the ConfigMaps/Secrets of a first sync exist: every reference is optional.
    const refs = c.env.filter((e: any) => e.valueFrom).map((e: any) => e.valueFrom.configMapKeyRef ?? e.valueFrom.secretKeyRef);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.every((x: any) => x.optional === true)).toBe(true);
    expect(c.envFrom).toBeUndefined();
    expect(job.spec.template.spec.serviceAccountName).toBeUndefined();
  });

  it('migrates in one place only: no other Job and no db-migrate init container', () => {
    expect(r().objects(env).filter((o) => o.kind === 'Job').map((o) => o.metadata?.name)).toEqual(['db-migration']);
    const inits = (r().objects(env) as any[]).flatMap((o) => podSpecOf(o)?.initContainers ?? []).map((c: any) => c.name);
    expect(inits.filter((n: string) => !n.startsWith('wait-for-'))).toEqual([]);
  });
});

function podSpecOf(o: any): any {
  if (o.kind === 'CronJob') return o.spec.jobTemplate.spec.template.spec;
  return o.spec?.template?.spec;
}
