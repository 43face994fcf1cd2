/**
 * Security contexts shared by the pf9 images. They are set in every environment (not only where
 * the policy demands them) so a write to the root file system fails in dev, not first in prod.
 */
import type { VolumeSpec } from '@gitops/core';

/** Seed L802-L805 (API pod context), applied to every pf9 image: UID/GID 1000 (node:20-alpine `node`). */
export const PF9_POD_SECURITY = { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 } as const;

/** Seed L741-L747 (UI) and L875-L880 (API), with readOnlyRootFilesystem true for both (decision 14). */
export const PF9_CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
} as const;

/** Scratch space for a read-only root file system. */
export const tmpVolume = (mountPath = '/tmp', name = 'tmp'): VolumeSpec => ({
  name,
  source: { emptyDir: { sizeLimit: '256Mi' } },
  mounts: [{ mountPath }],
});
