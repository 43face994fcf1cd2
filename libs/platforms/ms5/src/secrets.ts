/**
 * Declared Secrets (seed, database, Redis, JWT, API keys, MinIO; plus the pull secret,
 * Grafana, Flower and Alertmanager receivers). Values are created and SOPS-encrypted per
 * environment by the secrets tool; this file only names them. Keys embedded in config files or
 * URLs (Redis, database roles, MinIO keys) are hex so no value ever needs quoting or escaping.
 */
import type { EnvVarSpec, SecretDecl } from '@gitops/core';
import { PULL_SECRET } from './constants';

export const SECRETS = {
  pull: PULL_SECRET,
  postgres: 'postgres-credentials',
  redis: 'redis-credentials',
  backend: 'backend-secrets',
  minio: 'minio-credentials',
  grafana: 'grafana-credentials',
  flower: 'flower-credentials',
  alertmanager: 'alertmanager-receivers',
} as const;

export const secretDecls: SecretDecl[] = [
  {
    name: SECRETS.pull,
    type: 'kubernetes.io/dockerconfigjson',
    description: 'Pull credentials for ms5acrprod.azurecr.io (an ACR token with repository read scope)',
    keys: [{ name: '.dockerconfigjson', description: 'docker config JSON; created with `kubectl create secret docker-registry --dry-run`' }],
  },
  {
    name: SECRETS.postgres,
    description: 'PostgreSQL superuser and the roles created on first boot',
    keys: [
      { name: 'POSTGRES_PASSWORD', generate: { kind: 'password', length: 32 }, description: 'superuser "postgres"' },
      { name: 'APP_DB_PASSWORD', generate: { kind: 'hex', length: 32 }, description: 'application role "ms5"' },
      { name: 'EXPORTER_DB_PASSWORD', generate: { kind: 'hex', length: 32 }, description: 'read-only pg_monitor role for postgres-exporter' },
    ],
  },
  {
    name: SECRETS.redis,
    description: 'Shared by Redis (requirepass/masterauth), the Sentinels and every client',
    keys: [{ name: 'REDIS_PASSWORD', generate: { kind: 'hex', length: 48 } }],
  },
  {
    name: SECRETS.backend,
    description: 'FastAPI application secrets',
    keys: [
      { name: 'JWT_SECRET_KEY', generate: { kind: 'hex', length: 64 } },
      { name: 'API_KEY', generate: { kind: 'hex', length: 32 }, description: 'key for machine clients on the shop floor' },
      { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', description: 'from the Phase-1 Application Insights resource (seed); supplied by ops' },
    ],
  },
  {
    name: SECRETS.minio,
    description: 'MinIO root (setup job only) and the application access key the setup job creates',
    keys: [
      { name: 'MINIO_ROOT_USER', generate: { kind: 'hex', length: 16 } },
      { name: 'MINIO_ROOT_PASSWORD', generate: { kind: 'password', length: 40 } },
      { name: 'MINIO_ACCESS_KEY', generate: { kind: 'hex', length: 20 } },
      { name: 'MINIO_SECRET_KEY', generate: { kind: 'hex', length: 40 } },
    ],
  },
  {
    name: SECRETS.grafana,
    keys: [
      { name: 'GF_SECURITY_ADMIN_PASSWORD', generate: { kind: 'password', length: 32 } },
      { name: 'GF_SECURITY_SECRET_KEY', generate: { kind: 'hex', length: 32 }, description: 'encrypts data source secrets in grafana.db' },
    ],
  },
  {
    name: SECRETS.flower,
    keys: [{ name: 'FLOWER_PASSWORD', generate: { kind: 'password', length: 32 }, description: 'basic auth user "admin"' }],
  },
  {
    name: SECRETS.alertmanager,
    description: 'Notification endpoints; supplied by ops (no generator)',
    keys: [{ name: 'TEAMS_WEBHOOK_URL', description: 'Microsoft Teams incoming webhook for the MS5 on-call channel' }],
  },
];

/** Environment variable from a declared secret key. */
export function fromSecret(name: string, secret: string, key: string = name): EnvVarSpec {
  return { name, secret, key };
}
