/**
 * Celery worker, Celery beat and Flower (seed). The seed names no image for them; they
 * run the ms5-backend image (the Celery app lives in backend/app/celery.py, seed), with the
 * same settings contract as the API.
 */
import { suppress, type ComponentSpec, type EnvName } from '@gitops/core';
import { appConfig, appEnvFrom, appSecretEnv } from '../app-config';
import { IMAGES, PORTS } from '../constants';
import { placement } from '../node-pools';
import { SECRETS, fromSecret } from '../secrets';
import { UID, scratch } from '../security';
import { checksumAnnotation, perEnv } from '../settings';
import { SEED, seedResources } from '../sizing';
import { appVolumes, hpaBehavior } from './backend';
import { shell, workloadBase } from './common';

const CELERY_APP = 'app.celery';

export const WORKER_HPA: Record<Exclude<EnvName, 'dev'>, { min: number; max: number }> = {
  staging: { min: 2, max: 4 },
  prod: { min: 2, max: 8 },
};

/** `celery inspect ping` against this worker only: proves the worker consumes from the broker. */
const workerPing = shell(`celery -A ${CELERY_APP} inspect ping --destination "celery@$HOSTNAME" --timeout 10`);

/**
 * Worker: HPA on CPU (README decision 13). Queue-length scaling needs an external-metrics adapter
 * (KEDA or prometheus-adapter) that neither the seed's clusters nor the model provide.
 */
export const celeryWorker: ComponentSpec = {
  name: 'celery-worker',
  kind: 'Deployment',
  description: 'Celery worker: background tasks (reports, imports, notifications)',
  image: IMAGES.backend,
  ...workloadBase('celery-worker', UID.backend),
  command: ['celery', '-A', CELERY_APP, 'worker', '--loglevel=INFO', '--concurrency=$(CELERY_CONCURRENCY)', '--max-tasks-per-child=200', '--events'],
  envFrom: appEnvFrom,
  env: appSecretEnv,
  probes: {
    // Each probe starts a Python process, so they are spaced out and given time.
    startup: { ...workerPing, periodSeconds: 15, timeoutSeconds: 30, failureThreshold: 20 },
    liveness: { ...workerPing, periodSeconds: 60, timeoutSeconds: 30, failureThreshold: 3 },
    readiness: { ...workerPing, periodSeconds: 30, timeoutSeconds: 30, failureThreshold: 3 },
  },
  volumes: appVolumes({ uploads: true }),
  dependsOn: ['postgres', 'redis-sentinel', 'minio'],
  // Wait-for init containers on the ACR busybox (platform helperImage, decision 28).
  waitForDependencies: true,
  // Warm shutdown: SIGTERM stops consuming and lets running tasks finish.
  terminationGracePeriodSeconds: 120,
  settings: perEnv((env) => ({
    resources: seedResources(SEED.celeryWorker, env),
    ...placement('compute', env),
    podAnnotations: checksumAnnotation([appConfig], env),
    ...(env === 'dev'
      ? { replicas: 1 }
      : {
          autoscaling: { ...WORKER_HPA[env], cpu: 70, behavior: hpaBehavior(2) },
          disruptionBudget: { minAvailable: 1 },
          spread: 'node' as const,
        }),
  })),
};

const BEAT_DIR = '/var/run/celery-beat';

/**
 * Beat: exactly one replica in every environment, never more (seed): two schedulers would
 * enqueue every periodic task twice. No HPA, no PDB, and `Recreate` so a rollout stops the old
 * scheduler before the new one starts. Liveness: the schedule file is written at least every
 * sync interval (3 min) plus the longest loop (5 min); 15 min without a write means a hung beat.
 */
export const celeryBeat: ComponentSpec = {
  name: 'celery-beat',
  kind: 'Deployment',
  description: 'Celery beat: the single periodic-task scheduler',
  image: IMAGES.backend,
  ...workloadBase('celery-beat', UID.backend),
  command: [
    'celery', '-A', CELERY_APP, 'beat', '--loglevel=INFO',
    `--schedule=${BEAT_DIR}/celerybeat-schedule`, `--pidfile=${BEAT_DIR}/celerybeat.pid`,
  ],
  envFrom: appEnvFrom,
  env: appSecretEnv,
  probes: {
    liveness: {
      exec: ['python', '-c', `import glob,os,sys,time; sys.exit(0 if any(time.time()-os.path.getmtime(p)<900 for p in glob.glob('${BEAT_DIR}/celerybeat-schedule*')) else 1)`],
      initialDelaySeconds: 60, periodSeconds: 60, timeoutSeconds: 10, failureThreshold: 3,
    },
    readiness: { exec: ['python', '-c', `import glob,sys; sys.exit(0 if glob.glob('${BEAT_DIR}/celerybeat-schedule*') else 1)`], periodSeconds: 30, timeoutSeconds: 10, failureThreshold: 3 },
  },
  volumes: [...appVolumes({ uploads: false }), scratch('beat', BEAT_DIR, '64Mi')],
  dependsOn: ['redis-sentinel'],
  // Wait-for init containers on the ACR busybox (platform helperImage, decision 28).
  waitForDependencies: true,
  strategy: { type: 'Recreate' },
  annotations: suppress({
    'ha-replicas': 'Celery beat is the singleton scheduler (seed), a second replica would enqueue every periodic task twice',
    'ha-pdb': 'one replica by design, so a PDB could only block node drains or protect nothing',
  }),
  settings: perEnv((env) => ({
    replicas: 1,
    resources: seedResources(SEED.celeryBeat, env),
    ...placement('compute', env),
    podAnnotations: checksumAnnotation([appConfig], env),
  })),
};

/** Flower: one replica (seed) on the spot pool, reached through the Ingress with Flower's own basic auth. */
export const flower: ComponentSpec = {
  name: 'flower',
  kind: 'Deployment',
  description: 'Flower: Celery monitoring UI and Celery metrics for Prometheus',
  image: IMAGES.backend,
  ...workloadBase('flower', UID.backend),
  command: ['celery', '-A', CELERY_APP, 'flower', `--port=${PORTS.flower}`, '--address=0.0.0.0', '--persistent=False', '--purge_offline_workers=300'],
  ports: [{ name: 'http', containerPort: PORTS.flower }],
  envFrom: appEnvFrom,
  env: [...appSecretEnv, fromSecret('FLOWER_PASSWORD', SECRETS.flower), { name: 'FLOWER_BASIC_AUTH', value: 'admin:$(FLOWER_PASSWORD)' }],
  probes: {
    liveness: { http: { path: '/healthcheck', port: 'http' }, initialDelaySeconds: 20, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
    readiness: { http: { path: '/healthcheck', port: 'http' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  },
  volumes: appVolumes({ uploads: false }),
  dependsOn: ['redis-sentinel'],
  // Wait-for init containers on the ACR busybox (platform helperImage, decision 28).
  waitForDependencies: true,
  annotations: suppress({
    'ha-replicas': 'Flower is a single-replica monitoring UI (seed) that rebuilds its state from Celery events',
    'ha-pdb': 'it runs on spot nodes, whose evictions ignore PodDisruptionBudgets, and one replica cannot keep one available',
  }),
  settings: perEnv((env) => ({
    replicas: 1,
    resources: seedResources(SEED.flower, env),
    ...placement('spot', env),
    podAnnotations: checksumAnnotation([appConfig], env),
  })),
};
