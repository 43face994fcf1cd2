/**
 * PostgreSQL `postgresqlm8` (seed): StatefulSet governed by `postgresql-headless`,
 * apps connect through `postgresql-service` (services.ts). One volumeClaimTemplate `data`; the
 * seed's second definition (static hostPath PV + unused `postgresql-pvc`) is dropped (README D5).
 */
import type { ComponentSpec } from '@gitops/core';
import { IMAGES, plainLabels, POSTGRES, runAs } from '../constants';
import { SECRETS } from '../secrets';
import { datastoreSettings } from '../profiles';
import { tmpVolume } from './common';

/** UID/GID of the `postgres` user in the alpine image. */
const POSTGRES_UID = 70;
const pgIsReady = ['sh', '-c', 'pg_isready -U postgres'];

export const postgresql: ComponentSpec = {
  name: POSTGRES.component,
  kind: 'StatefulSet',
  description: 'PostgreSQL 16 (single primary)',
  ...IMAGES.postgres,
  ports: [{ name: 'postgresql', containerPort: POSTGRES.port }],
  env: [
    { name: 'POSTGRES_PASSWORD', secret: SECRETS.postgres.name, key: SECRETS.postgres.password },
    { name: 'POSTGRES_DB', value: POSTGRES.db },
    // A sub-directory: cloud volumes carry lost+found at their root, which initdb refuses.
    { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
  ],
  probes: {
    liveness: { exec: pgIsReady, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5 },
    readiness: { exec: pgIsReady, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5 },
  },
  // Core names the governing Service `<name>-headless`; the client Service comes from services.ts.
  service: { name: POSTGRES.stem, client: false },
  podSecurityContext: runAs(POSTGRES_UID),
  labels: plainLabels(POSTGRES.component, 'database'),
  volumes: [
    { name: 'data', source: { persistent: { size: '2Gi', accessModes: ['ReadWriteOnce'] } }, mounts: [{ mountPath: '/var/lib/postgresql/data' }] },
    // Unix socket and lock files: writable with a read-only root file system.
    tmpVolume('/var/run/postgresql', 'run'),
    tmpVolume(),
  ],
  settings: datastoreSettings('data', { dev: '2Gi', staging: '10Gi', prod: '20Gi' }),
};
