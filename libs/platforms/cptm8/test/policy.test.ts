/** What the validator and Pod Security enforce per environment, checked on the rendered objects. */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForTest, declaredSecretsOf, type RenderedPlatform } from '@gitops/pipeline';
import { environments } from '@gitops/environments';
import { validateObjects } from '@gitops/validate';
import { ENVS, allContainers, isWorkload, mainContainer, podSpec } from './helpers';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('cptm8');
});

describe.each(ENVS)('policy in %s', (env) => {
  it('validates with zero errors at the environment level', () => {
    const objects = r.objects(env);
    const result = validateObjects(
      objects.map((object) => ({ object })),
      { platform: 'cptm8', env, policy: environments[env].podSecurity, declaredSecrets: declaredSecretsOf(r.platform, 'cptm8', objects) },
    );
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('every image is pinned (no latest, no untagged)', () => {
    for (const w of r.objects(env).filter(isWorkload)) {
      for (const c of allContainers(w)) expect(c.image, `${w.metadata!.name}/${c.name}`).toMatch(/:[\w][\w.-]*$/);
      for (const c of allContainers(w)) expect(c.image).not.toMatch(/:latest$/);
    }
  });

  it('every main container has CPU and memory requests and limits', () => {
    for (const w of r.objects(env).filter(isWorkload)) {
      const res = mainContainer(w).resources;
      expect(res?.requests?.cpu && res?.requests?.memory && res?.limits?.cpu && res?.limits?.memory, w.metadata!.name).toBeTruthy();
    }
  });

  it('no privileged container, and every pod runs as a non-root UID', () => {
    for (const w of r.objects(env).filter(isWorkload)) {
      expect(allContainers(w).some((c) => c.securityContext?.privileged)).toBe(false);
      expect(podSpec(w).securityContext).toMatchObject({ runAsNonRoot: true });
      expect(podSpec(w).securityContext.runAsUser).toBeGreaterThan(0);
    }
  });
});

describe('prod is restricted', () => {
  it('every container: read-only root, no privilege escalation, ALL capabilities dropped, RuntimeDefault seccomp', () => {
    for (const w of r.objects('prod').filter(isWorkload)) {
      for (const c of allContainers(w)) {
        expect(c.securityContext, `${w.metadata!.name}/${c.name}`).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        });
      }
    }
  });

  it('every Deployment except the single-tailer Vector runs 3 replicas with a PodDisruptionBudget', () => {
    for (const d of r.objects('prod').filter((o) => o.kind === 'Deployment' && o.metadata!.name !== 'vector')) {
      expect((d as any).spec.replicas, d.metadata!.name).toBeGreaterThanOrEqual(3);
      expect(r.get('prod', 'PodDisruptionBudget', d.metadata!.name!)).toBeDefined();
    }
  });

  it('staging uses baseline defaults: no privilege escalation, RuntimeDefault seccomp', () => {
    const c = mainContainer(r.get('staging', 'Deployment', 'asmm8'));
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } });
  });
});
