/**
 * PVCs shared between workloads (seed values `persistence.*`). Per-replica data
 * (PostgreSQL, OpenLDAP, Redis) uses StatefulSet volumeClaimTemplates instead (components/).
 *
 * Claims mounted by more than one pod are ReadWriteMany on the `shared` class (EFS) in staging
 * and prod; dev's single-node local-path class only offers ReadWriteOnce, which every pod on
 * that one node can still mount (decision 22).
 */
import type { SharedVolumeSpec } from '@gitops/core';

const DEV_RWO = { storage: 'standard', accessModes: ['ReadWriteOnce'] } as const;

export const volumes: SharedVolumeSpec[] = [
  {
    // backup-worker (/backups) and the postgres-backup CronJob (/backup); seed says "PVC or NFS mount".
    name: 'backups-pvc',
    size: '100Gi',
    storage: 'shared',
    accessModes: ['ReadWriteMany'],
    settings: { dev: { ...DEV_RWO, accessModes: [...DEV_RWO.accessModes], size: '5Gi' }, staging: { size: '50Gi' } },
  },
  {
    // snapshot-worker compliance reports (/mnt/reports), single writer.
    name: 'reports-pvc',
    size: '20Gi',
    storage: 'standard',
    accessModes: ['ReadWriteOnce'],
    settings: { dev: { size: '2Gi' }, staging: { size: '10Gi' } },
  },
  {
    // snapshot-worker and notification-worker both write /app/logs (seed).
    name: 'app-logs-pvc',
    size: '10Gi',
    storage: 'shared',
    accessModes: ['ReadWriteMany'],
    settings: { dev: { ...DEV_RWO, accessModes: [...DEV_RWO.accessModes], size: '1Gi' }, staging: { size: '5Gi' } },
  },
];
