/**
 * Monitoring (seed), a feature where the Prometheus operator runs (staging, prod):
 * ServiceMonitors for the app and the PostgreSQL exporter, and one PrometheusRule with the SLO
 * recording rules and the seed's eight alerts with the seed's durations. Expressions are ours (D27).
 */
import { syncWave, type CompileContext, type EnvName, type FeatureSpec, type TypedObject } from '@gitops/core';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { DB, FLAGS, MONITORING_ENVS, N, SLO, inMesh, podsOf } from './design';
import { MONITORING } from '@gitops/environments/cluster';
import { monitoringPolicies } from './network-policies';

const wave = syncWave(3);

/** Where the mesh enforces STRICT mTLS, Prometheus scrapes with the Istio certificates it mounts (D28). */
const ISTIO_SCRAPE_TLS = {
  scheme: 'https' as const,
  tlsConfig: {
    caFile: '/etc/prom-certs/root-cert.pem',
    certFile: '/etc/prom-certs/cert-chain.pem',
    keyFile: '/etc/prom-certs/key.pem',
    insecureSkipVerify: true,
  },
};

/** Alert: the seed's name in words, severity and duration. */
export interface AlertDef {
  alert: string;
  seed: string;
  severity: 'critical' | 'warning';
  for: string;
  expr: string;
  summary: string;
}

/** SLIs come from the ingress controller: what users see, with or without the mesh (D27). */
export function sloRules(ns: string) {
  const sel = `namespace="${ns}",ingress="${N.ingress}"`;
  return [
    { record: 'hyperpage:slo_availability:target', expr: String(SLO.availability) },
    { record: 'hyperpage:slo_error_rate:threshold', expr: String(SLO.errorRate) },
    { record: 'hyperpage:slo_latency_p95:threshold_seconds', expr: String(SLO.latencyP95Seconds) },
    { record: 'hyperpage:sli_requests:rate5m', expr: `sum(rate(nginx_ingress_controller_requests{${sel}}[5m]))` },
    { record: 'hyperpage:sli_errors:rate5m', expr: `sum(rate(nginx_ingress_controller_requests{${sel},status=~"5.."}[5m]))` },
    { record: 'hyperpage:sli_error_ratio:rate5m', expr: 'hyperpage:sli_errors:rate5m / clamp_min(hyperpage:sli_requests:rate5m, 1e-9)' },
    { record: 'hyperpage:sli_availability:ratio_rate5m', expr: '1 - hyperpage:sli_error_ratio:rate5m' },
    {
      record: 'hyperpage:sli_availability:ratio_rate30d',
      expr: `1 - (sum(increase(nginx_ingress_controller_requests{${sel},status=~"5.."}[30d])) / clamp_min(sum(increase(nginx_ingress_controller_requests{${sel}}[30d])), 1e-9))`,
    },
    {
      record: 'hyperpage:sli_latency_p95:seconds5m',
      expr: `histogram_quantile(0.95, sum by (le) (rate(nginx_ingress_controller_request_duration_seconds_bucket{${sel}}[5m])))`,
    },
  ];
}

export function alerts(ns: string): AlertDef[] {
  const app = `namespace="${ns}",job="${N.service}"`;
  const container = `namespace="${ns}",container="${N.app}"`;
  const memLimit = `max by (pod) (kube_pod_container_resource_limits{${container},resource="memory"})`;
  return [
    {
      alert: 'HyperpageDown', seed: 'Application down', severity: 'critical', for: '1m',
      expr: `sum(up{${app}}) == 0 or absent(up{${app}})`,
      summary: 'No Hyperpage pod is answering scrapes',
    },
    {
      alert: 'HyperpageHighErrorRate', seed: 'High error rate', severity: 'critical', for: '2m',
      expr: `hyperpage:sli_error_ratio:rate5m > ${SLO.errorRate} and hyperpage:sli_requests:rate5m > 0.1`,
      summary: `More than ${SLO.errorRate * 100}% of requests fail (5xx)`,
    },
    {
      alert: 'HyperpageDatabaseConnectivity', seed: 'Database connectivity', severity: 'critical', for: '1m',
      expr: `max(pg_up{namespace="${ns}"}) < 1 or absent(pg_up{namespace="${ns}"})`,
      summary: 'PostgreSQL does not accept connections',
    },
    {
      alert: 'HyperpageHighMemoryUsage', seed: 'High memory usage', severity: 'critical', for: '5m',
      expr: `max by (pod) (container_memory_working_set_bytes{${container}}) / ${memLimit} > 0.9`,
      summary: 'A Hyperpage pod uses more than 90% of its memory limit (OOM kill imminent)',
    },
    {
      alert: 'HyperpageHighResponseTime', seed: 'High response time', severity: 'warning', for: '5m',
      expr: `hyperpage:sli_latency_p95:seconds5m > ${SLO.latencyP95Seconds}`,
      summary: `P95 latency above the ${SLO.latencyP95Seconds * 1000} ms SLO`,
    },
    {
      alert: 'HyperpageDatabaseSlowQueries', seed: 'Database slow queries', severity: 'warning', for: '1m',
      expr: `max(pg_stat_activity_max_tx_duration{namespace="${ns}",datname="${DB.name}"}) > 10`,
      summary: 'A transaction has been running for more than 10 s',
    },
    {
      alert: 'HyperpagePotentialMemoryLeak', seed: 'Potential memory leaks', severity: 'warning', for: '5m',
      expr: `max by (pod) (predict_linear(container_memory_working_set_bytes{${container}}[1h], 4 * 3600)) > ${memLimit}`,
      summary: 'Memory growth would reach the limit within 4 hours',
    },
    {
      alert: 'HyperpageLowUserActivity', seed: 'Low user activity', severity: 'warning', for: '10m',
      expr: 'hyperpage:sli_requests:rate5m < 0.5 * (hyperpage:sli_requests:rate5m offset 1w) and (hyperpage:sli_requests:rate5m offset 1w) > 0.1',
      summary: 'Traffic is less than half of the same time last week',
    },
  ];
}

function monitoringObjects(ctx: CompileContext): TypedObject[] {
  const ns = ctx.namespace;
  const env = ctx.env.name as EnvName;
  // Seed: full monitoring in production: a finer scrape interval there.
  const interval = FLAGS[env].fullMonitoring ? '15s' : '30s';
  const tls = inMesh(env) ? ISTIO_SCRAPE_TLS : {};
  return [
    new ServiceMonitor({
      metadata: { name: N.app, labels: { ...MONITORING.selectorLabels, app: N.app }, annotations: wave },
      spec: {
        selector: { matchLabels: podsOf(N.app) },
        endpoints: [{ port: 'http', path: '/api/metrics', interval, scrapeTimeout: '10s', ...tls }],
      },
    }),
    new ServiceMonitor({
      metadata: { name: N.exporter, labels: { ...MONITORING.selectorLabels }, annotations: wave },
      spec: {
        selector: { matchLabels: podsOf(N.exporter) },
        endpoints: [{ port: 'http-metrics', path: '/metrics', interval, scrapeTimeout: '10s', ...tls }],
      },
    }),
    new PrometheusRule({
      metadata: { name: N.rules, labels: { ...MONITORING.selectorLabels, app: N.app }, annotations: wave },
      spec: {
        groups: [
          { name: 'hyperpage.slo', interval: '1m', rules: sloRules(ns) },
          {
            name: 'hyperpage.alerts',
            rules: alerts(ns).map((a) => ({
              alert: a.alert,
              expr: a.expr,
              for: a.for,
              labels: { severity: a.severity, environment: env, service: N.app },
              annotations: { summary: a.summary, seed_alert: a.seed },
            })),
          },
        ],
      },
    }),
    ...monitoringPolicies(),
  ];
}

export const monitoringFeature: FeatureSpec = {
  name: 'monitoring',
  description: 'Prometheus operator: ServiceMonitors, SLO recording rules and the eight Hyperpage alerts',
  enabledIn: MONITORING_ENVS,
  objects: monitoringObjects,
};
