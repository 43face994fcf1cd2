/**
 * One HTTPS host per environment with path routing (seed): `/` -> UI,
 * `/api` -> API, `/metrics` -> Monitoring. The chart's three sub-domains (values ingress.hosts)
 * are not used (decision 12). cert-manager issues `pf9-tls` from the annotation.
 */
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { toPlain, type CompileContext, type KubeObject } from '@gitops/core';
import { PLATFORM_LABELS, PORTS, SERVICES } from './constants';

export const INGRESS_NAME = 'pf9-ingress';
export const TLS_SECRET = 'pf9-tls';
export const hostFor = (baseDomain: string): string => `pf9.${baseDomain}`;

export function ingress(ctx: CompileContext): KubeObject[] {
  const host = hostFor(ctx.env.baseDomain);
  const route = (path: string, service: string, port: number) => ({
    path,
    pathType: 'Prefix' as const,
    backend: { service: { name: service, port: { number: port } } },
  });
  return [
    toPlain(new Ingress({
      metadata: {
        name: INGRESS_NAME,
        namespace: ctx.namespace,
        labels: { ...PLATFORM_LABELS },
        annotations: { 'cert-manager.io/cluster-issuer': ctx.env.clusterIssuer },
      },
      spec: {
        ingressClassName: ctx.env.ingressClass,
        tls: [{ hosts: [host], secretName: TLS_SECRET }],
        rules: [
          {
            host,
            http: {
              paths: [route('/api', SERVICES.api, PORTS.api), route('/metrics', SERVICES.monitoring, PORTS.monitoring), route('/', SERVICES.ui, PORTS.ui)],
            },
          },
        ],
      },
    })),
  ];
}
