/**
 * NetworkPolicies (seed): deny everything, allow DNS, then exactly the flows below.
 * The flow table is the single source: each destination gets one ingress policy listing its
 * clients, each client one egress policy listing its destinations, so both ends always agree.
 */
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ANY_ADDRESS, defaultDeny, dnsEgress, flowPolicies, INTERNET, KUBE_API_PORTS, namespacePeer, tcp, type Flow as KitFlow, type Peer, type Port } from '@gitops/core';
import { PLATFORM_LABELS, PORTS } from './constants';
import { INGRESS_NGINX } from '@gitops/environments/cluster';

type Proto = 'TCP' | 'UDP';
export interface Flow {
  from: string;
  to: string;
  port: number;
  protocol?: Proto;
}

/** Pods outside the namespace that open connections into it. */

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
 * Egress leaving the cluster network, HTTPS only: Application Insights and external APIs for the
 * app, Teams webhooks for Alertmanager (public services: the kit's INTERNET, private ranges and
 * the metadata endpoint closed), and the Kubernetes API for Prometheus' pod discovery (the kit's
 * KUBE_API_PORTS, 443 on AKS and 6443 on Kind; a private address, hence ANY_ADDRESS).
 */
export const EXTERNAL_EGRESS: Record<string, { to: Peer; ports: number[] }> = {
  backend: { to: INTERNET, ports: [443] },
  'celery-worker': { to: INTERNET, ports: [443] },
  prometheus: { to: ANY_ADDRESS, ports: [...KUBE_API_PORTS] },
  alertmanager: { to: INTERNET, ports: [443] },
};

const portOf = (f: { port: number; protocol?: Proto }): Port => ({ port: f.port, protocol: f.protocol ?? 'TCP' });
const meta = (name: string) => ({ name, labels: { ...PLATFORM_LABELS } });

/**
 * Default deny, DNS, and both ends of every flow (the kit's `flowPolicies`): `<to>-ingress` on
 * each destination, `<from>-egress` on each client, plus the ingress controller's and the
 * external flows, which have one end in this namespace.
 */
export function networkPolicies(extraFlows: Flow[] = []): NetworkPolicy[] {
  const ingressController = namespacePeer(INGRESS_NGINX.namespace, INGRESS_NGINX.podLabels);
  const flows: KitFlow[] = [
    ...[...FLOWS, ...extraFlows].map((f) => ({ from: f.from, to: f.to, ports: [portOf(f)] })),
    ...FROM_INGRESS.map((f) => ({ from: ingressController, to: f.to, ports: [portOf(f)] })),
    ...Object.entries(EXTERNAL_EGRESS).map(([from, e]) => ({ from, to: e.to, ports: tcp(...e.ports) })),
  ];
  return [
    new NetworkPolicy({ metadata: meta('default-deny-all'), spec: defaultDeny() }),
    new NetworkPolicy({ metadata: meta('allow-dns-egress'), spec: dnsEgress() }),
    ...flowPolicies(flows, { metadata: meta }),
  ];
}
