/**
 * Optional Istio service mesh (seed), enabled in staging only (README decision 24):
 * the seed calls it an optional enhancement to evaluate, and prod runs Pod Security "restricted",
 * which admits sidecars only with the Istio CNI plugin. Promote by adding 'prod' to MESH_ENVS once
 * staging has run with it.
 *
 * Injection: the namespace carries `istio.io/rev: ms5-mesh` only in MESH_ENVS (per-environment
 * namespace labels, src/index.ts); platform ops create the revision tag of that name in those
 * clusters (`istioctl tag set ms5-mesh --revision <rev>`). Prerequisites:
 * Istio CNI (no NET_ADMIN init container under baseline/restricted) and native sidecars
 * (ENABLE_NATIVE_SIDECARS, Kubernetes >= 1.29) so the minio-setup Job can complete.
 *
 * Contents: mTLS (PERMISSIVE namespace-wide because ingress-nginx is outside the mesh, STRICT on the
 * data stores, whose clients are all meshed), circuit breaking for the backend (outlier detection)
 * and a PostgreSQL connection cap, and the NetworkPolicy sidecars need to reach istiod.
 * Canary/blue-green traffic splitting needs a second Deployment track and is left out.
 */
import { DestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule';
import { PeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { namespacePeer, tcp, type CompileContext, type EnvName, type FeatureSpec, type Resources, type TypedObject } from '@gitops/core';
import { PLATFORM_LABELS } from './constants';

export const MESH_ENVS: EnvName[] = ['staging'];
export const MESH_REVISION = 'ms5-mesh';
/** Istio's default sidecar resources, counted in the namespace quota where the mesh is on. */
export const SIDECAR_RESOURCES: Resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1Gi' } };
export const STRICT_MTLS = ['postgres', 'redis', 'redis-sentinel', 'minio'];

const labels = { ...PLATFORM_LABELS };

function meshObjects(ctx: CompileContext): TypedObject[] {
  const host = (svc: string) => `${svc}.${ctx.namespace}.svc.cluster.local`;
  return [
    new PeerAuthentication({ metadata: { name: 'default', labels }, spec: { mtls: { mode: 'PERMISSIVE' } } }),
    ...STRICT_MTLS.map(
      (name) =>
        new PeerAuthentication({
          metadata: { name: `${name}-strict`, labels },
          spec: { selector: { matchLabels: { 'app.kubernetes.io/name': name } }, mtls: { mode: 'STRICT' } },
        }),
    ),
    new DestinationRule({
      metadata: { name: 'backend', labels },
      spec: {
        host: host('backend'),
        trafficPolicy: {
          tls: { mode: 'ISTIO_MUTUAL' },
          connectionPool: { http: { http1MaxPendingRequests: 1024, maxRequestsPerConnection: 0, idleTimeout: '3600s' } },
          // Circuit breaker: a replica answering 5 consecutive 5xx is ejected for 30 s (at most half of them).
          outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
        },
      },
    }),
    new DestinationRule({
      metadata: { name: 'postgres', labels },
      spec: {
        host: host('postgres'),
        // Never more connections than max_connections (200) leaves for the app; fail fast instead of queueing.
        trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' }, connectionPool: { tcp: { maxConnections: 180, connectTimeout: '5s' } } },
      },
    }),
    new NetworkPolicy({
      metadata: { name: 'allow-istio-control-plane', labels },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [namespacePeer('istio-system')], ports: tcp(15012) }],
      },
    }),
  ];
}

export const meshFeature: FeatureSpec = {
  name: 'istio-mesh',
  description: 'Istio mTLS, circuit breaking and connection pools for MS5.0 (needs Istio CNI, native sidecars and revision tag ms5-mesh)',
  enabledIn: MESH_ENVS,
  objects: meshObjects,
};
