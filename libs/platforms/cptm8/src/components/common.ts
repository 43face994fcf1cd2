/** Pieces several components share. */
import { scratchVolume, suppress, type VolumeSpec } from '@gitops/core';
import { ECR_PULL_SECRET } from '../constants';

/** Scratch space for read-only root file systems (prod is restricted). */
export const tmpVolume = (mountPath = '/tmp', name = 'tmp'): VolumeSpec => scratchVolume(name, mountPath);

/**
 * `ecr-registry-secret` is runtime state: the ECR Job and CronJob create and rotate it, so it is
 * neither rendered nor declared (README D41). Declaring it would let Argo CD revert every
 * refreshed token. The validator's `ref-image-pull-secret` warning is expected on every ECR workload.
 */
export const ecrPullSecretSuppression = suppress({
  'ref-image-pull-secret':
    `${ECR_PULL_SECRET} is created and rotated at runtime by the ECR token Job/CronJob, ` +
    'declaring it would make Argo CD revert every refreshed token',
});
