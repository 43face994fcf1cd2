/**
 * Allowed network flows of one app in one environment, from its NetworkPolicies. Inside the
 * namespace a flow a → b needs both sides: b's ingress admits a (or b is not ingress-isolated)
 * and a's egress admits b (or a is not egress-isolated); the ports shown are those both allow.
 * Peers outside the namespace (namespaceSelector, ipBlock, rules without peers) become outside
 * nodes. Named ports are compared as written (a policy naming `http` and one saying 8080 do not
 * meet here, though they may in the cluster): a known simplification of a picture, not a verdict.
 */
import type { KubeObject } from '@gitops/core';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';

type ILabelSelector = NonNullable<INetworkPolicyPeer['podSelector']>;

export interface FlowNode {
  id: string;
  /** Pod label sets of the component's workloads; empty for outside nodes. */
  labels: Array<Record<string, string>>;
}

export interface Flow {
  from: string;
  to: string;
  /** e.g. `TCP/5432`; `any` when every port is allowed. */
  ports: string[];
  /** The same flow is allowed the other way too (drawn once, arrows at both ends). */
  both?: boolean;
}

const ANY = 'any';

export function selects(selector: ILabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const portsOf = (ports: INetworkPolicyPort[] | undefined): string[] =>
  ports?.length ? ports.map((p) => `${p.protocol ?? 'TCP'}/${p.port ?? '*'}${p.endPort ? `-${p.endPort}` : ''}`) : [ANY];

/** Name of an outside peer, or undefined for a pod peer of the same namespace. */
function outsideName(peer: INetworkPolicyPeer, namespace: string): string | undefined {
  if (peer.ipBlock) return peer.ipBlock.cidr === '0.0.0.0/0' ? `internet${peer.ipBlock.except?.length ? ' (not private ranges)' : ''}` : `ip ${peer.ipBlock.cidr}`;
  if (!peer.namespaceSelector) return undefined;
  const ns = peer.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'];
  if (ns === namespace) return undefined;
  const pods = peer.podSelector?.matchLabels ? ` ${Object.values(peer.podSelector.matchLabels).join(',')}` : '';
  return ns ? `ns ${ns}${pods}` : Object.keys(peer.namespaceSelector).length ? 'selected namespaces' : `every namespace${pods}`;
}

function union(a: string[], b: string[]): string[] {
  return a.includes(ANY) || b.includes(ANY) ? [ANY] : [...new Set([...a, ...b])];
}

function intersect(a: string[], b: string[]): string[] {
  if (a.includes(ANY)) return b;
  if (b.includes(ANY)) return a;
  return a.filter((p) => b.includes(p));
}

export function networkFlows(nodes: FlowNode[], objects: KubeObject[], namespace: string): Flow[] {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy') as INetworkPolicy[];
  const selecting = (n: FlowNode, type: 'Ingress' | 'Egress') =>
    policies.filter((p) => (p.spec?.policyTypes ?? ['Ingress']).includes(type) && n.labels.some((l) => selects(p.spec?.podSelector, l)));
  const peerMatches = (peer: INetworkPolicyPeer, n: FlowNode) => outsideName(peer, namespace) === undefined && n.labels.some((l) => selects(peer.podSelector, l));

  /** Ports `n` admits in `type` direction from/to pod node `other`; [] = none. */
  const admitted = (n: FlowNode, other: FlowNode, type: 'Ingress' | 'Egress'): string[] => {
    const ps = selecting(n, type);
    if (!ps.length) return [ANY];
    let out: string[] = [];
    for (const p of ps) {
      const rules = type === 'Ingress' ? (p.spec?.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })) : (p.spec?.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
      for (const r of rules) if (!r.peers?.length || r.peers.some((peer) => peerMatches(peer, other))) out = union(out, portsOf(r.ports));
    }
    return out;
  };

  const flows = new Map<string, Flow>();
  const add = (from: string, to: string, ports: string[]) => {
    const key = `${from}\u0000${to}`;
    const f = flows.get(key);
    flows.set(key, { from, to, ports: f ? union(f.ports, ports) : ports });
  };
  const pods = nodes.filter((n) => n.labels.length);
  for (const a of pods) {
    for (const b of pods) {
      if (a === b) continue;
      const ports = intersect(admitted(a, b, 'Egress'), admitted(b, a, 'Ingress'));
      // Without any policy everything may talk to everything: not drawn (the page says so).
      if (ports.length && (selecting(a, 'Egress').length || selecting(b, 'Ingress').length)) add(a.id, b.id, ports);
    }
  }
  for (const p of policies) {
    const targets = pods.filter((n) => n.labels.some((l) => selects(p.spec?.podSelector, l)));
    for (const r of p.spec?.ingress ?? []) {
      for (const peer of r.from ?? []) {
        const name = outsideName(peer, namespace);
        if (name) targets.forEach((t) => add(name, t.id, portsOf(r.ports)));
      }
    }
    for (const r of p.spec?.egress ?? []) {
      for (const peer of r.to ?? []) {
        const name = outsideName(peer, namespace);
        if (name) targets.forEach((t) => add(t.id, name, portsOf(r.ports)));
      }
    }
  }
  return [...flows.values()].sort((x, y) => (x.from + x.to < y.from + y.to ? -1 : 1));
}

/**
 * Fewer lines, same facts: an outside peer that every component reaches (or is reached by) on the
 * same ports becomes one sentence instead of one edge per component (DNS, metrics scraping), and
 * a → b plus b → a on the same ports is one edge with two arrow heads.
 */
export function simplifyFlows(flows: Flow[], components: string[]): { flows: Flow[]; everyComponent: string[] } {
  const everyComponent: string[] = [];
  let rest = flows;
  const outside = [...new Set(flows.flatMap((f) => [f.from, f.to]).filter((n) => !components.includes(n)))].sort();
  if (components.length > 1) {
    for (const x of outside) {
      for (const dir of ['to', 'from'] as const) {
        const edges = rest.filter((f) => (dir === 'to' ? f.to === x : f.from === x));
        const ports = edges[0]?.ports.join(' ');
        const all = components.every((c) => edges.some((f) => (dir === 'to' ? f.from : f.to) === c && f.ports.join(' ') === ports));
        if (!edges.length || !all) continue;
        everyComponent.push(`${dir === 'to' ? 'every component → ' : ''}${x}${dir === 'from' ? ' → every component' : ''} (${ports})`);
        rest = rest.filter((f) => !(edges.includes(f) && f.ports.join(' ') === ports));
      }
    }
  }
  const out: Flow[] = [];
  for (const f of rest) {
    const back = rest.find((g) => g.from === f.to && g.to === f.from && g.ports.join(' ') === f.ports.join(' '));
    if (back && f.from > f.to) continue; // kept as its twin
    out.push(back ? { ...f, both: true } : f);
  }
  return { flows: out, everyComponent };
}
