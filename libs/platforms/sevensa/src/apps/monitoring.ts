/**
 * Monitoring (seed): Prometheus (metrics), Grafana (visualisation), Alertmanager
 * (alerting). Plain workloads rather than the Prometheus Operator the seed mentions: see README.
 * Prometheus scrapes its own namespace only; the cross-app rules admit no other scrape traffic.
 */
import { toYamlText, type ComponentSpec, type EnvName } from '@gitops/core';
import { SIZE, host, res, same, single, type ByEnv } from '../env';
import { configVolume, key, runAs, secret, tmp } from '../kit';
import type { SevensaApp } from '../types';
import { LOKI, LOKI_URL } from './logging';

const RETENTION: ByEnv<string> = { dev: '3d', staging: '7d', prod: '15d' };

function prometheusConfig(env: EnvName): Record<string, string> {
  const scrape = (job: string, target: string) => ({ job_name: job, static_configs: [{ targets: [target] }] });
  return {
    'prometheus.yml': toYamlText({
      global: { scrape_interval: '30s', evaluation_interval: '30s', external_labels: { platform: 'sevensa', environment: env } },
      alerting: { alertmanagers: [{ static_configs: [{ targets: ['alertmanager:9093'] }] }] },
      rule_files: ['/etc/prometheus/rules.yml'],
      scrape_configs: [scrape('prometheus', 'localhost:9090'), scrape('alertmanager', 'alertmanager:9093'), scrape('grafana', 'grafana:80')],
    }),
    'rules.yml': toYamlText({
      groups: [
        {
          name: 'sevensa-monitoring',
          rules: [
            { alert: 'Watchdog', expr: 'vector(1)', labels: { severity: 'none' }, annotations: { summary: 'Always firing: proves the alerting pipeline works' } },
            { alert: 'TargetDown', expr: 'up == 0', for: '5m', labels: { severity: 'warning' }, annotations: { summary: '{{ $labels.job }} has been unreachable for 5 minutes' } },
          ],
        },
      ],
    }),
  };
}

/** No receivers are specified by the seed: alerts are grouped and kept visible in the UI until one is added. */
const ALERTMANAGER = {
  'alertmanager.yml': toYamlText({
    route: { receiver: 'default', group_by: ['alertname', 'namespace'], group_wait: '30s', group_interval: '5m', repeat_interval: '4h' },
    receivers: [{ name: 'default' }],
  }),
};

const GRAFANA_DATASOURCES = {
  'datasources.yaml': toYamlText({
    apiVersion: 1,
    datasources: [
      { name: 'Prometheus', type: 'prometheus', access: 'proxy', url: 'http://prometheus:9090', isDefault: true },
      { name: 'Loki', type: 'loki', access: 'proxy', url: LOKI_URL },
    ],
  }),
};

/** Prometheus and Alertmanager share the same health endpoints. */
const PROMETHEUS_STYLE_PROBES: ComponentSpec['probes'] = {
  liveness: { http: { path: '/-/healthy', port: 'http' }, initialDelaySeconds: 30, periodSeconds: 10 },
  readiness: { http: { path: '/-/ready', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 5 },
};

const prometheus: ComponentSpec = {
  name: 'prometheus',
  kind: 'StatefulSet',
  description: 'Prometheus metrics collection',
  image: 'prom/prometheus',
  tag: 'v2.55.1',
  labels: { component: 'metrics' },
  args: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', '--storage.tsdb.retention.time=$(RETENTION)'],
  ports: [{ name: 'http', containerPort: 9090 }],
  probes: PROMETHEUS_STYLE_PROBES,
  podSecurityContext: runAs(65534),
  service: {},
  volumes: [{ name: 'data', source: { persistent: { storage: 'standard', size: '50Gi' } }, mounts: [{ mountPath: '/prometheus' }] }, configVolume('config', 'prometheus-config', '/etc/prometheus')],
  settings: single({ dev: SIZE.m, staging: SIZE.l, prod: res('500m', '2Gi', '2', '4Gi') }, { data: { dev: '5Gi', staging: '20Gi', prod: '50Gi' } }, (env) => ({
    env: [{ name: 'RETENTION', value: RETENTION[env] }],
  })),
};

const alertmanager: ComponentSpec = {
  name: 'alertmanager',
  kind: 'StatefulSet',
  description: 'Alertmanager (single instance, clustering off)',
  image: 'prom/alertmanager',
  tag: 'v0.27.0',
  labels: { component: 'alerting' },
  args: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager', '--cluster.listen-address='],
  ports: [{ name: 'http', containerPort: 9093 }],
  probes: PROMETHEUS_STYLE_PROBES,
  podSecurityContext: runAs(65534),
  service: {},
  volumes: [{ name: 'data', source: { persistent: { storage: 'standard', size: '2Gi' } }, mounts: [{ mountPath: '/alertmanager' }] }, configVolume('config', 'alertmanager-config', '/etc/alertmanager')],
  settings: single({ dev: SIZE.s, staging: SIZE.s, prod: SIZE.m }, { data: { dev: '1Gi', staging: '2Gi', prod: '2Gi' } }),
};

const grafana: ComponentSpec = {
  name: 'grafana',
  kind: 'StatefulSet',
  description: 'Grafana (users, dashboards and sessions in SQLite on its volume, hence one replica)',
  image: 'grafana/grafana',
  tag: '11.4.0',
  labels: { component: 'dashboards' },
  ports: [{ name: 'http', containerPort: 3000, servicePort: 80 }],
  envFrom: [{ configMap: 'grafana-env' }],
  env: [
    { name: 'GF_SECURITY_ADMIN_USER', secret: 'grafana-admin', key: 'username' },
    { name: 'GF_SECURITY_ADMIN_PASSWORD', secret: 'grafana-admin', key: 'password' },
    { name: 'GF_PATHS_DATA', value: '/var/lib/grafana' },
    { name: 'GF_USERS_ALLOW_SIGN_UP', value: 'false' },
    { name: 'GF_ANALYTICS_REPORTING_ENABLED', value: 'false' },
    { name: 'GF_ANALYTICS_CHECK_FOR_UPDATES', value: 'false' },
  ],
  probes: {
    liveness: { http: { path: '/api/health', port: 'http' }, initialDelaySeconds: 30, periodSeconds: 10 },
    readiness: { http: { path: '/api/health', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 5 },
  },
  // UID 472: the image's `grafana` user.
  podSecurityContext: runAs(472),
  service: {},
  volumes: [
    { name: 'data', source: { persistent: { storage: 'standard', size: '5Gi' } }, mounts: [{ mountPath: '/var/lib/grafana' }] },
    configVolume('datasources', 'grafana-datasources', '/etc/grafana/provisioning/datasources'),
    tmp(),
  ],
  settings: single(same(SIZE.m), { data: { dev: '1Gi', staging: '5Gi', prod: '5Gi' } }),
};

export const monitoring: SevensaApp = {
  name: 'monitoring',
  // `monitoring` is the cluster's shared kube-prometheus-stack (@gitops/environments MONITORING), which
  // other platforms' policies trust: Sevensa's own stack must not claim it (D1).
  namespace: 'sevensa-monitoring',
  description: 'Monitoring services: Prometheus, Grafana, Alertmanager (seed namespace table)',
  configMaps: [
    { name: 'prometheus-config', data: (env) => prometheusConfig(env.name as EnvName) },
    { name: 'alertmanager-config', data: ALERTMANAGER },
    { name: 'grafana-datasources', data: GRAFANA_DATASOURCES },
    { name: 'grafana-env', data: (env) => ({ GF_SERVER_ROOT_URL: `https://${host(env.name, 'grafana')}/` }) },
  ],
  secrets: [secret('grafana-admin', 'Grafana administrator', key.fixed('username', 'admin'), key.password('password'))],
  components: [prometheus, alertmanager, grafana],
  ingresses: [{ name: 'grafana-ingress', tls: 'grafana-tls', routes: [{ host: 'grafana', component: 'grafana' }] }],
  // Grafana's Loki datasource is the one connection from monitoring into another app.
  calls: [LOKI],
};
