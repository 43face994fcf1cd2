/**
 * What of argocd/install a local Argo CD needs in the API server: the generated install as
 * `renderArgocdInstall` (@gitops/cluster) renders it — the pinned upstream URL swapped for the
 * vendored copy of the same file, third_party/argo-cd-v3.5.1/install.yaml — of which the Namespace,
 * CustomResourceDefinitions, ConfigMaps and Secrets are applied. Workloads (Deployments,
 * StatefulSets) are not applied: the same programs run as local processes instead, and the
 * repo-server Deployment of the render is what configures the local repo-server (repo-server-layout).
 *
 * Plus what an operator adds by hand: the age key Secret the KSOPS patch mounts, and one cluster
 * Secret per named destination (staging, prod) pointing at the same local API server.
 */
import { AGE_SECRET, ARGOCD_NAMESPACE } from '@gitops/argocd';
import type { KubeObject } from '@gitops/core';

export const APPLIED_KINDS = new Set(['Namespace', 'CustomResourceDefinition', 'ConfigMap', 'Secret']);

export function appliedInstallObjects(rendered: KubeObject[]): KubeObject[] {
  return rendered.filter((o) => APPLIED_KINDS.has(o.kind));
}

export function findRendered(rendered: KubeObject[], kind: string, name: string): KubeObject {
  const o = rendered.find((x) => x.kind === kind && x.metadata?.name === name);
  if (!o) throw new Error(`argocd/install renders no ${kind}/${name}`);
  return o;
}

/** The Secret the KSOPS patch mounts (`sops-age`, key `keys.txt`) holding the given age identities. */
export function ageKeySecret(identities: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: AGE_SECRET.name, namespace: ARGOCD_NAMESPACE },
    type: 'Opaque',
    data: { [AGE_SECRET.key]: Buffer.from(identities).toString('base64') },
  } as KubeObject;
}

/**
 * An Argo CD cluster Secret (declarative setup) for a named destination. Argo CD tells clusters
 * apart by server URL, so each name gets its own spelling of the same API server (127.0.0.1, localhost).
 */
export function clusterSecret(name: string, server: string, token: string, caCert: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `cluster-${name}`, namespace: ARGOCD_NAMESPACE, labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
    type: 'Opaque',
    stringData: {
      name,
      server,
      config: JSON.stringify({ bearerToken: token, tlsClientConfig: { insecure: false, caData: Buffer.from(caCert).toString('base64') } }),
    },
  } as KubeObject;
}
