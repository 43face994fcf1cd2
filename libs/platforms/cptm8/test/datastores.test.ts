/** PostgreSQL, MongoDB, RabbitMQ and OpenSearch: StatefulSets, their two Services, images and storage per environment. */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForTest, type RenderedPlatform } from '@gitops/pipeline';
import { ENVS, envVar, mainContainer, podSpec, vct, type Env } from './helpers';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('cptm8');
});

/** Storage class per environment for data volumes: Kind local-path, EBS gp3, provisioned-IOPS gp3 in prod. */
const dataClass: Record<Env, string> = { dev: 'local-path', staging: 'gp3', prod: 'gp3-iops' };

const stores = [
  { sts: 'postgresqlm8', image: 'postgres:16-alpine', headless: 'postgresql-headless', client: 'postgresql-service', port: 5432, vct: 'data', mount: '/var/lib/postgresql/data', size: { dev: '2Gi', staging: '10Gi', prod: '20Gi' }, uid: 70 },
  { sts: 'mongodb', image: 'mongo:7.0.14', headless: 'mongodb-primary-headless', client: 'mongodb-primary-service', port: 27017, vct: 'data', mount: '/data/db', size: { dev: '5Gi', staging: '10Gi', prod: '20Gi' }, uid: 999 },
  { sts: 'rabbitmq', image: 'rabbitmq:3.13.7-management', headless: 'rabbitmq-headless', client: 'rabbitmq-service', port: 5672, vct: 'rabbitmq-vct', mount: '/var/lib/rabbitmq', size: { dev: '30Gi', staging: '30Gi', prod: '50Gi' }, uid: 999 },
] as const;

describe.each(ENVS)('data stores in %s', (env) => {
  it.each(stores)('$sts: StatefulSet, headless + client Service, volume', (s) => {
    const sts = r.get(env, 'StatefulSet', s.sts);
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.serviceName).toBe(s.headless);
    expect(mainContainer(sts).image).toBe(s.image);
    expect(mainContainer(sts).ports[0].containerPort).toBe(s.port);
    expect(mainContainer(sts).volumeMounts).toContainEqual({ name: s.vct, mountPath: s.mount });
    expect(podSpec(sts).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: s.uid, fsGroup: s.uid });
    expect(vct(sts, s.vct).spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: dataClass[env],
      resources: { requests: { storage: s.size[env] } },
    });

    const headless = r.get(env, 'Service', s.headless);
    expect(headless.spec.clusterIP).toBe('None');
    // The seed's rule: a headless Service carries no `type`.
    expect(headless.spec.type).toBeUndefined();
    expect(headless.spec.selector).toEqual({ 'app.kubernetes.io/name': s.sts });

    const client = r.get(env, 'Service', s.client);
    expect(client.spec.type).toBe('ClusterIP');
    expect(client.spec.clusterIP).toBeUndefined();
    expect(client.spec.selector).toEqual({ 'app.kubernetes.io/name': s.sts });
    expect(client.spec.ports[0].port).toBe(s.port);
  });

  it('PostgreSQL: password from postgresql-secrets/password, pg_isready probes', () => {
    const c = mainContainer(r.get(env, 'StatefulSet', 'postgresqlm8'));
    expect(envVar(c, 'POSTGRES_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'postgresql-secrets', key: 'password' });
    expect(envVar(c, 'POSTGRES_DB').value).toBe('cptm8');
    expect(c.livenessProbe).toMatchObject({ exec: { command: ['sh', '-c', 'pg_isready -U postgres'] }, initialDelaySeconds: 30 });
    expect(c.readinessProbe.exec.command).toEqual(['sh', '-c', 'pg_isready -U postgres']);
  });

  it('RabbitMQ: node name from the pod own headless DNS name, AMQP and management on the client Service', () => {
    const c = mainContainer(r.get(env, 'StatefulSet', 'rabbitmq'));
    expect(envVar(c, 'RABBITMQ_NODENAME').value).toBe('rabbit@$(POD_NAME).rabbitmq-headless.$(POD_NAMESPACE).svc.cluster.local');
    expect(envVar(c, 'RABBITMQ_DEFAULT_PASS').valueFrom.secretKeyRef).toEqual({ name: 'rabbitmq-secrets', key: 'password' });
    expect(r.get(env, 'Service', 'rabbitmq-service').spec.ports.map((p: any) => p.port)).toEqual([5672, 15672]);
  });

  it('OpenSearch: 3-node cptm8-cluster on 9200/9300 behind opensearch-headless and opensearch-service', () => {
    const sts = r.get(env, 'StatefulSet', 'opensearch');
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.serviceName).toBe('opensearch-headless');
    const c = mainContainer(sts);
    expect(c.image).toBe('opensearchproject/opensearch:2.11.0');
    expect(c.ports).toEqual([
      { name: 'http', containerPort: 9200, protocol: 'TCP' },
      { name: 'transport', containerPort: 9300, protocol: 'TCP' },
    ]);
    expect(envVar(c, 'cluster.name').value).toBe('cptm8-cluster');
    expect(envVar(c, 'node.name').valueFrom.fieldRef.fieldPath).toBe('metadata.name');
    expect(envVar(c, 'discovery.seed_hosts').value).toBe(
      'opensearch-0.opensearch-headless,opensearch-1.opensearch-headless,opensearch-2.opensearch-headless',
    );
    expect(envVar(c, 'cluster.initial_master_nodes').value).toBe('opensearch-0,opensearch-1,opensearch-2');
    expect(envVar(c, 'OPENSEARCH_JAVA_OPTS').value).toBe('-Xms512m -Xmx512m');
    expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1000m', memory: '2Gi' } });
    // No privileged sysctl init container in any environment; only the config copy.
    expect(podSpec(sts).initContainers.map((i: any) => i.name)).toEqual(['copy-config']);
    expect(podSpec(sts).initContainers.every((i: any) => !i.securityContext?.privileged)).toBe(true);
    expect(vct(sts, 'data').spec.storageClassName).toBe(dataClass[env]);
    expect(vct(sts, 'data').spec.resources.requests.storage).toBe({ dev: '10Gi', staging: '20Gi', prod: '50Gi' }[env]);
    expect(r.get(env, 'Service', 'opensearch-headless').spec.ports.map((p: any) => [p.name, p.port])).toEqual([
      ['http', 9200],
      ['transport', 9300],
    ]);
    expect(r.get(env, 'Service', 'opensearch-service').spec.ports.map((p: any) => p.port)).toEqual([9200]);
  });

  it('log volumes: one per Go service, ReadWriteMany on the shared class in the cloud, RWO on single-node Kind', () => {
    const pvc = r.get(env, 'PersistentVolumeClaim', 'asmm8-logs-pvc');
    expect(pvc.spec).toEqual({
      accessModes: [env === 'dev' ? 'ReadWriteOnce' : 'ReadWriteMany'],
      storageClassName: { dev: 'local-path', staging: 'efs', prod: 'efs' }[env],
      resources: { requests: { storage: { dev: '1Gi', staging: '5Gi', prod: '10Gi' }[env] } },
    });
    const claims = r.objects(env).filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata!.name);
    expect(claims.sort()).toEqual(
      ['asmm8', 'katanam8', 'naabum8', 'num8', 'orchestratorm8', 'reportingm8'].map((s) => `${s}-logs-pvc`).concat('vector-data-pvc').sort(),
    );
  });

  it('no hostPath volumes and no static PersistentVolumes anywhere', () => {
    expect(r.objects(env).filter((o) => o.kind === 'PersistentVolume')).toEqual([]);
    const hostPaths = r
      .objects(env)
      .filter((o) => ['Deployment', 'StatefulSet', 'CronJob', 'Job'].includes(o.kind))
      .flatMap((o) => (podSpec(o).volumes ?? []).filter((v: any) => v.hostPath));
    expect(hostPaths).toEqual([]);
  });
});

describe('OpenSearch availability', () => {
  it('prod spreads the 3 nodes over zones and allows one down at a time', () => {
    const sts = r.get('prod', 'StatefulSet', 'opensearch');
    expect(podSpec(sts).topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    expect(r.get('prod', 'PodDisruptionBudget', 'opensearch').spec.maxUnavailable).toBe(1);
  });
});
