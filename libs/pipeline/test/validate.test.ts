import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '@gitops/core';
import { environments } from '@gitops/environments';
import { generateAll, loadPlatform, overlayPolicy, RENDER_FAILED_RULE, validatePlatforms, validateRendered, type LoadedPlatform } from '../src';
import { tempRepo, useTempRepo, type TempRepo } from './sample-repo';

/** A Pod that only the privileged level accepts. */
const privileged: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'sample-prod' },
  spec: { containers: [{ name: 'c', image: 'registry.example/x:1.0.0', securityContext: { privileged: true } }] },
} as KubeObject;

describe('the validate wiring', () => {
  let repo: TempRepo;
  let p: LoadedPlatform;
  beforeAll(async () => {
    repo = tempRepo();
    repo.addPlatform('sample');
    p = await loadPlatform(repo.root, 'sample');
  });
  afterAll(() => repo?.cleanup());

  it('checks an overlay against its environment: policy level, storage classes, declared secrets, releases', () => {
    for (const env of ['dev', 'staging', 'prod'] as const) {
      const o = overlayPolicy(p, 'sample', env, [privileged]);
      expect(o.policy).toBe(environments[env].podSecurity);
      expect(o.storageClasses).toEqual([...new Set(Object.values(environments[env].storageClasses))]);
      expect(o.declaredSecrets).toEqual([{ name: 'db-credentials', namespace: 'sample-prod', keys: ['password'] }]);
      expect(o.releases?.images).toBe(p.spec.releases);
    }
  });

  it('reports findings at the overlay’s level, naming the overlay folder', async () => {
    const at = (env: string) => validateRendered(p, { app: 'sample', env, dir: `environments/${env}/sample`, objects: [privileged] });
    const prod = await at('prod');
    expect(prod.findings.some((f) => f.severity === 'error' && f.rule.startsWith('pss-'))).toBe(true);
    expect(prod.findings.every((f) => f.source === 'environments/prod/sample')).toBe(true);
    expect((await at('dev')).findings.filter((f) => f.severity === 'error' && f.rule.startsWith('pss-'))).toEqual([]);
    expect(prod).toMatchObject({ platform: 'sample', env: 'prod', app: 'sample', dir: 'environments/prod/sample' });
  });
});

describe('validatePlatforms progress', () => {
  const repo = useTempRepo(['sample'], async (r) => {
    await generateAll(r.root, ['sample']);
  });

  it('counts an overlay that does not render as validated (its error is its result), so the count reaches the total', async () => {
    const seen: Array<[string, number, number]> = [];
    const results = await validatePlatforms(repo().root, ['sample'], {
      secrets: async (dir) => {
        if (!dir.includes('/dev/')) return [];
        // What the SOPS library throws for a tampered file (the real one end to end: apps/gitops/test/validate-failures.test.ts).
        const file = `${dir}/secrets/x.enc.yaml`;
        throw Object.assign(new Error(`${file}: MAC mismatch in ${file}`), { name: 'SopsError', code: 'MAC_MISMATCH', fileAtFault: true, file, reason: `MAC mismatch in ${file}` });
      },
      onValidated: (r, done, total) => seen.push([r.dir, done, total]),
    });
    expect(results.map((r) => r.findings.some((f) => f.rule === RENDER_FAILED_RULE))).toEqual([true, false, false]);
    expect(seen.map(([, done, total]) => [done, total])).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(seen.map(([dir]) => dir).sort()).toEqual(results.map((r) => r.dir).sort());
  });
});
