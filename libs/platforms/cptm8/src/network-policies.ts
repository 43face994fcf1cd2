/**
 * NetworkPolicies (prod only: the seed's table lists NetPol for production, L1224). Default deny
 * in both directions, DNS for everyone, then one policy per tier. The seed's `backend-netpol`
 * (L1187-1203) listed Egress with no egress rules, which would cut the Go services off from DNS
 * and their databases; here its egress is spelled out (README D8, D39).
 */
import { NetworkPolicy, type INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { LABELS, type CompileContext, type FeatureSpec } from '@gitops/core';
import {
  FRONTENDS, GO_PORT, INGRESS_CONTROLLER_NAMESPACE, MONGODB, MONITORING_NAMESPACE, OPENSEARCH, POSTGRES, RABBITMQ, SCANNERS,
} from './constants';
import { ECR_BOOTSTRAP_JOB, ECR_CRONJOB } from './components/ecr-token-refresher';
import { metaFor } from './meta';

type Spec = NonNullable<INetworkPolicy['spec']>;
type Peer = NonNullable<NonNullable<Spec['ingress']>[number]['from']>[number];

const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP' as const, port }));
const tier = (t: string): Peer => ({ podSelector: { matchLabels: { tier: t } } });
const named = (name: string): Peer => ({ podSelector: { matchLabels: { [LABELS.name]: name } } });
const namespace = (name: string): Peer => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
/** Public internet: everything but private, link-local (cloud metadata) and carrier-grade NAT ranges. */
const internet: Peer = {
  ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10'] },
};
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

function policies(): Record<(typeof NETWORK_POLICY_NAMES)[number], Spec> {
  return {
    'default-deny-all': { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    'allow-dns-egress': {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ ...namespace('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    },
    // Go services: called by the front ends, by each other (orchestration) and scraped by Prometheus.
    'backend-netpol': {
      podSelector: { matchLabels: { tier: 'application' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [tier('frontend'), tier('application'), namespace(MONITORING_NAMESPACE)], ports: tcp(GO_PORT) }],
      egress: [
        { to: [tier('database')], ports: tcp(...DATASTORE_PORTS) },
        { to: [tier('application')], ports: tcp(GO_PORT) },
      ],
    },
    // The scanners' job is to reach targets on the internet; private ranges stay closed.
    'scanner-internet-egress': {
      podSelector: { matchExpressions: [{ key: LABELS.name, operator: 'In', values: [...SCANNERS] }] },
      policyTypes: ['Egress'],
      egress: [{ to: [internet] }],
    },
    'frontend-netpol': {
      podSelector: { matchLabels: { tier: 'frontend' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [namespace(INGRESS_CONTROLLER_NAMESPACE)], ports: tcp(...FRONTEND_PORTS) }],
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
        { from: [named('vector')], ports: tcp(OPENSEARCH.port) },
        { from: [named(OPENSEARCH.component)], ports: tcp(OPENSEARCH.port, OPENSEARCH.transportPort) },
      ],
      egress: [{ to: [named(OPENSEARCH.component)], ports: tcp(OPENSEARCH.transportPort) }],
    },
    'vector-netpol': {
      podSelector: { matchLabels: { [LABELS.name]: 'vector' } },
      policyTypes: ['Ingress', 'Egress'],
      egress: [{ to: [named(OPENSEARCH.component)], ports: tcp(OPENSEARCH.port) }],
    },
    // AWS ECR API, dl.k8s.io and the Kubernetes API server (443 on EKS, 6443 on kubeadm/Kind).
    'ecr-token-refresher-egress': {
      podSelector: { matchExpressions: [{ key: LABELS.name, operator: 'In', values: [ECR_CRONJOB, ECR_BOOTSTRAP_JOB] }] },
      policyTypes: ['Egress'],
      egress: [{ ports: tcp(443, 6443) }],
    },
  };
}

export function networkPolicies(ctx: CompileContext): NetworkPolicy[] {
  return Object.entries(policies()).map(([name, spec]) => new NetworkPolicy({ metadata: metaFor(ctx, name), spec }));
}

export const networkPoliciesFeature: FeatureSpec = {
  name: 'network-policies',
  description: 'Default-deny NetworkPolicies with DNS egress and per-tier allow rules',
  enabledIn: ['prod'],
  objects: networkPolicies,
};
