/** Pieces several components share. */
import type { VolumeSpec } from '@gitops/core';

export const SUPPRESS = 'gitops.io/suppress';

/** Scratch space for read-only root file systems (prod is restricted). */
export const tmpVolume = (mountPath = '/tmp', name = 'tmp'): VolumeSpec => ({ name, source: { emptyDir: {} }, mounts: [{ mountPath }] });

/**
 * Suppression for init containers without resources: the model gives resources to the main
 * container and to generated wait-for containers only (wished-for core change: `resources` on
 * ContainerSpec). Active in staging (warning) and prod (error).
 */
export const initResourcesSuppression = (init: string): string =>
  `res-requests: init container ${init} is a short copy/wait step and the model cannot size init containers; ` +
  `res-limits: init container ${init} is a short copy/wait step and the model cannot size init containers`;
