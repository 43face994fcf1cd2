/**
 * Faults the offline validator used to miss but the real kube-apiserver rejects, found by planting
 * them into objects this repository generates (rendered from environments/prod with the real
 * kustomize) and applying them with a server-side dry run to a local control plane with the
 * vendored CRDs installed. Each one is now an offline `gitops validate` rule with its own corpus
 * case (libs/validate/test/corpus/broken): for every fault the server rejects the object AND
 * validate reports the rule; for the unplanted object the server accepts it AND validate does not.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '@gitops/core';
import { validateObjects } from '@gitops/validate';
import { crdsUsedBy, findTool, getObject, kubectlPath, renderForApply, serverSideApply, vendoredCrds, waitEstablished } from '../src';
import { gitops, missingTools, ROOT, tempDir, testKeyFile, useControlPlane } from './support';

const skip = missingTools(['etcd', 'kube-apiserver', 'kustomize', 'sops']);
const NS = 'planted-faults';

type Obj = Record<string, any>;
interface Fault {
  name: string;
  /** Where to take the real object from, and which one. */
  overlay: string;
  pick: (o: KubeObject) => boolean;
  plant: (o: Obj) => void;
  rule: string;
  /** What the API server's rejection says. */
  server: RegExp;
}

const FAULTS: Fault[] = [
  {
    name: 'a workload selector that does not match its pod labels',
    overlay: 'environments/prod/hyperpage',
    pick: (o) => o.kind === 'Deployment',
    plant: (o) => (o.spec.template.metadata.labels = { ...o.spec.template.metadata.labels, 'app.kubernetes.io/name': 'not-the-selector' }),
    rule: 'ref-workload-selector',
    server: /`?selector`? does not match template `?labels`?/,
  },
  {
    name: 'duplicate container port names',
    overlay: 'environments/prod/hyperpage',
    pick: (o) => o.kind === 'Deployment' && (o as Obj).spec.template.spec.containers[0].ports?.length > 0,
    plant: (o) => {
      const c = o.spec.template.spec.containers[0];
      c.ports = [...c.ports, { ...c.ports[0], containerPort: c.ports[0].containerPort + 1000 }];
    },
    rule: 'api-port-name',
    server: /ports\[\d+\]\.name: Duplicate value/,
  },
  {
    name: 'duplicate Service port names',
    overlay: 'environments/prod/hyperpage',
    pick: (o) => o.kind === 'Service' && (o as Obj).spec.ports?.[0]?.name,
    plant: (o) => (o.spec.ports = [...o.spec.ports, { ...o.spec.ports[0], port: o.spec.ports[0].port + 1000 }]),
    rule: 'api-port-name',
    server: /spec\.ports\[\d+\]\.name: Duplicate value/,
  },
  {
    name: 'an Istio PeerAuthentication breaking its CRD CEL rule (portLevelMtls without selector)',
    overlay: 'environments/prod/hyperpage',
    pick: (o) => o.kind === 'PeerAuthentication',
    plant: (o) => {
      delete o.spec.selector;
      o.spec.portLevelMtls = { 8080: { mode: 'PERMISSIVE' } };
    },
    rule: 'schema-cel',
    server: /portLevelMtls requires selector/,
  },
  {
    name: 'an Istio DestinationRule breaking its CRD CEL rule (connectTimeout below 1ms)',
    overlay: 'environments/prod/hyperpage',
    pick: (o) => o.kind === 'DestinationRule',
    plant: (o) => (o.spec.trafficPolicy = { ...(o.spec.trafficPolicy ?? {}), connectionPool: { tcp: { connectTimeout: '0s' } } }),
    rule: 'schema-cel',
    server: /must be a valid duration greater than 1ms/,
  },
  {
    name: 'a CRD field of the wrong type (ServiceMonitor endpoints as an object)',
    overlay: 'environments/prod/hyperpage',
    pick: (o) => o.kind === 'ServiceMonitor',
    plant: (o) => (o.spec.endpoints = { port: 'metrics' }),
    rule: 'schema-invalid',
    server: /\.spec\.endpoints: expected list/,
  },
];

describe.skipIf(!!skip)('planted faults: the real API server and `gitops validate` agree', () => {
  const cluster = useControlPlane('cluster', { controllerManager: false });
  const t = () => ({ kubectl: kubectlPath(), kubeconfig: cluster.kubeconfig, dryRun: true });
  const rendered = new Map<string, KubeObject[]>();
  const tools = () => ({ kustomize: findTool('kustomize', ROOT), sops: findTool('sops', ROOT) });

  beforeAll(async () => {
    for (const overlay of new Set(FAULTS.map((f) => f.overlay))) {
      rendered.set(overlay, await renderForApply(join(ROOT, overlay), tools(), { ...process.env, SOPS_AGE_KEY_FILE: testKeyFile('prod') }));
    }
    // The CRDs of the kinds these overlays hold, as `gitops apply` chooses them.
    const crds = crdsUsedBy(vendoredCrds(ROOT), [...rendered.values()].flat());
    expect(crds.length).toBeGreaterThan(0);
    const r = await serverSideApply({ ...t(), dryRun: false }, [...crds, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }]);
    expect(r.errors).toEqual([]);
    await waitEstablished({ ...t(), dryRun: false }, crds.map((c) => c.metadata!.name!));
  }, 300_000);

  const findings = (o: KubeObject) => validateObjects([{ object: o }], { policy: 'none' }).findings.map((f) => f.rule);

  describe('server-side apply through kubectl proxy', () => {
    const configMap = (name: string, namespace?: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}) }, data: { a: 'b' } });

    it('puts a namespace-less object in the kubeconfig context namespace, as kubectl does', async () => {
      const kubeconfig = join(tempDir('ctx'), 'kubeconfig');
      writeFileSync(kubeconfig, readFileSync(cluster.kubeconfig, 'utf8').replace('      cluster: gitops-local\n', `      cluster: gitops-local\n      namespace: ${NS}\n`));
      const r = await serverSideApply({ kubectl: kubectlPath(), kubeconfig }, [configMap('in-context')]);
      expect(r.errors).toEqual([]);
      expect((await getObject({ kubectl: kubectlPath(), kubeconfig: cluster.kubeconfig }, 'configmap', 'in-context', NS))?.metadata?.name).toBe('in-context');
    });

    it("reports the server's answer when discovery is refused, not a missing kind; stops its proxy", async () => {
      const kubeconfig = join(tempDir('bad-token'), 'kubeconfig');
      writeFileSync(kubeconfig, readFileSync(cluster.kubeconfig, 'utf8').replace(/token: .*/, 'token: not-a-valid-token'));
      const proxies = () => readdirSync(tmpdir()).filter((d) => d.startsWith(`gitops-proxy-${process.pid}-`)).length;
      const before = proxies();
      const r = await serverSideApply({ kubectl: kubectlPath(), kubeconfig }, [configMap('refused', NS)]);
      expect(r.applied).toEqual([]);
      expect(r.errors.join('\n')).toMatch(/configmap\/refused: discovery of v1: Error from server \(Unauthorized\)/);
      expect(r.errors.join('\n')).not.toMatch(/resource mapping not found/);
      expect(proxies()).toBe(before);
    });

    it('an unreachable API server is one error (exit 1) naming the server and the kubeconfig, not a rejection per object', async () => {
      const kubeconfig = join(tempDir('unreachable'), 'kubeconfig');
      writeFileSync(kubeconfig, readFileSync(cluster.kubeconfig, 'utf8').replace(/server: .*/, 'server: https://127.0.0.1:1'));
      const proxies = () => readdirSync(tmpdir()).filter((d) => d.startsWith(`gitops-proxy-${process.pid}-`)).length;
      const before = proxies();
      const message = `cannot reach the API server https://127.0.0.1:1 (kubeconfig ${kubeconfig}): dial tcp 127.0.0.1:1: connect: connection refused`;
      await expect(serverSideApply({ kubectl: kubectlPath(), kubeconfig }, [configMap('unreached', NS)])).rejects.toMatchObject({ exitCode: 1, message });
      expect(proxies()).toBe(before);
      const cli = await gitops(['apply', 'hyperpage', '--env', 'dev', '--kubeconfig', kubeconfig]);
      expect(cli.exitCode).toBe(1);
      expect(String(cli.stderr).split('\n').filter((l) => /error|reject/i.test(l))).toEqual([`error: ${message}`]);
      expect(String(cli.stdout)).toBe('');
    });
  });

  for (const f of FAULTS) {
    it(f.name, async () => {
      const original = rendered.get(f.overlay)!.find(f.pick);
      expect(original, `${f.overlay} has an object to plant into`).toBeDefined();
      const clean = structuredClone(original!) as Obj;
      if (clean.metadata.namespace) clean.metadata.namespace = NS;
      // Unplanted: the server accepts it and validate does not report the rule.
      const ok = await serverSideApply(t(), [clean as KubeObject]);
      expect(ok.errors).toEqual([]);
      expect(findings(clean as KubeObject)).not.toContain(f.rule);
      // Planted: the server rejects it with its own message, and validate reports the rule.
      const broken = structuredClone(clean);
      f.plant(broken);
      const r = await serverSideApply(t(), [broken as KubeObject]);
      expect(r.errors.join('\n')).toMatch(f.server);
      expect(findings(broken as KubeObject)).toContain(f.rule);
    });
  }
});
