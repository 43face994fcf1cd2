/** The overlays render with the real kustomize exactly as compiled, with the right features per environment. */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForTest, renderVsCompile, type RenderedPlatform } from '@gitops/pipeline';
import { ENVS } from './helpers';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('hyperpage');
});

const MESH_KINDS = ['Gateway', 'VirtualService', 'DestinationRule', 'PeerAuthentication', 'AuthorizationPolicy'];
const MONITORING_KINDS = ['ServiceMonitor', 'PrometheusRule'];

describe('hyperpage render', () => {
  it('renders exactly what was compiled (base + patches + components lose nothing)', () => {
    expect(renderVsCompile(r)).toEqual([]);
  });

  it.each(ENVS)('%s: one namespace per environment, with Pod Security labels of the environment', (env) => {
    const ns = r.objects(env).filter((o) => o.kind === 'Namespace');
    expect(ns.map((n) => n.metadata!.name)).toEqual([`hyperpage-${env}`]);
    const level = { dev: 'privileged', staging: 'baseline', prod: 'restricted' }[env];
    expect(ns[0].metadata!.labels!['pod-security.kubernetes.io/enforce']).toBe(level);
    // D13: sidecar injection only where the mesh runs.
    expect(ns[0].metadata!.labels!['istio-injection']).toBe(env === 'dev' ? undefined : 'enabled');
    for (const o of r.objects(env)) {
      if (!['Namespace', 'PriorityClass', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind)) expect(o.metadata!.namespace, `${o.kind}/${o.metadata!.name}`).toBe(`hyperpage-${env}`);
    }
  });

  it('mesh and monitoring exist in staging and prod only', () => {
    const kinds = (env: string) => new Set(r.objects(env).map((o) => o.kind));
    for (const k of [...MESH_KINDS, ...MONITORING_KINDS]) {
      expect(kinds('dev').has(k), `dev ${k}`).toBe(false);
      expect(kinds('staging').has(k), `staging ${k}`).toBe(true);
      expect(kinds('prod').has(k), `prod ${k}`).toBe(true);
    }
  });

  it.each(ENVS)('%s: the seed names exist (hyperpage-service, hyperpage-hpa, app=hyperpage pods)', (env) => {
    const svc = r.get(env, 'Service', 'hyperpage-service');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 3000, targetPort: 'http', protocol: 'TCP' }]);
    expect(r.get(env, 'HorizontalPodAutoscaler', 'hyperpage-hpa').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'hyperpage' });
    expect(r.get(env, 'Deployment', 'hyperpage').spec.template.metadata.labels.app).toBe('hyperpage');
  });

  it.each(ENVS)('%s: release image from releases.yaml, third-party images pinned, never latest', (env) => {
    const images = r
      .objects(env)
      .flatMap((o: any) => {
        const spec = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec?.template?.spec;
        return spec ? [...(spec.initContainers ?? []), ...spec.containers].map((c: any) => c.image as string) : [];
      })
      .sort();
    expect(images).toContain('123456789012.dkr.ecr.us-west-2.amazonaws.com/hyperpage/hyperpage:1.0.0');
    expect(images).toContain('postgres:15-alpine');
    for (const i of images) expect(i).toMatch(/:[\w][\w.-]*$/), expect(i).not.toMatch(/:latest$/);
  });
});
