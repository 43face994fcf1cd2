/**
 * MS5.0 Floor Dashboard on AKS (seed 002_9a4f1ea84f0238fc, Phase 2): one app,
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
import { IMAGES, namespaceFor } from './constants';
import { ingress } from './ingress';
import { KEYVAULT_ENVS, SYNC_REPLICAS, SYNC_RESOURCES, keyVaultFeature } from './keyvault';
import { MESH_ENVS, MESH_REVISION, SIDECAR_RESOURCES, meshFeature } from './mesh';
import { networkPolicies } from './network-policies';
import { quotaObjects } from './quota';
import { rbac, serviceAccounts } from './rbac';
import { secretDecls } from './secrets';
import { PREMIUM_FILES, PREMIUM_SSD } from './sizing';
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

const NAMESPACE_LABELS = { 'app.kubernetes.io/name': 'ms5' };

/**
 * The generated wait-for init containers pull the ACR-mirrored busybox, like every other image
 * (decision 3). Core takes one helper image for all environments, so the mirror's tag must be the
 * same in every environment of releases.yaml.
 */
export function helperImage(): string {
  const tags = [...new Set(Object.values(releases[IMAGES.busybox] ?? {}))];
  if (tags.length !== 1) throw new Error(`ms5: ${IMAGES.busybox} is the helper image and needs one tag in every environment (releases.yaml has ${tags.join(', ') || 'none'})`);
  return `${IMAGES.busybox}:${tags[0]}`;
}

export const app: AppSpec = {
  name: 'ms5',
  description: 'MS5.0 Floor Dashboard: FastAPI + Celery on PostgreSQL/TimescaleDB, Redis, MinIO, with Prometheus/Grafana/Alertmanager',
  namespace: { default: namespaceFor('dev'), staging: namespaceFor('staging'), prod: namespaceFor('prod') },
  // Sidecar injection (istio.io/rev) only where the Istio Component is enabled (decision 24).
  namespaceLabels: {
    default: NAMESPACE_LABELS,
    ...Object.fromEntries(MESH_ENVS.map((env) => [env, { ...NAMESPACE_LABELS, 'istio.io/rev': MESH_REVISION }])),
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
  helperImage: helperImage(),
  // AKS classes the shared (AWS) environment definitions do not name (README decision 7).
  storageClasses: { staging: [PREMIUM_SSD, PREMIUM_FILES], prod: [PREMIUM_SSD, PREMIUM_FILES] },
  apps: [app],
};
