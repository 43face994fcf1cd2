/** NetworkPolicies, RBAC, secrets, Key Vault (prod) and Istio (staging) in the rendered output. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@gitops/pipeline';
import { SopsError, getValue } from '@gitops/secrets';
import { parse, parseAllDocuments } from 'yaml';
import { matchesSelector } from './selectors';
import { ENVS, containers, milli, podLabels, podSpec, useRendered, workloads, type Env, type Obj } from './helpers';

const r = useRendered();

interface Peer {
  ns: string;
  labels: Record<string, string>;
}
const INGRESS_NGINX: Peer = { ns: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } };

function peerMatches(p: Obj, policyNs: string, who: Peer): boolean {
  if (p.ipBlock) return who.ns === '<external>';
  if (p.namespaceSelector) {
    if (!matchesSelector(p.namespaceSelector, { 'kubernetes.io/metadata.name': who.ns })) return false;
  } else if (who.ns !== policyNs) return false;
  return p.podSelector ? matchesSelector(p.podSelector, who.labels) : true;
}
const portMatches = (ports: Obj[] | undefined, port: number, protocol: string) =>
  !ports?.length || ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || p.port === port));

/** Would the policies let `from` open a connection to `to` on port/protocol? (both directions checked) */
function allowed(env: Env, from: Peer, to: Peer, port: number, protocol = 'TCP'): boolean {
  const ns = `ms5-${env}`;
  const policies = r().objects(env).filter((o) => o.kind === 'NetworkPolicy') as Obj[];
  const side = (dir: 'Ingress' | 'Egress', self: Peer, other: Peer) => {
    if (self.ns !== ns) return true; // outside the namespace: not ours to restrict
    const selecting = policies.filter((p) => p.spec.policyTypes.includes(dir) && matchesSelector(p.spec.podSelector, self.labels));
    if (!selecting.length) return true;
    const rules = selecting.flatMap((p) => (dir === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []);
    return rules.some((rule: Obj) => (dir === 'Ingress' ? rule.from : rule.to).some((peer: Obj) => peerMatches(peer, ns, other)) && portMatches(rule.ports, port, protocol));
  };
  return side('Egress', from, to) && side('Ingress', to, from);
}
const pod = (env: Env, name: string): Peer => ({ ns: `ms5-${env}`, labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'ms5' } });

describe('network policies', () => {
  describe.each(ENVS)('%s', (env) => {
    it('denies everything by default and allows DNS to kube-dns over UDP and TCP', () => {
      expect(r().get(env, 'NetworkPolicy', 'default-deny-all').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      const dns = r().get(env, 'NetworkPolicy', 'allow-dns-egress').spec.egress[0];
      expect(dns.ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
      expect(dns.to[0].podSelector.matchLabels).toEqual({ 'k8s-app': 'kube-dns' });
    });

    it('allows the flows that exist', () => {
      const p = (n: string) => pod(env, n);
      expect(allowed(env, INGRESS_NGINX, p('backend'), 8000)).toBe(true);
      expect(allowed(env, INGRESS_NGINX, p('grafana'), 3000)).toBe(true);
      expect(allowed(env, p('backend'), p('postgres'), 5432)).toBe(true);
      expect(allowed(env, p('celery-worker'), p('redis-sentinel'), 26379)).toBe(true);
      expect(allowed(env, p('celery-beat'), p('redis'), 6379)).toBe(true);
      expect(allowed(env, p('backend'), p('minio'), 9000)).toBe(true);
      expect(allowed(env, p('redis'), p('redis'), 6379)).toBe(true);
      expect(allowed(env, p('prometheus'), p('postgres-exporter'), 9187)).toBe(true);
      expect(allowed(env, p('alertmanager'), p('alertmanager'), 9094, 'UDP')).toBe(true);
      expect(allowed(env, p('grafana'), p('prometheus'), 9090)).toBe(true);
    });

    it('blocks the flows that do not', () => {
      const p = (n: string) => pod(env, n);
      expect(allowed(env, INGRESS_NGINX, p('prometheus'), 9090)).toBe(false);
      expect(allowed(env, INGRESS_NGINX, p('minio'), 9000)).toBe(false);
      expect(allowed(env, p('flower'), p('postgres'), 5432)).toBe(false);
      expect(allowed(env, p('celery-beat'), p('minio'), 9000)).toBe(false);
      expect(allowed(env, p('grafana'), p('postgres'), 5432)).toBe(false);
      expect(allowed(env, p('backend'), p('redis-exporter'), 9121)).toBe(false);
      expect(allowed(env, p('postgres'), { ns: '<external>', labels: {} }, 443)).toBe(false);
      expect(allowed(env, p('backend'), { ns: '<external>', labels: {} }, 443)).toBe(true);
    });

    it('gives every policy with a pod selector a pod to select', () => {
      const labels = workloads(r().objects(env)).map(podLabels);
      for (const np of r().objects(env).filter((o) => o.kind === 'NetworkPolicy') as Obj[]) {
        if (!Object.keys(np.spec.podSelector.matchLabels ?? {}).length) continue;
        expect(labels.some((l) => matchesSelector(np.spec.podSelector, l)), np.metadata.name).toBe(true);
      }
    });
  });
});

describe('RBAC', () => {
  it.each(ENVS)('%s: one ServiceAccount per workload, an API token for Prometheus only, no cluster-wide roles', (env) => {
    const objs = r().objects(env);
    const accounts = new Map((objs.filter((o) => o.kind === 'ServiceAccount') as Obj[]).map((s) => [s.metadata.name, s]));
    for (const w of workloads(objs)) expect(accounts.has(podSpec(w).serviceAccountName), w.metadata.name).toBe(true);
    const tokens = [...accounts.values()].filter((s) => s.automountServiceAccountToken !== false).map((s) => s.metadata.name);
    expect(tokens).toEqual(['prometheus']);
    expect(objs.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
    const discovery = r().get(env, 'Role', 'prometheus-discovery');
    expect(discovery.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
    for (const role of objs.filter((o) => o.kind === 'Role') as Obj[]) {
      for (const rule of role.rules) expect(rule.resources, role.metadata.name).not.toContain('secrets');
    }
  });

  it('lets developers operate dev and only read prod', () => {
    expect(r().get('dev', 'RoleBinding', 'ms5-developers').roleRef.name).toBe('ms5-operator');
    expect(r().get('prod', 'RoleBinding', 'ms5-developers').roleRef.name).toBe('ms5-reader');
  });
});

const decls = () => new Map(r().platform.spec.apps[0].secrets!.map((s) => [s.name, new Set(s.keys.map((k) => k.name))]));

describe('secrets', () => {
  it.each(ENVS)('%s: every secret reference names a declared secret and key, and no ConfigMap carries a credential', (env) => {
    const d = decls();
    for (const w of workloads(r().objects(env))) {
      for (const c of containers(w)) {
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (ref) expect(d.get(ref.name)?.has(ref.key), `${w.metadata.name}: ${ref.name}/${ref.key}`).toBe(true);
        }
      }
      for (const v of podSpec(w).volumes ?? []) {
        if (v.secret) for (const item of v.secret.items ?? []) expect(d.get(v.secret.secretName)?.has(item.key)).toBe(true);
      }
    }
    for (const cm of r().objects(env).filter((o) => o.kind === 'ConfigMap') as Obj[]) {
      for (const key of Object.keys(cm.data)) expect(key, `${cm.metadata.name}.${key}`).not.toMatch(/PASSWORD|SECRET|TOKEN|_KEY$/);
    }
  });

  it.each(ENVS)('%s: renders every declared Secret from its SOPS file with exactly the declared type and keys', (env) => {
    for (const decl of r().platform.spec.apps[0].secrets!) {
      const secret = r().get(env, 'Secret', decl.name);
      expect(secret.type, decl.name).toBe(decl.type ?? 'Opaque');
      expect(Object.keys({ ...secret.data, ...secret.stringData }).sort(), decl.name).toEqual(decl.keys.map((k) => k.name).sort());
    }
  });

  it.each(ENVS)('%s: keeps a docker config JSON in the pull secret (the API server rejects anything else)', async (env) => {
    const root = repoRoot();
    const file = join(root, 'environments', env, 'ms5', 'secrets', 'acr-pull.enc.yaml');
    const key = readFileSync(join(root, 'test-keys', `example-${env}.agekey`), 'utf8').split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-'))!;
    try {
      const value = await getValue(file, ['stringData', '.dockerconfigjson'], { identities: [key], config: false });
      expect(JSON.parse(String(value))).toHaveProperty('auths');
    } catch (err) {
      // After `gitops secrets take-ownership` the example key no longer opens prod: that is the only acceptable failure.
      expect((err as SopsError).code).toBe('NO_DECRYPTION_KEY');
    }
  });

  it('generates every key except those only a person can supply', () => {
    const manual = r().platform.spec.apps[0].secrets!.flatMap((s) => s.keys.filter((k) => !k.generate).map((k) => `${s.name}/${k.name}`));
    expect(manual.sort()).toEqual(['acr-pull/.dockerconfigjson', 'alertmanager-receivers/TEAMS_WEBHOOK_URL', 'backend-secrets/APPLICATIONINSIGHTS_CONNECTION_STRING']);
  });
});

/** SecretProviderClass fields of the upstream CRD (secrets-store.csi.x-k8s.io v1), restated. */
/** Upstream CRDs vendored in third_party/crds (source, version and licence in its README). */
const UPSTREAM_CRDS = resolve(__dirname, '../../../../third_party/crds');
const UPSTREAM_CRD = resolve(UPSTREAM_CRDS, 'secrets-store.csi.x-k8s.io_secretproviderclasses.yaml');

describe('Azure Key Vault component', () => {
  it('is rendered in prod only', () => {
    expect(r().objects('prod').filter((o) => o.kind === 'SecretProviderClass')).toHaveLength(1);
    for (const env of ['dev', 'staging'] as const) {
      expect(r().objects(env).filter((o) => o.kind === 'SecretProviderClass' || o.metadata?.name === 'keyvault-sync')).toEqual([]);
    }
  });

  it('reads kv-ms5-prod-uksouth with workload identity and mirrors every declared secret with its keys', () => {
    const spc = r().get('prod', 'SecretProviderClass', 'ms5-keyvault').spec;
    expect(spc.provider).toBe('azure');
    expect(spc.parameters.keyvaultName).toBe('kv-ms5-prod-uksouth');
    expect(spc.parameters.usePodIdentity).toBe('false');
    for (const v of Object.values(spc.parameters)) expect(typeof v).toBe('string');
    const objectNames = parse(spc.parameters.objects).array.map((o: string) => parse(o).objectName);
    for (const [name, keys] of decls()) {
      const so = spc.secretObjects.find((s: Obj) => s.secretName === `${name}-kv`);
      expect(so.data.map((x: Obj) => x.key).sort()).toEqual([...keys].sort());
      for (const x of so.data) expect(objectNames).toContain(x.objectName);
    }
    const sync = r().get('prod', 'Deployment', 'keyvault-sync').spec.template.spec;
    expect(sync.volumes[0].csi).toEqual({ driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'ms5-keyvault' } });
  });

  it('uses only fields the SecretProviderClass CRD defines', () => {
    const spc = r().get('prod', 'SecretProviderClass', 'ms5-keyvault');
    // No fallback to a restated field list: without the upstream CRD this test has nothing to compare against.
    expect(existsSync(UPSTREAM_CRD), `upstream CRD missing: ${UPSTREAM_CRD}`).toBe(true);
    const crd = parseAllDocuments(readFileSync(UPSTREAM_CRD, 'utf8')).map((d) => d.toJS()).find((d) => d?.kind === 'CustomResourceDefinition');
    expect(crd, `no CustomResourceDefinition in ${UPSTREAM_CRD}`).toBeDefined();
    const v1 = crd.spec.versions.find((v: Obj) => v.name === 'v1').schema.openAPIV3Schema.properties.spec.properties;
    const fields = {
      spec: Object.keys(v1),
      secretObject: Object.keys(v1.secretObjects.items.properties),
      data: Object.keys(v1.secretObjects.items.properties.data.items.properties),
    };
    expect(spc.apiVersion).toBe(`${crd.spec.group}/v1`);
    for (const k of Object.keys(spc.spec)) expect(fields.spec).toContain(k);
    for (const so of spc.spec.secretObjects) {
      for (const k of Object.keys(so)) expect(fields.secretObject).toContain(k);
      for (const d of so.data) for (const k of Object.keys(d)) expect(fields.data).toContain(k);
    }
  });
});

describe('Istio component', () => {
  const istio = (env: Env) => r().objects(env).filter((o) => o.apiVersion.includes('istio.io'));

  it('is rendered in staging only', () => {
    expect(istio('staging').length).toBeGreaterThan(0);
    expect(istio('dev')).toEqual([]);
    expect(istio('prod')).toEqual([]);
  });

  it('keeps mTLS permissive for the ingress path and strict on the data stores', () => {
    expect(r().get('staging', 'PeerAuthentication', 'default').spec.mtls.mode).toBe('PERMISSIVE');
    for (const name of ['postgres', 'redis', 'redis-sentinel', 'minio']) {
      const pa = r().get('staging', 'PeerAuthentication', `${name}-strict`).spec;
      expect(pa).toEqual({ selector: { matchLabels: { 'app.kubernetes.io/name': name } }, mtls: { mode: 'STRICT' } });
    }
    expect(r().get('staging', 'DestinationRule', 'backend').spec.trafficPolicy.outlierDetection.consecutive5xxErrors).toBe(5);
    expect(r().get('staging', 'NetworkPolicy', 'allow-istio-control-plane').spec.egress[0].ports).toEqual([{ port: 15012, protocol: 'TCP' }]);
  });

  it('leaves room in the staging quota for a 100m/128Mi sidecar in every pod', () => {
    const objs = r().objects('staging');
    let pods = 0;
    let cpu = 0;
    for (const w of workloads(objs)) {
      const hpa = objs.find((o) => o.kind === 'HorizontalPodAutoscaler' && (o.spec as Obj).scaleTargetRef.name === w.metadata.name) as Obj | undefined;
      const n = hpa ? hpa.spec.maxReplicas : (w.spec.replicas ?? 1);
      pods += n;
      cpu += n * containers(w).reduce((sum, c) => sum + milli(c.resources.requests.cpu), 0);
    }
    expect(milli(r().get('staging', 'ResourceQuota', 'ms5-quota').spec.hard['requests.cpu'])).toBeGreaterThanOrEqual(cpu + pods * 100);
  });
});
