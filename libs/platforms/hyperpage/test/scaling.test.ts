/** Seed scaling numbers in the rendered objects: HPA 3-50 at 70 % CPU / 80 % memory, 60 s / 300 s, PDB 2, surge 50 %. */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForTest, type RenderedPlatform } from '@gitops/pipeline';
import { ENVS, podSpec } from './helpers';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('hyperpage');
});

describe.each(ENVS)('%s scaling', (env) => {
  it('HPA hyperpage-hpa: range 3-50, CPU 70 %, memory 80 %', () => {
    const hpa = r.get(env, 'HorizontalPodAutoscaler', 'hyperpage-hpa');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.minReplicas).toBe(3);
    expect(hpa.spec.maxReplicas).toBe(50);
    const target = (name: string) => hpa.spec.metrics.find((m: any) => m.resource?.name === name)?.resource.target;
    expect(target('cpu')).toEqual({ type: 'Utilization', averageUtilization: 70 });
    expect(target('memory')).toEqual({ type: 'Utilization', averageUtilization: 80 });
    expect(hpa.spec.metrics).toHaveLength(2);
  });

  it('HPA behaviour: stabilisation 60 s up, 300 s down', () => {
    const b = r.get(env, 'HorizontalPodAutoscaler', 'hyperpage-hpa').spec.behavior;
    expect(b.scaleUp.stabilizationWindowSeconds).toBe(60);
    expect(b.scaleDown.stabilizationWindowSeconds).toBe(300);
    expect(b.scaleUp.policies.length).toBeGreaterThan(0);
    expect(b.scaleDown.policies).toEqual([{ type: 'Percent', value: 10, periodSeconds: 60 }]);
  });

  it('the compiler emits no second HPA for the same Deployment', () => {
    const hpas = r.objects(env).filter((o: any) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === 'hyperpage');
    expect(hpas.map((h) => h.metadata!.name)).toEqual(['hyperpage-hpa']);
  });

  it('PDB minAvailable 2 selects the app pods; the HPA alone owns the replica count', () => {
    const pdb = r.get(env, 'PodDisruptionBudget', 'hyperpage');
    const dep = r.get(env, 'Deployment', 'hyperpage');
    expect(pdb.spec.minAvailable).toBe(2);
    expect(pdb.spec.selector.matchLabels).toEqual(dep.spec.selector.matchLabels);
    // No replicas on the Deployment: with Argo CD self-heal a fixed count would undo every scale-out.
    expect(dep.spec.replicas).toBeUndefined();
    expect(r.get(env, 'HorizontalPodAutoscaler', 'hyperpage-hpa').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'hyperpage' });
  });

  it('rolling update with max surge 50 %, never below the replica count', () => {
    expect(r.get(env, 'Deployment', 'hyperpage').spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%', maxUnavailable: 0 } });
  });

  it('zone spread and critical priority for the app', () => {
    const spec = podSpec(r.get(env, 'Deployment', 'hyperpage'));
    expect(spec.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    expect(spec.priorityClassName).toBe('hyperpage-critical');
    expect(podSpec(r.get(env, 'StatefulSet', 'postgresql')).priorityClassName).toBe('hyperpage-critical');
    expect(podSpec(r.get(env, 'Job', 'hyperpage-validate')).priorityClassName).toBe('hyperpage-normal');
  });

  it('PriorityClasses critical 1000 and normal 500', () => {
    expect(r.get(env, 'PriorityClass', 'hyperpage-critical').value).toBe(1000);
    const normal = r.get(env, 'PriorityClass', 'hyperpage-normal');
    expect(normal.value).toBe(500);
    expect(normal.preemptionPolicy).toBe('Never');
    // D35: the API's own description field, not an annotation.
    for (const pc of [r.get(env, 'PriorityClass', 'hyperpage-critical'), normal]) {
      expect(pc.description).toMatch(/^Hyperpage /);
      expect(pc.metadata.annotations['kubernetes.io/description']).toBeUndefined();
    }
  });
});
