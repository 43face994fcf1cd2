/** Kubernetes objects as the pipeline passes them around: typed models or their plain JSON. */
import { CLUSTER_SCOPED_KINDS } from '@gitops/validate/values';
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

/** Plain JSON of a typed model (kubernetes-models classes serialise through toJSON). */
export function toPlain<T extends KubeObject>(obj: T | { toJSON(): unknown }): KubeObject {
  return JSON.parse(JSON.stringify(obj)) as KubeObject;
}

/** `Kind/namespace/name`, the identity Kustomize and kubectl use. */
export function objectId(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind}/${ns ? ns + '/' : ''}${obj.metadata?.name ?? '<unnamed>'}`;
}

/** Kinds that are not namespaced: one list, kept by @gitops/validate with the other Kubernetes rules. */
export { CLUSTER_SCOPED_KINDS };

export function isNamespaced(obj: KubeObject): boolean {
  return !CLUSTER_SCOPED_KINDS.has(obj.kind);
}

export const ANNOTATIONS = {
  syncWave: 'argocd.argoproj.io/sync-wave',
  hook: 'argocd.argoproj.io/hook',
  hookDeletePolicy: 'argocd.argoproj.io/hook-delete-policy',
  syncOptions: 'argocd.argoproj.io/sync-options',
} as const;

export const LABELS = {
  name: 'app.kubernetes.io/name',
  partOf: 'app.kubernetes.io/part-of',
  component: 'app.kubernetes.io/component',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;
