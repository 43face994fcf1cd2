/**
 * Prometheus Operator objects (seed) as the `prometheus-monitoring` feature: they
 * need the operator's CRDs, which the staging and prod clusters run and dev's Kind cluster does
 * not (decision 32). Alerts whose metrics the seed never defines are rewritten onto the metrics
 * it does define (digest 10.6 #40; decision 33).
 */
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { namespacePeer, toPlain, type CompileContext, type FeatureSpec, type KubeObject } from '@gitops/core';
import { MONITORING } from '@gitops/environments/cluster';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';

type Rule = NonNullable<NonNullable<IPrometheusRule['spec']['groups']>[number]['rules']>[number];
import { NAMESPACE, PLATFORM_LABELS, PORTS } from './constants';
import { flowPolicies } from './network-policies';

/** asyncpg pool max_size of the API (seed): the denominator of pool utilisation. */
const DB_POOL_MAX = 50;

export const ALERTS: Rule[] = [
  {
    alert: 'HighAPIErrorRate',
    // Seed: rate(pf9_api_errors_total[5m]) > 0.05, an undefined metric compared as an absolute rate.
    expr: 'sum(rate(pf9_api_requests_total{status=~"5.."}[5m])) / sum(rate(pf9_api_requests_total[5m])) > 0.05',
    for: '5m',
    labels: { severity: 'warning' },
    annotations: { summary: 'High API error rate detected', description: 'API 5xx ratio is {{ $value | humanizePercentage }} over 5 minutes' },
  },
  {
    alert: 'DatabaseConnectionPoolExhausted',
    // Seed: pf9_db_connection_pool_utilization > 0.9 (undefined); the defined gauge over the pool size.
    expr: `max(pf9_db_connections_active) / ${DB_POOL_MAX} > 0.9`,
    for: '5m',
    labels: { severity: 'critical' },
    annotations: { summary: 'Database connection pool nearly exhausted' },
  },
  {
    alert: 'PVCAlmostFull',
    expr: `kubelet_volume_stats_used_bytes{namespace="${NAMESPACE}"} / kubelet_volume_stats_capacity_bytes{namespace="${NAMESPACE}"} > 0.85`,
    for: '10m',
    labels: { severity: 'warning' },
    annotations: { summary: 'Persistent volume {{ $labels.persistentvolumeclaim }} is 85% full' },
  },
];

function objects(ctx: CompileContext): KubeObject[] {
  // The cluster's Prometheus selects ServiceMonitors and PrometheusRules by its selector label.
  const metadata = (name: string) => ({ name, namespace: ctx.namespace, labels: { ...PLATFORM_LABELS, ...MONITORING.selectorLabels } });
  const prometheus = namespacePeer(MONITORING.namespace, MONITORING.prometheusPodLabels);
  const scrape = (name: string, app: string) =>
    toPlain(new ServiceMonitor({
      metadata: metadata(name),
      spec: { selector: { matchLabels: { app } }, endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }] },
    }));
  return [
    // The seed's ServiceMonitor (API) and one for pf9-monitoring, which also serves /metrics.
    scrape('pf9-metrics', 'pf9-api'),
    scrape('pf9-monitoring-metrics', 'pf9-monitoring'),
    toPlain(new PrometheusRule({ metadata: metadata('pf9-alerts'), spec: { groups: [{ name: 'pf9', interval: '30s', rules: ALERTS }] } })),
    // The cluster's Prometheus pods (in `monitoring`): admit their scrapes.
    ...flowPolicies(ctx, [
      { policy: 'allow-prometheus-to-api', to: 'pf9-api', port: PORTS.api, from: [], fromPeers: [prometheus] },
      { policy: 'allow-prometheus-to-monitoring', to: 'pf9-monitoring', port: PORTS.monitoring, from: [], fromPeers: [prometheus] },
    ]),
  ];
}

export const prometheusFeature: FeatureSpec = {
  name: 'prometheus-monitoring',
  description: 'ServiceMonitors, PrometheusRule pf9-alerts and the scrape NetworkPolicies (needs the Prometheus Operator CRDs)',
  enabledIn: ['staging', 'prod'],
  objects,
};
