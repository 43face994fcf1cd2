/** Metadata for objects built outside the component model, matching what the compiler writes. */
import { ANNOTATIONS, componentWaves, LABELS, type CompileContext } from '@gitops/core';
import { PLATFORM } from './constants';

/** Sync wave of a component (namespace 0, config/RBAC 1, components from 2 by dependency depth). */
export function waveOf(ctx: CompileContext, component: string): number {
  const wave = componentWaves(ctx.app).get(component);
  if (wave === undefined) throw new Error(`cptm8: no component "${component}"`);
  return wave;
}

/** Labels and annotations of an object that belongs to a component (or to the platform when none is given). */
export function metaFor(
  ctx: CompileContext,
  name: string,
  opts: { component?: string; wave?: number; annotations?: Record<string, string> } = {},
) {
  const component = opts.component ? ctx.app.components.find((c) => c.name === opts.component) : undefined;
  if (opts.component && !component) throw new Error(`cptm8: no component "${opts.component}"`);
  const labels: Record<string, string> = {
    ...(component ? { [LABELS.name]: component.name } : {}),
    [LABELS.partOf]: PLATFORM,
    [LABELS.managedBy]: 'gitops',
    ...(component?.labels ?? {}),
  };
  const wave = opts.wave ?? (component ? waveOf(ctx, component.name) : 1);
  return {
    name,
    namespace: ctx.namespace,
    labels: sortKeys(labels),
    annotations: sortKeys({ [ANNOTATIONS.syncWave]: String(wave), ...(opts.annotations ?? {}) }),
  };
}

function sortKeys(obj: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
