/**
 * Grafana provisioning (seed): Prometheus and Alertmanager data sources and two
 * dashboards (SLO overview, service health) generated from the same SLO numbers as the alerts.
 * Data sources are read-only in the UI; dashboards cannot be deleted or saved over from the UI.
 */
import { toYamlText } from '@gitops/core';
import { PORTS } from '../constants';
import { SLO } from '../slo-targets';

export const DASHBOARDS_PATH = '/etc/grafana/dashboards';

export function datasources() {
  return {
    apiVersion: 1,
    datasources: [
      { name: 'Prometheus', uid: 'prometheus', type: 'prometheus', access: 'proxy', url: `http://prometheus:${PORTS.prometheus}`, isDefault: true, editable: false, jsonData: { timeInterval: '30s' } },
      { name: 'Alertmanager', uid: 'alertmanager', type: 'alertmanager', access: 'proxy', url: `http://alertmanager:${PORTS.alertmanager}`, editable: false, jsonData: { implementation: 'prometheus' } },
    ],
  };
}

export function dashboardProviders() {
  return {
    apiVersion: 1,
    providers: [{ name: 'ms5', folder: 'MS5.0', type: 'file', disableDeletion: true, allowUiUpdates: false, options: { path: DASHBOARDS_PATH } }],
  };
}

const ds = { type: 'prometheus', uid: 'prometheus' };
let panelId = 0;
function stat(title: string, expr: string, unit: string, threshold: number, goodBelow: boolean, x: number) {
  return {
    id: ++panelId,
    type: 'stat',
    title,
    datasource: ds,
    gridPos: { h: 5, w: 6, x, y: 0 },
    targets: [{ refId: 'A', datasource: ds, expr }],
    fieldConfig: {
      defaults: {
        unit,
        thresholds: {
          mode: 'absolute',
          steps: goodBelow
            ? [{ color: 'green', value: null }, { color: 'red', value: threshold }]
            : [{ color: 'red', value: null }, { color: 'green', value: threshold }],
        },
      },
      overrides: [],
    },
  };
}
function series(title: string, exprs: Record<string, string>, unit: string, x: number, y: number) {
  return {
    id: ++panelId,
    type: 'timeseries',
    title,
    datasource: ds,
    gridPos: { h: 8, w: 12, x, y },
    targets: Object.entries(exprs).map(([legend, expr], i) => ({ refId: String.fromCharCode(65 + i), datasource: ds, expr, legendFormat: legend })),
    fieldConfig: { defaults: { unit }, overrides: [] },
  };
}
const dashboard = (uid: string, title: string, panels: unknown[]) => ({
  uid,
  title,
  tags: ['ms5'],
  timezone: 'browser',
  schemaVersion: 39,
  version: 1,
  refresh: '1m',
  time: { from: 'now-6h', to: 'now' },
  panels,
});

export function sloDashboard() {
  panelId = 0;
  return dashboard('ms5-slo', 'MS5.0 SLOs', [
    stat(`Availability (${SLO.window}, SLO ${SLO.availability * 100}%)`, `ms5:availability:ratio_rate${SLO.window}`, 'percentunit', SLO.availability, false, 0),
    stat(`Error rate (5m, SLO < ${SLO.errorRate * 100}%)`, 'ms5:http_error_ratio:rate5m', 'percentunit', SLO.errorRate, true, 6),
    stat(`API p95 (SLO < ${SLO.apiLatencyP95Seconds * 1000} ms)`, 'ms5:http_request_duration_seconds:p95', 's', SLO.apiLatencyP95Seconds, true, 12),
    stat(`DB query p95 (SLO < ${SLO.dbLatencyP95Seconds * 1000} ms)`, 'ms5:db_query_duration_seconds:p95', 's', SLO.dbLatencyP95Seconds, true, 18),
    series('API response time', { p50: 'ms5:http_request_duration_seconds:p50', p95: 'ms5:http_request_duration_seconds:p95', p99: 'ms5:http_request_duration_seconds:p99' }, 's', 0, 5),
    series('Throughput and errors', { 'requests/s': 'ms5:http_requests:rate5m', 'error ratio': 'ms5:http_error_ratio:rate5m' }, 'short', 12, 5),
    series('Cache hit ratio', { 'hit ratio': 'ms5:redis_cache_hit_ratio:rate5m' }, 'percentunit', 0, 13),
    series('Error budget burn (1h / 6h)', { '1h': 'ms5:http_error_ratio:rate1h', '6h': 'ms5:http_error_ratio:rate6h' }, 'percentunit', 12, 13),
  ]);
}

export function servicesDashboard() {
  panelId = 0;
  return dashboard('ms5-services', 'MS5.0 Services', [
    series('Targets up', { '{{job}} {{instance}}': 'up' }, 'short', 0, 0),
    series('Backend replicas scraped', { replicas: 'count(up{job="backend"} == 1)' }, 'short', 12, 0),
    series('PostgreSQL connections', { '{{datname}}': 'sum by (datname) (pg_stat_database_numbackends)' }, 'short', 0, 8),
    series('Redis memory', { '{{instance}}': 'redis_memory_used_bytes' }, 'bytes', 12, 8),
  ]);
}

export function grafanaProvisioningFiles(): Record<string, string> {
  return { 'datasources.yaml': toYamlText(datasources()), 'dashboards.yaml': toYamlText(dashboardProviders()) };
}

export function grafanaDashboardFiles(): Record<string, string> {
  return { 'ms5-slo.json': JSON.stringify(sloDashboard(), null, 2), 'ms5-services.json': JSON.stringify(servicesDashboard(), null, 2) };
}
