import { describe, expect, it } from 'vitest';
import {
  ANY_ADDRESS, defaultDeny, DNS_EGRESS_RULE, dnsEgress, flowPolicies, INTERNET, INTERNET_IPV6, kubeApiEgress, namespacePeer, tcp, udp, toPlain, type Flow,
} from '../src';

/** Does an IPv4 address fall in a CIDR block? (what a CNI evaluates for an ipBlock) */
function inCidr(ip: string, cidr: string): boolean {
  const num = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(num(ip) / size) === Math.floor(num(base) / size);
}
/** Does an ipBlock peer admit the address? */
const admits = (peer: typeof INTERNET, ip: string) => inCidr(ip, peer.ipBlock!.cidr) && !(peer.ipBlock!.except ?? []).some((c) => inCidr(ip, c));

describe('the internet as an egress peer', () => {
  it('admits public addresses and excludes the private, link-local (metadata) and CGNAT ranges', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '52.94.236.248', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '11.0.0.1']) {
      expect(admits(INTERNET, ip), ip).toBe(true);
    }
    for (const ip of ['10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.1.10', '169.254.169.254', '100.64.0.1', '100.127.255.254']) {
      expect(admits(INTERNET, ip), ip).toBe(false);
    }
  });

  it('keeps IPv6 a separate peer with unique-local and link-local excluded, and ANY_ADDRESS private ranges included', () => {
    expect(INTERNET_IPV6.ipBlock).toEqual({ cidr: '::/0', except: ['fc00::/7', 'fe80::/10'] });
    expect(admits(ANY_ADDRESS, '10.96.0.1')).toBe(true);
    expect(admits(ANY_ADDRESS, '8.8.8.8')).toBe(true);
  });

  it('cannot be changed by a caller that edits the peer it was given', () => {
    expect(() => (INTERNET.ipBlock!.except as string[]).push('8.0.0.0/8')).toThrow();
    expect(() => ((INTERNET.ipBlock as { cidr: string }).cidr = '10.0.0.0/8')).toThrow();
  });
});

describe('policy words', () => {
  it('default deny selects every pod and lists the denied directions', () => {
    expect(defaultDeny()).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(defaultDeny(['Ingress'])).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
  });

  it('DNS egress reaches kube-dns in kube-system on UDP and TCP 53, or any resolver on request', () => {
    expect(dnsEgress().egress).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [...udp(53), ...tcp(53)] },
    ]);
    expect(dnsEgress({ anyResolver: true }).egress).toEqual([{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }]);
    // A policy gets a copy: editing it leaves the shared rule alone.
    dnsEgress().egress![0].ports!.push({ protocol: 'TCP', port: 853 });
    expect(DNS_EGRESS_RULE.ports).toHaveLength(2);
  });

  it('API server egress reaches any address on 443 (the kubernetes.default Service) and 6443 (kubeadm/Kind, after translation)', () => {
    expect(kubeApiEgress()).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: tcp(443, 6443) });
    expect(admits(kubeApiEgress().to![0], '10.96.0.1')).toBe(true);
    // A policy gets a copy it may edit (the shared words are frozen: editing them would throw).
    expect(() => {
      const rule = kubeApiEgress();
      rule.ports!.pop();
      rule.to![0].ipBlock!.cidr = '10.0.0.0/8';
    }).not.toThrow();
    expect(kubeApiEgress().to![0].ipBlock!.cidr).toBe('0.0.0.0/0');
  });

  it('a namespace peer with pod labels is ONE peer (namespace AND pods)', () => {
    expect(namespacePeer('ingress-nginx', { app: 'nginx' })).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
      podSelector: { matchLabels: { app: 'nginx' } },
    });
    expect(namespacePeer('ingress', undefined, { label: 'name' })).toEqual({ namespaceSelector: { matchLabels: { name: 'ingress' } } });
  });
});

describe('flows write both ends', () => {
  const edge = namespacePeer('ingress-nginx');
  const flows: Flow[] = [
    { from: 'api', to: 'db', ports: tcp(5432) },
    { from: 'worker', to: 'db', ports: tcp(5432) },
    { from: 'api', to: 'cache', ports: tcp(6379) },
    { from: 'api', to: 'db', ports: tcp(5433) },
    { from: edge, to: 'api', ports: tcp(8080) },
    { from: 'api', to: INTERNET, ports: tcp(443) },
  ];
  const policies = flowPolicies(flows).map((p) => toPlain(p) as any);
  const byName = new Map(policies.map((p) => [p.metadata.name, p]));
  const sel = (name: string) => ({ matchLabels: { 'app.kubernetes.io/name': name } });

  it('the receiver admits each sender on exactly the ports of its flows', () => {
    const db = byName.get('db-ingress');
    expect(db.spec).toEqual({
      podSelector: sel('db'),
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ podSelector: sel('api') }], ports: tcp(5432, 5433) },
        { from: [{ podSelector: sel('worker') }], ports: tcp(5432) },
      ],
    });
  });

  it('the sender may reach each receiver on the same ports, outside receivers last', () => {
    expect(byName.get('api-egress').spec).toEqual({
      podSelector: sel('api'),
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: sel('db') }], ports: tcp(5432, 5433) },
        { to: [{ podSelector: sel('cache') }], ports: tcp(6379) },
        { to: [INTERNET], ports: tcp(443) },
      ],
    });
    expect(byName.get('worker-egress').spec.egress).toEqual([{ to: [{ podSelector: sel('db') }], ports: tcp(5432) }]);
  });

  it('every local-to-local port is open at both ends, and an outside end gets no policy', () => {
    for (const f of flows.filter((x) => typeof x.from === 'string' && typeof x.to === 'string')) {
      const inRule = byName.get(`${f.to}-ingress`).spec.ingress.find((r: any) => r.from[0].podSelector?.matchLabels?.['app.kubernetes.io/name'] === f.from);
      const outRule = byName.get(`${f.from}-egress`).spec.egress.find((r: any) => r.to[0].podSelector?.matchLabels?.['app.kubernetes.io/name'] === f.to);
      expect(inRule.ports).toEqual(expect.arrayContaining(f.ports));
      expect(outRule.ports).toEqual(expect.arrayContaining(f.ports));
    }
    expect([...byName.keys()]).toEqual(['db-ingress', 'cache-ingress', 'api-ingress', 'api-egress', 'worker-egress']);
    expect(byName.get('api-ingress').spec.ingress).toEqual([{ from: [edge], ports: tcp(8080) }]);
  });

  it('takes names, selectors and metadata from the options', () => {
    const [p] = flowPolicies([{ from: 'a', to: 'b', ports: tcp(1) }], {
      select: (n) => ({ matchLabels: { app: n } }),
      ingressName: (to) => `allow-${to}`,
      metadata: (name) => ({ name, labels: { team: 'x' } }),
    }).map((x) => toPlain(x) as any);
    expect(p.metadata).toEqual({ name: 'allow-b', labels: { team: 'x' } });
    expect(p.spec.podSelector).toEqual({ matchLabels: { app: 'b' } });
    expect(p.spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { app: 'a' } } }]);
  });
});
