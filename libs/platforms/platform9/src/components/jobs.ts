/**
 * Run-to-completion work: the schema migration (one place only: an Argo CD PreSync hook) and the
 * host scripts and database backup as CronJobs (seed).
 * Schedules are UTC: the model has no CronJob timeZone field (decision 31).
 */
import type { ComponentSpec, Resources } from '@gitops/core';
import { IMAGES, SA } from '../constants';
import { BACKUP, apiConfig } from '../config';
import { dbCredentialsAs } from './api';
import { PF9_POD_SECURITY, tmpVolume } from './security';

const small: Resources = { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } };

const jobDefaults = {
  podSecurityContext: PF9_POD_SECURITY,
} as const;

/**
 * Runs before every sync so new code never meets an old schema. On the very first sync the hook
 * runs before anything else exists: the Service lookup then fails with NXDOMAIN and the Job exits 0,
 * leaving the first schema to db-init-scripts. Any other lookup failure fails the hook (decision 9).
 */
const MIGRATE = `set -eu
rc=0
python -c '
import socket, sys
try:
    socket.getaddrinfo(sys.argv[1], None)
except socket.gaierror as e:
    sys.exit(3 if e.errno == socket.EAI_NONAME else 1)
' "$PF9_DB_HOST" || rc=$?
case "$rc" in
  0) exec python db_migration.py ;;
  3) echo "Service $PF9_DB_HOST does not exist yet (first install): db-init-scripts creates the schema; nothing to migrate"; exit 0 ;;
  *) echo "cannot resolve $PF9_DB_HOST (rc=$rc)"; exit 1 ;;
esac
`;

export const dbMigration: ComponentSpec = {
  name: 'db-migration',
  kind: 'Job',
  hook: 'PreSync',
  description: 'python db_migration.py with the API image, before each sync (replaces the seed API init container db-migrate)',
  image: IMAGES.api,
  labels: { app: 'db-migration', 'job-type': 'db-migration' },
  // No serviceAccount: a PreSync hook runs before pf9-jobs exists on the first sync; `default` always exists.
  command: ['/bin/sh', '-c', MIGRATE],
  // The seed's envFrom api-config + db-credentials, key by key and optional: on the first sync the hook
  // runs before the ConfigMap and Secret exist. PF9_DB_HOST is a literal so the lookup below always has a name.
  env: [
    ...Object.keys(apiConfig)
      .filter((k) => k !== 'PF9_DB_HOST')
      .map((k) => ({ name: k, configMap: 'api-config', key: k, optional: true })),
    { name: 'PF9_DB_HOST', value: apiConfig.PF9_DB_HOST },
    { name: 'POSTGRES_USER', secret: 'db-credentials', key: 'POSTGRES_USER', optional: true },
    { name: 'POSTGRES_PASSWORD', secret: 'db-credentials', key: 'POSTGRES_PASSWORD', optional: true },
    ...dbCredentialsAs('PF9_DB', true),
  ],
  backoffLimit: 3,
  restartPolicy: 'Never',
  ...jobDefaults,
  volumes: [tmpVolume()],
  settings: { default: { resources: small } },
};

const cronJob = (c: Omit<ComponentSpec, 'kind' | 'settings' | 'labels'> & { resources?: Resources }): ComponentSpec => {
  const { resources, ...rest } = c;
  return {
    kind: 'CronJob',
    serviceAccount: SA.jobs,
    ...jobDefaults,
    ...rest,
    labels: { app: c.name },
    volumes: [tmpVolume(), ...(c.volumes ?? [])],
    settings: { default: { resources: resources ?? small } },
  };
};

/** pg_dump to the backups volume, copy off-site, prune both copies (the seed script fixed, decision 30). */
const BACKUP_SCRIPT = `set -euo pipefail
stamp=$(date -u +%Y%m%d-%H%M%S)
file="/backup/pf9-backup-\${stamp}.sql.gz"
export PGPASSWORD="$POSTGRES_PASSWORD"
pg_dump -h "$DB_HOST" -p "$DB_PORT" -U "$POSTGRES_USER" -d "$POSTGRES_DB" | gzip > "\${file}.partial"
mv "\${file}.partial" "$file"
aws s3 cp "$file" "\${BACKUP_DESTINATION}$(basename "$file")"
find /backup -maxdepth 1 -name 'pf9-backup-*.sql.gz' -mtime "+\${BACKUP_RETENTION_DAYS}" -delete
cutoff=$(date -u -d "-\${BACKUP_RETENTION_DAYS} days" +%Y%m%d)
keys=$(aws s3 ls "$BACKUP_DESTINATION" | awk '{print $4}' | grep '^pf9-backup-' || true)
for key in $keys; do
  if [[ "\${key:11:8}" < "$cutoff" ]]; then aws s3 rm "\${BACKUP_DESTINATION}\${key}"; fi
done
`;

export const cronJobs: ComponentSpec[] = [
  cronJob({
    name: 'metrics-collection-job',
    description: 'host_metrics_collector.py --once: scrape hypervisor exporters (9388/9177) into redis-cache',
    // Every 5 minutes; the diagram's "every 30 min" is outvoted (decision 28).
    schedule: '*/5 * * * *',
    image: IMAGES.tools,
    command: ['python', 'host_metrics_collector.py', '--once'],
    envFrom: [{ configMap: 'monitoring-config' }, { secret: 'api-secrets' }],
    dependsOn: ['redis-cache'],
    restartPolicy: 'OnFailure',
  }),
  cronJob({
    name: 'snapshot-policy-job',
    description: 'p9_snapshot_policy_assign.py: daily full policy reconciliation (Option A)',
    schedule: '0 1 * * *',
    image: IMAGES.tools,
    command: ['python', 'snapshots/p9_snapshot_policy_assign.py'],
    envFrom: [{ configMap: 'snapshot-config' }, { secret: 'db-credentials' }, { secret: 'api-secrets' }, { secret: 'snapshot-secrets' }],
    env: dbCredentialsAs('PF9_DB'),
    dependsOn: ['postgres'],
  }),
  cronJob({
    name: 'cleanup-job',
    description: 'cleanup_snapshots.py: weekly removal of expired snapshots (Option A)',
    schedule: '0 3 * * 0',
    image: IMAGES.tools,
    command: ['python', 'cleanup_snapshots.py'],
    envFrom: [{ configMap: 'snapshot-config' }, { secret: 'api-secrets' }, { secret: 'snapshot-secrets' }],
  }),
  cronJob({
    name: 'postgres-backup',
    description: 'Daily pg_dump at 02:00 UTC to the backups volume and off-site to object storage',
    schedule: BACKUP.schedule,
    image: IMAGES.backup,
    command: ['/bin/bash', '-c', BACKUP_SCRIPT],
    envFrom: [{ configMap: 'backup-config' }],
    env: [
      { name: 'POSTGRES_USER', secret: 'db-credentials', key: 'POSTGRES_USER' },
      { name: 'POSTGRES_PASSWORD', secret: 'db-credentials', key: 'POSTGRES_PASSWORD' },
      { name: 'POSTGRES_DB', configMap: 'db-config', key: 'POSTGRES_DB' },
      { name: 'AWS_ACCESS_KEY_ID', secret: 'aws-backup-credentials', key: 'access-key' },
      { name: 'AWS_SECRET_ACCESS_KEY', secret: 'aws-backup-credentials', key: 'secret-key' },
      // The aws CLI wants a writable home; the root file system is read-only.
      { name: 'HOME', value: '/tmp' },
    ],
    dependsOn: ['postgres'],
    // Own sub-directory of the volume the backup worker also writes.
    volumes: [{ name: 'backups', source: { claim: 'backups-pvc' }, mounts: [{ mountPath: '/backup', subPath: 'daily-pg-dump' }] }],
    restartPolicy: 'Never',
    backoffLimit: 1,
    resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '4Gi' } },
  }),
];
