/** Workloads, images, ports, probes and Services against the seed, in every environment. */
import { describe, expect, it } from 'vitest';
import { renderVsCompile } from '@gitops/pipeline';
import { ENVS, NS, TAG, WORKLOADS, WORKERS, mainContainer, podSpec, rendered } from './seed';

const r = rendered();

describe('platform9 render', () => {
  it('renders exactly what was compiled, in all three overlays', () => {
    expect(renderVsCompile(r())).toEqual([]);
  });

  it.each(ENVS)('%s: every namespaced object is in namespace pf9', (env) => {
    const stray = r()
      .objects(env)
      .filter((o) => o.kind !== 'Namespace' && o.metadata?.namespace !== NS)
      .map((o) => `${o.kind}/${o.metadata?.name}`);
    expect(stray).toEqual([]);
    expect(r().get(env, 'Namespace', NS).metadata.name).toBe('pf9');
  });
});

describe.each(ENVS)('%s: components', (env) => {
  it.each(Object.entries(WORKLOADS))('%s has the seed kind, image and port', (name, w) => {
    const obj = r().get(env, w.kind, name);
    const c = mainContainer(obj);
    expect(c.name).toBe(name);
    expect(c.image).toBe(w.image.includes(':') ? w.image : `${w.image}:${TAG[env]}`);
    if ('port' in w) expect(c.ports.map((p: any) => p.containerPort)).toEqual([w.port]);
    expect(obj.spec.template.metadata.labels.app).toBe(name);
  });

  it.each(['pf9-ui', 'pf9-api', 'pf9-monitoring'] as const)('%s has the seed HTTP probes', (name) => {
    const c = mainContainer(r().get(env, 'Deployment', name));
    expect(c.livenessProbe.httpGet).toMatchObject({ path: WORKLOADS[name].liveness, port: 'http' });
    expect(c.readinessProbe.httpGet).toMatchObject({ path: WORKLOADS[name].readiness, port: 'http' });
  });

  it('probe timings follow the seed', () => {
    const timing = (name: string) => {
      const c = mainContainer(r().get(env, 'Deployment', name));
      return [c.livenessProbe.initialDelaySeconds, c.livenessProbe.periodSeconds, c.readinessProbe.initialDelaySeconds, c.readinessProbe.periodSeconds];
    };
    expect(timing('pf9-ui')).toEqual([10, 10, 5, 5]);
    expect(timing('pf9-api')).toEqual([15, 20, 10, 5]);
    expect(timing('pf9-monitoring')).toEqual([10, 15, 5, 5]);
  });

  it('stateful components probe with pg_isready, redis-cli ping and an LDAP simple bind', () => {
    const pg = mainContainer(r().get(env, 'StatefulSet', 'postgres'));
    expect(pg.livenessProbe.exec.command.join(' ')).toContain('pg_isready');
    expect([pg.livenessProbe.initialDelaySeconds, pg.readinessProbe.initialDelaySeconds]).toEqual([30, 5]);
    const redis = mainContainer(r().get(env, 'StatefulSet', 'redis-cache'));
    expect(redis.livenessProbe.exec.command).toEqual(['redis-cli', 'ping']);
    expect(redis.readinessProbe.exec.command).toEqual(['redis-cli', 'ping']);
    const ldap = mainContainer(r().get(env, 'StatefulSet', 'openldap'));
    expect(ldap.livenessProbe.exec.command[2]).toMatch(/^ldapwhoami -x .*cn=admin,\$\{LDAP_BASE_DN\}/);
  });

  it('Services: names, ports and headless governing Services', () => {
    const svc = (name: string) => r().get(env, 'Service', name);
    expect(svc('pf9-ui').spec.ports[0]).toMatchObject({ port: 5173, targetPort: 'http' });
    expect(svc('pf9-api').spec.ports[0]).toMatchObject({ name: 'http', port: 8000 });
    expect(svc('pf9-monitoring').spec.ports[0]).toMatchObject({ port: 8001 });
    expect(svc('redis-cache').spec.ports[0]).toMatchObject({ port: 6379 });
    expect(svc('ldap').spec.ports[0]).toMatchObject({ port: 389 });
    expect(svc('ldap').spec.selector).toEqual({ 'app.kubernetes.io/name': 'openldap' });
    expect(svc('postgres').spec.type).toBe('ClusterIP');
    expect(svc('postgres').spec.ports[0]).toMatchObject({ name: 'postgres', port: 5432 });
    for (const [sts, headless] of [['postgres', 'postgres-headless'], ['openldap', 'ldap-headless'], ['redis-cache', 'redis-cache-headless']]) {
      expect(svc(headless).spec.clusterIP).toBe('None');
      expect(r().get(env, 'StatefulSet', sts).spec.serviceName).toBe(headless);
    }
    expect(r().objects(env).filter((o: any) => o.kind === 'Service' && o.spec.type === 'NodePort')).toEqual([]);
  });

  it('PostgreSQL mounts the init scripts ConfigMap and reads POSTGRES_DB from db-config', () => {
    const sts = r().get(env, 'StatefulSet', 'postgres');
    const c = mainContainer(sts);
    expect(c.volumeMounts).toContainEqual({ name: 'init-scripts', mountPath: '/docker-entrypoint-initdb.d', readOnly: true });
    expect(podSpec(sts).volumes).toContainEqual({ name: 'init-scripts', configMap: { name: 'db-init-scripts' } });
    expect(c.env.find((e: any) => e.name === 'POSTGRES_DB').valueFrom.configMapKeyRef).toEqual({ name: 'db-config', key: 'POSTGRES_DB' });
    expect(r().get(env, 'ConfigMap', 'db-init-scripts').data['init.sql']).toContain('CREATE SCHEMA');
  });

  it('OpenLDAP has data and config volumes and the bootstrap LDIF ConfigMap', () => {
    const sts = r().get(env, 'StatefulSet', 'openldap');
    expect(sts.spec.volumeClaimTemplates.map((t: any) => t.metadata.name)).toEqual(['ldap-data', 'slapd-config']);
    expect(mainContainer(sts).volumeMounts.map((m: any) => m.mountPath)).toEqual([
      '/var/lib/ldap',
      '/etc/ldap/slapd.d',
      '/container/service/slapd/assets/config/bootstrap/ldif/custom',
    ]);
    expect(podSpec(sts).volumes).toContainEqual({ name: 'ldap-init', configMap: { name: 'ldap-init-ldif' } });
    expect(mainContainer(sts).args).toEqual(['--copy-service']);
  });

  it('Redis keeps its persistence flags as separate arguments', () => {
    const c = mainContainer(r().get(env, 'StatefulSet', 'redis-cache'));
    expect(c.args).toEqual(['--maxmemory', '768mb', '--maxmemory-policy', 'allkeys-lru', '--save', '60 1000', '--appendonly', 'yes']);
    expect(c.volumeMounts).toContainEqual({ name: 'redis-data', mountPath: '/data' });
  });

  it('workers: one replica, Recreate, tier=worker, seed volumes', () => {
    for (const w of WORKERS) {
      const d = r().get(env, 'Deployment', w);
      expect(d.spec.replicas).toBe(1);
      expect(d.spec.strategy).toEqual({ type: 'Recreate' });
      expect(d.spec.template.metadata.labels.tier).toBe('worker');
      expect(podSpec(d).serviceAccountName).toBe('pf9-app');
    }
    const claims = (w: string) => podSpec(r().get(env, 'Deployment', w)).volumes.filter((v: any) => v.persistentVolumeClaim).map((v: any) => v.persistentVolumeClaim.claimName);
    expect(claims('snapshot-worker')).toEqual(['reports-pvc', 'app-logs-pvc']);
    expect(claims('backup-worker')).toEqual(['backups-pvc']);
    expect(claims('notification-worker')).toEqual(['app-logs-pvc']);
    expect(claims('metering-worker')).toEqual([]);
  });

  it('the API rolls out with zero downtime under ServiceAccount pf9-app and no migration init container', () => {
    const d = r().get(env, 'Deployment', 'pf9-api');
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(podSpec(d).serviceAccountName).toBe('pf9-app');
    expect(podSpec(d).initContainers.map((c: any) => c.name)).toEqual(['wait-for-postgres', 'wait-for-openldap']);
  });

  it('the API and the backup worker wait for LDAP through its client Service', () => {
    for (const name of ['pf9-api', 'backup-worker']) {
      const wait = podSpec(r().get(env, 'Deployment', name)).initContainers.find((c: any) => c.name === 'wait-for-openldap');
      expect(wait.command.join(' '), name).toContain('nc -z -w 2 ldap 389');
    }
  });

  it('OpenLDAP Services come from the compiler and carry no suppression (it stays on the StatefulSet)', () => {
    for (const name of ['ldap', 'ldap-headless']) expect(r().get(env, 'Service', name).metadata.annotations['gitops.io/suppress']).toBeUndefined();
    expect(r().get(env, 'StatefulSet', 'openldap').metadata.annotations['gitops.io/suppress']).toContain('pss-run-as-non-root');
  });
});
