/**
 * The Istio service mesh (seed), a feature enabled in staging and prod.
 *
 * Path of a request (D16): nginx Ingress (TLS, cert-manager) -> ExternalName Service -> Istio
 * ingress gateway -> Gateway/VirtualService (retries, timeouts) -> DestinationRule (connection
 * pool, circuit breaking) -> app sidecar (STRICT mTLS) -> AuthorizationPolicy (only known callers).
 */
import { syncWave, type CompileContext, type FeatureSpec, type TypedObject } from '@gitops/core';
import { Service } from 'kubernetes-models/v1/Service';
import { Gateway } from '@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService';
import { DestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule';
import { PeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { CALLERS, DB, MESH_ENVS, N, PORTS, SA, backedUp, fqdn, host, podsOf } from './design';
import { meshPolicies } from './network-policies';

const principal = (namespace: string, sa: string) => `cluster.local/ns/${namespace}/sa/${sa}`;

/** D25: retry only what cannot have reached the app twice; 3 x 10 s within a 30 s budget. */
export const ROUTE = { timeout: '30s', retries: { attempts: 3, perTryTimeout: '10s', retryOn: 'connect-failure,refused-stream,unavailable,503' } } as const;

/** D26: sized for 50 pods x 100 req/s (seed); eject a pod after 5 consecutive 5xx. */
export const APP_TRAFFIC_POLICY = {
  tls: { mode: 'ISTIO_MUTUAL' as const },
  loadBalancer: { simple: 'LEAST_REQUEST' as const },
  connectionPool: {
    tcp: { maxConnections: 1000, connectTimeout: '3s' },
    http: { http1MaxPendingRequests: 500, http2MaxRequests: 5000, maxRetries: 10, idleTimeout: '60s' },
  },
  outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
};

function meshObjects(ctx: CompileContext): TypedObject[] {
  const ns = ctx.namespace;
  const publicHost = host(ctx.env.baseDomain);
  const appHost = fqdn(N.service, ns);
  const dbClients = [SA.app, SA.exporter, ...(backedUp(ctx.env.name) ? [SA.backup] : [])];
  return [
    // The Ingress backend where the mesh runs: the gateway lives in istio-system.
    new Service({
      metadata: { name: N.meshEntry, annotations: syncWave(3) },
      spec: { type: 'ExternalName', externalName: CALLERS.istioGateway.service, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
    }),
    new Gateway({
      metadata: { name: N.gateway, annotations: syncWave(3) },
      spec: {
        selector: { ...CALLERS.istioGateway.podLabels },
        // TLS ends at nginx; the gateway is reached in-cluster only (prerequisite, README).
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [publicHost] }],
      },
    }),
    new VirtualService({
      metadata: { name: N.app, annotations: syncWave(3) },
      spec: {
        hosts: [publicHost, appHost],
        gateways: [N.gateway, 'mesh'],
        http: [{ name: 'hyperpage', route: [{ destination: { host: appHost, port: { number: PORTS.app } } }], timeout: ROUTE.timeout, retries: { ...ROUTE.retries } }],
      },
    }),
    new DestinationRule({ metadata: { name: N.app, annotations: syncWave(3) }, spec: { host: appHost, trafficPolicy: APP_TRAFFIC_POLICY } }),
    new DestinationRule({
      metadata: { name: N.db, annotations: syncWave(3) },
      spec: {
        host: fqdn(N.db, ns),
        trafficPolicy: {
          tls: { mode: 'ISTIO_MUTUAL' },
          // Never more than the server accepts (max_connections).
          connectionPool: { tcp: { maxConnections: DB.maxConnections, connectTimeout: '5s', tcpKeepalive: { time: '300s', interval: '60s' } } },
        },
      },
    }),
    // Seed: "mTLS: Strict peer authentication", namespace-wide.
    new PeerAuthentication({ metadata: { name: 'default', annotations: syncWave(1) }, spec: { mtls: { mode: 'STRICT' } } }),
    // Deny by default, then allow the real callers per workload.
    new AuthorizationPolicy({ metadata: { name: 'allow-nothing', annotations: syncWave(1) }, spec: {} }),
    new AuthorizationPolicy({
      metadata: { name: N.app, annotations: syncWave(1) },
      spec: {
        selector: { matchLabels: podsOf(N.app) },
        action: 'ALLOW',
        rules: [
          { from: [{ source: { principals: [CALLERS.istioGateway.principal] } }] },
          { from: [{ source: { principals: [principal(ns, SA.validator)] } }], to: [{ operation: { methods: ['GET'], paths: ['/api/health'] } }] },
          { from: [{ source: { namespaces: [CALLERS.monitoring.namespace] } }], to: [{ operation: { methods: ['GET'], paths: ['/api/metrics'] } }] },
        ],
      },
    }),
    new AuthorizationPolicy({
      metadata: { name: N.db, annotations: syncWave(1) },
      spec: {
        selector: { matchLabels: podsOf(N.db) },
        action: 'ALLOW',
        rules: [{ from: [{ source: { principals: dbClients.map((sa) => principal(ns, sa)) } }], to: [{ operation: { ports: [String(PORTS.db)] } }] }],
      },
    }),
    new AuthorizationPolicy({
      metadata: { name: N.exporter, annotations: syncWave(1) },
      spec: {
        selector: { matchLabels: podsOf(N.exporter) },
        action: 'ALLOW',
        rules: [{ from: [{ source: { namespaces: [CALLERS.monitoring.namespace] } }], to: [{ operation: { methods: ['GET'], paths: ['/metrics'] } }] }],
      },
    }),
    ...meshPolicies(),
  ];
}

export const meshFeature: FeatureSpec = {
  name: 'mesh',
  description: 'Istio: gateway, routing with retries/timeouts, circuit breaking, STRICT mTLS, authorization',
  enabledIn: MESH_ENVS,
  objects: meshObjects,
};
