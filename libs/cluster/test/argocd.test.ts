/**
 * Argo CD against a real API server: the generated argocd/install overlay (the vendored upstream
 * v3.5.1 install.yaml standing in for its URL) applies with 0 rejections, and the Argo CD CRDs it
 * installs accept every generated AppProject, Application and bootstrap root.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTool, generatedArgocdObjects, kubectlPath, renderArgocdInstall, serverSideApply, waitEstablished } from '../src';
import { missingTools, ROOT, useControlPlane } from './support';

const skip = missingTools(['etcd', 'kube-apiserver', 'kustomize']);

describe.skipIf(!!skip)('Argo CD objects on a real kube-apiserver', () => {
  const cluster = useControlPlane('cluster', { controllerManager: false });
  const t = () => ({ kubectl: kubectlPath(), kubeconfig: cluster.kubeconfig });

  it('argocd/install applies (CRDs, namespace, RBAC, workloads, the KSOPS repo-server patch)', async () => {
    const objects = await renderArgocdInstall(ROOT, findTool('kustomize', ROOT));
    const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
    expect(crds.map((c) => c.metadata?.name).sort()).toEqual(['applications.argoproj.io', 'applicationsets.argoproj.io', 'appprojects.argoproj.io']);
    const first = await serverSideApply(t(), [...crds, ...objects.filter((o) => o.kind === 'Namespace')]);
    expect(first.errors).toEqual([]);
    await waitEstablished(t(), crds.map((c) => c.metadata!.name!));
    const rest = await serverSideApply(t(), objects.filter((o) => o.kind !== 'CustomResourceDefinition' && o.kind !== 'Namespace'));
    expect(rest.errors).toEqual([]);
    expect(rest.applied.length + first.applied.length).toBe(objects.length);
    expect(rest.applied).toContain('deployment.apps/argocd-repo-server');
  });

  it('the Argo CD CRDs accept every generated AppProject and Application', async () => {
    const objects = generatedArgocdObjects(ROOT);
    expect(objects.filter((o) => o.kind === 'AppProject').length).toBeGreaterThanOrEqual(5);
    expect(objects.filter((o) => o.kind === 'Application').length).toBeGreaterThanOrEqual(15);
    const r = await serverSideApply(t(), objects);
    expect(r.errors).toEqual([]);
    expect(r.applied.length).toBe(objects.length);
    process.stderr.write(`argocd: install overlay and ${objects.length} generated AppProjects/Applications accepted by kube-apiserver\n`);
  });

  it('the Argo CD CRD schema rejects a broken Application (so acceptance above means something)', async () => {
    const app = structuredClone(generatedArgocdObjects(ROOT).find((o) => o.kind === 'Application')!);
    (app as unknown as { spec: { syncPolicy: unknown } }).spec.syncPolicy = { automated: 'yes please' };
    app.metadata = { ...app.metadata, name: 'broken-app' };
    const r = await serverSideApply({ ...t(), dryRun: true }, [app]);
    expect(r.errors.join('\n')).toMatch(/spec\.syncPolicy\.automated/);
  });
});
