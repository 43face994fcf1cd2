/**
 * NetworkPolicies and Ingress. A small evaluator applies the rendered policies to the rendered pod
 * labels, so the tests state flows ("monitoring reaches redis-cache on 6379") rather than policy shapes.
 */
import { describe, expect, it } from 'vitest';
import { ENVS, NS, rendered, type Env } from './seed';

const r = rendered();

type Labels = Record<string, string>;
/** A traffic end: a pf9 pod (by `app` label), a pod in another namespace (with its labels), or the outside world. */
type End = { app: string } | { namespace: string; labels?: Labels } | { external: true };

function matches(sel: any, labels: Labels): boolean {
  if (!sel) return false;
  const okLabels = Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const okExpr = (sel.matchExpressions ?? []).every((e: any) =>
    e.operator === 'In' ? e.values.includes(labels[e.key]) : e.operator === 'NotIn' ? !e.values.includes(labels[e.key]) : e.operator === 'Exists' ? e.key in labels : !(e.key in labels),
  );
  return okLabels && okExpr;
}

function podLabels(env: Env, app: string): Labels {
  for (const o of r().objects(env) as any[]) {
    const t = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec?.template;
    if (t?.metadata?.labels?.app === app) return t.metadata.labels;
  }
  throw new Error(`no pod template with app=${app} in ${env}`);
}

function peerMatches(peer: any, end: End, env: Env): boolean {
  if ('app' in end) return !peer.namespaceSelector && !peer.ipBlock && matches(peer.podSelector, podLabels(env, end.app));
  if ('namespace' in end) {
    const podOk = !peer.podSelector || matches(peer.podSelector, end.labels ?? {});
    return !!peer.namespaceSelector && matches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': end.namespace }) && podOk;
  }
  return !!peer.ipBlock && peer.ipBlock.cidr === '0.0.0.0/0';
}

const portOk = (ports: any[] | undefined, port: number, protocol: string) =>
  !ports?.length || ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || p.port === port));

/** Would the rendered policies let `from` open a connection to `to` on port/protocol? */
function allowed(env: Env, from: End, to: End, port: number, protocol = 'TCP'): boolean {
  const policies = (r().objects(env) as any[]).filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === NS);
  const side = (end: End, type: 'Egress' | 'Ingress', other: End) => {
    if (!('app' in end)) return true; // only pf9 pods are governed by these policies
    const labels = podLabels(env, end.app);
    const selecting = policies.filter((p) => p.spec.policyTypes.includes(type) && matches(p.spec.podSelector, labels));
    if (!selecting.length) return true;
    const rules = selecting.flatMap((p) => (type === 'Egress' ? p.spec.egress : p.spec.ingress) ?? []);
    return rules.some((rule: any) => {
      const peers = type === 'Egress' ? rule.to : rule.from;
      return (!peers?.length || peers.some((peer: any) => peerMatches(peer, other, env))) && portOk(rule.ports, port, protocol);
    });
  };
  return side(from, 'Egress', to) && side(to, 'Ingress', from);
}

const app = (a: string): End => ({ app: a });
const INGRESS_NGINX: End = { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } };
/** Another pod of the controller's namespace (the admission webhook job, say): not the controller. */
const INGRESS_NGINX_OTHER: End = { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx-admission' } };
const KUBE_DNS: End = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
/** The cluster's shared Prometheus (libs/environments MONITORING), and what must not pass for it. */
const PROMETHEUS: End = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus', prometheus: 'kube-prometheus-stack-prometheus' } };
const GRAFANA: End = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'grafana' } };
const OLD_PROMETHEUS: End = { namespace: 'kube-monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };
const OUTSIDE: End = { external: true };
const WORKERS = ['snapshot-worker', 'backup-worker', 'metering-worker', 'notification-worker'];

/** Flows the components make (seed, corrected). */
const FLOWS: Array<[End, End, number]> = [
  [INGRESS_NGINX, app('pf9-ui'), 5173],
  [INGRESS_NGINX, app('pf9-api'), 8000],
  [INGRESS_NGINX, app('pf9-monitoring'), 8001],
  [app('pf9-ui'), app('pf9-api'), 8000],
  [app('pf9-monitoring'), app('pf9-api'), 8000],
  [app('pf9-api'), app('pf9-monitoring'), 8001],
  [app('metering-worker'), app('pf9-api'), 8000],
  [app('metering-worker'), app('pf9-monitoring'), 8001],
  [app('pf9-monitoring'), app('redis-cache'), 6379],
  [app('metrics-collection-job'), app('redis-cache'), 6379],
  ...['pf9-api', ...WORKERS, 'db-migration', 'postgres-backup', 'snapshot-policy-job'].map((a): [End, End, number] => [app(a), app('postgres'), 5432]),
  ...['pf9-api', ...WORKERS].map((a): [End, End, number] => [app(a), app('openldap'), 389]),
  [app('notification-worker'), OUTSIDE, 587],
  ...['pf9-api', 'pf9-monitoring', 'snapshot-worker', 'metrics-collection-job', 'snapshot-policy-job', 'cleanup-job', 'postgres-backup'].map(
    (a): [End, End, number] => [app(a), OUTSIDE, 443],
  ),
  [app('pf9-monitoring'), OUTSIDE, 9388],
  [app('metrics-collection-job'), OUTSIDE, 9177],
];

/** Flows nobody needs: they must stay closed. */
const DENIED: Array<[End, End, number]> = [
  [app('pf9-ui'), app('postgres'), 5432],
  [app('pf9-ui'), app('redis-cache'), 6379],
  [INGRESS_NGINX, app('postgres'), 5432],
  [INGRESS_NGINX, app('openldap'), 389],
  [app('notification-worker'), app('redis-cache'), 6379],
  [app('metering-worker'), OUTSIDE, 587],
  [app('redis-cache'), OUTSIDE, 443],
  [app('postgres'), OUTSIDE, 443],
  [app('cleanup-job'), app('postgres'), 5432],
  [app('pf9-ui'), app('pf9-monitoring'), 8001],
];

const name = (e: End) => ('app' in e ? e.app : 'namespace' in e ? `ns/${e.namespace}` : 'outside');

describe.each(ENVS)('%s: network policies', (env) => {
  it('denies all ingress and egress by default and allows DNS (UDP+TCP 53) to kube-dns only, for every pod', () => {
    expect(r().get(env, 'NetworkPolicy', 'default-deny-ingress').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(r().get(env, 'NetworkPolicy', 'default-deny-egress').spec).toEqual({ podSelector: {}, policyTypes: ['Egress'] });
    for (const a of ['pf9-ui', 'postgres', 'redis-cache', 'openldap', 'db-migration', ...WORKERS]) {
      expect(allowed(env, app(a), KUBE_DNS, 53, 'UDP'), `${a} DNS/UDP`).toBe(true);
      expect(allowed(env, app(a), KUBE_DNS, 53, 'TCP'), `${a} DNS/TCP`).toBe(true);
    }
    // Port 53 anywhere else (an outside resolver, a tunnel over DNS) stays closed.
    for (const a of ['postgres', 'redis-cache', 'openldap']) expect(allowed(env, app(a), OUTSIDE, 53, 'UDP'), `${a} outside DNS`).toBe(false);
  });

  it("admits the ingress controller's pods, not every pod of its namespace", () => {
    for (const [to, port] of [['pf9-ui', 5173], ['pf9-api', 8000], ['pf9-monitoring', 8001]] as const) {
      expect(allowed(env, INGRESS_NGINX_OTHER, app(to), port), to).toBe(false);
    }
  });

  it.each(FLOWS.map(([f, t, p]) => [name(f), name(t), p, f, t] as const))('allows %s -> %s:%i', (_f, _t, port, from, to) => {
    expect(allowed(env, from, to, port)).toBe(true);
  });

  it.each(DENIED.map(([f, t, p]) => [name(f), name(t), p, f, t] as const))('blocks %s -> %s:%i', (_f, _t, port, from, to) => {
    expect(allowed(env, from, to, port)).toBe(false);
  });

  it('keeps the seed policy names and ports', () => {
    const ingressPorts = (n: string) => r().get(env, 'NetworkPolicy', n).spec.ingress.flatMap((i: any) => i.ports.map((p: any) => p.port));
    expect(ingressPorts('allow-ingress-to-ui')).toEqual([5173]);
    expect(ingressPorts('allow-api')).toEqual([8000]);
    expect(ingressPorts('allow-database')).toEqual([5432]);
    expect(ingressPorts('allow-ldap')).toEqual([389]);
    expect(ingressPorts('allow-monitoring')).toEqual([8001]);
    expect(ingressPorts('allow-redis')).toEqual([6379]);
    const smtp = r().get(env, 'NetworkPolicy', 'allow-smtp-egress').spec;
    expect(smtp.podSelector.matchExpressions[0].values).toEqual(['notification-worker']);
    expect(smtp.egress[0].ports).toEqual([{ protocol: 'TCP', port: 587 }]);
  });

  it('Prometheus may scrape the API and monitoring only where the monitoring feature is enabled', () => {
    const on = env !== 'dev';
    expect(allowed(env, PROMETHEUS, app('pf9-api'), 8000)).toBe(on);
    expect(allowed(env, PROMETHEUS, app('pf9-monitoring'), 8001)).toBe(on);
  });

  it("only the cluster's shared Prometheus scrapes: its pods in monitoring, not other pods there nor kube-monitoring", () => {
    for (const other of [GRAFANA, OLD_PROMETHEUS]) {
      expect(allowed(env, other, app('pf9-api'), 8000), name(other)).toBe(false);
      expect(allowed(env, other, app('pf9-monitoring'), 8001), name(other)).toBe(false);
    }
  });
});

describe('admin tools (dev only)', () => {
  it('pgAdmin reaches PostgreSQL and phpLDAPadmin reaches OpenLDAP, nothing else', () => {
    expect(allowed('dev', app('pgadmin'), app('postgres'), 5432)).toBe(true);
    expect(allowed('dev', app('phpldapadmin'), app('openldap'), 389)).toBe(true);
    expect(allowed('dev', app('pgadmin'), app('openldap'), 389)).toBe(false);
    expect(allowed('dev', INGRESS_NGINX, app('pgadmin'), 80)).toBe(false);
  });
  it.each(['staging', 'prod'] as const)('%s renders neither tool', (env) => {
    const names = r().objects(env).map((o) => o.metadata?.name);
    expect(names).not.toContain('pgadmin');
    expect(names).not.toContain('phpldapadmin');
  });
});

const HOST: Record<Env, string> = { dev: 'pf9.dev.gitops.internal', staging: 'pf9.staging.gitops.example.com', prod: 'pf9.gitops.example.com' };
const ISSUER: Record<Env, string> = { dev: 'selfsigned', staging: 'letsencrypt-staging', prod: 'letsencrypt-prod' };

describe.each(ENVS)('%s: ingress', (env) => {
  it('routes / to the UI, /api to the API and /metrics to monitoring over TLS on the environment domain', () => {
    const ing = r().get(env, 'Ingress', 'pf9-ingress');
    expect(ing.spec.ingressClassName).toBe('nginx');
    expect(ing.metadata.annotations['cert-manager.io/cluster-issuer']).toBe(ISSUER[env]);
    expect(ing.spec.tls).toEqual([{ hosts: [HOST[env]], secretName: 'pf9-tls' }]);
    expect(ing.spec.rules.map((x: any) => x.host)).toEqual([HOST[env]]);
    const routes = Object.fromEntries(
      ing.spec.rules[0].http.paths.map((p: any) => [p.path, `${p.pathType} ${p.backend.service.name}:${p.backend.service.port.number}`]),
    );
    expect(routes).toEqual({ '/': 'Prefix pf9-ui:5173', '/api': 'Prefix pf9-api:8000', '/metrics': 'Prefix pf9-monitoring:8001' });
  });
});
