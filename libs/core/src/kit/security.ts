/**
 * Security contexts. The restricted container context is what the compiler gives every container
 * in every environment (a write to the root file system fails in dev, not first in prod); a
 * component's own `securityContext` is merged over it, which is the per-container escape hatch.
 */

import type { VolumeSpec } from '../model';

/** A container security context that passes Pod Security `restricted` with a read-only root. */
export const RESTRICTED_CONTAINER_SECURITY: Readonly<Record<string, unknown>> = Object.freeze({
  allowPrivilegeEscalation: false,
  capabilities: Object.freeze({ drop: Object.freeze(['ALL']) }),
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: Object.freeze({ type: 'RuntimeDefault' }),
});

/** A fresh copy of the restricted container context with `overrides` merged over its top-level fields. */
export function restrictedContainer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...structuredClone(RESTRICTED_CONTAINER_SECURITY), ...overrides } as Record<string, unknown>;
}

export interface NonRootPodOptions {
  /** Primary group of the processes. @default the uid */
  gid?: number;
  /** Group that owns mounted volumes, so a persistent volume is writable for the user. @default the gid */
  fsGroup?: number;
  /**
   * `OnRootMismatch` skips the recursive chown of a volume on every start (large data volumes);
   * `false` leaves the field out (Kubernetes then behaves as `Always`). @default 'OnRootMismatch'
   */
  fsGroupChangePolicy?: 'OnRootMismatch' | 'Always' | false;
  /**
   * Also set `seccompProfile: RuntimeDefault` on the pod. The compiler already gives every pod
   * that profile, so this only matters for pods built outside the component model. @default false
   */
  seccomp?: boolean;
}

/**
 * Pod security context of an image's numeric user: `runAsNonRoot` needs a number to check, and
 * `fsGroup` makes volumes writable for it.
 */
export function nonRootPod(uid: number, opts: NonRootPodOptions = {}): Record<string, unknown> {
  const gid = opts.gid ?? uid;
  const policy = opts.fsGroupChangePolicy ?? 'OnRootMismatch';
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    fsGroup: opts.fsGroup ?? gid,
    ...(policy ? { fsGroupChangePolicy: policy } : {}),
    ...(opts.seccomp ? { seccompProfile: { type: 'RuntimeDefault' } } : {}),
  };
}

export interface ScratchVolumeOptions {
  /** Cap on what the container may write (counts against the pod's ephemeral storage). @default no limit */
  sizeLimit?: string;
  /** `Memory` for a tmpfs (counts against the memory limit). @default node disk */
  medium?: 'Memory';
  /** Mount it only in this container (a sidecar or init container) instead of the main one. @default the main container */
  container?: string;
}

/**
 * A writable emptyDir mounted at `mountPath`: where a container with the default read-only root
 * file system may write (`/tmp`, a socket or cache directory).
 */
export function scratchVolume(name: string, mountPath: string, opts: ScratchVolumeOptions = {}): VolumeSpec {
  return {
    name,
    source: { emptyDir: { ...(opts.medium ? { medium: opts.medium } : {}), ...(opts.sizeLimit ? { sizeLimit: opts.sizeLimit } : {}) } },
    mounts: [{ mountPath, ...(opts.container ? { container: opts.container } : {}) }],
  };
}
