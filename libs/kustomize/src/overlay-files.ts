/**
 * Names of an overlay's environment-only files: objects only some environments have are written
 * whole into the overlay, one file per kind, named by what they add: the kind's resource name as
 * kubectl spells it (`poddisruptionbudgets.yaml`, `networkpolicies.yaml`, `horizontalpodautoscalers.yaml`),
 * except the app's Namespace, which is `namespace.yaml` and comes first. A reviewer sees from the
 * file list alone that prod adds disruption budgets and autoscalers, where a file named after a
 * component (`asmm8.yaml`, holding only its PodDisruptionBudget) or `extras.yaml` said nothing.
 */

export const NAMESPACE_FILE = 'namespace.yaml';

/** The lower-case plural Kubernetes uses for a kind's resource (`NetworkPolicy` -> `networkpolicies`). */
export function resourceName(kind: string): string {
  const k = kind.toLowerCase();
  if (k.endsWith('endpoints')) return k; // already plural
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  return `${k}s`;
}

/** The overlay file holding an environment-only object of this kind. */
export function envOnlyFile(kind: string): string {
  return kind === 'Namespace' ? NAMESPACE_FILE : `${resourceName(kind)}.yaml`;
}

/** Order of environment-only files in an overlay's `resources:`: the Namespace first, then by name. */
export function compareEnvOnlyFiles(a: string, b: string): number {
  if (a === b) return 0;
  if (a === NAMESPACE_FILE) return -1;
  if (b === NAMESPACE_FILE) return 1;
  return a < b ? -1 : 1;
}
