/**
 * Monitoring stack (seed) on the monitoring pool: Prometheus (200 GiB), Grafana (10 GiB),
 * Alertmanager (5 GiB per replica), plus the PostgreSQL and Redis exporters Prometheus needs to
 * scrape "every service". All are internal (ClusterIP): people reach Prometheus and Alertmanager
 * through Grafana's data sources; only Grafana is on the Ingress.
 */
import type { ComponentSpec, ConfigMapSpec, EnvName } from '@gitops/core';
import { DB, IMAGES, PORTS, hosts } from '../constants';
import { alertmanagerYaml, TEAMS_URL_FILE } from '../monitoring/alertmanager-config';
import { DASHBOARDS_PATH, grafanaDashboardFiles, grafanaProvisioningFiles } from '../monitoring/grafana-config';
import { prometheusFiles } from '../monitoring/prometheus-config';
import { placement } from '../node-pools';
import { SECRETS, fromSecret } from '../secrets';
import { UID, scratch } from '../security';
import { checksumAnnotation, perEnv } from '../settings';
import { SEED, diskClaim, helperResources, retentionSize, seedResources, STORAGE } from '../sizing';
import { workloadBase } from './common';

// ---- Prometheus ---------------------------------------------------------------------------------

export const PROMETHEUS_CONFIG = 'prometheus-config';
export const RETENTION_TIME: Record<EnvName, string> = { dev: '7d', staging: '15d', prod: '30d' };

export const prometheusConfigMap: ConfigMapSpec = { name: PROMETHEUS_CONFIG, data: (env) => prometheusFiles(env.name as EnvName) };

export const prometheus: ComponentSpec = {
  name: 'prometheus',
  kind: 'StatefulSet',
  description: 'Prometheus: metrics, SLI recording rules, SLO alerts',
  image: IMAGES.prometheus,
  ...workloadBase('prometheus', UID.prometheus),
  args: [
    '--config.file=/etc/prometheus/prometheus.yml',
    '--storage.tsdb.path=/prometheus',
    // Time- and size-based retention: whichever is hit first (size: 90 % of the volume).
    '--storage.tsdb.retention.time=$(RETENTION_TIME)',
    '--storage.tsdb.retention.size=$(RETENTION_SIZE)',
    '--web.enable-lifecycle',
  ],
  ports: [{ name: 'http', containerPort: PORTS.prometheus }],
  probes: {
    // WAL replay of a large TSDB takes minutes.
    startup: { http: { path: '/-/ready', port: 'http' }, periodSeconds: 10, failureThreshold: 60 },
    liveness: { http: { path: '/-/healthy', port: 'http' }, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4 },
    readiness: { http: { path: '/-/ready', port: 'http' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  },
  volumes: [
    { name: 'data', source: { persistent: { storage: 'fast', size: STORAGE.prometheus.prod } }, mounts: [{ mountPath: '/prometheus' }] },
    { name: 'config', source: { configMap: PROMETHEUS_CONFIG }, mounts: [{ mountPath: '/etc/prometheus', readOnly: true }] },
    {
      name: 'flower-auth',
      source: { secret: SECRETS.flower, items: [{ key: 'FLOWER_PASSWORD', path: 'FLOWER_PASSWORD' }] },
      mounts: [{ mountPath: '/etc/prometheus/secrets/flower', readOnly: true }],
    },
  ],
  terminationGracePeriodSeconds: 120,
  settings: perEnv((env) => ({
    replicas: 1,
    resources: seedResources(SEED.prometheus, env),
    storage: { data: diskClaim('prometheus', env) },
    env: [
      { name: 'RETENTION_TIME', value: RETENTION_TIME[env] },
      { name: 'RETENTION_SIZE', value: retentionSize(env) },
    ],
    ...placement('monitoring', env),
    podAnnotations: checksumAnnotation([prometheusConfigMap], env),
  })),
};

// ---- Grafana ------------------------------------------------------------------------------------

export const GRAFANA_ENV = 'grafana-env';
export const GRAFANA_PROVISIONING = 'grafana-provisioning';
export const GRAFANA_DASHBOARDS = 'grafana-dashboards';

export const grafanaConfigMaps: ConfigMapSpec[] = [
  {
    name: GRAFANA_ENV,
    data: (env) => ({
      GF_SERVER_ROOT_URL: `https://${hosts(env.baseDomain).grafana}/`,
      GF_SERVER_DOMAIN: hosts(env.baseDomain).grafana,
      GF_SECURITY_ADMIN_USER: 'admin',
      GF_SECURITY_COOKIE_SECURE: 'true',
      GF_SECURITY_DISABLE_GRAVATAR: 'true',
      GF_USERS_ALLOW_SIGN_UP: 'false',
      GF_AUTH_ANONYMOUS_ENABLED: 'false',
      GF_ANALYTICS_REPORTING_ENABLED: 'false',
      GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
      GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES: 'false',
      GF_LOG_MODE: 'console',
      GF_METRICS_ENABLED: 'true',
      GF_PATHS_PROVISIONING: '/etc/grafana/provisioning',
    }),
  },
  { name: GRAFANA_PROVISIONING, data: grafanaProvisioningFiles() },
  { name: GRAFANA_DASHBOARDS, data: grafanaDashboardFiles() },
];

export const grafana: ComponentSpec = {
  name: 'grafana',
  kind: 'StatefulSet',
  description: 'Grafana: dashboards over Prometheus and Alertmanager',
  image: IMAGES.grafana,
  ...workloadBase('grafana', UID.grafana),
  ports: [{ name: 'http', containerPort: PORTS.grafana }],
  envFrom: [{ configMap: GRAFANA_ENV }],
  env: [fromSecret('GF_SECURITY_ADMIN_PASSWORD', SECRETS.grafana), fromSecret('GF_SECURITY_SECRET_KEY', SECRETS.grafana)],
  probes: {
    startup: { http: { path: '/api/health', port: 'http' }, periodSeconds: 5, failureThreshold: 60 },
    liveness: { http: { path: '/api/health', port: 'http' }, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4 },
    readiness: { http: { path: '/api/health', port: 'http' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  },
  volumes: [
    { name: 'storage', source: { persistent: { storage: 'fast', size: STORAGE.grafana.prod } }, mounts: [{ mountPath: '/var/lib/grafana' }] },
    {
      name: 'datasources',
      source: { configMap: GRAFANA_PROVISIONING, items: [{ key: 'datasources.yaml', path: 'datasources.yaml' }] },
      mounts: [{ mountPath: '/etc/grafana/provisioning/datasources', readOnly: true }],
    },
    {
      name: 'dashboard-providers',
      source: { configMap: GRAFANA_PROVISIONING, items: [{ key: 'dashboards.yaml', path: 'dashboards.yaml' }] },
      mounts: [{ mountPath: '/etc/grafana/provisioning/dashboards', readOnly: true }],
    },
    { name: 'dashboards', source: { configMap: GRAFANA_DASHBOARDS }, mounts: [{ mountPath: DASHBOARDS_PATH, readOnly: true }] },
    scratch('tmp', '/tmp', '256Mi'),
  ],
  dependsOn: ['prometheus'],
  settings: perEnv((env) => ({
    // SQLite on its own disk: one replica (HA needs an external database, README decision 19).
    replicas: 1,
    resources: seedResources(SEED.grafana, env),
    storage: { storage: diskClaim('grafana', env) },
    ...placement('monitoring', env),
    podAnnotations: checksumAnnotation(grafanaConfigMaps, env),
  })),
};

// ---- Alertmanager -------------------------------------------------------------------------------

export const ALERTMANAGER_CONFIG = 'alertmanager-config';
export const ALERTMANAGER_REPLICAS: Record<EnvName, number> = { dev: 1, staging: 2, prod: 2 };

export const alertmanagerConfigMap: ConfigMapSpec = {
  name: ALERTMANAGER_CONFIG,
  data: (env) => ({
    'alertmanager.yml': alertmanagerYaml(),
    // Empty with one replica: clustering off. A ConfigMap key rather than a per-environment env
    // entry, so the container's env list is identical everywhere (README "Wished-for core changes").
    CLUSTER_LISTEN_ADDRESS: (ALERTMANAGER_REPLICAS[env.name as EnvName] ?? 1) > 1 ? `0.0.0.0:${PORTS.alertmanagerMesh}` : '',
  }),
};

/**
 * A StatefulSet, not the seed's Deployment (README decision 19): "multiple replicas" each with
 * "a PersistentVolumeClaim" cannot share one ReadWriteOnce Azure Disk; a volumeClaimTemplate gives
 * every replica its own 5 GiB. Replicas gossip on 9094 and deduplicate notifications.
 */
export const alertmanager: ComponentSpec = {
  name: 'alertmanager',
  kind: 'StatefulSet',
  description: 'Alertmanager: routing, grouping and deduplication of alerts',
  image: IMAGES.alertmanager,
  ...workloadBase('alertmanager', UID.alertmanager),
  args: [
    '--config.file=/etc/alertmanager/alertmanager.yml',
    '--storage.path=/alertmanager',
    `--web.listen-address=:${PORTS.alertmanager}`,
    '--cluster.listen-address=$(CLUSTER_LISTEN_ADDRESS)',
    `--cluster.advertise-address=$(POD_IP):${PORTS.alertmanagerMesh}`,
    `--cluster.peer=alertmanager-headless:${PORTS.alertmanagerMesh}`,
  ],
  ports: [
    { name: 'http', containerPort: PORTS.alertmanager },
    { name: 'mesh-tcp', containerPort: PORTS.alertmanagerMesh },
    { name: 'mesh-udp', containerPort: PORTS.alertmanagerMesh, protocol: 'UDP' },
  ],
  env: [
    { name: 'POD_IP', fieldPath: 'status.podIP' },
    { name: 'CLUSTER_LISTEN_ADDRESS', configMap: ALERTMANAGER_CONFIG, key: 'CLUSTER_LISTEN_ADDRESS' },
  ],
  probes: {
    liveness: { http: { path: '/-/healthy', port: 'http' }, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4 },
    readiness: { http: { path: '/-/ready', port: 'http' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  },
  service: { ports: ['http'] },
  volumes: [
    { name: 'data', source: { persistent: { storage: 'fast', size: STORAGE.alertmanager.prod } }, mounts: [{ mountPath: '/alertmanager' }] },
    { name: 'config', source: { configMap: ALERTMANAGER_CONFIG }, mounts: [{ mountPath: '/etc/alertmanager', readOnly: true }] },
    {
      name: 'receivers',
      source: { secret: SECRETS.alertmanager, items: [{ key: 'TEAMS_WEBHOOK_URL', path: TEAMS_URL_FILE.split('/').pop()! }] },
      mounts: [{ mountPath: '/etc/alertmanager/secrets', readOnly: true }],
    },
  ],
  settings: perEnv((env) => ({
    replicas: ALERTMANAGER_REPLICAS[env],
    resources: seedResources(SEED.alertmanager, env),
    storage: { data: diskClaim('alertmanager', env) },
    ...placement('monitoring', env),
    ...(ALERTMANAGER_REPLICAS[env] > 1 ? { spread: 'node' as const, disruptionBudget: { maxUnavailable: 1 } } : {}),
    podAnnotations: checksumAnnotation([alertmanagerConfigMap], env),
  })),
};

// ---- Exporters ----------------------------------------------------------------------------------

/** Exporters are stateless: two replicas in prod behind a Service give identical answers, so no series doubles. */
const exporterSettings = (env: EnvName) => ({
  replicas: env === 'prod' ? 2 : 1,
  resources: helperResources('200m', '50m', '128Mi'),
  ...placement('monitoring', env),
  ...(env === 'prod' ? { disruptionBudget: { minAvailable: 1 } } : {}),
});

export const postgresExporter: ComponentSpec = {
  name: 'postgres-exporter',
  kind: 'Deployment',
  description: 'PostgreSQL metrics for Prometheus (read-only pg_monitor role)',
  image: IMAGES.postgresExporter,
  ...workloadBase('postgres-exporter', UID.postgresExporter),
  ports: [{ name: 'metrics', containerPort: PORTS.postgresExporter }],
  env: [
    { name: 'DATA_SOURCE_URI', value: `postgres:${PORTS.postgres}/${DB.name}?sslmode=disable` },
    { name: 'DATA_SOURCE_USER', value: DB.exporterUser },
    fromSecret('DATA_SOURCE_PASS', SECRETS.postgres, 'EXPORTER_DB_PASSWORD'),
  ],
  probes: {
    liveness: { http: { path: '/', port: 'metrics' }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
    readiness: { http: { path: '/', port: 'metrics' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  },
  dependsOn: ['postgres'],
  settings: perEnv(exporterSettings),
};

export const redisExporter: ComponentSpec = {
  name: 'redis-exporter',
  kind: 'Deployment',
  description: 'Redis and Sentinel metrics for Prometheus (multi-target: /scrape?target=…)',
  image: IMAGES.redisExporter,
  ...workloadBase('redis-exporter', UID.redisExporter),
  ports: [{ name: 'metrics', containerPort: PORTS.redisExporter }],
  // No default address: every target comes from Prometheus; the password is shared by Redis and Sentinels.
  env: [{ name: 'REDIS_ADDR', value: '' }, fromSecret('REDIS_PASSWORD', SECRETS.redis)],
  probes: {
    liveness: { http: { path: '/health', port: 'metrics' }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
    readiness: { http: { path: '/health', port: 'metrics' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  },
  dependsOn: ['redis'],
  settings: perEnv(exporterSettings),
};
