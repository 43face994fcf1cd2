/**
 * Splits per-environment objects into the part every environment shares (the base) and what each
 * environment adds (strategic-merge patches). Patches only add or replace, never delete, because the
 * base is the intersection: every field it keeps has the same value everywhere.
 *
 * Lists of named items (containers, volumes) in built-in kinds are intersected item by item
 * when every environment has the same names in the same order, so a patch names only the container
 * it changes. Any other list that differs is left out of the base and carried whole by each patch
 * (correct under both strategic-merge and JSON-merge semantics, since the base has no such list).
 */
import { isDeepStrictEqual } from 'node:util';
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

/** Fields every version of the object shares. */
export function intersect(versions: Json[], builtin: boolean, key = ''): Json | undefined {
  const [first, ...rest] = versions;
  if (rest.every((v) => isDeepStrictEqual(v, first))) return first;
  if (versions.every(isPlainObject)) {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(first as object)) {
      if (!versions.every((v) => k in (v as object))) continue;
      const common = intersect(versions.map((v) => (v as Record<string, Json>)[k]), builtin, k);
      if (common !== undefined && !(isPlainObject(common) && Object.keys(common).length === 0)) out[k] = common;
    }
    return out;
  }
  if (builtin && NAMED_LISTS.has(key) && versions.every((v) => Array.isArray(v) && sameNames(v, first as Json[]))) {
    return (first as Json[]).map((_, i) => {
      const item = intersect(versions.map((v) => (v as Json[])[i]), builtin) as Record<string, Json>;
      return { name: (first as Array<Record<string, Json>>)[i].name, ...item };
    });
  }
  return undefined;
}

function sameNames(a: Json[], b: Json[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => isPlainObject(x) && isPlainObject(b[i]) && typeof x.name === 'string' && x.name === (b[i] as Record<string, Json>).name)
  );
}

/** What `full` has beyond `base`, as a merge patch (named list items keep their `name`). */
export function difference(full: Json, base: Json, builtin: boolean, key = ''): Json | undefined {
  if (isDeepStrictEqual(full, base)) return undefined;
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
