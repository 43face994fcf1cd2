/**
 * PostgreSQL (seed, values resources.postgres, persistence.postgres; PDB).
 * Headless `postgres-headless` governs the StatefulSet; every client uses the ClusterIP `postgres`
 * (decision 5).
 */
import { nonRootPod, scratchVolume, type ComponentSpec } from '@gitops/core';
import { PORTS } from '../constants';

/** The seed's `postgres-pdb`, staging and prod (decision 18). */
const PDB = { name: 'postgres-pdb', minAvailable: 1 };

const isReady = ['/bin/sh', '-c', 'pg_isready -U "$POSTGRES_USER" -d "$POSTGRES_DB" -h 127.0.0.1'];

export const postgres: ComponentSpec = {
  name: 'postgres',
  kind: 'StatefulSet',
  description: 'Primary database (single primary; HA replication is not specified by the seed)',
  image: 'postgres',
  tag: '16-alpine',
  labels: { app: 'postgres' },
  service: { headless: true },
  ports: [{ name: 'postgres', containerPort: PORTS.postgres }],
  env: [
    { name: 'POSTGRES_USER', secret: 'db-credentials', key: 'POSTGRES_USER' },
    { name: 'POSTGRES_PASSWORD', secret: 'db-credentials', key: 'POSTGRES_PASSWORD' },
    { name: 'POSTGRES_DB', configMap: 'db-config', key: 'POSTGRES_DB' },
    { name: 'POSTGRES_INITDB_ARGS', configMap: 'db-config', key: 'POSTGRES_INITDB_ARGS' },
    // A sub-directory of the volume, so initdb never meets lost+found and no chmod init container is needed (decision 17).
    { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
  ],
  probes: {
    liveness: { exec: isReady, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5 },
    readiness: { exec: isReady, initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 5 },
  },
  // postgres:16-alpine runs as postgres = UID/GID 70 (the seed's 999 is the Debian image's UID; decision 17).
  podSecurityContext: nonRootPod(70, { fsGroupChangePolicy: false }),
  terminationGracePeriodSeconds: 60,
  volumes: [
    { name: 'postgres-data', source: { persistent: { size: '500Gi', storage: 'fast' } }, mounts: [{ mountPath: '/var/lib/postgresql/data' }] },
    { name: 'init-scripts', source: { configMap: 'db-init-scripts' }, mounts: [{ mountPath: '/docker-entrypoint-initdb.d', readOnly: true }] },
    // Unix socket + lock file and scratch space under a read-only root file system.
    scratchVolume('run', '/var/run/postgresql'),
    scratchVolume('tmp', '/tmp', { sizeLimit: '256Mi' }),
  ],
  settings: {
    default: {
      replicas: 1,
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2000m', memory: '2Gi' } },
    },
    dev: {
      resources: { requests: { cpu: '250m', memory: '256Mi' } },
      storage: { 'postgres-data': { size: '10Gi' } },
    },
    // "Database (min 1 primary)": with one replica this blocks voluntary eviction on purpose (decision 18).
    staging: { storage: { 'postgres-data': { size: '100Gi' } }, disruptionBudget: PDB },
    prod: { disruptionBudget: PDB },
  },
};
