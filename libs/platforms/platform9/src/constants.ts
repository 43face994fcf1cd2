/**
 * Names and addresses every module shares. One place per fact: the seed spells the same host,
 * port or database name in up to five places and they disagree (README decisions 3, 7).
 */
import { platformLabels } from '@gitops/core';

/** Namespace in every environment (environments are separate clusters). */
export const NAMESPACE = 'pf9';

/** Private registry (seed `registry.name: <your-registry>.azurecr.io`); tags come from releases.yaml. */
export const REGISTRY = 'pf9.azurecr.io';
export const image = (name: string): string => `${REGISTRY}/${name}`;

export const IMAGES = {
  ui: image('pf9-ui'),
  api: image('pf9-api'),
  monitoring: image('pf9-monitoring'),
  snapshotWorker: image('pf9-snapshot-worker'),
  backupWorker: image('pf9-backup-worker'),
  meteringWorker: image('pf9-metering-worker'),
  notificationWorker: image('pf9-notification-worker'),
  /** Host-script CronJobs (seed `images.tools`, "For CronJobs"). */
  tools: image('pf9-tools'),
  /** pg_dump + aws CLI image of the postgres-backup CronJob (seed). */
  backup: image('pf9-backup'),
} as const;

/** In-cluster DNS name of a Service (service discovery is by DNS, never by IP). */
export const svc = (name: string): string => `${name}.${NAMESPACE}.svc.cluster.local`;

/** Ports of the seed. */
export const PORTS = { ui: 5173, api: 8000, monitoring: 8001, redis: 6379, postgres: 5432, ldap: 389 } as const;

/** Service names clients use (README decision 5: `postgres` is the client ClusterIP Service). */
export const SERVICES = { postgres: 'postgres', ldap: 'ldap', redis: 'redis-cache', api: 'pf9-api', monitoring: 'pf9-monitoring', ui: 'pf9-ui' } as const;

/** One database name for every client (README decision 3: the workers' `pf9_mgmt`, not the chart's `platform9`). */
export const DB_NAME = 'pf9_mgmt';

export const LDAP = {
  organisation: 'Platform9 Management',
  domain: 'pf9mgmt.local',
  baseDn: 'dc=pf9mgmt,dc=local',
  userDn: 'ou=users,dc=pf9mgmt,dc=local',
  groupDn: 'ou=groups,dc=pf9mgmt,dc=local',
} as const;

/** ServiceAccounts (seed). */
export const SA = { app: 'pf9-app', jobs: 'pf9-jobs' } as const;

/**
 * The ingress controller that reaches into pf9: its pods in its namespace (NetworkPolicy peer, by
 * the automatic name label AND the controller's pod label, as Hyperpage and MS5 select it). The
 * cluster's Prometheus is @gitops/environments' MONITORING.
 */

/** Long-running worker Deployments (seed). */
export const WORKERS = ['snapshot-worker', 'backup-worker', 'metering-worker', 'notification-worker'] as const;

export const PLATFORM_LABELS = platformLabels('platform9');
