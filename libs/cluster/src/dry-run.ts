/**
 * What a server dry run cannot check. `--dry-run server` stores nothing, not even the Namespaces and
 * CRDs the same apply creates first, so on a cluster that lacks them the server refuses every object
 * in such a Namespace (NamespaceLifecycle admission: NotFound) and every custom resource of such a
 * CRD (its kind is not served) before it looks at the object itself. Those objects are "not
 * checked", not rejected: the apply itself would create what they need. Anything else the server
 * refuses, including a missing Namespace or kind this apply does not create, stays a rejection.
 */
import type { KubeObject } from '@gitops/core';
import type { MissingPrerequisite, ObjectOutcome } from './kubectl';

/** What an unchecked object needs: a Namespace or a CRD (by name) created by this apply. */
export interface Prerequisite {
  kind: 'Namespace' | 'CustomResourceDefinition';
  name: string;
}

export interface UncheckedObject {
  /** `kind.group/name`, as `kubectl … -o name` names it. */
  object: string;
  needs: Prerequisite;
}

/** The Namespaces and CRDs one apply creates: what its own dry run may lack. */
export interface ApplySet {
  namespaces: ReadonlySet<string>;
  crds: readonly KubeObject[];
}

interface CrdSpec {
  group?: string;
  names?: { kind?: string };
  versions?: Array<{ name?: string; served?: boolean }>;
}

/** The CRD of the set that serves `kind` in `apiVersion` (group and a served version must match). */
function crdServing(crds: readonly KubeObject[], apiVersion: string, kind: string): KubeObject | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  return crds.find((c) => {
    const spec = (c as { spec?: CrdSpec }).spec;
    return spec?.group === group && spec.names?.kind === kind && !!spec.versions?.some((v) => v.name === version && v.served !== false);
  });
}

/** The Namespace or CRD of `set` that `missing` names (undefined: the apply does not create it, a real rejection). */
export function createdByThisApply(missing: MissingPrerequisite, set: ApplySet): Prerequisite | undefined {
  if ('namespace' in missing) return set.namespaces.has(missing.namespace) ? { kind: 'Namespace', name: missing.namespace } : undefined;
  const crd = crdServing(set.crds, missing.apiVersion, missing.kind);
  return crd?.metadata?.name ? { kind: 'CustomResourceDefinition', name: crd.metadata.name } : undefined;
}

/** An object the server refused only for lack of what `set` creates (undefined: accepted, or a real rejection). */
export function uncheckedIn(outcome: ObjectOutcome, set: ApplySet): Prerequisite | undefined {
  return outcome.error && outcome.missing ? createdByThisApply(outcome.missing, set) : undefined;
}

/** `Namespace x` / `CRD y`: how the report names a prerequisite. */
export const prerequisiteName = (p: Prerequisite): string => `${p.kind === 'Namespace' ? 'Namespace' : 'CRD'} ${p.name}`;
