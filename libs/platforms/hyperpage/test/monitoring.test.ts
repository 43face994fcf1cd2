/** ServiceMonitors and the PrometheusRule: the seed's eight alerts with their durations, SLO recording rules. */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForTest, type RenderedPlatform } from '@gitops/pipeline';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('hyperpage');
});

/** Seed "Alert Rules": name in words, severity, duration. */
const SEED_ALERTS = [
  ['Application down', 'critical', '1m'],
  ['High error rate', 'critical', '2m'],
  ['Database connectivity', 'critical', '1m'],
  ['High memory usage', 'critical', '5m'],
  ['High response time', 'warning', '5m'],
  ['Database slow queries', 'warning', '1m'],
  ['Potential memory leaks', 'warning', '5m'],
  ['Low user activity', 'warning', '10m'],
];

describe.each(['staging', 'prod'])('%s monitoring', (env) => {
  const alerts = () => r.get(env, 'PrometheusRule', 'hyperpage').spec.groups.find((g: any) => g.name === 'hyperpage.alerts').rules;
  const records = () => r.get(env, 'PrometheusRule', 'hyperpage').spec.groups.find((g: any) => g.name === 'hyperpage.slo').rules;

  it('the eight seed alerts with their severities and durations', () => {
    const got = alerts().map((a: any) => [a.annotations.seed_alert, a.labels.severity, a.for]);
    expect(got).toEqual(SEED_ALERTS);
    for (const a of alerts()) expect(a.labels.environment).toBe(env);
  });

  it('SLO targets: availability 99.9 %, P95 latency 500 ms, error rate 1 %', () => {
    const byName = Object.fromEntries(records().map((x: any) => [x.record, x.expr]));
    expect(byName['hyperpage:slo_availability:target']).toBe('0.999');
    expect(byName['hyperpage:slo_latency_p95:threshold_seconds']).toBe('0.5');
    expect(byName['hyperpage:slo_error_rate:threshold']).toBe('0.01');
    expect(byName['hyperpage:sli_latency_p95:seconds5m']).toContain('histogram_quantile(0.95');
    expect(byName['hyperpage:sli_availability:ratio_rate30d']).toContain('[30d]');
    const errorAlert = alerts().find((a: any) => a.alert === 'HyperpageHighErrorRate');
    expect(errorAlert.expr).toContain('> 0.01');
    expect(alerts().find((a: any) => a.alert === 'HyperpageHighResponseTime').expr).toContain('> 0.5');
  });

  it('rules are scoped to this namespace', () => {
    for (const x of [...alerts(), ...records()]) if (x.expr.includes('{')) expect(x.expr, x.alert ?? x.record).toContain(`namespace="hyperpage-${env}"`);
  });

  it('ServiceMonitors scrape the app (/api/metrics) and the exporter, with Istio mTLS certificates', () => {
    const app = r.get(env, 'ServiceMonitor', 'hyperpage');
    expect(app.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'hyperpage' });
    expect(app.spec.endpoints[0]).toMatchObject({ port: 'http', path: '/api/metrics', interval: env === 'prod' ? '15s' : '30s', scheme: 'https' });
    expect(r.get(env, 'Service', 'hyperpage-service').metadata.labels['app.kubernetes.io/name']).toBe('hyperpage');
    const exp = r.get(env, 'ServiceMonitor', 'postgresql-exporter');
    expect(exp.spec.endpoints[0].port).toBe('http-metrics');
    expect(r.get(env, 'Service', 'postgresql-exporter').spec.ports[0].name).toBe('http-metrics');
  });
});
