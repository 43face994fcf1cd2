/**
 * Pod security shared by the pf9 images. Containers need nothing here: core's restricted container
 * context is the default in every environment, so a write to the root file system fails in dev,
 * not first in prod.
 */
import { nonRootPod, scratchVolume, type VolumeSpec } from '@gitops/core';

/**
 * The API pod context of the seed, applied to every pf9 image: UID/GID 1000 (node:20-alpine
 * `node`). Their containers get the compiler's restricted default with a read-only root (decision 14).
 */
export const PF9_POD_SECURITY = nonRootPod(1000, { fsGroupChangePolicy: false });

/** Scratch space for a read-only root file system. */
export const tmpVolume = (mountPath = '/tmp', name = 'tmp'): VolumeSpec => scratchVolume(name, mountPath, { sizeLimit: '256Mi' });
