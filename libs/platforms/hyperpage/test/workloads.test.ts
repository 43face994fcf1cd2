/** Seed numbers on the workloads: resources and flags per environment, security contexts, PostgreSQL, backups, validation. */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForTest, type RenderedPlatform } from '@gitops/pipeline';
import { ENVS, type Env, container, envOf, podSpec, podTemplate, workloads } from './helpers';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('hyperpage');
});

/** Seed "Multi-Environment Support". */
const SEED: Record<Env, { requests: object; limits: object; debug: string; rate: string; fullMonitoring: string; backups: string }> = {
  dev: { requests: { cpu: '200m', memory: '1Gi' }, limits: { cpu: '1000m', memory: '2Gi' }, debug: 'true', rate: '10000', fullMonitoring: 'false', backups: 'false' },
  staging: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2000m', memory: '4Gi' }, debug: 'false', rate: '5000', fullMonitoring: 'false', backups: 'true' },
  prod: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '4', memory: '8Gi' }, debug: 'false', rate: '1000', fullMonitoring: 'true', backups: 'true' },
};

const CLASSES: Record<Env, { fast: string; cheap: string; shared: string }> = {
  dev: { fast: 'local-path', cheap: 'local-path', shared: 'local-path' },
  staging: { fast: 'gp3-iops', cheap: 'sc1', shared: 'efs' },
  prod: { fast: 'gp3-iops', cheap: 'sc1', shared: 'efs' },
};

describe.each(ENVS)('%s application', (env) => {
  it('container resources are the seed values of the environment', () => {
    const c = container(r.get(env, 'Deployment', 'hyperpage'), 'hyperpage');
    expect(c.resources).toEqual({ requests: SEED[env].requests, limits: SEED[env].limits });
  });

  it('feature flags: debug, rate limit per hour, full monitoring, automated backups', () => {
    const data = r.get(env, 'ConfigMap', 'hyperpage-config').data;
    expect(data.DEBUG).toBe(SEED[env].debug);
    expect(data.RATE_LIMIT_REQUESTS_PER_HOUR).toBe(SEED[env].rate);
    expect(data.FULL_MONITORING).toBe(SEED[env].fullMonitoring);
    expect(data.AUTOMATED_BACKUPS).toBe(SEED[env].backups);
    expect(data.LOG_LEVEL).toBe({ dev: 'debug', staging: 'info', prod: 'warn' }[env]);
  });

  it('security context: non-root uid/gid 1001, fsGroup 1001, seccomp RuntimeDefault, read-only root', () => {
    const dep = r.get(env, 'Deployment', 'hyperpage');
    expect(podSpec(dep).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1001, runAsGroup: 1001, fsGroup: 1001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container(dep).securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('port 3000 with startup, liveness and readiness probes on /api/health', () => {
    const c = container(r.get(env, 'Deployment', 'hyperpage'));
    expect(c.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    for (const p of [c.startupProbe, c.livenessProbe, c.readinessProbe]) expect(p.httpGet).toEqual({ path: '/api/health', port: 'http' });
    // Seed: cold start < 30 s; the startup probe allows twice that.
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBe(60);
  });

  it('data and log volumes (logs 5Gi) on the shared class, writable /tmp', () => {
    const logs = r.get(env, 'PersistentVolumeClaim', 'hyperpage-logs');
    expect(logs.spec.resources.requests.storage).toBe('5Gi');
    expect(logs.spec.storageClassName).toBe(CLASSES[env].shared);
    expect(logs.spec.accessModes).toEqual([env === 'dev' ? 'ReadWriteOnce' : 'ReadWriteMany']);
    const mounts = container(r.get(env, 'Deployment', 'hyperpage')).volumeMounts.map((m: any) => m.mountPath);
    expect(mounts).toEqual(['/tmp', '/app/.next/cache', '/app/data', '/app/logs']);
  });

  it('no secret value in code: secrets are referenced by key only', () => {
    for (const w of workloads(r.objects(env))) {
      for (const e of podSpec(w).containers.flatMap((c: any) => c.env ?? [])) {
        if (/PASSWORD|SECRET|TOKEN/.test(e.name)) expect(e.valueFrom?.secretKeyRef, `${w.metadata!.name} ${e.name}`).toBeDefined();
      }
    }
  });

  it('TLS Ingress on the environment controller and issuer', () => {
    const ing = r.get(env, 'Ingress', 'hyperpage');
    const host = { dev: 'hyperpage.dev.gitops.internal', staging: 'hyperpage.staging.gitops.example.com', prod: 'hyperpage.gitops.example.com' }[env];
    expect(ing.spec.tls).toEqual([{ hosts: [host], secretName: 'hyperpage-tls' }]);
    expect(ing.metadata.annotations['cert-manager.io/cluster-issuer']).toBe({ dev: 'selfsigned', staging: 'letsencrypt-staging', prod: 'letsencrypt-prod' }[env]);
    const backend = ing.spec.rules[0].http.paths[0].backend.service;
    expect(backend).toEqual(env === 'dev' ? { name: 'hyperpage-service', port: { number: 3000 } } : { name: 'hyperpage-mesh-gateway', port: { number: 80 } });
  });
});

describe.each(ENVS)('%s PostgreSQL', (env) => {
  it('PostgreSQL 15 Alpine, 10Gi on the fast (SSD) class', () => {
    const sts = r.get(env, 'StatefulSet', 'postgresql');
    expect(container(sts).image).toBe('postgres:15-alpine');
    expect(sts.spec.volumeClaimTemplates).toHaveLength(1);
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: CLASSES[env].fast, resources: { requests: { storage: '10Gi' } } });
  });

  it('non-root uid 70 with fsGroup 70, writable run and tmp as emptyDir', () => {
    const sts = r.get(env, 'StatefulSet', 'postgresql');
    expect(podSpec(sts).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 70, runAsGroup: 70, fsGroup: 70 });
    expect(container(sts).securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    const empty = podSpec(sts).volumes.filter((v: any) => v.emptyDir).map((v: any) => v.name);
    expect(empty).toEqual(['run', 'tmp']);
  });

  it('pg_isready probes', () => {
    const c = container(r.get(env, 'StatefulSet', 'postgresql'));
    for (const p of [c.startupProbe, c.livenessProbe, c.readinessProbe]) expect(p.exec.command.join(' ')).toContain('pg_isready');
  });

  it('tuned postgresql.conf from a ConfigMap: 100 connections, memory from the container limit', () => {
    const conf: string = r.get(env, 'ConfigMap', 'postgresql-config').data['postgresql.conf'];
    expect(conf).toContain('max_connections = 100');
    expect(conf).toContain("listen_addresses = '*'");
    const buffers = { dev: '256MB', staging: '512MB', prod: '1024MB' }[env];
    expect(conf).toContain(`shared_buffers = ${buffers}`);
    expect(container(r.get(env, 'StatefulSet', 'postgresql')).args).toEqual(['-c', 'config_file=/etc/postgresql/postgresql.conf']);
  });
});

describe.each(ENVS)('%s backups', (env) => {
  it(env === 'dev' ? 'no automated backups in dev' : 'daily at 02:00, gzip, 7-day retention, 10Gi on the cheap (HDD) class', () => {
    const cron = r.objects(env).find((o) => o.kind === 'CronJob' && o.metadata!.name === 'postgresql-backup') as any;
    if (env === 'dev') {
      expect(cron).toBeUndefined();
      expect(r.objects(env).some((o) => o.metadata!.name === 'postgresql-backup-archive')).toBe(false);
      return;
    }
    expect(cron.spec.schedule).toBe('0 2 * * *');
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    expect(cron.spec.startingDeadlineSeconds).toBe(21600);
    expect(podSpec(cron).activeDeadlineSeconds).toBe(3600);
    const c = container(cron);
    expect(envOf(c).BACKUP_RETENTION_DAYS).toBe('7');
    const script = c.command.join(' ');
    expect(script).toContain('pg_dump');
    expect(script).toContain('gzip -9');
    expect(script).toContain('gzip -t');
    expect(script).toContain('-mmin +"$((BACKUP_RETENTION_DAYS * 24 * 60))" -print -delete');
    const pvc = r.get(env, 'PersistentVolumeClaim', 'postgresql-backup-archive');
    expect(pvc.spec.resources.requests.storage).toBe('10Gi');
    expect(pvc.spec.storageClassName).toBe(CLASSES[env].cheap);
    expect(podSpec(cron).volumes.find((v: any) => v.name === 'archive').persistentVolumeClaim.claimName).toBe('postgresql-backup-archive');
  });
});

describe.each(ENVS)('%s validation job', (env) => {
  it('is an Argo CD PostSync hook with its own read-only ServiceAccount', () => {
    const job = r.get(env, 'Job', 'hyperpage-validate');
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PostSync');
    expect(podSpec(job).serviceAccountName).toBe('hyperpage-validator');
    const role = r.get(env, 'Role', 'hyperpage-validator');
    expect(role.rules.flatMap((x: any) => x.verbs)).not.toContain('update');
    expect(role.rules.some((x: any) => x.resources.includes('horizontalpodautoscalers'))).toBe(true);
  });

  it('checks service availability, health endpoint, HPA, monitoring and PostgreSQL', () => {
    const job = r.get(env, 'Job', 'hyperpage-validate');
    const script = container(job).command.join(' ');
    for (const check of ['service availability', 'health endpoint', 'HPA configuration', 'monitoring setup', 'PostgreSQL connectivity']) expect(script).toContain(`check "${check}"`);
    const cfg = r.get(env, 'ConfigMap', 'hyperpage-validate').data;
    expect(cfg).toMatchObject({ HPA_NAME: 'hyperpage-hpa', HPA_MIN: '3', HPA_MAX: '50', APP_SERVICE: 'hyperpage-service', EXPECT_MONITORING: String(env !== 'dev') });
  });

  it('jobs stop the Istio sidecar when done, where the mesh injects one', () => {
    const job = r.get(env, 'Job', 'hyperpage-validate');
    expect(container(job).command.join(' ')).toContain('quitquitquit');
    expect(Boolean(podTemplate(job).metadata.annotations?.['sidecar.istio.io/proxyCPU'])).toBe(env !== 'dev');
  });
});
