/**
 * Logging (seed): Loki (aggregation), Promtail (collection, a DaemonSet on every
 * node) and Vector (processing). Chain: Promtail -> Loki for container logs; Vector is the intake
 * for logs from outside the cluster (the Docker Compose VPS during the migration), normalised and
 * forwarded to Loki. Plain workloads rather than the Loki Operator: see README.
 */
import { toYamlText, suppress, type ComponentSpec, type EnvName } from '@gitops/core';
import { SIZE, ha, res, single, type ByEnv } from '../env';
import { configVolume, key, runAs, scratch, secret, tmp } from '../kit';
import { middlewareRef } from '../routing';
import type { Peer, SevensaApp } from '../types';

const NS = 'logging';
export const LOKI: Peer = { app: NS, component: 'loki', port: 3100 };
export const LOKI_URL = `http://loki.${NS}.svc.cluster.local:3100`;

const RETENTION: ByEnv<string> = { dev: '72h', staging: '168h', prod: '744h' };

function lokiConfig(env: EnvName): string {
  return toYamlText({
    auth_enabled: false,
    server: { http_listen_port: 3100, grpc_listen_port: 9095, log_level: 'info' },
    common: {
      path_prefix: '/loki',
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
      storage: { filesystem: { chunks_directory: '/loki/chunks', rules_directory: '/loki/rules' } },
    },
    schema_config: { configs: [{ from: '2024-01-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }] },
    compactor: { working_directory: '/loki/compactor', retention_enabled: true, delete_request_store: 'filesystem' },
    limits_config: { retention_period: RETENTION[env], ingestion_rate_mb: 8, ingestion_burst_size_mb: 16 },
    analytics: { reporting_enabled: false },
  });
}

/** Container logs from the node's files: no Kubernetes API access needed, labels come from the path. */
const PROMTAIL = toYamlText({
  server: { http_listen_port: 9080, grpc_listen_port: 0 },
  positions: { filename: '/run/promtail/positions.yaml' },
  clients: [{ url: 'http://loki:3100/loki/api/v1/push' }],
  scrape_configs: [
    {
      job_name: 'pods',
      static_configs: [{ targets: ['localhost'], labels: { job: 'pods', node: '${NODE_NAME}', __path__: '/var/log/pods/*/*/*.log' } }],
      pipeline_stages: [
        { cri: {} },
        { regex: { source: 'filename', expression: '^/var/log/pods/(?P<namespace>[^_]+)_(?P<pod>[^_]+)_[^/]+/(?P<container>[^/]+)/' } },
        { labels: { namespace: null, pod: null, container: null } },
        { labeldrop: ['filename'] },
      ],
    },
  ],
});

const VECTOR = toYamlText({
  data_dir: '/var/lib/vector',
  api: { enabled: true, address: '0.0.0.0:8686' },
  sources: { intake: { type: 'http_server', address: '0.0.0.0:8080', decoding: { codec: 'json' } } },
  transforms: {
    normalise: {
      type: 'remap',
      inputs: ['intake'],
      source: ['.platform = "sevensa"', '.source = string(.source) ?? "external"', '.service = string(.service) ?? "unknown"', ''].join('\n'),
    },
  },
  sinks: {
    loki: {
      type: 'loki',
      inputs: ['normalise'],
      endpoint: 'http://loki:3100',
      encoding: { codec: 'json' },
      labels: { platform: 'sevensa', source: '{{ source }}', service: '{{ service }}' },
    },
  },
});

const loki: ComponentSpec = {
  name: 'loki',
  kind: 'StatefulSet',
  description: 'Loki, single-binary mode with filesystem storage',
  image: 'grafana/loki',
  tag: '3.3.2',
  labels: { component: 'aggregation' },
  args: ['-config.file=/etc/loki/loki.yaml'],
  ports: [{ name: 'http', containerPort: 3100 }],
  probes: {
    liveness: { http: { path: '/ready', port: 'http' }, initialDelaySeconds: 45, periodSeconds: 10 },
    readiness: { http: { path: '/ready', port: 'http' }, initialDelaySeconds: 15, periodSeconds: 5 },
  },
  podSecurityContext: runAs(10001),
  service: {},
  volumes: [{ name: 'data', source: { persistent: { storage: 'standard', size: '50Gi' } }, mounts: [{ mountPath: '/loki' }] }, configVolume('config', 'loki-config', '/etc/loki'), tmp()],
  settings: single({ dev: SIZE.m, staging: SIZE.l, prod: res('500m', '1Gi', '2', '2Gi') }, { data: { dev: '5Gi', staging: '20Gi', prod: '50Gi' } }),
};

const promtail: ComponentSpec = {
  name: 'promtail',
  kind: 'DaemonSet',
  description: 'Promtail on every node, tailing /var/log/pods',
  image: 'grafana/promtail',
  tag: '3.3.2',
  labels: { component: 'collection' },
  args: ['-config.file=/etc/promtail/promtail.yaml', '-config.expand-env=true'],
  ports: [{ name: 'http', containerPort: 9080 }],
  env: [{ name: 'NODE_NAME', fieldPath: 'spec.nodeName' }],
  probes: {
    liveness: { http: { path: '/ready', port: 'http' }, initialDelaySeconds: 30, periodSeconds: 10 },
    readiness: { http: { path: '/ready', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 5 },
  },
  // Root without capabilities: the kubelet writes container logs root-owned, mode 0640.
  securityContext: { runAsNonRoot: false, runAsUser: 0 },
  annotations: suppress({
    'pss-host-path': 'Promtail tails the node container logs under /var/log, mounted read-only (the logging namespace enforces Pod Security privileged for this DaemonSet)',
    'pss-run-as-non-root': 'the kubelet writes container logs root-owned with mode 0640, so only UID 0 can read them (all capabilities dropped, read-only root file system)',
  }),
  // Nothing calls Promtail: no Service, so the suppression above stays on the DaemonSet.
  service: false,
  volumes: [
    { name: 'varlog', source: { hostPath: { path: '/var/log', type: 'Directory' } }, mounts: [{ mountPath: '/var/log', readOnly: true }] },
    // Positions in an emptyDir: after a restart Promtail re-reads, and Loki drops the exact duplicates.
    scratch('positions', '/run/promtail'),
    configVolume('config', 'promtail-config', '/etc/promtail'),
    tmp(),
  ],
  settings: {
    default: { resources: res('50m', '64Mi', '200m', '256Mi'), tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }] },
    prod: { resources: res('100m', '128Mi', '500m', '256Mi') },
  },
};

const vector: ComponentSpec = {
  name: 'vector',
  kind: 'Deployment',
  description: 'Vector: HTTP log intake, normalisation, forwarding to Loki',
  image: 'timberio/vector',
  tag: '0.43.1-distroless-libc',
  labels: { component: 'processing' },
  args: ['--config', '/etc/vector/vector.yaml'],
  ports: [
    { name: 'http', containerPort: 8080, servicePort: 80 },
    { name: 'api', containerPort: 8686 },
  ],
  probes: {
    liveness: { http: { path: '/health', port: 'api' }, initialDelaySeconds: 15, periodSeconds: 10 },
    readiness: { http: { path: '/health', port: 'api' }, initialDelaySeconds: 5, periodSeconds: 5 },
  },
  podSecurityContext: runAs(65534),
  service: { ports: ['http'] },
  dependsOn: ['loki'],
  volumes: [scratch('data', '/var/lib/vector'), configVolume('config', 'vector-config', '/etc/vector'), tmp()],
  settings: ha(2, SIZE.s),
};

export const logging: SevensaApp = {
  name: NS,
  description: 'Logging services: Loki, Promtail, Vector (seed namespace table)',
  // Promtail's hostPath is refused by restricted and baseline admission; warn and audit stay at the environment's level.
  namespaceLabels: { 'pod-security.kubernetes.io/enforce': 'privileged' },
  configMaps: [
    { name: 'loki-config', data: (env) => ({ 'loki.yaml': lokiConfig(env.name as EnvName) }) },
    { name: 'promtail-config', data: { 'promtail.yaml': PROMTAIL } },
    { name: 'vector-config', data: { 'vector.yaml': VECTOR } },
  ],
  secrets: [secret('vector-intake-auth', 'Basic-auth users of the log intake (read by Traefik)', key.external('users', 'htpasswd lines, e.g. `htpasswd -nbB vps <password>`'))],
  components: [loki, promtail, vector],
  ingresses: [{ name: 'logs-ingress', tls: 'logs-tls', routes: [{ host: 'logs', component: 'vector' }], middlewares: [middlewareRef(NS, 'intake-auth')] }],
  middlewares: [{ name: 'intake-auth', spec: { basicAuth: { secret: 'vector-intake-auth', removeHeader: true } } }],
};
