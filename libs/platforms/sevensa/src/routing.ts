/**
 * Public routing: one networking.k8s.io Ingress per IngressDef, served by the platform's Traefik
 * (IngressClass `traefik`), TLS issued by cert-manager, plus the app's Traefik Middlewares.
 */
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { Middleware } from '@kubernetes-models/traefik/traefik.io/v1alpha1/Middleware';
import type { CompileContext, ComponentSpec, Environment, TypedObject } from '@gitops/core';
import { serviceNameOf } from '@gitops/core';
import { host } from './env';
import { labelsFor } from './kit';
import type { SevensaApp } from './types';

/** Where Traefik runs: the seed's `ingress` namespace and `app: traefik` pod label. */
export const TRAEFIK = { namespace: 'ingress', podLabel: 'traefik', ingressClass: 'traefik' } as const;

/** Port cert-manager's HTTP-01 solver pods listen on, and their label. */
export const ACME_SOLVER = { port: 8089, label: 'acme.cert-manager.io/http01-solver' } as const;

/**
 * The platform's own ClusterIssuer per environment (`sevensa-selfsigned`, `sevensa-letsencrypt-staging`,
 * `sevensa-letsencrypt-prod`): named after the environment's issuer role, prefixed because
 * ClusterIssuers are cluster-wide and other platforms share the clusters.
 */
export function clusterIssuerName(env: Environment): string {
  return `sevensa-${env.clusterIssuer}`;
}

/** Whether the environment's issuer answers ACME HTTP-01 challenges (dev signs its own). */
export function usesAcme(env: Environment): boolean {
  return env.name !== 'dev';
}

export function component(app: SevensaApp, name: string): ComponentSpec {
  const c = app.components.find((x) => x.name === name);
  if (!c) throw new Error(`sevensa/${app.name}: no component "${name}"`);
  return c;
}

/** Service name and ports behind a component's first port. */
export function backend(app: SevensaApp, name: string): { service: string; servicePort: number; containerPort: number } {
  const c = component(app, name);
  const p = c.ports?.[0];
  if (!p) throw new Error(`sevensa/${app.name}: component "${name}" has no port to route to`);
  return { service: serviceNameOf(c), servicePort: p.servicePort ?? p.containerPort, containerPort: p.containerPort };
}

/** `rentguy` + `auth` -> `rentguy-auth@kubernetescrd`, Traefik's name for a Middleware CRD object. */
export function middlewareRef(namespace: string, name: string): string {
  return `${namespace}-${name}@kubernetescrd`;
}

export function routingObjects(app: SevensaApp, ctx: CompileContext): TypedObject[] {
  const labels = labelsFor(app.podLabel ?? app.name);
  const ingresses = (app.ingresses ?? []).map(
    (def) =>
      new Ingress({
        metadata: {
          name: def.name,
          labels,
          annotations: {
            // The seed's Traefik annotations; `kubernetes.io/ingress.class` became spec.ingressClassName.
            'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
            'traefik.ingress.kubernetes.io/router.tls': 'true',
            ...(def.middlewares?.length ? { 'traefik.ingress.kubernetes.io/router.middlewares': def.middlewares.join(',') } : {}),
            'cert-manager.io/cluster-issuer': clusterIssuerName(ctx.env),
          },
        },
        spec: {
          ingressClassName: TRAEFIK.ingressClass,
          rules: def.routes.map((r) => {
            const b = backend(app, r.component);
            return {
              host: host(ctx.env.name, r.host),
              http: {
                paths: [{ path: r.path ?? '/', pathType: 'Prefix', backend: { service: { name: b.service, port: { number: b.servicePort } } } }],
              },
            };
          }),
          tls: [{ hosts: def.routes.map((r) => host(ctx.env.name, r.host)), secretName: def.tls }],
        },
      }),
  );
  const middlewares = (app.middlewares ?? []).map((m) => new Middleware({ metadata: { name: m.name, labels }, spec: m.spec }));
  return [...ingresses, ...middlewares];
}
