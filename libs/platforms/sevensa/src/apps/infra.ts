/**
 * Infrastructure services (seed): OpenBao (secrets, port 8200) and Keycloak (identity,
 * port 8080, realm `sevensa`). The seed gives only the two ports (NetworkPolicy comments).
 */
import { suppress, type ComponentSpec, type EnvName } from '@gitops/core';
import { SIZE, host, res, same, scaled, single, type ByEnv } from '../env';
import { configVolume, key, postgres, runAs, secret, tmp } from '../kit';
import type { Peer, SevensaApp } from '../types';

const NS = 'infra';
export const REALM = 'sevensa';
export const KEYCLOAK: Peer = { app: NS, component: 'keycloak', port: 8080 };
export const OPENBAO: Peer = { app: NS, component: 'openbao', port: 8200 };
export const KEYCLOAK_URL = `http://keycloak.${NS}.svc.cluster.local:8080`;
export const OPENBAO_URL = `http://openbao.${NS}.svc.cluster.local:8200`;

/** OpenBao Raft peers per environment: one node until prod, where three keep a quorum through a node loss. */
const OPENBAO_REPLICAS: ByEnv<number> = { dev: 1, staging: 1, prod: 3 };
const KEYCLOAK_REPLICAS: ByEnv<number> = { dev: 1, staging: 2, prod: 2 };

/** OpenBao server config: integrated Raft storage on the pod's volume, TLS terminated by Traefik/never exposed. */
function openbaoConfig(env: EnvName): string {
  const peers = Array.from({ length: OPENBAO_REPLICAS[env] ?? 1 }, (_, i) => `  retry_join {\n    leader_api_addr = "http://openbao-${i}.openbao-headless.${NS}.svc:8200"\n  }`);
  return [
    'ui            = true',
    'disable_mlock = true',
    '',
    'listener "tcp" {',
    '  address         = "0.0.0.0:8200"',
    '  cluster_address = "0.0.0.0:8201"',
    '  tls_disable     = true',
    '}',
    '',
    'storage "raft" {',
    '  path = "/openbao/data"',
    ...(peers.length > 1 ? peers : []),
    '}',
    '',
  ].join('\n');
}

const openbao: ComponentSpec = {
  name: 'openbao',
  kind: 'StatefulSet',
  description: 'OpenBao (Vault fork) with integrated Raft storage',
  image: 'quay.io/openbao/openbao',
  tag: '2.1.0',
  labels: { component: 'secrets' },
  command: ['bao', 'server', '-config=/openbao/config/openbao.hcl'],
  ports: [
    { name: 'api', containerPort: 8200 },
    { name: 'cluster', containerPort: 8201 },
  ],
  env: [
    { name: 'POD_NAME', fieldPath: 'metadata.name' },
    { name: 'BAO_API_ADDR', value: `http://$(POD_NAME).openbao-headless.${NS}.svc:8200` },
    { name: 'BAO_CLUSTER_ADDR', value: `http://$(POD_NAME).openbao-headless.${NS}.svc:8201` },
  ],
  probes: {
    // Sealed or uninitialised is alive (an operator must unseal it) but not ready.
    liveness: { http: { path: '/v1/sys/health?standbyok=true&sealedcode=204&uninitcode=204', port: 'api' }, initialDelaySeconds: 30, periodSeconds: 10 },
    readiness: { http: { path: '/v1/sys/health?standbyok=true&perfstandbyok=true', port: 'api' }, initialDelaySeconds: 5, periodSeconds: 5 },
  },
  // UID 100 / GID 1000: the image's `openbao` user.
  podSecurityContext: runAs(100, 1000),
  service: {},
  volumes: [
    { name: 'data', source: { persistent: { storage: 'standard', size: '10Gi' } }, mounts: [{ mountPath: '/openbao/data' }] },
    configVolume('config', 'openbao-config', '/openbao/config'),
    tmp(),
  ],
  settings: single(same(SIZE.m), { data: { dev: '1Gi', staging: '5Gi', prod: '10Gi' } }, (env) => ({
    replicas: OPENBAO_REPLICAS[env],
    ...(OPENBAO_REPLICAS[env] > 1 ? { spread: 'node' as const } : {}),
  })),
};

const keycloak: ComponentSpec = {
  name: 'keycloak',
  kind: 'Deployment',
  description: 'Keycloak identity provider (realm sevensa)',
  image: 'quay.io/keycloak/keycloak',
  tag: '26.1.4',
  labels: { component: 'identity' },
  args: ['start', '--import-realm'],
  ports: [
    { name: 'http', containerPort: 8080 },
    { name: 'management', containerPort: 9000 },
    // Infinispan cluster traffic between replicas (JGroups + failure detection).
    { name: 'jgroups', containerPort: 7800 },
    { name: 'jgroups-fd', containerPort: 57800 },
  ],
  // Per-environment values come from a ConfigMap: a per-env env entry would be moved to the front of
  // the list by Kustomize's strategic merge, changing the container spec (see README).
  envFrom: [{ configMap: 'keycloak-env' }],
  env: [
    { name: 'KC_DB', value: 'postgres' },
    { name: 'KC_DB_URL_HOST', value: 'keycloak-db' },
    { name: 'KC_DB_URL_DATABASE', value: 'keycloak' },
    { name: 'KC_DB_USERNAME', secret: 'keycloak-db-credentials', key: 'username' },
    { name: 'KC_DB_PASSWORD', secret: 'keycloak-db-credentials', key: 'password' },
    { name: 'KC_BOOTSTRAP_ADMIN_USERNAME', secret: 'keycloak-admin', key: 'username' },
    { name: 'KC_BOOTSTRAP_ADMIN_PASSWORD', secret: 'keycloak-admin', key: 'password' },
    { name: 'KC_HTTP_ENABLED', value: 'true' },
    { name: 'KC_PROXY_HEADERS', value: 'xforwarded' },
    // Token issuer is the public URL; Traefik's forward auth and the apps call the in-cluster address.
    { name: 'KC_HOSTNAME_BACKCHANNEL_DYNAMIC', value: 'true' },
    { name: 'KC_HEALTH_ENABLED', value: 'true' },
    { name: 'KC_METRICS_ENABLED', value: 'true' },
    { name: 'KC_CACHE', value: 'ispn' },
    { name: 'KC_CACHE_STACK', value: 'jdbc-ping' },
    { name: 'JAVA_OPTS_KC_HEAP', value: '-XX:MaxRAMPercentage=70' },
  ],
  probes: {
    startup: { http: { path: '/health/started', port: 'management' }, periodSeconds: 10, failureThreshold: 30 },
    liveness: { http: { path: '/health/live', port: 'management' }, periodSeconds: 10 },
    readiness: { http: { path: '/health/ready', port: 'management' }, periodSeconds: 5 },
  },
  securityContext: { readOnlyRootFilesystem: false },
  annotations: suppress({
    'pss-read-only-root-fs':
      'Keycloak re-augments its Quarkus build into /opt/keycloak/lib at start-up because KC_DB and the cache stack differ from the stock image (an image pre-built with kc.sh build would allow a read-only root)',
  }),
  podSecurityContext: runAs(1000),
  dependsOn: ['keycloak-db'],
  waitForDependencies: true,
  service: { ports: ['http'] },
  volumes: [configVolume('realm', 'keycloak-realm', '/opt/keycloak/data/import'), tmp()],
  settings: scaled(KEYCLOAK_REPLICAS, { dev: res('250m', '768Mi', '1', '1Gi'), staging: SIZE.xl, prod: SIZE.xl }),
};

/** Minimal realm: exists so the forward-auth userinfo URL resolves; clients are registered by operators. */
const realm = { realm: REALM, enabled: true, sslRequired: 'external', registrationAllowed: false, loginWithEmailAllowed: true };

export const infra: SevensaApp = {
  name: NS,
  description: 'Infrastructure services: OpenBao and Keycloak (seed namespace table)',
  configMaps: [
    { name: 'openbao-config', data: (env) => ({ 'openbao.hcl': openbaoConfig(env.name as EnvName) }) },
    { name: 'keycloak-env', data: (env) => ({ KC_HOSTNAME: `https://${host(env.name, 'auth')}` }) },
    { name: 'keycloak-realm', data: { 'sevensa-realm.json': JSON.stringify(realm, null, 2) + '\n' } },
  ],
  secrets: [
    secret('keycloak-db-credentials', 'PostgreSQL credentials of Keycloak', key.fixed('username', 'keycloak'), key.hex('password')),
    secret('keycloak-admin', 'Keycloak bootstrap administrator (KC_BOOTSTRAP_ADMIN_*)', key.fixed('username', 'admin'), key.password('password')),
  ],
  components: [
    openbao,
    postgres({ name: 'keycloak-db', database: 'keycloak', secret: 'keycloak-db-credentials', size: { dev: '2Gi', staging: '5Gi', prod: '10Gi' }, resources: { dev: SIZE.m, staging: SIZE.l, prod: SIZE.l } }),
    keycloak,
  ],
  ingresses: [{ name: 'keycloak-ingress', tls: 'keycloak-tls', routes: [{ host: 'auth', component: 'keycloak' }] }],
};

