/**
 * Every number and name the Hyperpage design fixes, in one place. The seed
 * (seed 001_180701ee7d8f01c2) gives some of them; the rest are our choices, numbered
 * in README.md ("D<n>"). Modules import from here so a value cannot drift between the object
 * that uses it and the object that budgets for it (quota, alerts, validation job).
 */
import { nonRootPod, resourceLadder, type EnvName, type Resources } from '@gitops/core';
import { INGRESS_NGINX, MONITORING } from '@gitops/environments/cluster';

/** D2: one namespace per environment. */
export const NAMESPACE: Record<EnvName, string> = { dev: 'hyperpage-dev', staging: 'hyperpage-staging', prod: 'hyperpage-prod' };

/** D13: the mesh runs where Istio is installed (staging, prod); dev is a plain Kind cluster. */
export const MESH_ENVS: EnvName[] = ['staging', 'prod'];
/** D28: ServiceMonitor/PrometheusRule need the Prometheus operator CRDs: staging and prod only. */
export const MONITORING_ENVS: EnvName[] = ['staging', 'prod'];

export const inMesh = (env: string): boolean => (MESH_ENVS as string[]).includes(env);
export const monitored = (env: string): boolean => (MONITORING_ENVS as string[]).includes(env);

/** Seed "Multi-Environment Support" feature flags; D8 fills the unspecified cells. */
export interface Flags {
  debug: boolean;
  rateLimitPerHour: number;
  fullMonitoring: boolean;
  automatedBackups: boolean;
  logLevel: 'debug' | 'info' | 'warn';
}
export const FLAGS: Record<EnvName, Flags> = {
  dev: { debug: true, rateLimitPerHour: 10000, fullMonitoring: false, automatedBackups: false, logLevel: 'debug' },
  staging: { debug: false, rateLimitPerHour: 5000, fullMonitoring: false, automatedBackups: true, logLevel: 'info' },
  prod: { debug: false, rateLimitPerHour: 1000, fullMonitoring: true, automatedBackups: true, logLevel: 'warn' },
};
export const backedUp = (env: string): boolean => FLAGS[env as EnvName]?.automatedBackups === true;

/** Object names (seed names where it gives one: hyperpage-service, hyperpage-hpa). */
export const N = {
  app: 'hyperpage',
  service: 'hyperpage-service',
  hpa: 'hyperpage-hpa',
  ingress: 'hyperpage',
  tlsSecret: 'hyperpage-tls',
  db: 'postgresql',
  exporter: 'postgresql-exporter',
  backup: 'postgresql-backup',
  validator: 'hyperpage-validate',
  appConfig: 'hyperpage-config',
  appSecret: 'hyperpage-secrets',
  dbSecret: 'postgresql-credentials',
  dbConfig: 'postgresql-config',
  dbInit: 'postgresql-initdb',
  dataClaim: 'hyperpage-data',
  logsClaim: 'hyperpage-logs',
  priorityCritical: 'hyperpage-critical',
  priorityNormal: 'hyperpage-normal',
  quota: 'hyperpage-quota',
  limits: 'hyperpage-limits',
  gateway: 'hyperpage-gateway',
  meshEntry: 'hyperpage-mesh-gateway',
  rules: 'hyperpage',
} as const;

/** One ServiceAccount per workload: Istio principals and RBAC subjects stay distinct (D20). */
export const SA = {
  app: 'hyperpage',
  db: 'postgresql',
  exporter: 'postgresql-exporter',
  backup: 'postgresql-backup',
  validator: 'hyperpage-validator',
} as const;

export const PORTS = { app: 3000, db: 5432, exporter: 9187 } as const;

/** Database names and roles (D11): the superuser is never used by the app, backup or exporter. */
export const DB = { name: 'hyperpage', superuser: 'postgres', appRole: 'hyperpage', backupRole: 'hyperpage_backup', exporterRole: 'postgres_exporter', maxConnections: 100 } as const;

/** Seed "Scaling Infrastructure" + "Auto-scaling Intelligence". */
export const HPA = {
  min: 3,
  max: 50,
  cpu: 70,
  memory: 80,
  behavior: {
    // D5: policies are ours; the windows are the seed's 60 s up / 300 s down.
    scaleUp: {
      stabilizationWindowSeconds: 60,
      selectPolicy: 'Max',
      policies: [
        { type: 'Percent', value: 100, periodSeconds: 60 },
        { type: 'Pods', value: 4, periodSeconds: 60 },
      ],
    },
    scaleDown: {
      stabilizationWindowSeconds: 300,
      selectPolicy: 'Min',
      policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }],
    },
  },
} as const;

/** Seed "Max Surge: 50% during rolling updates"; D6: never go below the replica count. */
export const ROLLOUT = { maxSurge: '50%', maxUnavailable: 0 } as const;
/** Pods a rollout adds at the HPA minimum (maxSurge rounds up). */
export const SURGE_PODS = Math.ceil(HPA.min * 0.5);
/** Seed "Pod Disruption Budget minAvailable: 2". */
export const PDB_MIN_AVAILABLE = 2;

/** Seed per-environment resources: the app container (D3). */
export const APP_RESOURCES = resourceLadder({
  dev: { requests: { cpu: '200m', memory: '1Gi' }, limits: { cpu: '1000m', memory: '2Gi' } },
  staging: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2000m', memory: '4Gi' } },
  prod: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '4', memory: '8Gi' } },
});
/** D10: PostgreSQL sizes; postgresql.conf memory settings derive from the limit. */
export const DB_RESOURCES = resourceLadder({
  dev: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '1Gi' } },
  staging: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
  prod: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
});
export const EXPORTER_RESOURCES: Resources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };
/** D12: two exporters where alerts page on them (staging, prod), so one restart is not an outage. */
export const EXPORTER_REPLICAS: Record<EnvName, number> = { dev: 1, staging: 2, prod: 2 };
export const BACKUP_RESOURCES: Resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
export const VALIDATOR_RESOURCES: Resources = { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } };
/** D14: the injected istio-proxy (set by pod annotation), counted by the quota in mesh environments. */
export const PROXY_RESOURCES: Resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } };

/** Seed storage: SSD database, HDD backups, logs; D9 sizes the data volume. */
export const STORAGE = {
  db: { size: '10Gi', role: 'fast' },
  backup: { size: '10Gi', role: 'cheap' },
  logs: { size: '5Gi', role: 'shared' },
  data: { size: '5Gi', role: 'shared' },
} as const;

/** Seed "Backup Automation". */
export const BACKUP = { schedule: '0 2 * * *', retentionDays: 7 } as const;

/** Seed "Resource Quota": the floor of every environment's quota (D4). */
export const SEED_QUOTA = {
  'requests.cpu': '2',
  'requests.memory': '4Gi',
  'limits.cpu': '4',
  'limits.memory': '8Gi',
  persistentvolumeclaims: '4',
  'requests.storage': '20Gi',
} as const;

/** Seed "Resource Management": LimitRange defaults and the per-container maximum (D7). */
export const SEED_LIMITS = {
  default: { cpu: '500m', memory: '1Gi' },
  defaultRequest: { cpu: '100m', memory: '512Mi' },
  max: { cpu: '2', memory: '4Gi' },
} as const;

/** Seed "Priority Classes: Critical (1000), Normal (500)". */
export const PRIORITY = { critical: 1000, normal: 500 } as const;

/** Seed SLOs. */
export const SLO = { availability: 0.999, latencyP95Seconds: 0.5, errorRate: 0.01 } as const;

/** Public host of the application in an environment. */
export const host = (baseDomain: string): string => `hyperpage.${baseDomain}`;

/** In-cluster FQDN of a Service (Istio hosts, principals). */
export const fqdn = (service: string, namespace: string): string => `${service}.${namespace}.svc.cluster.local`;

/** Pod security context for a given uid/gid (seed for the app: 1001). */
export const podSecurity = (uid: number) => nonRootPod(uid, { seccomp: true });

/** Well-known callers outside the namespace (D16, D17). */
export const CALLERS = {
  nginx: INGRESS_NGINX,
  istioGateway: {
    namespace: 'istio-system',
    podLabels: { istio: 'ingressgateway' },
    service: 'istio-ingressgateway.istio-system.svc.cluster.local',
    principal: 'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account',
  },
  // The cluster's shared Prometheus, defined once for every platform (D28).
  monitoring: { namespace: MONITORING.namespace, podLabels: MONITORING.prometheusPodLabels },
} as const;

/** Label selecting a component's pods (the compiler's selector label). */
export const podsOf = (component: string) => ({ 'app.kubernetes.io/name': component });
