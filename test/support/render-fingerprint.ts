/**
 * Fingerprints of every rendered object, for the render-equivalence test: one hash of the whole
 * object and one with the container/pod security contexts removed, so a change can be told apart
 * as "only the security default moved" or "something else changed". Secret values are never hashed
 * (only their keys): the fixture is committed.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '@gitops/core';

export interface ObjectPrint {
  full: string;
  withoutSecurity: string;
}

/** JSON with object keys sorted, so the hash does not depend on key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

/** The pod spec inside a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod). */
export function podSpecOf(o: any): any | undefined {
  return o?.spec?.jobTemplate?.spec?.template?.spec ?? o?.spec?.template?.spec ?? (o?.kind === 'Pod' ? o.spec : undefined);
}

export function withoutSecurity(o: KubeObject): KubeObject {
  const copy: any = structuredClone(o);
  const pod = podSpecOf(copy);
  if (pod) {
    delete pod.securityContext;
    for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) delete c.securityContext;
  }
  return copy;
}

function secretSafe(o: KubeObject): KubeObject {
  if (o.kind !== 'Secret') return o;
  const s: any = structuredClone(o);
  for (const field of ['data', 'stringData']) if (s[field]) s[field] = Object.keys(s[field]).sort();
  return s;
}

export function fingerprint(o: KubeObject): ObjectPrint {
  const safe = secretSafe(o);
  return { full: sha(canonical(safe)), withoutSecurity: sha(canonical(withoutSecurity(safe))) };
}

export const objectKey = (overlay: string, o: KubeObject): string =>
  `${overlay} ${o.apiVersion}/${o.kind} ${o.metadata?.namespace ?? '-'}/${o.metadata?.name}`;
