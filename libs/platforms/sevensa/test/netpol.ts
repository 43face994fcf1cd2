/**
 * A small NetworkPolicy evaluator over rendered objects (Kubernetes semantics: a pod is isolated in
 * a direction once any policy selecting it lists that policy type; traffic then needs an allowing
 * rule on BOTH the source's egress and the destination's ingress). Enough to assert who can reach
 * whom, instead of only the shape of each policy.
 */
import type { KubeObject } from '@gitops/core';

export interface Pod {
  namespace: string;
  labels: Record<string, string>;
}

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };

export function matches(sel: Selector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return true;
  const okLabels = Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const okExpr = (sel.matchExpressions ?? []).every((e) => {
    if (e.operator === 'In') return e.values!.includes(labels[e.key]);
    if (e.operator === 'NotIn') return !e.values!.includes(labels[e.key]);
    if (e.operator === 'Exists') return e.key in labels;
    if (e.operator === 'DoesNotExist') return !(e.key in labels);
    throw new Error(`operator ${e.operator}`);
  });
  return okLabels && okExpr;
}

export class Cluster {
  readonly policies: KubeObject[];
  readonly nsLabels = new Map<string, Record<string, string>>();
  constructor(objects: KubeObject[]) {
    this.policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    this.nsLabels.set(KUBE_SYSTEM_NS.name, KUBE_SYSTEM_NS.labels);
    for (const o of objects) if (o.kind === 'Namespace') this.nsLabels.set(o.metadata!.name!, o.metadata!.labels ?? {});
  }

  /** Pod template of a rendered workload. */
  static podOf(o: KubeObject): Pod {
    const spec = o.spec as any;
    const template = o.kind === 'CronJob' ? spec.jobTemplate.spec.template : spec.template;
    return { namespace: o.metadata!.namespace!, labels: template.metadata.labels };
  }

  private selecting(pod: Pod, type: 'Ingress' | 'Egress'): any[] {
    return this.policies
      .filter((p) => p.metadata!.namespace === pod.namespace && matches((p.spec as any).podSelector, pod.labels))
      .filter((p) => ((p.spec as any).policyTypes ?? ['Ingress']).includes(type));
  }

  private peerMatches(peer: any, policyNs: string, other: Pod | 'internet'): boolean {
    if (peer.ipBlock) return other === 'internet';
    if (other === 'internet') return false;
    if (peer.namespaceSelector) {
      if (!matches(peer.namespaceSelector, this.nsLabels.get(other.namespace) ?? {})) return false;
    } else if (other.namespace !== policyNs) return false;
    return matches(peer.podSelector, other.labels);
  }

  private portMatches(rule: any, port: number, protocol: string): boolean {
    if (!rule.ports?.length) return true;
    return rule.ports.some((p: any) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || p.port === port));
  }

  private allowedBy(policies: any[], dir: 'ingress' | 'egress', other: Pod | 'internet', port: number, protocol: string): boolean {
    return policies.some((p) =>
      ((p.spec as any)[dir] ?? []).some((rule: any) => {
        const peers = rule[dir === 'ingress' ? 'from' : 'to'];
        const peerOk = !peers?.length || peers.some((peer: any) => this.peerMatches(peer, p.metadata.namespace, other));
        return peerOk && this.portMatches(rule, port, protocol);
      }),
    );
  }

  egressAllowed(from: Pod, to: Pod | 'internet', port: number, protocol = 'TCP'): boolean {
    const pol = this.selecting(from, 'Egress');
    return pol.length === 0 || this.allowedBy(pol, 'egress', to, port, protocol);
  }

  ingressAllowed(to: Pod, from: Pod | 'internet', port: number, protocol = 'TCP'): boolean {
    const pol = this.selecting(to, 'Ingress');
    return pol.length === 0 || this.allowedBy(pol, 'ingress', from, port, protocol);
  }

  /** Both ends agree. */
  canReach(from: Pod, to: Pod, port: number, protocol = 'TCP'): boolean {
    return this.egressAllowed(from, to, port, protocol) && this.ingressAllowed(to, from, port, protocol);
  }
}

/** CoreDNS as the policies see it. */
export const KUBE_DNS: Pod = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
export const KUBE_SYSTEM_NS = { name: 'kube-system', labels: { 'kubernetes.io/metadata.name': 'kube-system' } };
