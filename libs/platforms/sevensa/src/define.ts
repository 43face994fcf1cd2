/**
 * Turns Sevensa app descriptions into core AppSpecs: namespace = app name (the seed's namespace
 * table), the `app` label on every component (what the NetworkPolicies select), and the generated
 * Ingresses, Middlewares and NetworkPolicies in the `objects` escape hatch.
 */
import type { AppSpec } from '@gitops/core';
import { networkPolicies, nsOf, podLabel } from './network';
import { routingObjects } from './routing';
import type { SevensaApp } from './types';

export function assemble(apps: SevensaApp[]): AppSpec[] {
  return apps.map((app) => {
    const {
      podLabel: _l,
      ingresses: _i,
      middlewares: _m,
      calls: _c,
      internet: _n,
      publicPorts: _p,
      networkPolicies: _np,
      extraObjects,
      ...spec
    } = app;
    return {
      ...spec,
      namespace: nsOf(app),
      components: app.components.map((c) => ({ ...c, labels: { app: podLabel(app), ...(c.labels ?? {}) } })),
      objects: (ctx) => [...routingObjects(app, ctx), ...networkPolicies(app, apps, ctx), ...(extraObjects ? extraObjects(ctx, apps) : [])],
    };
  });
}
