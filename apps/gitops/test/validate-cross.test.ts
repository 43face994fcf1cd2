/**
 * `gitops validate` compares the overlays of an environment: two platforms emitting the same
 * PriorityClass is an `object-shared` error on the later one (issue 19 item 8), through the CLI's
 * main() (in-process, run-main.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initSecrets, SAMPLE_SPEC, sampleRepo, type SampleRepo } from './sample-repo';

const PRIORITY_CLASS = `objects: () => [{ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'critical' }, value: 1000000 }],\n        configMaps:`;
const withPriorityClass = (spec: string) => spec.replace('configMaps:', PRIORITY_CLASS);

let r: SampleRepo;
beforeAll(() => {
  r = sampleRepo('gitops-cross-');
  r.setSpec(withPriorityClass(SAMPLE_SPEC));
  r.writeFile('libs/platforms/other/src/index.ts', withPriorityClass(SAMPLE_SPEC.replace(/name: 'sample'/g, "name: 'other'").replace(/sample-(dev|prod)/g, 'other-$1')));
});
afterAll(() => r.cleanup());

describe('gitops validate across platforms', () => {
  it('reports the PriorityClass two platforms emit, once, on the later platform', async () => {
    expect((await r.run('generate', 'sample', 'other')).exitCode).toBe(0);
    await initSecrets(r.root, 'sample', 'other');
    const res = await r.run('validate', '--env', 'dev', '--json');
    expect(res.exitCode).toBe(1);
    const results = JSON.parse(res.stdout) as Array<{ platform: string; env: string; findings: Array<{ rule: string; kind: string; name: string; message: string }> }>;
    const shared = results.flatMap((x) => x.findings.filter((f) => f.rule === 'object-shared').map((f) => ({ ...f, platform: x.platform })));
    expect(shared).toEqual([expect.objectContaining({ platform: 'sample', kind: 'PriorityClass', name: 'critical' })]);
    expect(shared[0].message).toContain('other emits the same PriorityClass in dev');

    // Validating one platform cannot see the other: no finding.
    const one = await r.run('validate', 'sample', '--env', 'dev', '--json');
    expect(JSON.stringify(JSON.parse(one.stdout))).not.toContain('object-shared');
  });
});
