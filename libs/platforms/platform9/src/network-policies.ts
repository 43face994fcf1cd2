/**
 * NetworkPolicies: deny all ingress and egress, allow DNS, then one ingress policy per
 * destination and its mirror egress policy for the clients (seed, corrected so every
 * flow the components actually make is allowed: decision 23).
 *
 * Every flow is listed once, in FLOWS; the ingress and egress policies are both derived from it,
 * so an allowed connection is never open at one end only. Peers are selected by the `app` label.
 */
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ANY_ADDRESS, anyOf, defaultDeny, dnsEgress, namespacePeer, pods, syncWave, tcp, toPlain, type CompileContext, type KubeObject, type Peer } from '@gitops/core';
import { INGRESS_NGINX } from '@gitops/environments/cluster';
import { PLATFORM_LABELS, PORTS, WORKERS } from './constants';

export interface Flow {
  /** Name of the ingress policy on the destination (the seed's names where it has one). */
  policy: string;
  /** Name of the egress policy on the clients (default `allow-egress-to-<to>`). */
  egressPolicy?: string;
  /** Destination pods (`app` label) and port. */
  to: string;
  port: number;
  /** Clients in the namespace (`app` labels). */
  from: string[];
  /** Clients in other namespaces (the kit's `namespacePeer`). */
  fromPeers?: Peer[];
}

/**
 * Traffic to addresses outside the cluster, by port. The destinations (Keystone, the hypervisors,
 * the SMTP relay) may be on private networks, so the peer is the kit's ANY_ADDRESS, not INTERNET.
 */
export interface ExternalFlow {
  policy: string;
  from: string[];
  ports: number[];
}

/** The ingress controller's pods, not every pod of its namespace. */
const INGRESS: Peer = namespacePeer(INGRESS_NGINX.namespace, INGRESS_NGINX.podLabels);

export const FLOWS: Flow[] = [
  { policy: 'allow-ingress-to-ui', to: 'pf9-ui', port: PORTS.ui, from: [], fromPeers: [INGRESS] },
  // Ingress + UI + metering + monitoring ("Monitoring <-> API").
  { policy: 'allow-api', to: 'pf9-api', port: PORTS.api, from: ['pf9-ui', 'pf9-monitoring', 'metering-worker'], fromPeers: [INGRESS] },
  // API + metering + the Ingress, which publishes /metrics.
  { policy: 'allow-monitoring', to: 'pf9-monitoring', port: PORTS.monitoring, from: ['pf9-api', 'metering-worker'], fromPeers: [INGRESS] },
  // Missing in the seed (digest 10.5 #33a): the cache's only clients.
  { policy: 'allow-redis', to: 'redis-cache', port: PORTS.redis, from: ['pf9-monitoring', 'metrics-collection-job'] },
  // API + workers + migration + the CronJobs that read or dump the database.
  {
    policy: 'allow-database',
    to: 'postgres',
    port: PORTS.postgres,
    from: ['pf9-api', ...WORKERS, 'db-migration', 'snapshot-policy-job', 'postgres-backup'],
  },
  // API + backup worker widened to every worker (decision 23).
  { policy: 'allow-ldap', to: 'openldap', port: PORTS.ldap, from: ['pf9-api', ...WORKERS] },
];

export const EXTERNAL_FLOWS: ExternalFlow[] = [
  // Platform9/Keystone APIs and the backup object store are HTTPS endpoints outside the cluster.
  {
    policy: 'allow-https-egress',
    ports: [443],
    from: ['pf9-api', 'pf9-monitoring', 'snapshot-worker', 'metrics-collection-job', 'snapshot-policy-job', 'cleanup-job', 'postgres-backup'],
  },
  // node exporter 9388 and libvirt exporter 9177 on the hypervisors.
  { policy: 'allow-hypervisor-exporter-egress', ports: [9388, 9177], from: ['pf9-monitoring', 'metrics-collection-job'] },
  // SMTP submission with STARTTLS, as notification-config says (SMTP_PORT 587; 465 dropped).
  { policy: 'allow-smtp-egress', ports: [587], from: ['notification-worker'] },
];

const appsIn = (apps: string[]) => anyOf(apps, 'app');

function metadata(ctx: CompileContext, name: string) {
  return { name, namespace: ctx.namespace, labels: { ...PLATFORM_LABELS }, annotations: syncWave(1) };
}

/** The ingress policy on the destination and, when there are in-namespace clients, their egress policy. */
export function flowPolicies(ctx: CompileContext, flows: Flow[]): KubeObject[] {
  return flows.flatMap((f) => {
    const peers: Peer[] = [
      ...(f.from.length ? [{ podSelector: appsIn(f.from) }] : []),
      ...(f.fromPeers ?? []).map((p) => structuredClone(p)),
    ];
    const ingress = toPlain(new NetworkPolicy({
      metadata: metadata(ctx, f.policy),
      spec: { podSelector: { matchLabels: { app: f.to } }, policyTypes: ['Ingress'], ingress: [{ from: peers, ports: tcp(f.port) }] },
    }));
    if (!f.from.length) return [ingress];
    const egress = toPlain(new NetworkPolicy({
      metadata: metadata(ctx, f.egressPolicy ?? `allow-egress-to-${f.to}`),
      spec: { podSelector: appsIn(f.from), policyTypes: ['Egress'], egress: [{ to: [pods({ app: f.to })], ports: tcp(f.port) }] },
    }));
    return [ingress, egress];
  });
}

export function externalPolicies(ctx: CompileContext, flows: ExternalFlow[]): KubeObject[] {
  return flows.map(
    (f) =>
      toPlain(new NetworkPolicy({
        metadata: metadata(ctx, f.policy),
        spec: { podSelector: appsIn(f.from), policyTypes: ['Egress'], egress: [{ to: [ANY_ADDRESS], ports: tcp(...f.ports) }] },
      })),
  );
}

export function networkPolicies(ctx: CompileContext): KubeObject[] {
  return [
    // "Deny-all by default" (restrictedMode): the seed only denied ingress.
    toPlain(new NetworkPolicy({ metadata: metadata(ctx, 'default-deny-ingress'), spec: defaultDeny(['Ingress']) })),
    toPlain(new NetworkPolicy({ metadata: metadata(ctx, 'default-deny-egress'), spec: defaultDeny(['Egress']) })),
    // DNS for every pod, to kube-dns in kube-system only (the kit's default, as every platform).
    toPlain(new NetworkPolicy({ metadata: metadata(ctx, 'allow-dns-egress'), spec: dnsEgress() })),
    ...flowPolicies(ctx, FLOWS),
    ...externalPolicies(ctx, EXTERNAL_FLOWS),
  ];
}
