/** Celery worker, the single beat, Flower, and the backend's autoscaling. */
import { describe, expect, it } from 'vitest';
import { matchesSelector } from './selectors';
import { AKS_ENVS, ENVS, useRendered, type Obj } from './helpers';

const r = useRendered();

describe('celery beat', () => {
  it.each(ENVS)('%s: runs exactly one replica, never more', (env) => {
    const beat = r().get(env, 'Deployment', 'celery-beat');
    expect(beat.spec.replicas).toBe(1);
    // Recreate: a rollout stops the old scheduler before starting the new one.
    expect(beat.spec.strategy).toEqual({ type: 'Recreate' });
    const objs = r().objects(env);
    expect(objs.filter((o) => o.kind === 'HorizontalPodAutoscaler' && (o.spec as Obj).scaleTargetRef.name === 'celery-beat')).toEqual([]);
    const labels = beat.spec.template.metadata.labels;
    expect(objs.filter((o) => o.kind === 'PodDisruptionBudget' && matchesSelector((o.spec as Obj).selector, labels))).toEqual([]);
    expect(beat.spec.template.spec.containers[0].command.slice(0, 4)).toEqual(['celery', '-A', 'app.celery', 'beat']);
  });

  it('records why prod accepts one replica without a PDB', () => {
    const note = r().get('prod', 'Deployment', 'celery-beat').metadata.annotations['gitops.io/suppress'];
    expect(note).toMatch(/^ha-replicas: .+; ha-pdb: .+$/);
  });

  it('keeps its schedule and pid file on a writable scratch volume under a read-only root', () => {
    const c = r().get('prod', 'Deployment', 'celery-beat').spec.template.spec.containers[0];
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.volumeMounts.map((m: Obj) => m.mountPath)).toContain('/var/run/celery-beat');
    expect(c.command).toContain('--schedule=/var/run/celery-beat/celerybeat-schedule');
  });
});

describe('celery worker and backend scaling', () => {
  const expected = { staging: { backend: [2, 4], worker: [2, 4] }, prod: { backend: [3, 10], worker: [2, 8] } };

  it.each(AKS_ENVS)('%s: autoscales the backend on CPU and memory and the workers on CPU', (env) => {
    const hpa = (name: string) => r().get(env, 'HorizontalPodAutoscaler', name).spec;
    const b = hpa('backend');
    expect([b.minReplicas, b.maxReplicas]).toEqual(expected[env].backend);
    expect(b.metrics.map((m: Obj) => m.resource.name).sort()).toEqual(['cpu', 'memory']);
    // Scale up without a stabilisation window: the < 30 s auto-scaling SLO (seed).
    expect(b.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
    const w = hpa('celery-worker');
    expect([w.minReplicas, w.maxReplicas]).toEqual(expected[env].worker);
    expect(w.metrics.map((m: Obj) => m.resource.name)).toEqual(['cpu']);
    // HPA owns the replica count: the Deployments carry none.
    expect(r().get(env, 'Deployment', 'backend').spec.replicas).toBeUndefined();
    expect(r().get(env, 'PodDisruptionBudget', 'backend').spec.minAvailable).toBe(env === 'prod' ? 2 : 1);
  });

  it('runs single replicas without HPAs in dev (Kind has no metrics-server)', () => {
    expect(r().objects('dev').filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    expect(r().get('dev', 'Deployment', 'backend').spec.replicas).toBe(1);
    expect(r().get('dev', 'Deployment', 'celery-worker').spec.replicas).toBe(1);
  });

  it.each(ENVS)('%s: probes the worker through the broker and lets running tasks finish on shutdown', (env) => {
    const w = r().get(env, 'Deployment', 'celery-worker').spec.template.spec;
    expect(w.containers[0].livenessProbe.exec.command.join(' ')).toContain('celery -A app.celery inspect ping');
    expect(w.terminationGracePeriodSeconds).toBe(120);
  });
});

describe('flower', () => {
  it.each(ENVS)('%s: one replica with basic auth from the declared secret', (env) => {
    const f = r().get(env, 'Deployment', 'flower');
    expect(f.spec.replicas).toBe(1);
    const envs = f.spec.template.spec.containers[0].env;
    expect(envs.find((e: Obj) => e.name === 'FLOWER_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'flower-credentials', key: 'FLOWER_PASSWORD' });
    expect(envs.find((e: Obj) => e.name === 'FLOWER_BASIC_AUTH').value).toBe('admin:$(FLOWER_PASSWORD)');
    expect(r().get(env, 'Service', 'flower').spec.selector).toEqual({ 'app.kubernetes.io/name': 'flower' });
  });
});
