/**
 * Splits per-environment objects into a base and what each environment changes (strategic-merge
 * patches). The base holds every field that every environment has, at the value of one reference
 * environment (the caller passes which; the emitter uses prod, see README decision 1), so only an
 * environment whose value differs from the reference gets a patch, and a change to one
 * environment's value changes only that environment's patch.
 *
 * Patches only add or replace, never delete: a field some environment lacks is never in the base.
 * Lists of named items (containers, volumes) in built-in kinds are split item by item when every
 * environment has the same names in the same order, so a patch names only the container it changes.
 * Any other list that differs is replaced whole by a patch, which is what kustomize does with a list
 * it cannot merge; a list kustomize merges item by item (MERGED_LISTS) cannot be replaced by a patch,
 * so when it differs it stays out of the base and every environment's patch carries it whole.
 */
import type { KubeObject } from '@gitops/core';
import { isPlainObject } from '@gitops/core';

type Json = unknown;
// `env` is not here on purpose: order matters for $(VAR) expansion and kustomize's merge may
// reorder items, so an env list that differs between environments goes whole into each patch.
const NAMED_LISTS = new Set(['containers', 'initContainers', 'volumes', 'imagePullSecrets']);
const BUILTIN_GROUPS = /^(v1|apps\/v1|batch\/v1|policy\/v1|autoscaling\/v2|networking\.k8s\.io\/v1|rbac\.authorization\.k8s\.io\/v1)$/;

export function isBuiltin(obj: KubeObject): boolean {
  return BUILTIN_GROUPS.test(obj.apiVersion);
}

/**
 * Lists of built-in kinds that kustomize merges item by item instead of replacing: those whose
 * Kubernetes API patch strategy is "merge" (containers and volumes by name, env by name, container
 * ports by containerPort, Service ports by port, volumeMounts by mountPath, finalizers as a set, …).
 * Matched by field name in every kind, not by path: a NetworkPolicy's `ports` or a custom kind's `env`
 * (both replaced by kustomize) are caught too, which only makes a patch larger, never a render wrong.
 */
const MERGED_LISTS = new Set([
  ...NAMED_LISTS,
  'ephemeralContainers',
  'env',
  'ports',
  'volumeMounts',
  'volumeDevices',
  'hostAliases',
  'topologySpreadConstraints',
  'resourceClaims',
  'schedulingGates',
  'finalizers',
  'ownerReferences',
]);

const isScalar = (v: Json) => v !== null && typeof v !== 'object';

/**
 * Equality of JSON data (plain objects in any key order, arrays, scalars): what util's
 * isDeepStrictEqual answers for it, without its prototype and property-descriptor checks, which
 * were a tenth of `gitops generate`.
 */
export function jsonEqual(a: Json, b: Json): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !jsonEqual((a as Record<string, Json>)[k], (b as Record<string, Json>)[k])) return false;
  return true;
}

/**
 * The base value of one field: what `versions[reference]` has wherever every version has a value of
 * the same shape; undefined when the field cannot be in the base (some version lacks it, the shapes
 * differ, a null, or a merged list that differs).
 */
export function baseOf(versions: Json[], reference: number, builtin: boolean, key = ''): Json | undefined {
  const ref = versions[reference];
  if (versions.every((v) => jsonEqual(v, ref))) return ref;
  if (versions.every(isPlainObject)) {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(ref as object)) {
      if (!versions.every((v) => k in (v as object))) continue;
      const value = baseOf(versions.map((v) => (v as Record<string, Json>)[k]), reference, builtin, k);
      if (value !== undefined && !(isPlainObject(value) && Object.keys(value).length === 0)) out[k] = value;
    }
    return out;
  }
  if (versions.every(Array.isArray)) {
    if (builtin && NAMED_LISTS.has(key) && versions.every((v) => sameNames(v as Json[], ref as Json[]))) {
      return (ref as Json[]).map((_, i) => {
        const item = baseOf(versions.map((v) => (v as Json[])[i]), reference, builtin) as Record<string, Json>;
        return { name: (ref as Array<Record<string, Json>>)[i].name, ...item };
      });
    }
    return MERGED_LISTS.has(key) ? undefined : ref;
  }
  if (versions.every((v) => isScalar(v) && typeof v === typeof ref)) return ref;
  return undefined;
}

function sameNames(a: Json[], b: Json[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => isPlainObject(x) && isPlainObject(b[i]) && typeof x.name === 'string' && x.name === (b[i] as Record<string, Json>).name)
  );
}

/**
 * What `full` has beyond `base` or with another value, as a merge patch (named list items keep their
 * `name`; any other list that differs is carried whole and replaces the base's).
 */
export function difference(full: Json, base: Json, builtin: boolean, key = ''): Json | undefined {
  if (jsonEqual(full, base)) return undefined;
  if (isPlainObject(full) && isPlainObject(base)) {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(full)) {
      if (!(k in base)) out[k] = v;
      else {
        const d = difference(v, base[k], builtin, k);
        if (d !== undefined) out[k] = d;
      }
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (builtin && NAMED_LISTS.has(key) && Array.isArray(full) && Array.isArray(base) && sameNames(full, base)) {
    const items = full
      .map((item, i) => {
        const d = difference(item, base[i], builtin);
        return d === undefined ? undefined : { name: (item as Record<string, Json>).name, ...(d as object) };
      })
      .filter((x) => x !== undefined);
    return items.length ? items : undefined;
  }
  return full;
}
