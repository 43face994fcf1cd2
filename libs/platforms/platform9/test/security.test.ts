/** Pod security, RBAC, configuration, declared secrets and the validator verdict per environment. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { releaseAdvisories, validateRendered } from '@gitops/pipeline';
import { ENVS, NS, WORKERS, WORKLOADS, mainContainer, podSpec, rendered, type Env } from './seed';

const r = rendered();
const LEVEL: Record<Env, string> = { dev: 'privileged', staging: 'baseline', prod: 'restricted' };

function templates(env: Env): Array<{ owner: any; spec: any }> {
  return (r().objects(env) as any[]).flatMap((o) => {
    if (o.kind === 'CronJob') return [{ owner: o, spec: o.spec.jobTemplate.spec.template.spec }];
    return o.spec?.template?.spec ? [{ owner: o, spec: o.spec.template.spec }] : [];
  });
}

describe.each(ENVS)('%s: validation', (env) => {
  it('validates with zero errors and zero warnings at the environment policy level', async () => {
    const res = await validateRendered(r().platform, r().overlays.get(`platform9/${env}`)!);
    // The CalVer release tags are advisory warnings in prod by decision (libs/environments README, promotion policy).
    const { advisory, others } = releaseAdvisories(res);
    expect(advisory.every((f) => f.severity === 'warning' && env === 'prod')).toBe(true);
    expect(others.map((f) => `${f.severity} ${f.rule} ${f.message}`)).toEqual([]);
  });
});

describe('the README states the validator verdict', () => {
  it('0 errors everywhere, 0 warnings in dev and staging, and in prod exactly its count of release-immutable warnings', async () => {
    const line = readFileSync(resolve(__dirname, '../README.md'), 'utf8').split('\n').find((l) => l.startsWith('npx gitops validate platform9'))!;
    const claimed = /# 0 errors; 0 warnings in dev and staging, (\d+) in prod/.exec(line);
    expect(claimed, line).not.toBeNull();
    const findings = Object.fromEntries(await Promise.all(ENVS.map(async (env) => [env, (await validateRendered(r().platform, r().overlays.get(`platform9/${env}`)!)).findings] as const)));
    expect([findings.dev.length, findings.staging.length]).toEqual([0, 0]);
    expect(findings.prod.map((f) => `${f.severity} ${f.rule}`)).toEqual(Array(Number(claimed![1])).fill('warning release-immutable'));
  });
});

describe.each(ENVS)('%s: pod security', (env) => {
  it('labels the namespace: admission enforces the environment level, baseline in prod (OpenLDAP); warn/audit follow the environment', () => {
    const labels = r().get(env, 'Namespace', NS).metadata.labels;
    expect(labels['pod-security.kubernetes.io/enforce']).toBe(env === 'prod' ? 'baseline' : LEVEL[env]);
    expect(labels['pod-security.kubernetes.io/warn']).toBe(LEVEL[env]);
    expect(labels['pod-security.kubernetes.io/audit']).toBe(LEVEL[env]);
  });

  it('runs the pf9 images as UID 1000, read-only, without capabilities (seed)', () => {
    for (const name of ['pf9-ui', 'pf9-api', 'pf9-monitoring', ...WORKERS]) {
      const d = r().get(env, 'Deployment', name);
      expect(podSpec(d).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
      expect(mainContainer(d).securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(mainContainer(d).volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    }
  });

  it('runs postgres and redis as their alpine images\' non-root users', () => {
    expect(podSpec(r().get(env, 'StatefulSet', 'postgres')).securityContext).toMatchObject({ runAsUser: 70, fsGroup: 70, runAsNonRoot: true });
    expect(podSpec(r().get(env, 'StatefulSet', 'redis-cache')).securityContext).toMatchObject({ runAsUser: 999, fsGroup: 1000, runAsNonRoot: true });
    const pg = mainContainer(r().get(env, 'StatefulSet', 'postgres'));
    expect(pg.env.find((e: any) => e.name === 'PGDATA').value).toBe('/var/lib/postgresql/data/pgdata');
    expect(pg.volumeMounts.map((m: any) => m.mountPath)).toEqual(expect.arrayContaining(['/var/run/postgresql', '/tmp']));
  });

  it('only OpenLDAP runs as root, with a recorded suppression of exactly the rules it cannot meet', () => {
    const rootish = templates(env)
      .filter(({ owner, spec }) => spec.containers.some((c: any) => (c.securityContext?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot) !== true))
      .map(({ owner }) => owner.metadata.name);
    // dev also runs the admin tools, which are not hardened (privileged environment only).
    expect(rootish).toEqual(env === 'dev' ? ['pgadmin', 'phpldapadmin', 'openldap'] : ['openldap']);
    const sts = r().get(env, 'StatefulSet', 'openldap');
    const rules = sts.metadata.annotations['gitops.io/suppress'].split(';').map((e: string) => e.split(':')[0].trim());
    expect(rules).toEqual(['pss-run-as-non-root', 'pss-read-only-root-fs', 'pss-capabilities-drop-all']);
    expect(mainContainer(sts).securityContext.allowPrivilegeEscalation).toBe(false);
  });

  it('suppresses nothing but the singleton workers and OpenLDAP', () => {
    const suppressed = (r().objects(env) as any[]).filter((o) => o.metadata?.annotations?.['gitops.io/suppress']).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(suppressed.sort()).toEqual([...WORKERS.map((w) => `Deployment/${w}`), 'StatefulSet/openldap'].sort());
  });

  it('pins every image tag', () => {
    const images = templates(env).flatMap(({ spec }) => [...spec.containers, ...(spec.initContainers ?? [])].map((c: any) => c.image));
    expect(images.filter((i: string) => !/:[\w.-]+$/.test(i) || i.endsWith(':latest'))).toEqual([]);
  });

  it('long-running containers have readiness probes; all but the workers have liveness probes', () => {
    for (const [name, w] of Object.entries(WORKLOADS)) {
      const c = mainContainer(r().get(env, w.kind, name));
      expect(c.readinessProbe, name).toBeDefined();
      if (!(WORKERS as readonly string[]).includes(name)) expect(c.livenessProbe, name).toBeDefined();
    }
  });
});

describe.each(ENVS)('%s: RBAC', (env) => {
  it('has pf9-app and pf9-jobs bound to the read-only pod-reader Role', () => {
    expect(r().get(env, 'Role', 'pod-reader').rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] }]);
    for (const [binding, sa] of [['pf9-app-reader', 'pf9-app'], ['pf9-jobs-reader', 'pf9-jobs']]) {
      const b = r().get(env, 'RoleBinding', binding);
      expect(b.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' });
      expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: sa, namespace: NS }]);
      expect(r().get(env, 'ServiceAccount', sa).metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('1');
    }
  });
});

/** Secrets of the seed with their keys. */
const SEED_SECRETS: Record<string, string[]> = {
  'db-credentials': ['POSTGRES_USER', 'POSTGRES_PASSWORD'],
  'jwt-secrets': ['JWT_SECRET_KEY'],
  'ldap-secrets': ['LDAP_ADMIN_PASSWORD', 'LDAP_CONFIG_PASSWORD'],
  'api-secrets': ['PF9_USERNAME', 'PF9_PASSWORD', 'PF9_AUTH_URL'],
  'smtp-secrets': ['SMTP_HOST', 'SMTP_USERNAME', 'SMTP_PASSWORD', 'SMTP_FROM_ADDRESS'],
  'snapshot-secrets': ['SNAPSHOT_PASSWORD_KEY', 'SNAPSHOT_USER_PASSWORD_ENCRYPTED', 'SNAPSHOT_SERVICE_USER_EMAIL', 'SNAPSHOT_SERVICE_USER_PASSWORD'],
  'aws-backup-credentials': ['access-key', 'secret-key'],
};

describe('configuration and secrets', () => {
  it('declares every seed Secret with its keys; only machine-generatable values are generated', () => {
    const declared = new Map((r().platform.spec.apps[0].secrets ?? []).map((s) => [s.name, s]));
    for (const [name, keys] of Object.entries(SEED_SECRETS)) expect(declared.get(name)?.keys.map((k) => k.name)).toEqual(keys);
    const generated = [...declared.values()].flatMap((s) => s.keys.filter((k) => k.generate).map((k) => `${s.name}/${k.name}`));
    expect(generated.sort()).toEqual(
      ['admin-tools-credentials/PGADMIN_DEFAULT_PASSWORD', 'db-credentials/POSTGRES_PASSWORD', 'db-credentials/POSTGRES_USER', 'jwt-secrets/JWT_SECRET_KEY', 'ldap-secrets/LDAP_ADMIN_PASSWORD', 'ldap-secrets/LDAP_CONFIG_PASSWORD'].sort(),
    );
  });

  it.each(ENVS)('%s: renders only the declared Secrets (from SOPS files) and puts no credential into a ConfigMap', (env) => {
    const declared = r().platform.spec.apps.flatMap((a) => (a.secrets ?? []).map((s) => s.name)).sort();
    expect(r().objects(env).filter((o) => o.kind === 'Secret').map((o) => o.metadata?.name).sort()).toEqual(declared);
    const keys = (r().objects(env) as any[]).filter((o) => o.kind === 'ConfigMap').flatMap((o) => Object.keys(o.data ?? {}));
    expect(keys.filter((k) => /PASSWORD|SECRET|ACCESS_KEY|_KEY$/.test(k))).toEqual([]);
  });

  it.each(ENVS)('%s: one database name everywhere and every service address resolves to a rendered Service', (env) => {
    const cm = (n: string) => r().get(env, 'ConfigMap', n).data;
    expect(new Set([cm('db-config').POSTGRES_DB, cm('api-config').PF9_DB_NAME, cm('backup-config').DB_NAME, cm('metering-config').DB_NAME, cm('notification-config').PF9_DB_NAME, cm('snapshot-config').PF9_DB_NAME])).toEqual(
      new Set(['pf9_mgmt']),
    );
    const services = new Set(r().objects(env).filter((o) => o.kind === 'Service').map((o) => o.metadata?.name));
    const hosts = (r().objects(env) as any[])
      .filter((o) => o.kind === 'ConfigMap')
      .flatMap((o) => Object.values(o.data ?? {}) as string[])
      .flatMap((v) => [...v.matchAll(/([a-z0-9-]+)\.pf9\.svc\.cluster\.local/g)].map((m) => m[1]));
    expect(hosts.length).toBeGreaterThan(8);
    expect(hosts.filter((h) => !services.has(h))).toEqual([]);
  });

  it.each(ENVS)('%s: the API gets the DB credentials under the names its pool reads (PF9_DB_USER/PASSWORD)', (env) => {
    const c = mainContainer(r().get(env, 'Deployment', 'pf9-api'));
    expect(c.env.map((e: any) => [e.name, e.valueFrom.secretKeyRef.key])).toEqual([
      ['PF9_DB_USER', 'POSTGRES_USER'],
      ['PF9_DB_PASSWORD', 'POSTGRES_PASSWORD'],
    ]);
    expect(c.envFrom.map((f: any) => f.configMapRef?.name ?? f.secretRef?.name)).toEqual(['api-config', 'ldap-config', 'db-credentials', 'jwt-secrets', 'api-secrets']);
  });
});

describe.each(['staging', 'prod'] as const)('%s: Prometheus monitoring feature', (env) => {
  it('scrapes /metrics on the http port every 30s', () => {
    for (const [sm, appName] of [['pf9-metrics', 'pf9-api'], ['pf9-monitoring-metrics', 'pf9-monitoring']]) {
      const obj = r().get(env, 'ServiceMonitor', sm);
      expect(obj.spec.selector.matchLabels).toEqual({ app: appName });
      expect(obj.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
      // The selected Service carries the label and the named port.
      const svc = r().get(env, 'Service', appName);
      expect(svc.metadata.labels.app).toBe(appName);
      expect(svc.spec.ports.map((p: any) => p.name)).toContain('http');
    }
  });

  it("carries the label the cluster's kube-prometheus-stack selects ServiceMonitors and rules by", () => {
    for (const [kind, n] of [['ServiceMonitor', 'pf9-metrics'], ['ServiceMonitor', 'pf9-monitoring-metrics'], ['PrometheusRule', 'pf9-alerts']]) {
      expect(r().get(env, kind, n).metadata.labels.release, `${kind}/${n}`).toBe('kube-prometheus-stack');
    }
  });

  it('carries the seed alerts with their durations and severities', () => {
    const group = r().get(env, 'PrometheusRule', 'pf9-alerts').spec.groups[0];
    expect([group.name, group.interval]).toEqual(['pf9', '30s']);
    expect(group.rules.map((x: any) => [x.alert, x.for, x.labels.severity])).toEqual([
      ['HighAPIErrorRate', '5m', 'warning'],
      ['DatabaseConnectionPoolExhausted', '5m', 'critical'],
      ['PVCAlmostFull', '10m', 'warning'],
    ]);
    expect(group.rules[0].expr).toContain('pf9_api_requests_total');
    expect(group.rules[1].expr).toContain('pf9_db_connections_active');
  });
});

describe('dev: no Prometheus Operator objects', () => {
  it('renders no ServiceMonitor or PrometheusRule', () => {
    expect(r().objects('dev').filter((o) => o.apiVersion.startsWith('monitoring.coreos.com'))).toEqual([]);
  });
});
