/**
 * Checks across the overlays of one environment: every overlay becomes one Argo CD Application, so
 * an object emitted by two of them has two owners (`object-shared`), and a namespace belongs to one
 * platform or one cluster add-on (`namespace-foreign`).
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

/**
 * Findings per overlay (same order as the input) for namespaces that are not the overlay's to use:
 * a Namespace or namespaced object in a namespace of a cluster add-on (`addonNamespaces`, passed in:
 * this library imports no workspace library), or in one another platform of the environment creates.
 * Every Application of an environment targets one cluster, so such a namespace is someone else's:
 * NetworkPolicies that trust the add-on would trust the platform, and prune would reach across.
 * Two platforms creating one Namespace is `object-shared`; objects without a namespace are skipped.
 */
export function findForeignNamespaces(overlays: Overlay[], addonNamespaces: readonly string[]): Finding[][] {
  const severity = RULES_BY_ID.get('namespace-foreign')!.severity;
  const creators = new Map<string, Set<string>>(); // env|namespace -> platforms creating it
  for (const ov of overlays) {
    for (const o of ov.objects) {
      if (isObject(o) && o.kind === 'Namespace' && groupOf(String(o.apiVersion)) === '' && typeof o.metadata?.name === 'string') {
        const k = `${ov.env}|${o.metadata.name}`;
        creators.set(k, (creators.get(k) ?? new Set()).add(ov.platform));
      }
    }
  }
  return overlays.map((ov) => {
    const out: Finding[] = [];
    for (const o of ov.objects) {
      if (!isObject(o) || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') continue;
      const isNamespace = o.kind === 'Namespace';
      const ns = isNamespace ? o.metadata.name : o.metadata.namespace;
      if (typeof ns !== 'string' || !ns) continue;
      const others = [...(creators.get(`${ov.env}|${ns}`) ?? [])].filter((p) => p !== ov.platform);
      let message: string | undefined;
      if (addonNamespaces.includes(ns)) message = `namespace ${ns} belongs to a cluster add-on (ADDON_NAMESPACES of libs/environments): no platform may ${isNamespace ? 'create it' : 'deploy into it'}; use a namespace of the platform's own`;
      else if (others.length && !isNamespace) message = `namespace ${ns} belongs to ${others.join(', ')} in ${ov.env}: deploy into a namespace of ${ov.platform}'s own`;
      if (!message) continue;
      out.push({
        severity,
        rule: 'namespace-foreign',
        platform: ov.platform,
        env: ov.env,
        ...(ov.source !== undefined ? { source: ov.source } : {}),
        kind: o.kind,
        name: o.metadata.name,
        ...(isNamespace ? {} : { namespace: ns }),
        path: isNamespace ? 'metadata.name' : 'metadata.namespace',
        message,
      });
    }
    return out;
  });
}
