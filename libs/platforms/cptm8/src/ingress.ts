/**
 * External access to the front ends in the cloud environments: one Ingress, TLS from cert-manager
 * with the environment's ClusterIssuer (seed: staging "LoadBalancer or Ingress", prod "Ingress +
 * SSL/TLS"). Dev uses NodePorts instead (frontends.ts).
 */
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { objectMeta, waveOf, type CompileContext, type FeatureSpec } from '@gitops/core';
import { FRONTENDS, PLATFORM, serviceName, type Frontend } from './constants';

export const INGRESS_NAME = 'cptm8-frontends';
export const TLS_SECRET = 'cptm8-frontends-tls';

/** `dashboard.cptm8.<baseDomain>`, `socket.cptm8.<baseDomain>`. */
export const frontendHost = (name: Frontend, baseDomain: string): string => `${FRONTENDS[name].host}.${PLATFORM}.${baseDomain}`;

export function ingress(ctx: CompileContext): Ingress {
  const names = Object.keys(FRONTENDS) as Frontend[];
  const hosts = names.map((n) => frontendHost(n, ctx.env.baseDomain));
  return new Ingress({
    metadata: objectMeta(ctx, INGRESS_NAME, {
      wave: Math.max(...names.map((n) => waveOf(ctx, n))),
      annotations: {
        'cert-manager.io/cluster-issuer': ctx.env.clusterIssuer,
        // socketm8 keeps WebSocket connections open far longer than nginx's 60 s default.
        'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
        'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
      },
    }),
    spec: {
      ingressClassName: ctx.env.ingressClass,
      tls: [{ hosts, secretName: TLS_SECRET }],
      rules: names.map((n, i) => ({
        host: hosts[i],
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: serviceName(n), port: { name: 'http' } } } }] },
      })),
    },
  });
}

export const ingressFeature: FeatureSpec = {
  name: 'ingress',
  description: 'Ingress with cert-manager TLS for dashboardm8 and socketm8',
  enabledIn: ['staging', 'prod'],
  objects: (ctx) => [ingress(ctx)],
};
