/**
 * Security contexts. The restricted container context is what the compiler gives every container
 * in every environment (a write to the root file system fails in dev, not first in prod); a
 * component's own `securityContext` is merged over it, which is the per-container escape hatch.
 */

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
