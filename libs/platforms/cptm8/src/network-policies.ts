/**
 * NetworkPolicies (prod only: the seed's table lists NetPol for production). Default deny
 * in both directions, DNS for everyone, then one policy per tier. The seed's `backend-netpol`
 * listed Egress with no egress rules, which would cut the Go services off from DNS
 * and their databases; here its egress is spelled out (README D8, D39).
 */
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import {
  anyOf, componentPods, defaultDeny, dnsEgress, INTERNET, kubeApiEgress, LABELS, namespacePeer, objectMeta, pods, tcp,
  type CompileContext, type FeatureSpec, type Peer, type PolicySpec,
} from '@gitops/core';
import { MONITORING } from '@gitops/environments/cluster';
import {
  FRONTENDS, GO_PORT, INGRESS_CONTROLLER_NAMESPACE, MONGODB, OPENSEARCH, POSTGRES, RABBITMQ, SCANNERS,
} from './constants';
import { ECR_BOOTSTRAP_JOB, ECR_CRONJOB } from './components/ecr-token-refresher';

const tier = (t: string): Peer => pods({ tier: t });
const DATASTORE_PORTS = [POSTGRES.port, RABBITMQ.port, MONGODB.port];
const FRONTEND_PORTS = Object.values(FRONTENDS).map((f) => f.port);

export const NETWORK_POLICY_NAMES = [
  'default-deny-all',
  'allow-dns-egress',
  'backend-netpol',
  'scanner-internet-egress',
  'frontend-netpol',
  'database-netpol',
  'opensearch-netpol',
  'vector-netpol',
  'ecr-token-refresher-egress',
] as const;

function policies(): Record<(typeof NETWORK_POLICY_NAMES)[number], PolicySpec> {
  return {
    'default-deny-all': defaultDeny(),
    'allow-dns-egress': dnsEgress(),
    // Go services: called by the front ends, by each other (orchestration) and scraped by the cluster's Prometheus.
    'backend-netpol': {
      podSelector: { matchLabels: { tier: 'application' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [tier('frontend'), tier('application'), namespacePeer(MONITORING.namespace, MONITORING.prometheusPodLabels)], ports: tcp(GO_PORT) }],
      egress: [
        { to: [tier('database')], ports: tcp(...DATASTORE_PORTS) },
        { to: [tier('application')], ports: tcp(GO_PORT) },
      ],
    },
    // The scanners' job is to reach targets on the internet; private ranges stay closed.
    'scanner-internet-egress': {
      podSelector: anyOf(SCANNERS),
      policyTypes: ['Egress'],
      egress: [{ to: [INTERNET] }],
    },
    'frontend-netpol': {
      podSelector: { matchLabels: { tier: 'frontend' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [namespacePeer(INGRESS_CONTROLLER_NAMESPACE)], ports: tcp(...FRONTEND_PORTS) }],
      egress: [{ to: [tier('application')], ports: tcp(GO_PORT) }],
    },
    'database-netpol': {
      podSelector: { matchLabels: { tier: 'database' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [tier('application')], ports: tcp(...DATASTORE_PORTS) }],
    },
    'opensearch-netpol': {
      podSelector: { matchLabels: { [LABELS.name]: OPENSEARCH.component } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [componentPods('vector')], ports: tcp(OPENSEARCH.port) },
        { from: [componentPods(OPENSEARCH.component)], ports: tcp(OPENSEARCH.port, OPENSEARCH.transportPort) },
      ],
      egress: [{ to: [componentPods(OPENSEARCH.component)], ports: tcp(OPENSEARCH.transportPort) }],
    },
    'vector-netpol': {
      podSelector: { matchLabels: { [LABELS.name]: 'vector' } },
      policyTypes: ['Ingress', 'Egress'],
      egress: [{ to: [componentPods(OPENSEARCH.component)], ports: tcp(OPENSEARCH.port) }],
    },
    // The Kubernetes API server (the kit's rule: 443 and 6443 to any address), which also carries
    // the AWS ECR API and dl.k8s.io on 443.
    'ecr-token-refresher-egress': {
      podSelector: anyOf([ECR_CRONJOB, ECR_BOOTSTRAP_JOB]),
      policyTypes: ['Egress'],
      egress: [kubeApiEgress()],
    },
  };
}

export function networkPolicies(ctx: CompileContext): NetworkPolicy[] {
  return Object.entries(policies()).map(([name, spec]) => new NetworkPolicy({ metadata: objectMeta(ctx, name), spec }));
}

export const networkPoliciesFeature: FeatureSpec = {
  name: 'network-policies',
  description: 'Default-deny NetworkPolicies with DNS egress and per-tier allow rules',
  enabledIn: ['prod'],
  objects: networkPolicies,
};
