/**
 * A platform may not use a cluster add-on's namespace (ADDON_NAMESPACES of libs/environments): every
 * Application of an environment targets one cluster, where `monitoring` is the shared
 * kube-prometheus-stack. `gitops validate` reports it (`namespace-foreign`), also for one platform
 * named; test/cluster-addons.test.ts checks the committed platforms the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MONITORING } from '@gitops/environments';
import { initSecrets, SAMPLE_SPEC, sampleRepo, type SampleRepo } from './sample-repo';

let r: SampleRepo;
beforeAll(() => {
  r = sampleRepo('gitops-addon-ns-');
  r.setSpec(SAMPLE_SPEC.replace("namespace: { default: 'sample-dev',", `namespace: { default: '${MONITORING.namespace}',`));
});
afterAll(() => r.cleanup());

describe("gitops validate and the add-ons' namespaces", () => {
  it('rejects a platform that creates the shared monitoring namespace', async () => {
    expect((await r.run('generate', 'sample')).exitCode).toBe(0);
    await initSecrets(r.root, 'sample');
    const res = await r.run('validate', 'sample', '--env', 'dev', '--json');
    expect(res.exitCode).toBe(1);
    const findings = (JSON.parse(res.stdout) as Array<{ findings: Array<{ rule: string; kind: string; name: string; message: string }> }>).flatMap((x) => x.findings);
    const foreign = findings.filter((f) => f.rule === 'namespace-foreign');
    expect(foreign).toContainEqual(expect.objectContaining({ kind: 'Namespace', name: MONITORING.namespace }));
    expect(foreign[0].message).toContain('belongs to a cluster add-on');
  });
});
