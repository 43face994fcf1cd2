/**
 * A small language for NetworkPolicies: ports, peers, the usual policies (default deny, DNS
 * egress) and flows, where one list of connections writes both ends (the receiver's ingress rule
 * and the sender's egress rule), so an allowed connection is never open at one end only.
 */
import { NetworkPolicy, type INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
import type { INetworkPolicyIngressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import { LABELS } from '../objects';

export type Peer = INetworkPolicyPeer;
export type Port = INetworkPolicyPort;
export type IngressRule = INetworkPolicyIngressRule;
export type EgressRule = INetworkPolicyEgressRule;
export type PolicySpec = NonNullable<INetworkPolicy['spec']>;
type LabelSelector = PolicySpec['podSelector'];

/** TCP ports, in the order given. */
export const tcp = (...ports: number[]): Port[] => ports.map((port) => ({ protocol: 'TCP', port }));
/** UDP ports, in the order given. */
export const udp = (...ports: number[]): Port[] => ports.map((port) => ({ protocol: 'UDP', port }));

/** Pods of the policy's own namespace with these labels. */
export const pods = (labels: Record<string, string>): Peer => ({ podSelector: { matchLabels: { ...labels } } });

/** Pods of one component (the compiler's selector label `app.kubernetes.io/name`). */
export const componentPods = (name: string): Peer => pods({ [LABELS.name]: name });

/** A selector for the pods of several components: `<label> In [names]`. @default label `app.kubernetes.io/name` */
export const anyOf = (names: readonly string[], label: string = LABELS.name): LabelSelector => ({
  matchExpressions: [{ key: label, operator: 'In', values: [...names] }],
});

export interface NamespacePeerOptions {
  /**
   * Namespace label to match. Kubernetes sets `kubernetes.io/metadata.name` on every namespace;
   * the compiler also sets `name` on the namespaces it creates. @default 'kubernetes.io/metadata.name'
   */
  label?: string;
}

/**
 * Pods of another namespace: with `podLabels`, ONE peer holding both selectors (namespace AND
 * pods; two peers would mean namespace OR pods); without, every pod of the namespace.
 */
export function namespacePeer(namespace: string, podLabels?: Record<string, string>, opts: NamespacePeerOptions = {}): Peer {
  return {
    namespaceSelector: { matchLabels: { [opts.label ?? 'kubernetes.io/metadata.name']: namespace } },
    ...(podLabels ? { podSelector: { matchLabels: { ...podLabels } } } : {}),
  };
}

/**
 * IPv4 ranges that are not the public internet: RFC 1918 private networks (where clusters, their
 * nodes and their VPC peers live), link-local 169.254.0.0/16 (the cloud metadata endpoint, which
 * hands out node credentials) and 100.64.0.0/10 (carrier-grade NAT, used for pod and node
 * networks by some clouds and VPNs).
 */
export const NON_PUBLIC_IPV4: readonly string[] = Object.freeze(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10']);
/** IPv6 ranges that are not the public internet: unique-local fc00::/7 and link-local fe80::/10. */
export const NON_PUBLIC_IPV6: readonly string[] = Object.freeze(['fc00::/7', 'fe80::/10']);

/** The public IPv4 internet: every address except the non-public ranges. The one definition of "the internet". */
export const INTERNET: Peer = Object.freeze({ ipBlock: Object.freeze({ cidr: '0.0.0.0/0', except: NON_PUBLIC_IPV4 as string[] }) }) as Peer;
/**
 * The public IPv6 internet. Not part of `INTERNET`: every environment here is an IPv4 cluster;
 * a dual-stack platform lists both peers (`to: [INTERNET, INTERNET_IPV6]`).
 */
export const INTERNET_IPV6: Peer = Object.freeze({ ipBlock: Object.freeze({ cidr: '::/0', except: NON_PUBLIC_IPV6 as string[] }) }) as Peer;
/**
 * Any IPv4 address, private ones included: for destinations that have no fixed address and may
 * be private (the Kubernetes API server, on-premises hosts). Not "the internet": use `INTERNET`
 * for public services, so the metadata endpoint and the private networks stay closed.
 */
export const ANY_ADDRESS: Peer = Object.freeze({ ipBlock: Object.freeze({ cidr: '0.0.0.0/0' }) }) as Peer;

/**
 * Ports of the Kubernetes API server as an egress policy sees them: 443 is the `kubernetes.default`
 * Service port (and the API server's own port on EKS and AKS), 6443 the port the API server listens
 * on with kubeadm and Kind. NetworkPolicy matches the port after the Service translation, so a client
 * of `kubernetes.default` needs both.
 */
export const KUBE_API_PORTS: readonly number[] = Object.freeze([443, 6443]);

/**
 * Egress to the Kubernetes API server: `ANY_ADDRESS` (the control plane's address differs per
 * cluster and is private) on `KUBE_API_PORTS`. The one rule for every client of the API.
 */
export function kubeApiEgress(): EgressRule {
  return { to: [structuredClone(ANY_ADDRESS)], ports: tcp(...KUBE_API_PORTS) };
}

/** A policy for every pod of the namespace that allows nothing in the listed directions. @default both directions */
export function defaultDeny(types: Array<'Ingress' | 'Egress'> = ['Ingress', 'Egress']): PolicySpec {
  return { podSelector: {}, policyTypes: [...types] };
}

/** CoreDNS / kube-dns in kube-system (`k8s-app: kube-dns` on kubeadm, Kind, EKS and AKS alike), UDP and TCP 53. */
export const DNS_EGRESS_RULE: EgressRule = Object.freeze({
  to: [namespacePeer('kube-system', { 'k8s-app': 'kube-dns' })],
  ports: [...udp(53), ...tcp(53)],
}) as EgressRule;

export interface DnsEgressOptions {
  /**
   * Allow port 53 to any address instead of only kube-dns, for clusters with a node-local DNS
   * cache or another resolver. @default false
   */
  anyResolver?: boolean;
}

/** Every pod of the namespace may resolve names. */
export function dnsEgress(opts: DnsEgressOptions = {}): PolicySpec {
  return {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [opts.anyResolver ? { ports: [...udp(53), ...tcp(53)] } : structuredClone(DNS_EGRESS_RULE)],
  };
}

/**
 * One allowed connection. A string end is a component of this namespace (selected by
 * `FlowOptions.select`) and gets a policy of its own; a peer end is outside the namespace (another
 * namespace, an address block) and only the local end is written.
 */
export interface Flow {
  from: string | Peer;
  to: string | Peer;
  ports: Port[];
}

export interface FlowOptions {
  /** Pods of a local component. @default `matchLabels: { app.kubernetes.io/name: <name> }` */
  select?: (component: string) => LabelSelector;
  /** Name of the ingress policy of a receiver. @default `<to>-ingress` */
  ingressName?: (to: string) => string;
  /** Name of the egress policy of a sender. @default `<from>-egress` */
  egressName?: (from: string) => string;
  /** Metadata of every policy (labels, namespace, sync wave). @default `{ name }` */
  metadata?: (name: string) => NonNullable<INetworkPolicy['metadata']>;
}

const defaultSelect = (name: string): LabelSelector => ({ matchLabels: { [LABELS.name]: name } });

/** Group by key, first-seen order (deterministic output). */
function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) m.set(key(i), [...(m.get(key(i)) ?? []), i]);
  return m;
}

const endKey = (end: string | Peer): string => (typeof end === 'string' ? `local:${end}` : `peer:${JSON.stringify(end)}`);

/**
 * Both ends of every flow: one ingress policy per local receiver (a rule per sender) and one
 * egress policy per local sender (a rule per receiver); the ports of flows between the same two
 * ends are merged in order. Rules follow the traffic: in an ingress policy the senders outside the
 * namespace come first, in an egress policy the receivers outside the namespace come last.
 * Policies are returned ingress first, each in the order its component first appears in `flows`.
 */
export function flowPolicies(flows: readonly Flow[], opts: FlowOptions = {}): NetworkPolicy[] {
  const select = opts.select ?? defaultSelect;
  const metadata = opts.metadata ?? ((name: string) => ({ name }));
  const peerOf = (end: string | Peer): Peer => (typeof end === 'string' ? { podSelector: select(end) } : end);
  const ports = (fs: Flow[]) => fs.flatMap((f) => f.ports);
  const outsideFirst = (a: Flow[], end: (f: Flow) => string | Peer) => [...a.filter((f) => typeof end(f) !== 'string'), ...a.filter((f) => typeof end(f) === 'string')];

  const out: NetworkPolicy[] = [];
  for (const [, fs] of groupBy(flows.filter((f) => typeof f.to === 'string'), (f) => f.to as string)) {
    const to = fs[0].to as string;
    const ingress = [...groupBy(outsideFirst(fs, (f) => f.from), (f) => endKey(f.from)).values()].map((g) => ({ from: [peerOf(g[0].from)], ports: ports(g) }));
    out.push(new NetworkPolicy({ metadata: metadata((opts.ingressName ?? ((n) => `${n}-ingress`))(to)), spec: { podSelector: select(to), policyTypes: ['Ingress'], ingress } }));
  }
  for (const [, fs] of groupBy(flows.filter((f) => typeof f.from === 'string'), (f) => f.from as string)) {
    const from = fs[0].from as string;
    const local = fs.filter((f) => typeof f.to === 'string');
    const outside = fs.filter((f) => typeof f.to !== 'string');
    const egress = [...groupBy([...local, ...outside], (f) => endKey(f.to)).values()].map((g) => ({ to: [peerOf(g[0].to)], ports: ports(g) }));
    out.push(new NetworkPolicy({ metadata: metadata((opts.egressName ?? ((n) => `${n}-egress`))(from)), spec: { podSelector: select(from), policyTypes: ['Egress'], egress } }));
  }
  return out;
}
