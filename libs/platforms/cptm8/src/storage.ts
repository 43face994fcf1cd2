/**
 * Shared log volumes: each Go service writes to `<svc>-logs-pvc`, Vector mounts all of them
 * read-only (seed). Storage role `shared` maps to EFS in the cloud (README D18).
 */
import type { SharedVolumeSpec } from '@gitops/core';
import { GO_SERVICES, type GoService } from './constants';

export const logClaim = (svc: GoService): string => `${svc}-logs-pvc`;
/** One volume name in both pods (the seed used `logs` in one place and `asmm8-logs` in another). */
export const logVolume = (svc: GoService): string => `${svc}-logs`;

/** Vector's file checkpoints (data_dir): one RWO volume for the single replica. */
export const VECTOR_DATA_CLAIM = 'vector-data-pvc';

const logVolumes: SharedVolumeSpec[] = GO_SERVICES.map((svc) => ({
  name: logClaim(svc),
  storage: 'shared',
  size: '1Gi',
  accessModes: ['ReadWriteMany'],
  settings: {
    // Kind's local-path provisioner refuses ReadWriteMany ("Only support ReadWriteOnce"). On a
    // single node RWO already lets the app and Vector mount the same volume (RWO is per node).
    dev: { accessModes: ['ReadWriteOnce'] },
    staging: { size: '5Gi' },
    prod: { size: '10Gi' },
  },
}));

export const volumes: SharedVolumeSpec[] = [
  ...logVolumes,
  { name: VECTOR_DATA_CLAIM, storage: 'standard', size: '1Gi', accessModes: ['ReadWriteOnce'] },
];
