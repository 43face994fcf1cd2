/** NetworkPolicies (prod), Ingress (staging, prod) and NodePorts (dev). */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForTest, type RenderedPlatform } from '@gitops/pipeline';
import { podTemplate } from './helpers';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('cptm8');
});

const policies = (env: string) => r.objects(env).filter((o) => o.kind === 'NetworkPolicy') as any[];
const matches = (selector: any, labels: Record<string, string>) =>
  Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
  (selector.matchExpressions ?? []).every((e: any) => e.operator === 'In' && e.values.includes(labels[e.key]));
const allowsDns = (p: any, protocol: string) =>
  (p.spec.egress ?? []).some((rule: any) => (rule.ports ?? []).some((port: any) => port.protocol === protocol && port.port === 53));

describe('NetworkPolicies', () => {
  it('only prod has them (seed: NetPol is a production feature)', () => {
    expect(policies('dev')).toEqual([]);
    expect(policies('staging')).toEqual([]);
    expect(policies('prod').map((p) => p.metadata.name).sort()).toEqual(
      [
        'allow-dns-egress',
        'backend-netpol',
        'database-netpol',
        'default-deny-all',
        'ecr-token-refresher-egress',
        'frontend-netpol',
        'opensearch-netpol',
        'scanner-internet-egress',
        'vector-netpol',
      ].sort(),
    );
  });

  it('default deny in both directions for every pod of the namespace', () => {
    expect(r.get('prod', 'NetworkPolicy', 'default-deny-all').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('DNS (UDP and TCP 53 to kube-dns) is allowed for every pod', () => {
    const dns = r.get('prod', 'NetworkPolicy', 'allow-dns-egress');
    expect(dns.spec.podSelector).toEqual({});
    expect(allowsDns(dns, 'UDP')).toBe(true);
    expect(allowsDns(dns, 'TCP')).toBe(true);
    expect(dns.spec.egress[0].to[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    });
  });

  it('every pod whose egress is restricted is covered by a DNS rule', () => {
    const all = policies('prod');
    const templates = r.objects('prod').filter((o) => ['Deployment', 'StatefulSet', 'CronJob', 'Job'].includes(o.kind));
    for (const t of templates) {
      const labels = podTemplate(t).metadata.labels;
      const selecting = all.filter((p) => p.spec.policyTypes.includes('Egress') && matches(p.spec.podSelector, labels));
      expect(selecting.length, `${t.kind}/${t.metadata!.name}`).toBeGreaterThan(0);
      expect(selecting.some((p) => allowsDns(p, 'UDP')) && selecting.some((p) => allowsDns(p, 'TCP')), `${t.metadata!.name}`).toBe(true);
    }
  });

  it('backend-netpol (the seed policy) admits the front ends and now has egress rules to the data stores', () => {
    const p = r.get('prod', 'NetworkPolicy', 'backend-netpol');
    expect(p.spec.podSelector).toEqual({ matchLabels: { tier: 'application' } });
    expect(p.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(p.spec.ingress[0].from).toContainEqual({ podSelector: { matchLabels: { tier: 'frontend' } } });
    expect(p.spec.egress.length).toBeGreaterThan(0);
    expect(p.spec.egress[0]).toEqual({
      to: [{ podSelector: { matchLabels: { tier: 'database' } } }],
      ports: [5432, 5672, 27017].map((port) => ({ protocol: 'TCP', port })),
    });
  });

  it('only the scanners may reach the public internet, never private ranges or cloud metadata', () => {
    const p = r.get('prod', 'NetworkPolicy', 'scanner-internet-egress');
    expect(p.spec.podSelector.matchExpressions[0].values).toEqual(['asmm8', 'naabum8', 'katanam8', 'num8']);
    expect(p.spec.egress[0].to[0].ipBlock.except).toEqual(expect.arrayContaining(['10.0.0.0/8', '169.254.0.0/16']));
  });

  it('OpenSearch accepts Vector on 9200 and its peers on 9300', () => {
    const p = r.get('prod', 'NetworkPolicy', 'opensearch-netpol');
    expect(p.spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'vector' } } }],
      ports: [{ protocol: 'TCP', port: 9200 }],
    });
    expect(p.spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 9300 }]);
  });

  it('every non-empty selector selects a rendered pod', () => {
    const labels = r
      .objects('prod')
      .filter((o) => ['Deployment', 'StatefulSet', 'CronJob', 'Job'].includes(o.kind))
      .map((o) => podTemplate(o).metadata.labels);
    for (const p of policies('prod').filter((x) => Object.keys(x.spec.podSelector).length)) {
      expect(labels.some((l) => matches(p.spec.podSelector, l)), p.metadata.name).toBe(true);
    }
  });
});

describe('Ingress', () => {
  it('dev has none: the front ends are NodePorts 30080/30081 for Kind extraPortMappings', () => {
    expect(r.objects('dev').filter((o) => o.kind === 'Ingress')).toEqual([]);
    expect(r.get('dev', 'Service', 'dashboardm8-service').spec.ports[0].nodePort).toBe(30080);
    expect(r.get('dev', 'Service', 'socketm8-service').spec.ports[0].nodePort).toBe(30081);
  });

  it.each([
    ['staging', 'letsencrypt-staging', 'staging.gitops.example.com'],
    ['prod', 'letsencrypt-prod', 'gitops.example.com'],
  ])('%s: TLS through the environment ClusterIssuer, one host per front end', (env, issuer, domain) => {
    const ing = r.get(env, 'Ingress', 'cptm8-frontends');
    expect(ing.metadata.annotations['cert-manager.io/cluster-issuer']).toBe(issuer);
    expect(ing.spec.ingressClassName).toBe('nginx');
    const hosts = [`dashboard.cptm8.${domain}`, `socket.cptm8.${domain}`];
    expect(ing.spec.tls).toEqual([{ hosts, secretName: 'cptm8-frontends-tls' }]);
    expect(ing.spec.rules.map((rule: any) => [rule.host, rule.http.paths[0].backend.service.name])).toEqual([
      [hosts[0], 'dashboardm8-service'],
      [hosts[1], 'socketm8-service'],
    ]);
    // No NodePort or LoadBalancer outside dev.
    expect(r.objects(env).filter((o: any) => o.kind === 'Service' && ['NodePort', 'LoadBalancer'].includes(o.spec.type))).toEqual([]);
  });
});
