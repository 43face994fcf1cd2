/** NetworkPolicies, RBAC and the Istio mesh (STRICT mTLS, authorization) in the rendered overlays. */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForTest, type RenderedPlatform } from '@gitops/pipeline';
import { ENVS } from './helpers';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('hyperpage');
});

const name = (o: any) => o.metadata.name;
const peersOf = (np: any) => np.spec.ingress.flatMap((i: any) => i.from);

describe.each(ENVS)('%s network policies', (env) => {
  it('default deny for ingress and egress, DNS allowed over UDP and TCP 53', () => {
    expect(r.get(env, 'NetworkPolicy', 'default-deny-all').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = r.get(env, 'NetworkPolicy', 'allow-dns-egress').spec.egress[0].ports;
    expect(dns).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
  });

  it('only the ingress controller (and the validation job) reach the app on 3000', () => {
    const np = r.get(env, 'NetworkPolicy', 'hyperpage-ingress');
    expect(np.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'hyperpage' });
    expect(np.spec.ingress).toHaveLength(1);
    expect(np.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 3000 }]);
    const controller = env === 'dev' ? 'ingress-nginx' : 'istio-system';
    expect(peersOf(np).map((p: any) => p.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] ?? p.podSelector.matchLabels['app.kubernetes.io/name'])).toEqual([controller, 'hyperpage-validate']);
  });

  it('the app and the validation job reach the Kubernetes API on 443 and on 6443 (kubeadm/Kind, after the Service translation)', () => {
    for (const policy of ['hyperpage-egress', 'hyperpage-validate-egress']) {
      const api = r.get(env, 'NetworkPolicy', policy).spec.egress.find((e: any) => e.to[0].ipBlock);
      expect(api, policy).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] });
    }
  });

  it('the database is reachable only from the app, the backup job and the exporter', () => {
    const np = r.get(env, 'NetworkPolicy', 'postgresql-ingress');
    const from = peersOf(np).map((p: any) => p.podSelector.matchLabels['app.kubernetes.io/name']);
    expect(from).toEqual(env === 'dev' ? ['hyperpage', 'postgresql-exporter'] : ['hyperpage', 'postgresql-exporter', 'postgresql-backup']);
    expect(np.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 5432 }]);
  });

  it('the monitoring namespace may scrape, where monitoring runs', () => {
    const scrape = r.objects(env).filter((o: any) => o.kind === 'NetworkPolicy' && name(o).startsWith('allow-monitoring-scrape'));
    if (env === 'dev') return expect(scrape).toEqual([]);
    expect(scrape.map(name).sort()).toEqual(['allow-monitoring-scrape-exporter', 'allow-monitoring-scrape-hyperpage']);
    for (const np of scrape) expect(peersOf(np)[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'monitoring' });
  });

  it('no NodePort, no hostPath', () => {
    for (const o of r.objects(env) as any[]) {
      if (o.kind === 'Service') expect(o.spec.type, name(o)).not.toBe('NodePort');
      const spec = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec?.template?.spec;
      for (const v of spec?.volumes ?? []) expect(v.hostPath, `${name(o)}/${v.name}`).toBeUndefined();
    }
  });
});

describe.each(ENVS)('%s RBAC', (env) => {
  it('the seed RBAC on the app account: read pods/services/HPA, update deployments/replicasets, read nodes', () => {
    const role = r.get(env, 'Role', 'hyperpage');
    const verbs = (res: string) => role.rules.find((x: any) => x.resources.includes(res))?.verbs;
    expect(verbs('pods')).toEqual(['get', 'list', 'watch']);
    expect(verbs('services')).toEqual(['get', 'list', 'watch']);
    expect(verbs('deployments')).toEqual(['get', 'list', 'watch', 'update', 'patch']);
    expect(verbs('replicasets')).toEqual(['get', 'list', 'watch', 'update', 'patch']);
    expect(verbs('horizontalpodautoscalers')).toEqual(['get', 'list', 'watch']);
    const nodes = r.get(env, 'ClusterRole', `hyperpage-${env}-node-reader`);
    expect(nodes.rules).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] }]);
    const crb = r.get(env, 'ClusterRoleBinding', `hyperpage-${env}-node-reader`);
    expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'hyperpage', namespace: `hyperpage-${env}` }]);
  });

  it('accounts without API use mount no token', () => {
    expect(r.get(env, 'ServiceAccount', 'postgresql').automountServiceAccountToken).toBe(false);
    expect(r.get(env, 'ServiceAccount', 'postgresql-exporter').automountServiceAccountToken).toBe(false);
    expect(r.get(env, 'ServiceAccount', 'hyperpage-validator').automountServiceAccountToken).toBe(true);
  });
});

describe.each(['staging', 'prod'])('%s mesh', (env) => {
  const ns = `hyperpage-${env}`;
  it('PeerAuthentication STRICT mTLS for the whole namespace', () => {
    const pa = r.get(env, 'PeerAuthentication', 'default');
    expect(pa.spec).toEqual({ mtls: { mode: 'STRICT' } });
  });

  it('Gateway and VirtualService with retries and timeouts', () => {
    const host = env === 'prod' ? 'hyperpage.gitops.example.com' : 'hyperpage.staging.gitops.example.com';
    expect(r.get(env, 'Gateway', 'hyperpage-gateway').spec.servers[0].hosts).toEqual([host]);
    const vs = r.get(env, 'VirtualService', 'hyperpage');
    expect(vs.spec.gateways).toEqual(['hyperpage-gateway', 'mesh']);
    expect(vs.spec.hosts).toEqual([host, `hyperpage-service.${ns}.svc.cluster.local`]);
    expect(vs.spec.http[0].timeout).toBe('30s');
    expect(vs.spec.http[0].retries).toMatchObject({ attempts: 3, perTryTimeout: '10s' });
  });

  it('DestinationRule with connection pool, circuit breaking and ISTIO_MUTUAL', () => {
    const tp = r.get(env, 'DestinationRule', 'hyperpage').spec.trafficPolicy;
    expect(tp.tls).toEqual({ mode: 'ISTIO_MUTUAL' });
    expect(tp.connectionPool.tcp.maxConnections).toBe(1000);
    expect(tp.connectionPool.http.http1MaxPendingRequests).toBe(500);
    expect(tp.outlierDetection).toEqual({ consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 });
    expect(r.get(env, 'DestinationRule', 'postgresql').spec.trafficPolicy.connectionPool.tcp.maxConnections).toBe(100);
  });

  it('AuthorizationPolicies allow only the real callers', () => {
    expect(r.get(env, 'AuthorizationPolicy', 'allow-nothing').spec).toEqual({});
    const app = r.get(env, 'AuthorizationPolicy', 'hyperpage');
    expect(app.spec.action).toBe('ALLOW');
    const sources = app.spec.rules.map((x: any) => x.from[0].source);
    expect(sources).toEqual([
      { principals: ['cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account'] },
      { principals: [`cluster.local/ns/${ns}/sa/hyperpage-validator`] },
      { namespaces: ['monitoring'] },
    ]);
    const db = r.get(env, 'AuthorizationPolicy', 'postgresql');
    expect(db.spec.rules[0].from[0].source.principals).toEqual([
      `cluster.local/ns/${ns}/sa/hyperpage`,
      `cluster.local/ns/${ns}/sa/postgresql-exporter`,
      `cluster.local/ns/${ns}/sa/postgresql-backup`,
    ]);
    expect(db.spec.rules[0].to[0].operation.ports).toEqual(['5432']);
  });

  it('the Ingress hands traffic to the Istio ingress gateway', () => {
    const entry = r.get(env, 'Service', 'hyperpage-mesh-gateway');
    expect(entry.spec).toMatchObject({ type: 'ExternalName', externalName: 'istio-ingressgateway.istio-system.svc.cluster.local' });
  });
});
