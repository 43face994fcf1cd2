/** Names every module shares: registry, images, namespace, ports, the pull secret. */
import { platformLabels, type EnvName } from '@gitops/core';

/** Phase-1 Azure Container Registry (seed); every image comes from here. */
/** Labels every MS5 object built outside the component model carries. */
export const PLATFORM_LABELS = platformLabels('ms5');

export const REGISTRY = 'ms5acrprod.azurecr.io';

/** Image repositories (tags per environment live in ../releases.yaml). */
export const IMAGES = {
  backend: `${REGISTRY}/ms5-backend`,
  postgres: `${REGISTRY}/ms5-postgres`,
  redis: `${REGISTRY}/ms5-redis`,
  prometheus: `${REGISTRY}/ms5-prometheus`,
  grafana: `${REGISTRY}/ms5-grafana`,
  minio: `${REGISTRY}/mirror/minio`,
  alertmanager: `${REGISTRY}/mirror/alertmanager`,
  postgresExporter: `${REGISTRY}/mirror/postgres-exporter`,
  redisExporter: `${REGISTRY}/mirror/redis-exporter`,
  busybox: `${REGISTRY}/mirror/busybox`,
} as const;

/** dockerconfigjson Secret for the ACR, referenced by every pod. */
export const PULL_SECRET = 'acr-pull';

/** One namespace per environment (each environment is its own AKS cluster; the suffix makes kubectl mistakes visible). */
export function namespaceFor(env: EnvName | string): string {
  return `ms5-${env}`;
}

/** Well-known default ports of each image. */
export const PORTS = {
  backend: 8000,
  postgres: 5432,
  redis: 6379,
  sentinel: 26379,
  minio: 9000,
  minioConsole: 9001,
  flower: 5555,
  prometheus: 9090,
  grafana: 3000,
  alertmanager: 9093,
  alertmanagerMesh: 9094,
  postgresExporter: 9187,
  redisExporter: 9121,
} as const;

/** Redis Sentinel master set name, shared by Redis, the Sentinels and every client. */
export const REDIS_MASTER_SET = 'ms5';

/** Database and role names created on first boot (see components/postgres.ts). */
export const DB = { name: 'ms5', appUser: 'ms5', exporterUser: 'postgres_exporter' } as const;

/** Public host names behind the single Ingress. */
export function hosts(baseDomain: string) {
  return {
    app: `ms5.${baseDomain}`,
    grafana: `grafana.ms5.${baseDomain}`,
    flower: `flower.ms5.${baseDomain}`,
  };
}
