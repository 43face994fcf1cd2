/**
 * MS5.0 Floor Dashboard on AKS (seed shared/seeds/002_9a4f1ea84f0238fc.txt, Phase 2): one app,
 * one namespace per environment, every service of the seed's list (the Nginx reverse proxy is the
 * cluster Ingress), plus the pieces that make them operable: Sentinels, exporters, bucket setup,
 * NetworkPolicies, RBAC, quota, SLO rules, and the optional Key Vault and Istio Components.
 * Decisions are numbered in ../README.md.
 */
import { fileURLToPath } from 'node:url';
import { loadReleases, type AppSpec, type CompileContext, type EnvName, type KubeObject, type PlatformSpec, type TypedObject } from '@gitops/core';
import { appConfig } from './app-config';
import { backend, uploadsVolume } from './components/backend';
import { celeryBeat, celeryWorker, flower } from './components/celery';
import { minio, minioSetup, minioSetupConfig } from './components/minio';
import {
  alertmanager,
  alertmanagerConfigMap,
  grafana,
  grafanaConfigMaps,
  postgresExporter,
  prometheus,
  prometheusConfigMap,
  redisExporter,
} from './components/monitoring';
import { postgres, postgresConfig } from './components/postgres';
import { redis, redisConfig, redisSentinel } from './components/redis';
import { namespaceFor } from './constants';
import { ingress } from './ingress';
import { KEYVAULT_ENVS, SYNC_REPLICAS, SYNC_RESOURCES, keyVaultFeature } from './keyvault';
import { MESH_ENVS, MESH_REVISION, SIDECAR_RESOURCES, meshFeature } from './mesh';
import { networkPolicies } from './network-policies';
import { quotaObjects } from './quota';
import { rbac, serviceAccounts } from './rbac';
import { secretDecls } from './secrets';
import { prometheusRule } from './slo';

const releases = loadReleases(fileURLToPath(new URL('../releases.yaml', import.meta.url)));

export const components = [
  postgres,
  redis,
  redisSentinel,
  minio,
  minioSetup,
  backend,
  celeryWorker,
  celeryBeat,
  flower,
  prometheus,
  grafana,
  alertmanager,
  postgresExporter,
  redisExporter,
];

/** Everything the model has no word for, per environment. */
function extraObjects(ctx: CompileContext): Array<KubeObject | TypedObject> {
  const env = ctx.env.name as EnvName;
  const featurePods = KEYVAULT_ENVS.includes(env) ? [{ pods: SYNC_REPLICAS + 1, resources: SYNC_RESOURCES }] : [];
  return [
    ...serviceAccounts(components.map((c) => c.name)),
    ...rbac(ctx),
    ...networkPolicies(),
    ingress(ctx),
    prometheusRule(),
    ...quotaObjects(ctx.app, env, featurePods, MESH_ENVS.includes(env) ? SIDECAR_RESOURCES : undefined),
  ];
}

export const app: AppSpec = {
  name: 'ms5',
  description: 'MS5.0 Floor Dashboard: FastAPI + Celery on PostgreSQL/TimescaleDB, Redis, MinIO, with Prometheus/Grafana/Alertmanager',
  namespace: { default: namespaceFor('dev'), staging: namespaceFor('staging'), prod: namespaceFor('prod') },
  namespaceLabels: {
    'app.kubernetes.io/name': 'ms5',
    // Sidecar injection where a revision tag of this name exists (staging; see mesh.ts).
    'istio.io/rev': MESH_REVISION,
  },
  configMaps: [appConfig, postgresConfig, redisConfig, minioSetupConfig, prometheusConfigMap, ...grafanaConfigMaps, alertmanagerConfigMap],
  secrets: secretDecls,
  volumes: [uploadsVolume],
  components,
  features: [keyVaultFeature, meshFeature],
  objects: extraObjects,
};

export const platform: PlatformSpec = {
  name: 'ms5',
  description: 'MS5.0 Floor Dashboard on Azure AKS (Phase 2: Kubernetes manifests)',
  team: 'ms5',
  releases,
  apps: [app],
};
