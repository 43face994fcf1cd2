/**
 * RentGuy, field by field against the seed (seed 003_63b863817701fc66, as in the sevensa spec
 * digest). Prod is the seed's environment (values-prod.yaml).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForTest, type RenderedPlatform } from '@gitops/pipeline';
import { environments } from '@gitops/environments';
import { ENVS, cluster, envVar, mainContainer, pod, traefikPod } from './fixture';
import { KUBE_DNS } from './netpol';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('sevensa');
});

const get = (env: string, kind: string, name: string) => r.get(env, kind, name, 'rentguy');
const HOSTS = { dev: ['rentguy.dev.sevensa.nl', 'api.rentguy.dev.sevensa.nl'], staging: ['rentguy.staging.sevensa.nl', 'api.rentguy.staging.sevensa.nl'], prod: ['rentguy.sevensa.nl', 'api.rentguy.sevensa.nl'] };

describe('rentguy-api Deployment (seed)', () => {
  it('keeps name, namespace and the app/component labels on object, selector target and pods', () => {
    const d = get('prod', 'Deployment', 'rentguy-api');
    expect(d.metadata.namespace).toBe('rentguy');
    expect(d.metadata.labels).toMatchObject({ app: 'rentguy', component: 'api' });
    expect(d.spec.template.metadata.labels).toMatchObject({ app: 'rentguy', component: 'api' });
    for (const [k, v] of Object.entries(d.spec.selector.matchLabels)) expect(d.spec.template.metadata.labels[k]).toBe(v);
  });

  it('runs 3 replicas in prod, 2 in staging, 1 in dev', () => {
    expect(get('prod', 'Deployment', 'rentguy-api').spec.replicas).toBe(3);
    expect(get('staging', 'Deployment', 'rentguy-api').spec.replicas).toBe(2);
    expect(get('dev', 'Deployment', 'rentguy-api').spec.replicas).toBe(1);
  });

  it('uses ServiceAccount rentguy-api, which is rendered without an API token', () => {
    for (const env of ENVS) {
      expect(get(env, 'Deployment', 'rentguy-api').spec.template.spec.serviceAccountName).toBe('rentguy-api');
      expect(get(env, 'ServiceAccount', 'rentguy-api').automountServiceAccountToken).toBe(false);
    }
  });

  it('runs sevensa/rentguy-api with the pinned release tag, not latest', () => {
    for (const env of ENVS) {
      const tag = r.platform.spec.releases['sevensa/rentguy-api'][env];
      expect(mainContainer(get(env, 'Deployment', 'rentguy-api')).image).toBe(`sevensa/rentguy-api:${tag}`);
      expect(tag).not.toBe('latest');
    }
  });

  it('listens on 3000 and reads DATABASE_URL and JWT_SECRET from the seed secrets', () => {
    const c = mainContainer(get('prod', 'Deployment', 'rentguy-api'));
    expect(c.ports.map((p: any) => p.containerPort)).toEqual([3000]);
    expect(envVar(c, 'DATABASE_URL').valueFrom.secretKeyRef).toEqual({ name: 'rentguy-db-credentials', key: 'url' });
    expect(envVar(c, 'JWT_SECRET').valueFrom.secretKeyRef).toEqual({ name: 'rentguy-jwt', key: 'secret' });
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'rentguy-config' } }]);
  });

  it('has the seed resources in staging and prod', () => {
    for (const env of ['staging', 'prod']) {
      expect(mainContainer(get(env, 'Deployment', 'rentguy-api')).resources).toEqual({
        requests: { memory: '256Mi', cpu: '100m' },
        limits: { memory: '512Mi', cpu: '500m' },
      });
    }
  });

  it('has the seed probes', () => {
    const c = mainContainer(get('prod', 'Deployment', 'rentguy-api'));
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/health', port: 3000 }, initialDelaySeconds: 30, periodSeconds: 10 });
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 3000 }, initialDelaySeconds: 5, periodSeconds: 5 });
  });

  it('waits for the database in init container init-db with the seed command', () => {
    for (const env of ENVS) {
      const inits = get(env, 'Deployment', 'rentguy-api').spec.template.spec.initContainers;
      expect(inits).toHaveLength(1);
      expect(inits[0].name).toBe('init-db');
      expect(inits[0].command).toEqual(['sh', '-c', 'until nc -z rentguy-db 5432; do echo waiting for db; sleep 2; done;']);
      // Deviation: a pinned busybox (guaranteed to have nc) instead of the API image, with resources.
      expect(inits[0].image).toBe('busybox:1.36.1');
      expect(inits[0].resources.limits).toEqual({ cpu: '50m', memory: '32Mi' });
    }
  });

  it('is protected by a PodDisruptionBudget where it is replicated', () => {
    const d = get('prod', 'Deployment', 'rentguy-api');
    const pdb = get('prod', 'PodDisruptionBudget', 'rentguy-api');
    for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels)) expect(d.spec.template.metadata.labels[k]).toBe(v);
    expect(() => get('dev', 'PodDisruptionBudget', 'rentguy-api')).toThrow();
  });

  it('meets the restricted profile in prod', () => {
    const spec = get('prod', 'Deployment', 'rentguy-api').spec.template.spec;
    for (const c of [...spec.containers, ...spec.initContainers]) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    }
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });
});

describe('rentguy-api Service (seed)', () => {
  it('is a ClusterIP Service on port 80 named http, TCP, reaching container port 3000', () => {
    const s = get('prod', 'Service', 'rentguy-api');
    const d = get('prod', 'Deployment', 'rentguy-api');
    expect(s.metadata.labels).toMatchObject({ app: 'rentguy', component: 'api' });
    expect(s.spec.type).toBe('ClusterIP');
    expect(s.spec.ports).toHaveLength(1);
    expect(s.spec.ports[0]).toMatchObject({ port: 80, protocol: 'TCP', name: 'http' });
    const target = mainContainer(d).ports.find((p: any) => p.name === s.spec.ports[0].targetPort || p.containerPort === s.spec.ports[0].targetPort);
    expect(target.containerPort).toBe(3000);
    for (const [k, v] of Object.entries(s.spec.selector)) expect(d.spec.template.metadata.labels[k]).toBe(v);
  });
});

describe('rentguy-frontend (only named by the Ingress)', () => {
  it('is a Deployment behind Service rentguy-frontend on port 80', () => {
    const s = get('prod', 'Service', 'rentguy-frontend');
    const d = get('prod', 'Deployment', 'rentguy-frontend');
    expect(s.spec.ports[0].port).toBe(80);
    expect(d.spec.template.metadata.labels).toMatchObject({ app: 'rentguy', component: 'frontend' });
    expect(d.spec.replicas).toBeGreaterThanOrEqual(2);
  });
});

describe('rentguy-ingress (seed)', () => {
  it('keeps the Traefik annotations and uses IngressClass traefik instead of the deprecated annotation', () => {
    const i = get('prod', 'Ingress', 'rentguy-ingress');
    expect(i.metadata.annotations).toMatchObject({
      'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
      'traefik.ingress.kubernetes.io/router.tls': 'true',
      'traefik.ingress.kubernetes.io/router.middlewares': 'rentguy-auth@kubernetescrd',
    });
    expect(i.metadata.annotations['kubernetes.io/ingress.class']).toBeUndefined();
    expect(i.spec.ingressClassName).toBe('traefik');
    expect(r.get('prod', 'IngressClass', 'traefik', 'ingress').spec.controller).toBe('traefik.io/ingress-controller');
  });

  it('routes both hosts to the right Services on port 80, per environment', () => {
    for (const env of ENVS) {
      const i = get(env, 'Ingress', 'rentguy-ingress');
      const [front, api] = HOSTS[env];
      expect(i.spec.rules).toEqual([
        { host: front, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'rentguy-frontend', port: { number: 80 } } } }] } },
        { host: api, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'rentguy-api', port: { number: 80 } } } }] } },
      ]);
      expect(i.spec.tls).toEqual([{ hosts: [front, api], secretName: 'rentguy-tls' }]);
    }
  });

  it('gets rentguy-tls from the ClusterIssuer the ingress app renders for that environment', () => {
    for (const env of ENVS) {
      const issuer = get(env, 'Ingress', 'rentguy-ingress').metadata.annotations['cert-manager.io/cluster-issuer'];
      expect(issuer).toBe(`sevensa-${environments[env].clusterIssuer}`);
      expect(r.get(env, 'ClusterIssuer', issuer, 'ingress')).toBeDefined();
    }
  });

  it('defines the rentguy-auth middleware: forward auth to Keycloak realm sevensa', () => {
    const [ns, rest] = ['rentguy', get('prod', 'Ingress', 'rentguy-ingress').metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']];
    const m = get('prod', 'Middleware', 'auth');
    expect(m.apiVersion).toBe('traefik.io/v1alpha1');
    expect(`${m.metadata.namespace}-${m.metadata.name}@kubernetescrd`).toBe(rest);
    expect(m.metadata.namespace).toBe(ns);
    expect(m.spec.forwardAuth.address).toBe('http://keycloak.infra.svc.cluster.local:8080/realms/sevensa/protocol/openid-connect/userinfo');
    expect(r.get('prod', 'Service', 'keycloak', 'infra').spec.ports[0].port).toBe(8080);
  });
});

describe('rentguy-db StatefulSet (seed)', () => {
  it('keeps name, labels and one replica', () => {
    const s = get('prod', 'StatefulSet', 'rentguy-db');
    expect(s.metadata.labels).toMatchObject({ app: 'rentguy', component: 'db' });
    expect(s.spec.template.metadata.labels).toMatchObject({ app: 'rentguy', component: 'db' });
    expect(s.spec.replicas).toBe(1);
  });

  it('runs postgres:14-alpine on 5432 named postgres with the seed env', () => {
    const c = mainContainer(get('prod', 'StatefulSet', 'rentguy-db'));
    expect(c.image).toBe('postgres:14-alpine');
    expect(c.ports).toEqual([{ name: 'postgres', containerPort: 5432, protocol: 'TCP' }]);
    expect(envVar(c, 'POSTGRES_USER').valueFrom.secretKeyRef).toEqual({ name: 'rentguy-db-credentials', key: 'username' });
    expect(envVar(c, 'POSTGRES_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'rentguy-db-credentials', key: 'password' });
    expect(envVar(c, 'POSTGRES_DB').value).toBe('rentguy');
    // Addition: data in a subdirectory of the mount (a fresh volume holds lost+found).
    expect(envVar(c, 'PGDATA').value).toBe('/var/lib/postgresql/data/pgdata');
    expect(c.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
  });

  it('has the seed resources in staging and prod', () => {
    for (const env of ['staging', 'prod']) {
      expect(mainContainer(get(env, 'StatefulSet', 'rentguy-db')).resources).toEqual({ requests: { memory: '512Mi', cpu: '250m' }, limits: { memory: '1Gi', cpu: '500m' } });
    }
  });

  it('claims 10Gi ReadWriteOnce on the standard class in prod, sized per environment', () => {
    const size = { dev: '2Gi', staging: '10Gi', prod: '10Gi' };
    for (const env of ENVS) {
      const [t] = get(env, 'StatefulSet', 'rentguy-db').spec.volumeClaimTemplates;
      expect(t.metadata.name).toBe('data');
      expect(t.spec.accessModes).toEqual(['ReadWriteOnce']);
      expect(t.spec.storageClassName).toBe(environments[env].storageClasses.standard);
      expect(t.spec.resources.requests.storage).toBe(size[env]);
    }
  });

  it('is reachable as rentguy-db:5432, and governed by a headless Service', () => {
    const sts = get('prod', 'StatefulSet', 'rentguy-db');
    const client = get('prod', 'Service', 'rentguy-db');
    const governing = get('prod', 'Service', sts.spec.serviceName);
    expect(client.spec.ports[0].port).toBe(5432);
    expect(client.spec.type).toBe('ClusterIP');
    expect(governing.spec.clusterIP).toBe('None');
    for (const svc of [client, governing]) {
      for (const [k, v] of Object.entries(svc.spec.selector)) expect(sts.spec.template.metadata.labels[k]).toBe(v);
    }
  });

  it('flushes to disk before Velero snapshots it, in the right container', () => {
    const t = get('prod', 'StatefulSet', 'rentguy-db').spec.template;
    const a = t.metadata.annotations;
    expect(t.spec.containers.map((c: any) => c.name)).toContain(a['pre.hook.backup.velero.io/container']);
    expect(JSON.parse(a['pre.hook.backup.velero.io/command']).join(' ')).toContain('CHECKPOINT');
  });
});

describe('rentguy-network-policy (seed, corrected)', () => {
  it('selects app: rentguy for Ingress and Egress', () => {
    const p = get('prod', 'NetworkPolicy', 'rentguy-network-policy');
    expect(p.spec.podSelector).toEqual({ matchLabels: { app: 'rentguy' } });
    expect(p.spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  it('admits Traefik of the ingress namespace as ONE peer (namespace AND pod) on the real ports', () => {
    const [rule] = get('prod', 'NetworkPolicy', 'rentguy-network-policy').spec.ingress;
    expect(rule.from).toEqual([{ namespaceSelector: { matchLabels: { name: 'ingress' } }, podSelector: { matchLabels: { app: 'traefik' } } }]);
    expect(rule.ports).toContainEqual({ protocol: 'TCP', port: 3000 });
    expect(rule.ports).not.toContainEqual({ protocol: 'TCP', port: 80 });
  });

  it('lets Traefik reach the API on 3000 and the frontend, but not the database', () => {
    for (const env of ENVS) {
      const c = cluster(r, env);
      const traefik = traefikPod(r, env);
      expect(c.canReach(traefik, pod(r, env, 'rentguy', 'rentguy-api'), 3000)).toBe(true);
      expect(c.canReach(traefik, pod(r, env, 'rentguy', 'rentguy-frontend'), 8080)).toBe(true);
      expect(c.canReach(traefik, pod(r, env, 'rentguy', 'rentguy-db'), 5432)).toBe(false);
    }
  });

  it('keeps DNS working (UDP and TCP 53 to kube-dns)', () => {
    const c = cluster(r, 'prod');
    const api = pod(r, 'prod', 'rentguy', 'rentguy-api');
    expect(c.egressAllowed(api, KUBE_DNS, 53, 'UDP')).toBe(true);
    expect(c.egressAllowed(api, KUBE_DNS, 53, 'TCP')).toBe(true);
  });

  it('allows the API to reach its database, Redis, OpenBao 8200 and Keycloak 8080', () => {
    const c = cluster(r, 'prod');
    const api = pod(r, 'prod', 'rentguy', 'rentguy-api');
    expect(c.canReach(api, pod(r, 'prod', 'rentguy', 'rentguy-db'), 5432)).toBe(true);
    expect(c.canReach(api, pod(r, 'prod', 'rentguy', 'rentguy-redis'), 6379)).toBe(true);
    expect(c.canReach(api, pod(r, 'prod', 'infra', 'openbao'), 8200)).toBe(true);
    expect(c.canReach(api, pod(r, 'prod', 'infra', 'keycloak'), 8080)).toBe(true);
    // ...and nothing else in infra: not Keycloak's database.
    expect(c.canReach(api, pod(r, 'prod', 'infra', 'keycloak-db'), 5432)).toBe(false);
  });

  it('keeps other apps out of the database', () => {
    const c = cluster(r, 'prod');
    expect(c.canReach(pod(r, 'prod', 'psra', 'psra-api'), pod(r, 'prod', 'rentguy', 'rentguy-db'), 5432)).toBe(false);
    expect(c.canReach(pod(r, 'prod', 'ai', 'claude-chat'), pod(r, 'prod', 'rentguy', 'rentguy-api'), 3000)).toBe(false);
  });
});

describe('values.yaml (seed) as configuration and declared secrets', () => {
  it('puts the non-secret values into ConfigMap rentguy-config', () => {
    expect(get('prod', 'ConfigMap', 'rentguy-config').data).toMatchObject({
      DATABASE_HOST: 'rentguy-db',
      DATABASE_PORT: '5432',
      DATABASE_NAME: 'rentguy',
      DATABASE_USER: 'rentguy',
      REDIS_HOST: 'rentguy-redis',
      REDIS_PORT: '6379',
      KEYCLOAK_REALM: 'sevensa',
      KEYCLOAK_CLIENT_ID: 'rentguy-api',
      OPENBAO_ROLE: 'rentguy',
    });
  });

  it('declares every existingSecret of the values with the keys the containers read', () => {
    const app = r.platform.spec.apps.find((a) => a.name === 'rentguy')!;
    const keys = Object.fromEntries((app.secrets ?? []).map((s) => [s.name, s.keys.map((k) => k.name).sort()]));
    expect(keys).toEqual({
      'rentguy-db-credentials': ['password', 'url', 'username'],
      'rentguy-jwt': ['secret'],
      'rentguy-redis-credentials': ['password'],
      'rentguy-keycloak-credentials': ['client-secret'],
      'rentguy-openbao-credentials': ['role-id', 'secret-id'],
    });
    const c = mainContainer(get('prod', 'Deployment', 'rentguy-api'));
    expect(envVar(c, 'REDIS_PASSWORD').valueFrom.secretKeyRef.name).toBe('rentguy-redis-credentials');
    expect(envVar(c, 'KEYCLOAK_CLIENT_SECRET').valueFrom.secretKeyRef.name).toBe('rentguy-keycloak-credentials');
    expect(envVar(c, 'OPENBAO_ROLE_ID').valueFrom.secretKeyRef.name).toBe('rentguy-openbao-credentials');
  });

  it('serves redis.host:redis.port (rentguy-redis:6379) from a Redis that requires the password', () => {
    const s = get('prod', 'Service', 'rentguy-redis');
    expect(s.spec.ports[0].port).toBe(6379);
    const c = mainContainer(get('prod', 'StatefulSet', 'rentguy-redis'));
    expect(c.args).toContain('--requirepass');
    expect(envVar(c, 'REDIS_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'rentguy-redis-credentials', key: 'password' });
  });
});
