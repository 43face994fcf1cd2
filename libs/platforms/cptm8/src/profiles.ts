/**
 * Per-environment sizing, following the seed's comparison table:
 * dev relaxed / 1 replica, staging medium / 1-2 replicas, prod strict / 3+ replicas.
 */
import { resourceLadder, resources as res, type ComponentSettings, type PerEnv } from '@gitops/core';

/** Go services and front ends. dev = the seed's "every deployment has" block, prod = its strict block. */
export const SERVICE_RESOURCES = resourceLadder({
  dev: res('100m', '128Mi', '500m', '512Mi'),
  staging: res('150m', '192Mi', '500m', '512Mi'),
  prod: res('200m', '256Mi', '500m', '512Mi'),
});

/** Databases and the message broker (seed silent): same ladder, sized for a JVM-less data store. */
export const DATASTORE_RESOURCES = resourceLadder({
  dev: res('100m', '256Mi', '1', '1Gi'),
  staging: res('250m', '512Mi', '1', '1Gi'),
  prod: res('500m', '1Gi', '2', '2Gi'),
});

/** OpenSearch: the seed's own values fit its 512m heap in every environment. */
export const OPENSEARCH_RESOURCES = res('500m', '1Gi', '1000m', '2Gi');

/** Small helpers (Vector, the ECR job). */
export const SMALL_RESOURCES = res('50m', '64Mi', '200m', '256Mi');

/** Init containers: short copy (`cp`) and wait (`curl` loop) steps, the same size in every environment. */
export const INIT_RESOURCES = res('10m', '16Mi', '100m', '64Mi');

/** Where the Go services' metrics are scraped ("basic metrics" in staging, prod; README D20). */
export const METRICS_ENVS = ['staging', 'prod'] as const;
export const METRICS_PATH = '/metrics';

/**
 * Prometheus scrape annotations; the port is the service port, not the seed's 8080 (README D20).
 * Informational: kube-prometheus-stack ignores them and scrapes by the PodMonitor (monitoring.ts).
 */
export const prometheus = (port: number): Record<string, string> => ({
  'prometheus.io/scrape': 'true',
  'prometheus.io/port': String(port),
  'prometheus.io/path': METRICS_PATH,
});

/**
 * Settings of a stateless, horizontally scaled Deployment (Go services and front ends):
 * dev 1 replica, staging 2 with a PDB, prod 3 spread over zones with a PDB of 2.
 */
export function statelessSettings(extra: { dev?: ComponentSettings; metricsPort?: number } = {}): PerEnv<ComponentSettings> {
  const metrics = extra.metricsPort ? { podAnnotations: prometheus(extra.metricsPort) } : {};
  return {
    default: { replicas: 1, resources: SERVICE_RESOURCES.dev },
    dev: { ...(extra.dev ?? {}) },
    staging: { replicas: 2, resources: SERVICE_RESOURCES.staging, disruptionBudget: { minAvailable: 1 }, ...metrics },
    prod: { replicas: 3, resources: SERVICE_RESOURCES.prod, disruptionBudget: { minAvailable: 2 }, spread: 'zone', ...metrics },
  };
}

/** Settings of a single-replica data store with one persistent volume, sized per environment. */
export function datastoreSettings(volume: string, sizes: { dev: string; staging: string; prod: string }): PerEnv<ComponentSettings> {
  return {
    default: { replicas: 1, resources: DATASTORE_RESOURCES.dev, storage: { [volume]: { size: sizes.dev, storage: 'standard' } } },
    staging: { resources: DATASTORE_RESOURCES.staging, storage: { [volume]: { size: sizes.staging, storage: 'standard' } } },
    // "High-performance cloud disks with backup": the fast class.
    prod: { resources: DATASTORE_RESOURCES.prod, storage: { [volume]: { size: sizes.prod, storage: 'fast' } } },
  };
}
