/** The platform as a whole: what Kustomize renders is what was compiled; namespaces, services, images. */
import { describe, expect, it } from 'vitest';
import { renderVsCompile } from '@gitops/pipeline';
import { ENVS, containers, podSpec, useRendered, workloads } from './helpers';

const r = useRendered();

/** The seed's service list and the workload kind each one runs as here. */
const SEED_SERVICES: Record<string, string> = {
  postgres: 'StatefulSet',
  redis: 'StatefulSet',
  backend: 'Deployment',
  minio: 'StatefulSet',
  'celery-worker': 'Deployment',
  'celery-beat': 'Deployment',
  flower: 'Deployment',
  prometheus: 'StatefulSet',
  grafana: 'StatefulSet',
  alertmanager: 'StatefulSet',
};

const PSS: Record<string, string> = { dev: 'privileged', staging: 'baseline', prod: 'restricted' };
const RELEASE_TAGS: Record<string, Record<string, string>> = {
  'ms5acrprod.azurecr.io/ms5-backend': { dev: '2.1.0', staging: '2.1.0', prod: '2.0.4' },
};

describe('ms5 render', () => {
  it('renders exactly what was compiled', () => {
    expect(renderVsCompile(r())).toEqual([]);
  });

  describe.each(ENVS)('%s', (env) => {
    it('has one namespace ms5-<env> with the Pod Security level of the environment', () => {
      const objs = r().objects(env);
      const namespaces = objs.filter((o) => o.kind === 'Namespace');
      expect(namespaces.map((n) => n.metadata!.name)).toEqual([`ms5-${env}`]);
      const labels = namespaces[0].metadata!.labels!;
      for (const mode of ['enforce', 'warn', 'audit']) expect(labels[`pod-security.kubernetes.io/${mode}`]).toBe(PSS[env]);
      for (const o of objs.filter((x) => x.kind !== 'Namespace')) expect(o.metadata?.namespace).toBe(`ms5-${env}`);
      // Decision 24: sidecar injection only where the Istio Component is enabled (staging).
      expect(labels['istio.io/rev']).toBe(env === 'staging' ? 'ms5-mesh' : undefined);
      expect(labels['app.kubernetes.io/name']).toBe('ms5');
    });

    it('the app tier waits for its data stores with the ACR-mirrored busybox (decisions 3, 28)', () => {
      const waits = (name: string) =>
        podSpec(r().get(env, 'Deployment', name)).initContainers.map((c: any) => [c.name, c.image, c.command[2].match(/nc -z -w 2 (\S+ \d+)/)[1]]);
      const busybox = `ms5acrprod.azurecr.io/mirror/busybox:${r().platform.spec.releases['ms5acrprod.azurecr.io/mirror/busybox'][env]}`;
      const stores = [['wait-for-postgres', busybox, 'postgres 5432'], ['wait-for-redis-sentinel', busybox, 'redis-sentinel 26379'], ['wait-for-minio', busybox, 'minio 9000']];
      expect(waits('backend')).toEqual(stores);
      expect(waits('celery-worker')).toEqual(stores);
      expect(waits('celery-beat')).toEqual([stores[1]]);
      expect(waits('flower')).toEqual([stores[1]]);
    });

    it('runs every service of the seed as the planned workload kind', () => {
      const objs = r().objects(env);
      for (const [name, kind] of Object.entries(SEED_SERVICES)) expect(r().get(env, kind, name).kind).toBe(kind);
      // The seed's Nginx reverse proxy is the cluster Ingress, not a workload of its own.
      expect(workloads(objs).map((w) => w.metadata!.name)).not.toContain('nginx');
    });

    it('exposes the platform through one Ingress and no LoadBalancer or NodePort Service', () => {
      const objs = r().objects(env);
      expect(objs.filter((o) => o.kind === 'Ingress')).toHaveLength(1);
      const external = objs.filter((o) => o.kind === 'Service' && ['LoadBalancer', 'NodePort'].includes((o.spec as any).type));
      expect(external).toEqual([]);
      const ing = r().get(env, 'Ingress', 'ms5');
      expect(ing.spec.rules.map((x: any) => x.http.paths[0].backend.service.name)).toEqual(['backend', 'grafana', 'flower']);
      expect(ing.metadata.annotations['cert-manager.io/cluster-issuer']).toBeTruthy();
    });

    it('pulls every image from ms5acrprod.azurecr.io with a pinned tag and the pull secret', () => {
      for (const w of workloads(r().objects(env))) {
        expect(podSpec(w).imagePullSecrets, w.metadata.name).toEqual([{ name: 'acr-pull' }]);
        for (const c of containers(w)) {
          expect(c.image, `${w.metadata.name}/${c.name}`).toMatch(/^ms5acrprod\.azurecr\.io\/[a-z0-9/-]+:[\w][\w.-]*$/);
          expect(c.image.endsWith(':latest')).toBe(false);
        }
      }
      const backend = r().get(env, 'Deployment', 'backend');
      expect(backend.spec.template.spec.containers[0].image).toBe(`ms5acrprod.azurecr.io/ms5-backend:${RELEASE_TAGS['ms5acrprod.azurecr.io/ms5-backend'][env]}`);
    });
  });

  it('declares the ACR pull secret as a dockerconfigjson without a generator', () => {
    const pull = r().platform.spec.apps[0].secrets!.find((s) => s.name === 'acr-pull')!;
    expect(pull.type).toBe('kubernetes.io/dockerconfigjson');
    expect(pull.keys).toEqual([expect.objectContaining({ name: '.dockerconfigjson' })]);
    expect(pull.keys[0].generate).toBeUndefined();
  });
});
