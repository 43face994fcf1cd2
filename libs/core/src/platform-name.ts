/**
 * What a platform may be called. The name becomes a folder (libs/platforms/<name>,
 * environments/<env>/<name>), an Nx project, an Argo CD AppProject and part of Application and
 * namespace names, so it must be a DNS-1123 label short enough for `<name>-<app>-staging` style
 * names, and must not take a name Argo CD or Kubernetes already own. No run-time imports: the Nx
 * plugin's generator loads this module too.
 */

/** Longest platform name: leaves room in 63-character labels for app and environment suffixes. */
export const PLATFORM_NAME_MAX = 40;

/**
 * Names a platform cannot take: Argo CD's built-in AppProject (`default`), the namespace Argo CD
 * runs in and the bootstrap project (libs/argocd/src/config.ts `ARGOCD_NAMESPACE`,
 * `BOOTSTRAP_PROJECT`; its test checks they are listed here), and Kubernetes' own namespaces.
 */
export const RESERVED_PLATFORM_NAMES: readonly string[] = ['default', 'argocd', 'gitops-bootstrap', 'kubernetes'];
const RESERVED_PREFIX = 'kube-';

/** Why `name` cannot name a platform, or undefined when it can. */
export function platformNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > PLATFORM_NAME_MAX) {
    return `platform name "${name}" must be a DNS-1123 label of at most ${PLATFORM_NAME_MAX} characters (a-z, 0-9, -)`;
  }
  if (RESERVED_PLATFORM_NAMES.includes(name) || name.startsWith(RESERVED_PREFIX)) {
    return `platform name "${name}" is reserved (Argo CD or Kubernetes uses it: ${RESERVED_PLATFORM_NAMES.join(', ')}, ${RESERVED_PREFIX}*)`;
  }
  return undefined;
}
