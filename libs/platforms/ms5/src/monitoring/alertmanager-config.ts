/**
 * alertmanager.yml (seed): routing by severity (critical pages the on-call channel and
 * repeats hourly; warnings go to the team channel every 4 h), grouping, and inhibition of a warning
 * while the critical alert of the same name fires. The Teams webhook URL is read from the mounted
 * Secret (webhook_url_file), never from the ConfigMap.
 */
import { toYamlText } from '@gitops/core';

export const TEAMS_URL_FILE = '/etc/alertmanager/secrets/TEAMS_WEBHOOK_URL';

export function alertmanagerConfig() {
  return {
    route: {
      receiver: 'team',
      group_by: ['alertname', 'severity'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [{ matchers: ['severity="critical"'], receiver: 'oncall', repeat_interval: '1h' }],
    },
    inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname'] }],
    receivers: [
      { name: 'oncall', msteams_configs: [{ webhook_url_file: TEAMS_URL_FILE, send_resolved: true, title: '[MS5.0 CRITICAL] {{ .CommonLabels.alertname }}' }] },
      { name: 'team', msteams_configs: [{ webhook_url_file: TEAMS_URL_FILE, send_resolved: true }] },
    ],
  };
}

export const alertmanagerYaml = (): string => toYamlText(alertmanagerConfig(), { lineWidth: 0 });
