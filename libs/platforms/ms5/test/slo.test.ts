/** SLO rules (seed), Prometheus scrape coverage, Alertmanager and Grafana provisioning. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENVS, useRendered, type Obj } from './helpers';

const r = useRendered();

const rule = (groups: Obj[], alert: string): Obj => {
  const found = groups.flatMap((g) => g.rules).find((x: Obj) => x.alert === alert);
  if (!found) throw new Error(`alert ${alert} not found`);
  return found;
};
/** Every `> n` / `< n` threshold in an expression. */
const thresholds = (expr: string) => [...expr.matchAll(/[<>]\s*([0-9.]+)/g)].map((m) => Number(m[1]));

describe('SLO rules', () => {
  describe.each(ENVS)('%s', (env) => {
    const groups = () => r().get(env, 'PrometheusRule', 'ms5-slo').spec.groups as Obj[];

    it('alerts on the seed thresholds: p95 200 ms, errors 1 %, database p95 100 ms, availability 99.9 %', () => {
      expect(thresholds(rule(groups(), 'MS5ApiLatencyP95High').expr)).toEqual([0.2]);
      expect(rule(groups(), 'MS5ApiLatencyP95High').expr).toContain('ms5:http_request_duration_seconds:p95');
      expect(thresholds(rule(groups(), 'MS5ErrorRateHigh').expr)).toEqual([0.01]);
      expect(thresholds(rule(groups(), 'MS5DatabaseLatencyP95High').expr)).toEqual([0.1]);
      expect(rule(groups(), 'MS5DatabaseLatencyP95High').expr).toContain('ms5:db_query_duration_seconds:p95');
      expect(thresholds(rule(groups(), 'MS5AvailabilitySLOBreached').expr)).toEqual([0.999]);
    });

    it('pages on a 14.4x and tickets on a 6x burn of the 0.1 % error budget, over two windows each', () => {
      const fast = rule(groups(), 'MS5ErrorBudgetFastBurn');
      expect(thresholds(fast.expr)).toEqual([0.0144, 0.0144]);
      expect(fast.expr).toMatch(/rate1h .* and .*rate5m/);
      expect(fast.labels.severity).toBe('critical');
      const slow = rule(groups(), 'MS5ErrorBudgetSlowBurn');
      expect(thresholds(slow.expr)).toEqual([0.006, 0.006]);
      expect(slow.labels.severity).toBe('warning');
    });

    it('records every SLI of the seed (latency p50/p95/p99, availability, errors, throughput, DB, cache)', () => {
      const records = groups().flatMap((g) => g.rules).map((x: Obj) => x.record).filter(Boolean);
      for (const name of [
        'ms5:http_request_duration_seconds:p50',
        'ms5:http_request_duration_seconds:p95',
        'ms5:http_request_duration_seconds:p99',
        'ms5:availability:ratio_rate30d',
        'ms5:http_error_ratio:rate5m',
        'ms5:http_requests:rate5m',
        'ms5:db_query_duration_seconds:p95',
        'ms5:redis_cache_hit_ratio:rate5m',
      ]) expect(records).toContain(name);
    });

    it('evaluates the very same rules in the in-namespace Prometheus', () => {
      const cm = r().get(env, 'ConfigMap', 'prometheus-config').data;
      expect(parse(cm['slo-rules.yml']).groups).toEqual(groups());
      expect(parse(cm['prometheus.yml']).rule_files).toEqual(['/etc/prometheus/slo-rules.yml']);
      const mounts = r().get(env, 'StatefulSet', 'prometheus').spec.template.spec.containers[0].volumeMounts;
      expect(mounts).toContainEqual(expect.objectContaining({ name: 'config', mountPath: '/etc/prometheus' }));
    });
  });
});

describe('scrape configuration', () => {
  it.each(ENVS)('%s: scrapes every service and sends alerts to every Alertmanager replica', (env) => {
    const cfg = parse(r().get(env, 'ConfigMap', 'prometheus-config').data['prometheus.yml']);
    const jobs = new Map<string, Obj>(cfg.scrape_configs.map((j: Obj) => [j.job_name, j]));
    expect([...jobs.keys()].sort()).toEqual(['alertmanager', 'backend', 'celery', 'grafana', 'minio', 'postgres', 'prometheus', 'redis', 'redis-sentinel'].sort());
    // One Redis target per rendered replica, through the exporter.
    const redisReplicas = r().get(env, 'StatefulSet', 'redis').spec.replicas;
    expect(jobs.get('redis')!.static_configs[0].targets).toHaveLength(redisReplicas);
    // Static targets name rendered Services on their ports.
    for (const job of ['celery', 'postgres', 'minio', 'grafana']) {
      const [host, port] = jobs.get(job)!.static_configs[0].targets[0].split(':');
      const svc = r().get(env, 'Service', host);
      expect(svc.spec.ports.map((p: Obj) => p.port), job).toContain(Number(port));
    }
    expect(cfg.alerting.alertmanagers[0].dns_sd_configs[0].names).toEqual([`alertmanager-headless.ms5-${env}.svc.cluster.local`]);
    expect(r().get(env, 'Service', 'alertmanager-headless').spec.clusterIP).toBe('None');
  });
});

describe('alertmanager and grafana', () => {
  it.each(ENVS)('%s: routes critical alerts to on-call with the webhook URL read from the Secret', (env) => {
    const am = parse(r().get(env, 'ConfigMap', 'alertmanager-config').data['alertmanager.yml']);
    expect(am.route.routes[0]).toMatchObject({ matchers: ['severity="critical"'], receiver: 'oncall' });
    const url = am.receivers[0].msteams_configs[0].webhook_url_file;
    const sts = r().get(env, 'StatefulSet', 'alertmanager').spec.template.spec;
    const vol = sts.volumes.find((v: Obj) => v.name === 'receivers');
    expect(vol.secret.secretName).toBe('alertmanager-receivers');
    const mount = sts.containers[0].volumeMounts.find((m: Obj) => m.name === 'receivers');
    expect(`${mount.mountPath}/${vol.secret.items[0].path}`).toBe(url);
  });

  it('clusters the two Alertmanager replicas in prod, one without clustering in dev', () => {
    expect(r().get('prod', 'StatefulSet', 'alertmanager').spec.replicas).toBe(2);
    expect(r().get('prod', 'ConfigMap', 'alertmanager-config').data.CLUSTER_LISTEN_ADDRESS).toBe('0.0.0.0:9094');
    expect(r().get('dev', 'StatefulSet', 'alertmanager').spec.replicas).toBe(1);
    expect(r().get('dev', 'ConfigMap', 'alertmanager-config').data.CLUSTER_LISTEN_ADDRESS).toBe('');
  });

  it.each(ENVS)('%s: provisions Grafana with the Prometheus data source and the SLO dashboard', (env) => {
    const ds = parse(r().get(env, 'ConfigMap', 'grafana-provisioning').data['datasources.yaml']).datasources;
    const prom = ds.find((d: Obj) => d.type === 'prometheus');
    expect(prom.url).toBe('http://prometheus:9090');
    expect(r().get(env, 'Service', 'prometheus').spec.ports[0].port).toBe(9090);
    const slo = JSON.parse(r().get(env, 'ConfigMap', 'grafana-dashboards').data['ms5-slo.json']);
    const p95 = slo.panels.find((p: Obj) => p.targets[0].expr === 'ms5:http_request_duration_seconds:p95' && p.type === 'stat');
    expect(p95.fieldConfig.defaults.thresholds.steps[1].value).toBe(0.2);
    const mounts = r().get(env, 'StatefulSet', 'grafana').spec.template.spec.containers[0].volumeMounts.map((m: Obj) => m.mountPath);
    expect(mounts).toEqual(expect.arrayContaining(['/etc/grafana/provisioning/datasources', '/etc/grafana/provisioning/dashboards', '/etc/grafana/dashboards']));
  });
});
