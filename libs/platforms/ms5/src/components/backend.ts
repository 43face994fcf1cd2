/**
 * FastAPI backend (seed): Deployment on the compute pool behind the Ingress, HPA on CPU
 * and memory (staging 2-4, prod 3-10), logs and uploads volumes.
 * - uploads: one ReadWriteMany Azure Files share shared with the Celery workers (every replica and
 *   worker sees every upload); per-pod disks would split uploads across replicas.
 * - logs: an emptyDir. stdout is collected by Container Insights (seed); a persistent log
 *   volume per autoscaled replica would be orphaned on every scale-down.
 * WebSockets: long-lived connections are spread by the Ingress; fan-out between replicas goes
 * through Redis pub/sub in the application (README "App contract"), so no session affinity.
 */
import type { ComponentSpec, EnvName, SharedVolumeSpec } from '@gitops/core';
import { APP_PATHS, appConfig, appEnvFrom, appSecretEnv } from '../app-config';
import { IMAGES, PORTS } from '../constants';
import { placement } from '../node-pools';
import { UID, scratch } from '../security';
import { checksumAnnotation, perEnv } from '../settings';
import { PREMIUM_FILES, SEED, seedResources, STORAGE } from '../sizing';
import { workloadBase } from './common';

export const UPLOADS_CLAIM = 'uploads';

/** ReadWriteMany uploads share (Azure Files Premium on AKS; local-path RWO on the one-node dev cluster). */
export const uploadsVolume: SharedVolumeSpec = {
  name: UPLOADS_CLAIM,
  storage: 'shared',
  size: STORAGE.uploads.prod,
  accessModes: ['ReadWriteMany'],
  settings: {
    dev: { size: STORAGE.uploads.dev, accessModes: ['ReadWriteOnce'] },
    staging: { size: STORAGE.uploads.staging, storageClass: PREMIUM_FILES },
    prod: { size: STORAGE.uploads.prod, storageClass: PREMIUM_FILES },
  },
};

/** Volumes of every process of the backend image. */
export function appVolumes(opts: { uploads: boolean }) {
  return [
    scratch('tmp', APP_PATHS.tmp, '512Mi'),
    scratch('metrics', APP_PATHS.metrics, '64Mi'),
    scratch('logs', APP_PATHS.logs, '1Gi'),
    ...(opts.uploads ? [{ name: 'uploads', source: { claim: UPLOADS_CLAIM }, mounts: [{ mountPath: APP_PATHS.uploads }] }] : []),
  ];
}

/** HPA shape shared by backend and workers: scale up at once (the < 30 s scaling SLO), down slowly. */
export function hpaBehavior(maxPodsPerStep: number) {
  return {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Percent', value: 100, periodSeconds: 15 },
        { type: 'Pods', value: maxPodsPerStep, periodSeconds: 15 },
      ],
    },
    scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
  };
}

export const BACKEND_HPA: Record<Exclude<EnvName, 'dev'>, { min: number; max: number }> = {
  staging: { min: 2, max: 4 },
  prod: { min: 3, max: 10 },
};

export const backend: ComponentSpec = {
  name: 'backend',
  kind: 'Deployment',
  description: 'FastAPI application server (REST + WebSocket)',
  image: IMAGES.backend,
  ...workloadBase('backend', UID.backend),
  ports: [{ name: 'http', containerPort: PORTS.backend }],
  envFrom: appEnvFrom,
  env: appSecretEnv,
  probes: {
    startup: { http: { path: '/health/live', port: 'http' }, periodSeconds: 5, failureThreshold: 24 },
    // Liveness checks the process only; readiness also checks PostgreSQL, Redis and MinIO.
    liveness: { http: { path: '/health/live', port: 'http' }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
    readiness: { http: { path: '/health/ready', port: 'http' }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
  },
  volumes: appVolumes({ uploads: true }),
  dependsOn: ['postgres', 'redis-sentinel', 'minio'],
  // Wait-for init containers on the ACR busybox (platform helperImage, decision 28).
  waitForDependencies: true,
  // Never below the desired count during a rollout; WebSocket clients get 60 s to reconnect elsewhere.
  strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
  terminationGracePeriodSeconds: 60,
  settings: perEnv((env) => ({
    resources: seedResources(SEED.backend, env),
    ...placement('compute', env),
    podAnnotations: checksumAnnotation([appConfig], env),
    ...(env === 'dev'
      ? { replicas: 1 }
      : {
          autoscaling: { ...BACKEND_HPA[env], cpu: 70, memory: 80, behavior: hpaBehavior(env === 'prod' ? 4 : 2) },
          disruptionBudget: { minAvailable: env === 'prod' ? 2 : 1 },
          spread: 'zone' as const,
        }),
  })),
};
