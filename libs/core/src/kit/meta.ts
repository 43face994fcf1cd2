/**
 * Metadata of objects a platform builds outside the component model (its `objects(ctx)` and
 * features), written exactly as the compiler writes its own: the same labels and sync wave.
 */

import type { CompileContext } from '../model';
import { componentWaves } from '../graph';
import { ANNOTATIONS, LABELS } from '../objects';

/** Object with its keys in code-point order (stable output whatever order the code builds it in). */
export function sortKeys<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}

/** `app.kubernetes.io/part-of: <platform>` and `app.kubernetes.io/managed-by: gitops`: the labels every object of a platform carries. */
export function platformLabels(platform: string): Record<string, string> {
  return { [LABELS.partOf]: platform, [LABELS.managedBy]: 'gitops' };
}

/** Sync wave the compiler gives a component: 2 + its depth in the dependency graph. */
export function waveOf(ctx: Pick<CompileContext, 'app'>, component: string): number {
  const wave = componentWaves(ctx.app).get(component);
  if (wave === undefined) throw new Error(`${ctx.app.name}: no component "${component}"`);
  return wave;
}

export interface ObjectMetaOptions {
  /** The component the object belongs to: adds its name label and its own labels. @default none (a platform-level object) */
  component?: string;
  /** Sync wave. @default the component's wave, or 1 (with ConfigMaps and RBAC) for a platform-level object */
  wave?: number;
  /** Labels added after the standard ones. @default {} */
  labels?: Record<string, string>;
  /** Annotations added after the sync wave. @default {} */
  annotations?: Record<string, string>;
}

/**
 * `name`, the namespace of the context, the labels `app.kubernetes.io/{name,part-of,managed-by}`
 * and the sync-wave annotation, keys sorted: what the compiler writes on every object it builds.
 */
export function objectMeta(ctx: Pick<CompileContext, 'platform' | 'app' | 'namespace'>, name: string, opts: ObjectMetaOptions = {}) {
  const component = opts.component ? ctx.app.components.find((c) => c.name === opts.component) : undefined;
  if (opts.component && !component) throw new Error(`${ctx.platform.name}/${ctx.app.name}: no component "${opts.component}"`);
  const wave = opts.wave ?? (component ? waveOf(ctx, component.name) : 1);
  return {
    name,
    namespace: ctx.namespace,
    labels: sortKeys({
      ...(component ? { [LABELS.name]: component.name } : {}),
      ...platformLabels(ctx.platform.name),
      ...(component?.labels ?? {}),
      ...(opts.labels ?? {}),
    }),
    annotations: sortKeys({ [ANNOTATIONS.syncWave]: String(wave), ...(opts.annotations ?? {}) }),
  };
}
