/**
 * NetworkPolicies (seed): deny everything, then allow exactly the flows the
 * design has. Monitoring scrapes are allowed by the monitoring feature, istiod by the mesh feature,
 * so a flow exists only where its caller does.
 */
import {
  anyOf, componentPods, defaultDeny, dnsEgress, kubeApiEgress, namespacePeer, syncWave, tcp,
  type CompileContext, type Peer, type TypedObject,
} from '@gitops/core';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { CALLERS, N, PORTS, backedUp, inMesh, podsOf } from './design';

const wave = syncWave(1);

/** Pods in another namespace, by namespace name (the kubernetes.io/metadata.name label is always set). */
export const external = (namespace: string, podLabels: Record<string, string>): Peer => namespacePeer(namespace, podLabels);

const local = componentPods;

function policy(name: string, spec: NetworkPolicy['spec']): TypedObject {
  return new NetworkPolicy({ metadata: { name, annotations: wave }, spec });
}

/** Who fronts the app: the nginx controller, or the Istio ingress gateway where the mesh runs (D16). */
export function ingressController(env: string): Peer {
  return inMesh(env) ? external(CALLERS.istioGateway.namespace, CALLERS.istioGateway.podLabels) : external(CALLERS.nginx.namespace, CALLERS.nginx.podLabels);
}

export function networkPolicies(ctx: CompileContext): TypedObject[] {
  const env = ctx.env.name;
  const dbClients = [N.app, N.exporter, ...(backedUp(env) ? [N.backup] : [])];
  return [
    policy('default-deny-all', defaultDeny()),
    policy('allow-dns-egress', dnsEgress()),
    // Only the ingress controller reaches the app; the validation job checks /api/health.
    policy('hyperpage-ingress', {
      podSelector: { matchLabels: podsOf(N.app) },
      policyTypes: ['Ingress'],
      ingress: [{ from: [ingressController(env), local(N.validator)], ports: tcp(PORTS.app) }],
    }),
    // The app talks to PostgreSQL and to HTTPS APIs (tool integrations, the Kubernetes API for the
    // seed's RBAC). D17: the kit's API server rule (443 and 6443 to any address, private ones
    // included) also carries the integrations' 443, because neither set has fixed addresses.
    policy('hyperpage-egress', {
      podSelector: { matchLabels: podsOf(N.app) },
      policyTypes: ['Egress'],
      egress: [{ to: [local(N.db)], ports: tcp(PORTS.db) }, kubeApiEgress()],
    }),
    // The database is reachable only from the app, the backup job and the exporter.
    policy('postgresql-ingress', {
      podSelector: { matchLabels: podsOf(N.db) },
      policyTypes: ['Ingress'],
      ingress: [{ from: dbClients.map(local), ports: tcp(PORTS.db) }],
    }),
    policy('postgresql-clients-egress', {
      podSelector: anyOf(dbClients.filter((c) => c !== N.app)),
      policyTypes: ['Egress'],
      egress: [{ to: [local(N.db)], ports: tcp(PORTS.db) }],
    }),
    // The validation job calls the app and the Kubernetes API (whose address differs per cluster).
    policy('hyperpage-validate-egress', {
      podSelector: { matchLabels: podsOf(N.validator) },
      policyTypes: ['Egress'],
      egress: [{ to: [local(N.app)], ports: tcp(PORTS.app) }, kubeApiEgress()],
    }),
  ];
}

/** Prometheus in the monitoring namespace scrapes the app and the exporter (monitoring feature). */
export function monitoringPolicies(): TypedObject[] {
  const prometheus = external(CALLERS.monitoring.namespace, CALLERS.monitoring.podLabels);
  return [
    policy('allow-monitoring-scrape-hyperpage', {
      podSelector: { matchLabels: podsOf(N.app) },
      policyTypes: ['Ingress'],
      ingress: [{ from: [prometheus], ports: tcp(PORTS.app) }],
    }),
    policy('allow-monitoring-scrape-exporter', {
      podSelector: { matchLabels: podsOf(N.exporter) },
      policyTypes: ['Ingress'],
      ingress: [{ from: [prometheus], ports: tcp(PORTS.exporter) }],
    }),
  ];
}

/** Every sidecar fetches configuration and certificates from istiod (mesh feature). */
export function meshPolicies(): TypedObject[] {
  return [
    policy('allow-istiod-egress', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [external('istio-system', { app: 'istiod' })], ports: tcp(15012) }],
    }),
  ];
}
