/** Network flows from NetworkPolicies: both ends must allow a flow; outside peers; simplification. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@gitops/core';
import { networkFlows, simplifyFlows } from '../src';

const np = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'shop' }, spec });
const nodes = [
  { id: 'web', labels: [{ app: 'web', tier: 'frontend' }] },
  { id: 'api', labels: [{ app: 'api', tier: 'app' }] },
  { id: 'db', labels: [{ app: 'db', tier: 'data' }] },
];
const DNS = { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] };

describe('networkFlows', () => {
  const policies = [
    np('deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    np('dns', { podSelector: {}, policyTypes: ['Egress'], egress: [DNS] }),
    np('api-in', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'frontend' } } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 8080 }] }] }),
    np('web-out', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080 }] }] }),
    // db admits api on 5432, but api's egress allows nothing to db: no flow.
    np('db-in', { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['db'] }] }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 5432 }] }] }),
    np('web-in', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 8443 }] }] }),
  ];

  it('draws a flow only where the sender may send and the receiver may receive, with the ports both allow', () => {
    const flows = networkFlows(nodes, policies, 'shop');
    expect(flows.filter((f) => nodes.some((n) => n.id === f.from) && nodes.some((n) => n.id === f.to))).toEqual([{ from: 'web', to: 'api', ports: ['TCP/8080'] }]);
  });

  it('names outside peers: other namespaces, pods there, the internet', () => {
    const outside = networkFlows(nodes, policies, 'shop').filter((f) => !nodes.some((n) => n.id === f.from && nodes.some((m) => m.id === f.to)));
    expect(outside).toContainEqual({ from: 'ns monitoring', to: 'api', ports: ['TCP/8080'] });
    expect(outside).toContainEqual({ from: 'internet', to: 'web', ports: ['TCP/8443'] });
    expect(outside).toContainEqual({ from: 'db', to: 'ns kube-system kube-dns', ports: ['UDP/53'] });
  });

  it('folds a peer every component uses into one sentence, and two-way flows into one edge', () => {
    const { flows, everyComponent } = simplifyFlows(
      [
        ...networkFlows(nodes, policies, 'shop'),
        { from: 'api', to: 'web', ports: ['TCP/8080'] },
      ],
      nodes.map((n) => n.id),
    );
    expect(everyComponent).toEqual(['every component → ns kube-system kube-dns (UDP/53)']);
    expect(flows.find((f) => f.from === 'api' && f.to === 'web')).toEqual({ from: 'api', to: 'web', ports: ['TCP/8080'], both: true });
    expect(flows.some((f) => f.to === 'ns kube-system kube-dns')).toBe(false);
  });

  it('without policies nothing is isolated and nothing is drawn', () => {
    expect(networkFlows(nodes, [], 'shop')).toEqual([]);
  });
});
