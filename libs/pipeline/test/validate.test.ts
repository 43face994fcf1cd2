import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '@gitops/core';
import { environments } from '@gitops/environments';
import { loadPlatform, overlayPolicy, validateRendered, type LoadedPlatform } from '../src';
import { tempRepo, type TempRepo } from './sample-repo';

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
