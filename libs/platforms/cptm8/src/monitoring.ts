/**
 * Scraping by the cluster's shared Prometheus (kube-prometheus-stack, `MONITORING`): it ignores
 * `prometheus.io/*` annotations and scrapes what a ServiceMonitor or PodMonitor carrying its selector
 * label names. One PodMonitor for the six Go services (`tier: application`, port `http`), each pod
 * scraped, in the environments whose pods carry the annotations (README D20).
 */
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { ANNOTATIONS, LABELS, toPlain, type CompileContext, type FeatureSpec, type KubeObject } from '@gitops/core';
import { MONITORING } from '@gitops/environments/cluster';
import { PLATFORM } from './constants';
import { METRICS_ENVS, METRICS_PATH } from './profiles';

const GO_SERVICES_MONITOR = 'go-services';

function monitors(ctx: CompileContext): KubeObject[] {
  return [
    toPlain(
      new PodMonitor({
        metadata: {
          name: GO_SERVICES_MONITOR,
          namespace: ctx.namespace,
          labels: { [LABELS.partOf]: PLATFORM, ...MONITORING.selectorLabels },
          // The operator's CRDs come with the cluster's stack, possibly after this app.
          annotations: { [ANNOTATIONS.syncOptions]: 'SkipDryRunOnMissingResource=true' },
        },
        spec: {
          selector: { matchLabels: { tier: 'application' } },
          podMetricsEndpoints: [{ port: 'http', path: METRICS_PATH, interval: '30s' }],
        },
      }),
    ),
  ];
}

export const monitoringFeature: FeatureSpec = {
  name: 'shared-monitoring',
  description: "PodMonitor of the Go services for the cluster's shared Prometheus",
  enabledIn: [...METRICS_ENVS],
  objects: monitors,
};
