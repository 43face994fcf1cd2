/**
 * Names and numbers the whole platform shares. Kept in one place because the seed uses them in
 * several manifests at once (a Service name in a ConfigMap, a port in a probe and a NetworkPolicy).
 */
import { nonRootPod, type EnvName } from '@gitops/core';
import { INGRESS_NGINX } from '@gitops/environments/cluster';

export const PLATFORM = 'cptm8';

/** Namespace per environment: `cptm8-dev` (seed), `cptm8-prod` (seed), `cptm8-staging` (seed silent). */
export const namespaceFor = (env: EnvName | string): string => `cptm8-${env}`;

/** In-cluster DNS name of a Service, as the seed writes it in ConfigMaps. */
export const fqdn = (service: string, env: EnvName | string): string => `${service}.${namespaceFor(env)}.svc.cluster.local`;

/** Private ECR registry of every first-party image (seed, IAM resource `repository/cptm8/*`). */
export const ECR_REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
export const ECR_REGION = 'us-east-1';
export const ecrImage = (name: string): string => `${ECR_REGISTRY}/cptm8/${name}`;

/** Docker-registry Secret the ECR CronJob writes and every ECR workload pulls with. */
export const ECR_PULL_SECRET = 'ecr-registry-secret';

/** Third-party images: the seed's `:latest` tags are pinned (README D33). */
export const IMAGES = {
  postgres: { image: 'postgres', tag: '16-alpine' },
  mongodb: { image: 'mongo', tag: '7.0.14' },
  rabbitmq: { image: 'rabbitmq', tag: '3.13.7-management' },
  opensearch: { image: 'opensearchproject/opensearch', tag: '2.11.0' },
  vector: { image: 'timberio/vector', tag: '0.39.0-debian' },
  curl: { image: 'curlimages/curl', tag: '8.5.0' },
  busybox: { image: 'busybox', tag: '1.36.1' },
  awsCli: { image: 'amazon/aws-cli', tag: '2.15.0' },
} as const;

/** kubectl the ECR job downloads (the seed fetched `stable.txt`, which changes under our feet). */
export const KUBECTL_VERSION = 'v1.30.4';

/** The six Go services (seed). All listen on 8000 with /health and /ready, like asmm8. */
export const GO_SERVICES = ['asmm8', 'naabum8', 'katanam8', 'num8', 'reportingm8', 'orchestratorm8'] as const;
export type GoService = (typeof GO_SERVICES)[number];
/** Scanners reach arbitrary targets on the internet; the other two stay inside the cluster. */
export const SCANNERS: readonly GoService[] = ['asmm8', 'naabum8', 'katanam8', 'num8'];
export const GO_PORT = 8000;

/** Front ends (seed, 3000 -> 30080, 4000 -> 30081 on Kind). */
export const FRONTENDS = {
  dashboardm8: { port: 3000, nodePort: 30080, host: 'dashboard' },
  socketm8: { port: 4000, nodePort: 30081, host: 'socket' },
} as const;
export type Frontend = keyof typeof FRONTENDS;

/** Client Service of every component: `<name>-service` as the seed names them. */
export const serviceName = (component: string): string => `${component}-service`;

/** Data stores: component name, governing (headless) Service stem, client Service, port. */
export const POSTGRES = { component: 'postgresqlm8', stem: 'postgresql', client: 'postgresql-service', port: 5432, db: 'cptm8' } as const;
export const MONGODB = { component: 'mongodb', stem: 'mongodb-primary', client: 'mongodb-primary-service', port: 27017, user: 'cptm8', db: 'cptm8' } as const;
export const RABBITMQ = { component: 'rabbitmq', stem: 'rabbitmq', client: 'rabbitmq-service', port: 5672, managementPort: 15672, user: 'cptm8' } as const;
export const OPENSEARCH = { component: 'opensearch', stem: 'opensearch', client: 'opensearch-service', port: 9200, transportPort: 9300, replicas: 3, cluster: 'cptm8-cluster' } as const;

/** Plain (non-selector) labels: `app` keeps the seed's `kubectl -l app=asmm8` runbook working, `tier` drives NetworkPolicies. */
export type Tier = 'application' | 'frontend' | 'database' | 'logging' | 'ops';
export const plainLabels = (app: string, tier: Tier): Record<string, string> => ({ app, tier });

/**
 * UID of first-party images: the seed's init container chowns the config copy to 10001:10001,
 * which only makes sense if the app runs as 10001 (README D9).
 */
export const APP_UID = 10001;

/** Non-root pod security context for an image user (databases use their image's own uid); volumes are chowned on every start. */
export const runAs = (uid: number): Record<string, unknown> => nonRootPod(uid, { fsGroupChangePolicy: false });

/**
 * Namespace of the ingress controller NetworkPolicies admit traffic from (assumed name, README D39).
 * The cluster's Prometheus is @gitops/environments' MONITORING.
 */
export const INGRESS_CONTROLLER_NAMESPACE = INGRESS_NGINX.namespace;
