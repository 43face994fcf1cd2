/**
 * Checks across the overlays of one environment: every overlay becomes one Argo CD Application, so
 * an object emitted by two of them has two owners (`object-shared`).
 */
import { groupOf, isObject } from './inventory';
import { RULES_BY_ID } from './rules';
import type { Finding } from './types';
import { CLUSTER_SCOPED_KINDS } from './values/names';


export interface Overlay {
  platform: string;
  env: string;
  /** App of a multi-app platform, '' otherwise. */
  app?: string;
  source?: string;
  objects: Array<Record<string, any>>;
}

/**
 * Findings per overlay (same order as the input): the second and every later overlay of an
 * environment that emits an object an earlier one already emitted. Objects without a namespace of
 * namespaced kinds are skipped: Argo CD puts them in each Application's own destination namespace.
 */
export function findSharedObjects(overlays: Overlay[]): Finding[][] {
  const first = new Map<string, Overlay>();
  const severity = RULES_BY_ID.get('object-shared')!.severity;
  return overlays.map((ov) => {
    const out: Finding[] = [];
    for (const o of ov.objects) {
      if (!isObject(o) || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string' || typeof o.metadata?.name !== 'string') continue;
      const namespace = typeof o.metadata.namespace === 'string' ? o.metadata.namespace : '';
      if (!namespace && !CLUSTER_SCOPED_KINDS.has(o.kind)) continue;
      const key = `${ov.env}|${groupOf(o.apiVersion)}|${o.kind}|${namespace}|${o.metadata.name}`;
      const owner = first.get(key);
      if (!owner) {
        first.set(key, ov);
        continue;
      }
      if (owner.platform === ov.platform && (owner.app ?? '') === (ov.app ?? '')) continue; // object-duplicate reports it
      const where = (x: Overlay) => `${x.platform}${x.app ? `/${x.app}` : ''}`;
      out.push({
        severity,
        rule: 'object-shared',
        platform: ov.platform,
        env: ov.env,
        ...(ov.source !== undefined ? { source: ov.source } : {}),
        kind: o.kind,
        name: o.metadata.name,
        ...(namespace ? { namespace } : {}),
        path: 'metadata.name',
        message: `${where(owner)} emits the same ${o.kind} in ${ov.env}${owner.source ? ` (${owner.source})` : ''}: two Argo CD Applications would own it; emit it from one platform only`,
      });
    }
    return out;
  });
}
