/**
 * What a platform (and an app of one) may be called. A platform name becomes a folder
 * (libs/platforms/<name>, environments/<env>/<name>), a file (argocd/projects/<name>.yaml,
 * argocd/apps/<env>/<name>.yaml), an Nx project, an Argo CD AppProject and the start of every
 * Application name of the platform; an app name becomes a folder below the platform's. So a name
 * must be a DNS-1123 label short enough for `<name>-<app>-staging` style names, and must not take a
 * name the repository, Argo CD or Kubernetes already use. No run-time imports: the Nx plugin's
 * generator loads this module too.
 */

/** Longest platform name: leaves room in 63-character labels for app and environment suffixes. */
export const PLATFORM_NAME_MAX = 40;

/**
 * Folder and file names of the layout a platform or app name would collide with: an overlay's
 * secrets folder (`SECRETS_DIR` of libs/environments/src/layout.ts) and `kustomization.yaml` (a
 * platform named `kustomization` would overwrite argocd/projects/kustomization.yaml). A test in
 * libs/environments checks these against the layout.
 */
export const RESERVED_FOLDER_NAMES: readonly string[] = ['secrets', 'kustomization'];

/**
 * Names a platform cannot take besides those: Argo CD's built-in AppProject (`default`) and the
 * namespace Argo CD runs in (libs/argocd/src/config.ts `ARGOCD_NAMESPACE`), Kubernetes' own
 * namespaces (`kubernetes`, `kube-*`), and `gitops` with every `gitops-*` name: the bootstrap
 * project, the projects app and each environment's root app are named so (`gitops-root-dev`), and
 * a platform's Application names start with the platform name. libs/argocd's test checks its names
 * are refused. Also the namespaces of the cluster's add-ons (`ADDON_NAMESPACES` of
 * libs/environments/src/cluster.ts, which imports nothing from here; its test checks they are
 * listed): a platform named so would deploy into the add-on's namespace.
 */
export const RESERVED_PLATFORM_NAMES: readonly string[] = ['default', 'argocd', 'kubernetes', 'gitops', 'monitoring', ...RESERVED_FOLDER_NAMES];
const RESERVED_PREFIXES: readonly string[] = ['kube-', 'gitops-'];

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` cannot name a platform, or undefined when it can. */
export function platformNameProblem(name: string): string | undefined {
  if (!DNS1123_LABEL.test(name) || name.length > PLATFORM_NAME_MAX) {
    return `platform name "${name}" must be a DNS-1123 label of at most ${PLATFORM_NAME_MAX} characters (a-z, 0-9, -)`;
  }
  if (RESERVED_PLATFORM_NAMES.includes(name) || RESERVED_PREFIXES.some((p) => name.startsWith(p))) {
    return `platform name "${name}" is reserved (the repository, Argo CD, Kubernetes or a cluster add-on uses it: ${RESERVED_PLATFORM_NAMES.join(', ')}, ${RESERVED_PREFIXES.map((p) => `${p}*`).join(', ')})`;
  }
  return undefined;
}

/** Why `name` cannot name an app (a folder below its platform's), or undefined when it can; its DNS-1123 form is checked with the spec. */
export function appNameProblem(name: string): string | undefined {
  return RESERVED_FOLDER_NAMES.includes(name) ? `app name "${name}" is reserved: it is a folder name of the layout (${RESERVED_FOLDER_NAMES.join(', ')})` : undefined;
}
