/**
 * SLIs and SLOs (seed) as Prometheus recording and alerting rules.
 *
 * One definition, two consumers: the in-namespace Prometheus evaluates the same groups from its
 * ConfigMap (monitoring/prometheus-config.ts), and the PrometheusRule object carries them for any
 * prometheus-operator based or managed Prometheus (README decision 18).
 *
 * Metric contract of the backend (README "App contract"): `http_requests_total{status}` and the
 * histograms `http_request_duration_seconds` and `db_query_duration_seconds`, with buckets at
 * 0.1 s and 0.2 s so the p95 thresholds fall on a bucket boundary.
 *
 * Availability and error budget follow the multi-window, multi-burn-rate alerts of the Google SRE
 * workbook: page when the 30-day budget (0.1 %) burns 14.4x over 1 h and 5 m, ticket at 6x over
 * 6 h and 30 m.
 */
import { ANNOTATIONS } from '@gitops/core';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { SLO } from './slo-targets';

export { SLO };

export interface RuleSpec {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface RuleGroupSpec {
  name: string;
  interval?: string;
  rules: RuleSpec[];
}

/** Round away floating-point noise (14.4 * 0.001 = 0.014400000000000001). */
const num = (x: number): number => Number(x.toPrecision(6));

const ERROR_BUDGET = num(1 - SLO.availability);
export const BURN = {
  fast: { factor: 14.4, long: '1h', short: '5m', for: '2m', severity: 'critical' },
  slow: { factor: 6, long: '6h', short: '30m', for: '15m', severity: 'warning' },
} as const;
export const burnThreshold = (factor: number): number => num(factor * ERROR_BUDGET);

const API = 'job="backend"';
const errorRatio = (w: string) =>
  `sum(rate(http_requests_total{${API},status=~"5.."}[${w}])) / sum(rate(http_requests_total{${API}}[${w}]))`;
const quantile = (q: number, metric: string) => `histogram_quantile(${q}, sum by (le) (rate(${metric}_bucket{${API}}[5m])))`;
const WINDOWS = ['5m', '30m', '1h', '6h'] as const;

export function ruleGroups(): RuleGroupSpec[] {
  return [
    {
      name: 'ms5-sli',
      interval: '30s',
      rules: [
        // Throughput (requests per second) and error ratio per burn-rate window.
        { record: 'ms5:http_requests:rate5m', expr: `sum(rate(http_requests_total{${API}}[5m]))` },
        ...WINDOWS.map((w) => ({ record: `ms5:http_error_ratio:rate${w}`, expr: errorRatio(w) })),
        // API response time p50 / p95 / p99.
        ...([0.5, 0.95, 0.99] as const).map((q) => ({
          record: `ms5:http_request_duration_seconds:p${Math.round(q * 100)}`,
          expr: quantile(q, 'http_request_duration_seconds'),
        })),
        // Database query performance.
        { record: 'ms5:db_query_duration_seconds:p95', expr: quantile(0.95, 'db_query_duration_seconds') },
        // Cache hit ratio (redis_exporter, all Redis pods).
        {
          record: 'ms5:redis_cache_hit_ratio:rate5m',
          expr: 'sum(rate(redis_keyspace_hits_total[5m])) / (sum(rate(redis_keyspace_hits_total[5m])) + sum(rate(redis_keyspace_misses_total[5m])))',
        },
      ],
    },
    {
      name: 'ms5-slo-budget',
      interval: '5m',
      rules: [
        { record: `ms5:http_error_ratio:rate${SLO.window}`, expr: errorRatio(SLO.window) },
        { record: `ms5:availability:ratio_rate${SLO.window}`, expr: `1 - ms5:http_error_ratio:rate${SLO.window}` },
      ],
    },
    {
      name: 'ms5-slo-alerts',
      rules: [
        ...Object.entries(BURN).map(([speed, b]) => ({
          alert: speed === 'fast' ? 'MS5ErrorBudgetFastBurn' : 'MS5ErrorBudgetSlowBurn',
          expr: `ms5:http_error_ratio:rate${b.long} > ${burnThreshold(b.factor)} and ms5:http_error_ratio:rate${b.short} > ${burnThreshold(b.factor)}`,
          for: b.for,
          labels: { severity: b.severity, slo: 'availability' },
          annotations: {
            summary: `MS5.0 API is burning its ${SLO.availability * 100}% availability budget ${b.factor}x too fast`,
            description: `Error ratio over ${b.long} and ${b.short} is above ${burnThreshold(b.factor)} (${b.factor} x the ${ERROR_BUDGET} budget).`,
          },
        })),
        {
          alert: 'MS5AvailabilitySLOBreached',
          expr: `ms5:availability:ratio_rate${SLO.window} < ${SLO.availability}`,
          for: '1h',
          labels: { severity: 'warning', slo: 'availability' },
          annotations: { summary: `MS5.0 API availability over ${SLO.window} is below ${SLO.availability * 100}%` },
        },
        {
          alert: 'MS5ErrorRateHigh',
          expr: `ms5:http_error_ratio:rate5m > ${SLO.errorRate}`,
          for: '10m',
          labels: { severity: 'critical', slo: 'error-rate' },
          annotations: { summary: `MS5.0 API error rate above ${SLO.errorRate * 100}% for 10 minutes` },
        },
        {
          alert: 'MS5ApiLatencyP95High',
          expr: `ms5:http_request_duration_seconds:p95 > ${SLO.apiLatencyP95Seconds}`,
          for: '10m',
          labels: { severity: 'warning', slo: 'latency' },
          annotations: { summary: `MS5.0 API p95 response time above ${SLO.apiLatencyP95Seconds * 1000} ms for 10 minutes` },
        },
        {
          alert: 'MS5DatabaseLatencyP95High',
          expr: `ms5:db_query_duration_seconds:p95 > ${SLO.dbLatencyP95Seconds}`,
          for: '10m',
          labels: { severity: 'warning', slo: 'database-latency' },
          annotations: { summary: `MS5.0 database query p95 above ${SLO.dbLatencyP95Seconds * 1000} ms for 10 minutes` },
        },
      ],
    },
    {
      name: 'ms5-health',
      rules: [
        {
          alert: 'MS5TargetDown',
          expr: 'up == 0',
          for: '5m',
          labels: { severity: 'warning' },
          annotations: { summary: 'Prometheus cannot scrape {{ $labels.job }} {{ $labels.instance }}' },
        },
        {
          alert: 'MS5PostgresDown',
          expr: 'pg_up == 0',
          for: '2m',
          labels: { severity: 'critical' },
          annotations: { summary: 'postgres-exporter cannot reach PostgreSQL' },
        },
        {
          alert: 'MS5RedisMasterCount',
          expr: 'count(redis_instance_info{role="master", job="redis"}) != 1',
          for: '2m',
          labels: { severity: 'critical' },
          annotations: { summary: 'Redis has {{ $value }} masters (expected exactly one): failover stuck or split brain' },
        },
      ],
    },
  ];
}

/** Rules file for Prometheus' own `rule_files` (same groups as the PrometheusRule). */
export function rulesFile(): { groups: RuleGroupSpec[] } {
  return { groups: ruleGroups() };
}

export function prometheusRule(): PrometheusRule {
  return new PrometheusRule({
    metadata: {
      name: 'ms5-slo',
      // Not MONITORING's selector label: ms5 runs its own Prometheus (README decisions 17, 18); the
      // shared one scrapes none of ms5's targets, and `up == 0` there would page for every platform.
      labels: { 'app.kubernetes.io/part-of': 'ms5', 'app.kubernetes.io/name': 'prometheus', role: 'alert-rules' },
      // The CRD may be installed after this app (kube-prometheus-stack CRDs): let Argo CD sync anyway.
      annotations: { [ANNOTATIONS.syncOptions]: 'SkipDryRunOnMissingResource=true' },
    },
    spec: { groups: ruleGroups() },
  });
}
