/**
 * The application ConfigMap (seed, settings from config.py, database connection
 * parameters, monitoring configuration, feature flags) and the environment every process of the
 * ms5-backend image gets. Backend, Celery worker, Celery beat and Flower all import the same
 * Python settings module, so they share one contract (README "App contract").
 */
import type { ConfigMapSpec, EnvFromSpec, EnvName, EnvVarSpec } from '@gitops/core';
import { DB, PORTS, REDIS_MASTER_SET, hosts } from './constants';
import { SECRETS, fromSecret } from './secrets';

export const APP_CONFIG = 'ms5-config';

/** Where the backend image writes: read-only root, these are volumes. */
export const APP_PATHS = {
  logs: '/var/log/ms5',
  uploads: '/var/lib/ms5/uploads',
  metrics: '/var/run/prometheus-multiproc',
  tmp: '/tmp',
} as const;

const perEnvValue = <T>(env: string, v: Record<EnvName, T>): T => v[env as EnvName] ?? v.dev;

export const appConfig: ConfigMapSpec = {
  name: APP_CONFIG,
  data: (env) => ({
    ENVIRONMENT: env.name,
    LOG_LEVEL: perEnvValue(env.name, { dev: 'DEBUG', staging: 'INFO', prod: 'INFO' }),
    LOG_DIR: APP_PATHS.logs,
    UPLOAD_DIR: APP_PATHS.uploads,
    PUBLIC_URL: `https://${hosts(env.baseDomain).app}`,
    CORS_ORIGINS: `https://${hosts(env.baseDomain).app}`,
    // Uvicorn worker processes per pod: ~1 per requested core plus one (limit 2 cores).
    WEB_CONCURRENCY: perEnvValue(env.name, { dev: '1', staging: '3', prod: '3' }),
    // Database connection parameters (password from the Secret).
    DATABASE_HOST: 'postgres',
    DATABASE_PORT: String(PORTS.postgres),
    DATABASE_NAME: DB.name,
    DATABASE_USER: DB.appUser,
    DATABASE_POOL_SIZE: perEnvValue(env.name, { dev: '5', staging: '10', prod: '10' }),
    // Redis through Sentinel (README decision 11): clients ask the Sentinels for the master.
    REDIS_SENTINELS: `redis-sentinel:${PORTS.sentinel}`,
    REDIS_MASTER_SET,
    REDIS_CACHE_DB: '2',
    CELERY_BROKER_URL: `sentinel://redis-sentinel:${PORTS.sentinel}/0`,
    CELERY_RESULT_BACKEND: `sentinel://redis-sentinel:${PORTS.sentinel}/1`,
    CELERY_CONCURRENCY: perEnvValue(env.name, { dev: '1', staging: '2', prod: '2' }),
    // Object storage.
    MINIO_ENDPOINT: `minio:${PORTS.minio}`,
    MINIO_SECURE: 'false',
    MINIO_BUCKET_UPLOADS: 'uploads',
    MINIO_BUCKET_REPORTS: 'reports',
    // Monitoring: /metrics with gunicorn multi-process collection.
    METRICS_ENABLED: 'true',
    PROMETHEUS_MULTIPROC_DIR: APP_PATHS.metrics,
    // Feature flags.
    FEATURE_WEBSOCKETS: 'true',
    FEATURE_API_DOCS: perEnvValue(env.name, { dev: 'true', staging: 'true', prod: 'false' }),
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
  }),
};

export const appEnvFrom: EnvFromSpec[] = [{ configMap: APP_CONFIG }];

/** Secret environment of the ms5-backend image (same for every process of it). */
export const appSecretEnv: EnvVarSpec[] = [
  fromSecret('DATABASE_PASSWORD', SECRETS.postgres, 'APP_DB_PASSWORD'),
  fromSecret('REDIS_PASSWORD', SECRETS.redis),
  fromSecret('JWT_SECRET_KEY', SECRETS.backend),
  fromSecret('API_KEY', SECRETS.backend),
  fromSecret('APPLICATIONINSIGHTS_CONNECTION_STRING', SECRETS.backend),
  fromSecret('MINIO_ACCESS_KEY', SECRETS.minio),
  fromSecret('MINIO_SECRET_KEY', SECRETS.minio),
];
