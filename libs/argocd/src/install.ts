/**
 * argocd/install: the pinned upstream Argo CD manifest plus the repo-server changes KSOPS needs.
 * The upstream file is referenced by URL, never copied into the repository.
 */
import { AGE_SECRET, ARGOCD_INSTALL_URL, ARGOCD_NAMESPACE, KSOPS_IMAGE, KUSTOMIZE_BUILD_OPTIONS } from './config';

/** Where the init container leaves the binaries, and where the repo-server finds them. */
export const TOOLS_VOLUME = 'custom-tools';
export const TOOLS_DIR = '/custom-tools';
export const AGE_VOLUME = 'sops-age';
export const XDG_CONFIG_HOME = '/.config';
export const AGE_KEY_DIR = `${XDG_CONFIG_HOME}/sops/age`;
export const AGE_KEY_FILE = `${AGE_KEY_DIR}/${AGE_SECRET.key}`;
export const REPO_SERVER = 'argocd-repo-server';
export const KSOPS_INIT_CONTAINER = 'install-ksops';
/** Binaries copied from the KSOPS image and mounted (one file each) over /usr/local/bin. */
export const TOOLS = ['ksops', 'kustomize'] as const;

export const INSTALL_PATCHES = {
  repoServer: 'patches/argocd-repo-server-ksops.yaml',
  argocdCm: 'patches/argocd-cm.yaml',
} as const;

const restricted = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  // The KSOPS image does not set a user; run as Argo CD's own uid.
  runAsUser: 999,
  seccompProfile: { type: 'RuntimeDefault' },
};

export function installKustomization(): Record<string, unknown> {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: ARGOCD_NAMESPACE,
    resources: ['namespace.yaml', ARGOCD_INSTALL_URL],
    patches: [{ path: INSTALL_PATCHES.repoServer }, { path: INSTALL_PATCHES.argocdCm }],
  };
}

export function installNamespace(): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ARGOCD_NAMESPACE } };
}

/** Strategic-merge patch of the repo-server Deployment (lists merge by name / mountPath). */
export function repoServerPatch(): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: REPO_SERVER },
    spec: {
      template: {
        spec: {
          initContainers: [
            {
              name: KSOPS_INIT_CONTAINER,
              image: KSOPS_IMAGE,
              command: ['/bin/sh', '-c'],
              args: [`${TOOLS.map((t) => `cp /usr/local/bin/${t} ${TOOLS_DIR}/${t}`).join(' && ')} && echo "installed ${TOOLS.join(', ')}"`],
              securityContext: restricted,
              volumeMounts: [{ name: TOOLS_VOLUME, mountPath: TOOLS_DIR }],
            },
          ],
          containers: [
            {
              name: REPO_SERVER,
              env: [
                { name: 'XDG_CONFIG_HOME', value: XDG_CONFIG_HOME },
                { name: 'SOPS_AGE_KEY_FILE', value: AGE_KEY_FILE },
              ],
              volumeMounts: [
                // One file each (subPath): mounting the whole folder over /usr/local/bin would hide argocd itself.
                ...TOOLS.map((t) => ({ name: TOOLS_VOLUME, mountPath: `/usr/local/bin/${t}`, subPath: t })),
                { name: AGE_VOLUME, mountPath: AGE_KEY_DIR, readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: TOOLS_VOLUME, emptyDir: {} },
            { name: AGE_VOLUME, secret: { secretName: AGE_SECRET.name, items: [{ key: AGE_SECRET.key, path: AGE_SECRET.key }] } },
          ],
        },
      },
    },
  };
}

export function argocdCmPatch(): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'argocd-cm' },
    data: { 'kustomize.buildOptions': KUSTOMIZE_BUILD_OPTIONS },
  };
}
