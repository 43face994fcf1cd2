/**
 * prometheus.yml: a scrape job for every MS5 service (seed), Alertmanager discovery and
 * the SLO rules. Where a Service load-balances identical data (exporters, MinIO, Grafana, Flower)
 * one static target is enough; the autoscaled backend is discovered per pod (a Service would hit
 * a random replica per scrape and mix counters); Alertmanager replicas are resolved through DNS
 * so every replica receives every alert.
 */
import { toYamlText, type EnvName } from '@gitops/core';
import { PORTS, namespaceFor } from '../constants';
import { REDIS_REPLICAS } from '../components/redis';
import { rulesFile } from '../slo';

export const FLOWER_PASSWORD_FILE = '/etc/prometheus/secrets/flower/FLOWER_PASSWORD';
export const RULES_PATH = '/etc/prometheus/slo-rules.yml';

const statik = (job: string, target: string, extra: Record<string, unknown> = {}) => ({
  job_name: job,
  ...extra,
  static_configs: [{ targets: [target] }],
});

/** redis_exporter multi-target mode: the target is a parameter, the exporter does the talking. */
const redisJob = (job: string, targets: string[]) => ({
  job_name: job,
  metrics_path: '/scrape',
  static_configs: [{ targets }],
  relabel_configs: [
    { source_labels: ['__address__'], target_label: '__param_target' },
    { source_labels: ['__param_target'], target_label: 'instance' },
    { target_label: '__address__', replacement: `redis-exporter:${PORTS.redisExporter}` },
  ],
});

export function scrapeJobNames(): string[] {
  return prometheusConfig('prod').scrape_configs.map((j) => j.job_name);
}

export function prometheusConfig(env: EnvName) {
  const ns = namespaceFor(env);
  const replicas = REDIS_REPLICAS[env] ?? 1;
  const ordinals = [...Array(replicas).keys()];
  return {
    global: {
      scrape_interval: '30s',
      scrape_timeout: '10s',
      evaluation_interval: '30s',
      external_labels: { environment: env, cluster: `aks-ms5-${env}` },
    },
    rule_files: [RULES_PATH],
    alerting: {
      alertmanagers: [{ dns_sd_configs: [{ names: [`alertmanager-headless.${ns}.svc.cluster.local`], type: 'A', port: PORTS.alertmanager }] }],
    },
    scrape_configs: [
      statik('prometheus', `localhost:${PORTS.prometheus}`),
      {
        job_name: 'backend',
        kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [ns] } }],
        relabel_configs: [
          { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], regex: 'backend', action: 'keep' },
          { source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: 'http', action: 'keep' },
          { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
          { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'node' },
        ],
      },
      // Celery worker and beat have no HTTP endpoint: Flower exports their task and worker metrics.
      statik('celery', `flower:${PORTS.flower}`, { basic_auth: { username: 'admin', password_file: FLOWER_PASSWORD_FILE } }),
      statik('postgres', `postgres-exporter:${PORTS.postgresExporter}`),
      redisJob('redis', ordinals.map((i) => `redis://redis-${i}.redis-headless:${PORTS.redis}`)),
      redisJob('redis-sentinel', ordinals.map((i) => `redis://redis-sentinel-${i}.redis-sentinel-headless:${PORTS.sentinel}`)),
      statik('minio', `minio:${PORTS.minio}`, { metrics_path: '/minio/v2/metrics/cluster' }),
      statik('grafana', `grafana:${PORTS.grafana}`),
      {
        job_name: 'alertmanager',
        dns_sd_configs: [{ names: [`alertmanager-headless.${ns}.svc.cluster.local`], type: 'A', port: PORTS.alertmanager }],
      },
    ],
  };
}

export function prometheusFiles(env: EnvName): Record<string, string> {
  return {
    'prometheus.yml': toYamlText(prometheusConfig(env), { lineWidth: 0 }),
    'slo-rules.yml': toYamlText(rulesFile(), { lineWidth: 0 }),
  };
}
