/** What the validator and Pod Security enforce per environment, checked on the rendered objects. */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForTest, validateRendered, type RenderedPlatform } from '@gitops/pipeline';
import { ENVS, FRONTENDS, GO, allContainers, isWorkload, mainContainer, podSpec } from './helpers';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('cptm8');
});

describe.each(ENVS)('policy in %s', (env) => {
  const validate = () => validateRendered(r.platform, r.overlays.get(`cptm8/${env}`)!);

  it('validates with zero errors and zero warnings at the environment level', async () => {
    expect((await validate()).findings).toEqual([]);
  });

  it('suppressions: only the runtime ECR pull Secret on the 8 ECR workloads and the single Vector tailer, each with a reason', async () => {
    const got = (await validate()).suppressions.map((s) => `${s.kind}/${s.name} ${s.rule}`).sort();
    const ecr = [...GO, ...FRONTENDS].map((n) => `Deployment/${n} ref-image-pull-secret`);
    expect(got).toEqual([...ecr, 'Deployment/vector ha-pdb', 'Deployment/vector ha-replicas'].sort());
    for (const s of (await validate()).suppressions) expect(s.reason.length, `${s.name} ${s.rule}`).toBeGreaterThan(20);
  });

  it('suppressions sit on the workloads only, never on their Services or PDBs', () => {
    for (const o of r.objects(env).filter((o) => !isWorkload(o))) {
      expect(o.metadata?.annotations?.['gitops.io/suppress'], `${o.kind}/${o.metadata!.name}`).toBeUndefined();
    }
  });

  it('every init container has CPU and memory requests and limits', () => {
    for (const w of r.objects(env).filter(isWorkload)) {
      for (const c of podSpec(w).initContainers ?? []) {
        const res = c.resources;
        expect(res?.requests?.cpu && res?.requests?.memory && res?.limits?.cpu && res?.limits?.memory, `${w.metadata!.name}/${c.name}`).toBeTruthy();
      }
    }
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

  it('dev and staging run every container exactly as prod does (the restricted default everywhere)', () => {
    const contexts = (env: 'dev' | 'staging' | 'prod') =>
      r.objects(env).filter(isWorkload).flatMap((w) => allContainers(w).map((c) => [`${w.kind}/${w.metadata!.name}/${c.name}`, c.securityContext]));
    expect(contexts('prod').length).toBeGreaterThan(10);
    expect(contexts('dev')).toEqual(contexts('prod'));
    expect(contexts('staging')).toEqual(contexts('prod'));
  });
});
