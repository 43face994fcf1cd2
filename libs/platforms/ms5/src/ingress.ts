/**
 * External access: one Ingress instead of the seed's five LoadBalancer Services (README decision 4).
 * It also replaces the seed's Nginx reverse proxy (service 4, which has no manifest, image or
 * sizing in the seed): the cluster's ingress-nginx *is* that reverse proxy, with TLS from
 * cert-manager. Exposed: the API (REST + WebSocket), Grafana and Flower (each with its own login).
 * Prometheus, Alertmanager and MinIO stay internal (seed "Restrict external access").
 */
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { CompileContext } from '@gitops/core';
import { hosts, PLATFORM_LABELS } from './constants';

export const INGRESS_NAME = 'ms5';
export const TLS_SECRET = 'ms5-tls';

const labels = (name: string) => ({ 'app.kubernetes.io/name': name, ...PLATFORM_LABELS });

export function ingress(ctx: CompileContext): Ingress {
  const h = hosts(ctx.env.baseDomain);
  const rule = (host: string, service: string) => ({
    host,
    http: { paths: [{ path: '/', pathType: 'Prefix' as const, backend: { service: { name: service, port: { name: 'http' } } } }] },
  });
  return new Ingress({
    metadata: {
      name: INGRESS_NAME,
      labels: labels('ms5-ingress'),
      annotations: {
        'cert-manager.io/cluster-issuer': ctx.env.clusterIssuer,
        'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
        // Uploads from the shop floor (photos, CSV imports).
        'nginx.ingress.kubernetes.io/proxy-body-size': '50m',
        // WebSocket connections stay open: an hour before the proxy closes an idle one.
        'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
        'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
      },
    },
    spec: {
      ingressClassName: ctx.env.ingressClass,
      tls: [{ hosts: [h.app, h.grafana, h.flower], secretName: TLS_SECRET }],
      rules: [rule(h.app, 'backend'), rule(h.grafana, 'grafana'), rule(h.flower, 'flower')],
    },
  });
}
