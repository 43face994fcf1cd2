/**
 * Long-running workers (seed, values replicaCount/images/resources.*Worker).
 * Each schedules its own work, so it runs as exactly one replica with the Recreate strategy
 * ("Avoid dual-scheduling conflicts"): two pods would run every job twice (decision 21).
 */
import { suppress, type ComponentSpec, type EnvFromSpec, type EnvVarSpec, type Resources, type VolumeSpec } from '@gitops/core';
import { IMAGES, PORTS, SA, SERVICES, svc, type WORKERS } from '../constants';
import { dbCredentialsAs } from './api';
import { PF9_POD_SECURITY, tmpVolume } from './security';

/** Ready once the database answers: the one dependency every worker has (no worker exposes health). */
const dbReachable = [
  'python3',
  '-c',
  `import socket; socket.create_connection(("${svc(SERVICES.postgres)}", ${PORTS.postgres}), 3).close()`,
];

const SINGLETON = suppress({
  'ha-replicas': 'self-scheduling worker: a second replica would run every schedule twice (README decision 21)',
  'ha-pdb': 'single replica with Recreate strategy, a PDB would only block node drains (README decision 21)',
  'probe-liveness': 'the worker exposes no health endpoint or heartbeat, a crash exits and restarts the container (README decision 21)',
});

interface WorkerSpec {
  name: (typeof WORKERS)[number];
  image: string;
  description: string;
  envFrom: EnvFromSpec[];
  env: EnvVarSpec[];
  dependsOn: string[];
  volumes?: VolumeSpec[];
  resources: Resources;
}

function worker(w: WorkerSpec): ComponentSpec {
  return {
    name: w.name,
    kind: 'Deployment',
    description: w.description,
    image: w.image,
    labels: { app: w.name, tier: 'worker' },
    annotations: SINGLETON,
    serviceAccount: SA.app,
    dependsOn: w.dependsOn,
    waitForDependencies: true,
    strategy: { type: 'Recreate' },
    envFrom: w.envFrom,
    env: w.env,
    probes: { readiness: { exec: dbReachable, initialDelaySeconds: 5, periodSeconds: 30, timeoutSeconds: 5 } },
    podSecurityContext: PF9_POD_SECURITY,
    volumes: [tmpVolume(), ...(w.volumes ?? [])],
    settings: { default: { replicas: 1, resources: w.resources } },
  };
}

const large: Resources = { requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '2Gi' } };
const small: Resources = { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } };
const logs: VolumeSpec = { name: 'logs', source: { claim: 'app-logs-pvc' }, mounts: [{ mountPath: '/app/logs' }] };

export const workers: ComponentSpec[] = [
  worker({
    name: 'snapshot-worker',
    image: IMAGES.snapshotWorker,
    description: 'Snapshot policies, auto snapshots, compliance reports, restores, RVTools sync',
    envFrom: [{ configMap: 'snapshot-config' }, { secret: 'db-credentials' }, { secret: 'api-secrets' }, { secret: 'snapshot-secrets' }],
    env: dbCredentialsAs('PF9_DB'),
    dependsOn: ['postgres'],
    volumes: [{ name: 'reports', source: { claim: 'reports-pvc' }, mounts: [{ mountPath: '/mnt/reports' }] }, logs],
    resources: large,
  }),
  worker({
    name: 'backup-worker',
    image: IMAGES.backupWorker,
    description: 'Scheduled pg_dump and LDAP backups to the backups volume, with retention (backup_config table)',
    envFrom: [{ configMap: 'backup-config' }, { secret: 'db-credentials' }, { secret: 'ldap-secrets' }],
    env: dbCredentialsAs('DB'),
    dependsOn: ['postgres', 'openldap'],
    volumes: [{ name: 'backups', source: { claim: 'backups-pvc' }, mounts: [{ mountPath: '/backups' }] }],
    resources: large,
  }),
  worker({
    name: 'metering-worker',
    image: IMAGES.meteringWorker,
    description: 'Collects usage from pf9-monitoring and pf9-api into the metering tables',
    envFrom: [{ configMap: 'metering-config' }, { secret: 'db-credentials' }],
    env: dbCredentialsAs('DB'),
    dependsOn: ['postgres', 'pf9-api', 'pf9-monitoring'],
    resources: small,
  }),
  worker({
    name: 'notification-worker',
    image: IMAGES.notificationWorker,
    description: 'E-mail alerts and daily digests over SMTP (587, STARTTLS)',
    envFrom: [{ configMap: 'notification-config' }, { secret: 'db-credentials' }, { secret: 'smtp-secrets' }],
    env: dbCredentialsAs('PF9_DB'),
    dependsOn: ['postgres'],
    volumes: [logs],
    resources: small,
  }),
];
