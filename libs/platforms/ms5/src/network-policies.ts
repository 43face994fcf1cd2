/**
 * NetworkPolicies (seed L375-L382): deny everything, allow DNS, then exactly the flows below.
 * The flow table is the single source: each destination gets one ingress policy listing its
 * clients, each client one egress policy listing its destinations, so both ends always agree.
 */
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import { PORTS } from './constants';

type Proto = 'TCP' | 'UDP';
export interface Flow {
  from: string;
  to: string;
  port: number;
  protocol?: Proto;
}

/** Pods outside the namespace that open connections into it. */
export const INGRESS_CONTROLLER = { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } };

const clients = (to: string, port: number, froms: string[]): Flow[] => froms.map((from) => ({ from, to, port }));
const APP = ['backend', 'celery-worker'];
const CELERY = [...APP, 'celery-beat', 'flower'];

/** Every connection between MS5 pods. */
export const FLOWS: Flow[] = [
  ...clients('postgres', PORTS.postgres, [...APP, 'postgres-exporter']),
  // Celery broker/backend and cache: every Celery process, Redis replication, Sentinels, exporter.
  ...clients('redis', PORTS.redis, [...CELERY, 'redis', 'redis-sentinel', 'redis-exporter']),
  ...clients('redis-sentinel', PORTS.sentinel, [...CELERY, 'redis', 'redis-sentinel', 'redis-exporter']),
  ...clients('minio', PORTS.minio, [...APP, 'minio-setup', 'prometheus']),
  // Scrapes.
  ...clients('backend', PORTS.backend, ['prometheus']),
  ...clients('flower', PORTS.flower, ['prometheus']),
  ...clients('grafana', PORTS.grafana, ['prometheus']),
  ...clients('postgres-exporter', PORTS.postgresExporter, ['prometheus']),
  ...clients('redis-exporter', PORTS.redisExporter, ['prometheus']),
  ...clients('alertmanager', PORTS.alertmanager, ['prometheus', 'grafana']),
  ...clients('prometheus', PORTS.prometheus, ['grafana']),
  // Alertmanager gossip (TCP and UDP).
  { from: 'alertmanager', to: 'alertmanager', port: PORTS.alertmanagerMesh, protocol: 'TCP' },
  { from: 'alertmanager', to: 'alertmanager', port: PORTS.alertmanagerMesh, protocol: 'UDP' },
];

/** Components the ingress controller reaches (the Ingress backends). */
export const FROM_INGRESS: Array<{ to: string; port: number }> = [
  { to: 'backend', port: PORTS.backend },
  { to: 'grafana', port: PORTS.grafana },
  { to: 'flower', port: PORTS.flower },
];

/**
 * Egress leaving the cluster network, HTTPS only: Application Insights for the app (seed L67),
 * the Kubernetes API for Prometheus' pod discovery (443 on AKS, 6443 on Kind), Teams webhooks.
 */
export const EXTERNAL_EGRESS: Record<string, number[]> = {
  backend: [443],
  'celery-worker': [443],
  prometheus: [443, 6443],
  alertmanager: [443],
};

const pod = (name: string): INetworkPolicyPeer => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': name } } });
const portOf = (f: { port: number; protocol?: Proto }): INetworkPolicyPort => ({ port: f.port, protocol: f.protocol ?? 'TCP' });
const meta = (name: string) => ({ name, labels: { 'app.kubernetes.io/part-of': 'ms5', 'app.kubernetes.io/managed-by': 'gitops' } });
const selector = (name: string) => ({ matchLabels: { 'app.kubernetes.io/name': name } });

/** Group flows by key, keeping first-seen order (deterministic output). */
function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) m.set(key(i), [...(m.get(key(i)) ?? []), i]);
  return m;
}

export function networkPolicies(extraFlows: Flow[] = []): NetworkPolicy[] {
  const flows = [...FLOWS, ...extraFlows];
  const out: NetworkPolicy[] = [
    new NetworkPolicy({
      metadata: meta('default-deny-all'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    }),
    new NetworkPolicy({
      metadata: meta('allow-dns-egress'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
          },
        ],
      },
    }),
  ];

  // Ingress side: one policy per destination, one rule per client.
  const byDest = groupBy(flows, (f) => f.to);
  const dests = new Set([...byDest.keys(), ...FROM_INGRESS.map((f) => f.to)]);
  for (const to of dests) {
    const rules = [...groupBy(byDest.get(to) ?? [], (f) => f.from)].map(([from, fs]) => ({ from: [pod(from)], ports: fs.map(portOf) }));
    const edge = FROM_INGRESS.filter((f) => f.to === to).map((f) => ({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': INGRESS_CONTROLLER.namespace } }, podSelector: { matchLabels: INGRESS_CONTROLLER.podLabels } }],
      ports: [portOf(f)],
    }));
    out.push(new NetworkPolicy({ metadata: meta(`${to}-ingress`), spec: { podSelector: selector(to), policyTypes: ['Ingress'], ingress: [...edge, ...rules] } }));
  }

  // Egress side: one policy per client, one rule per destination (+ HTTPS out where listed).
  const bySource = groupBy(flows, (f) => f.from);
  const sources = new Set([...bySource.keys(), ...Object.keys(EXTERNAL_EGRESS)]);
  for (const from of sources) {
    const rules = [...groupBy(bySource.get(from) ?? [], (f) => f.to)].map(([to, fs]) => ({ to: [pod(to)], ports: fs.map(portOf) }));
    const external = EXTERNAL_EGRESS[from] ? [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: EXTERNAL_EGRESS[from].map((port) => portOf({ port })) }] : [];
    out.push(new NetworkPolicy({ metadata: meta(`${from}-egress`), spec: { podSelector: selector(from), policyTypes: ['Egress'], egress: [...rules, ...external] } }));
  }
  return out;
}
