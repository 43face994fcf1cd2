/** Go services, front ends and Vector: kinds, images, ports, probes, replicas and sizing per environment. */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForTest, type RenderedPlatform } from '@gitops/pipeline';
import { ECR, ENVS, FRONTENDS, GO, envVar, mainContainer, podSpec, podTemplate, volume, type Env } from './helpers';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('cptm8');
});

const replicas: Record<Env, number> = { dev: 1, staging: 2, prod: 3 };
const resources: Record<Env, unknown> = {
  dev: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  staging: { requests: { cpu: '150m', memory: '192Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  prod: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
};
const asmm8Tag: Record<Env, string> = { dev: '1.4.0', staging: '1.4.0', prod: '1.3.2' };

describe.each(ENVS)('Go services in %s', (env) => {
  it.each(GO)('%s is a Deployment on 8000 with /health and /ready, its Service and the ECR pull secret', (svc) => {
    const d = r.get(env, 'Deployment', svc);
    const c = mainContainer(d);
    expect(c.image).toMatch(new RegExp(`^${ECR}/${svc}:\\d+\\.\\d+\\.\\d+$`));
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
    expect(c.envFrom).toEqual([{ configMapRef: { name: `${svc}-config` } }]);
    expect(envVar(c, 'POSTGRESQL_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'postgresql-secrets', key: 'password' });
    expect(podSpec(d).imagePullSecrets).toEqual([{ name: 'ecr-registry-secret' }]);
    expect(d.spec.replicas).toBe(replicas[env]);
    expect(c.resources).toEqual(resources[env]);
    // Plain labels for the seed's `kubectl -l app=asmm8` and the tier NetworkPolicies; the selector stays narrow.
    expect(podTemplate(d).metadata.labels).toMatchObject({ app: svc, tier: 'application' });
    expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': svc });
    // Logs go to the shared volume Vector reads.
    expect(volume(d, `${svc}-logs`).persistentVolumeClaim.claimName).toBe(`${svc}-logs-pvc`);
    expect(c.volumeMounts).toContainEqual({ name: `${svc}-logs`, mountPath: `/var/log/${svc}` });

    const s = r.get(env, 'Service', `${svc}-service`);
    expect(s.spec.type).toBe('ClusterIP');
    expect(s.spec.ports).toEqual([{ name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP' }]);
    expect(s.spec.selector).toEqual({ 'app.kubernetes.io/name': svc });
  });

  it('asmm8 runs the release tag of this environment', () => {
    expect(mainContainer(r.get(env, 'Deployment', 'asmm8')).image).toBe(`${ECR}/asmm8:${asmm8Tag[env]}`);
  });

  it('asmm8 uses the emptyDir + ConfigMap pattern with per-file subPath mounts', () => {
    const d = r.get(env, 'Deployment', 'asmm8');
    const init = podSpec(d).initContainers.find((c: any) => c.name === 'fix-app-ownership');
    expect(init.command.join(' ')).toContain('cp -L /config-templates/* /config-writable/');
    expect(init.volumeMounts).toEqual([
      { name: 'config-volume', mountPath: '/config-templates', readOnly: true },
      { name: 'provider-secret', mountPath: '/secret-templates', readOnly: true },
      { name: 'config-writable', mountPath: '/config-writable' },
    ]);
    expect(volume(d, 'config-volume').configMap.name).toBe('configuration-template-asmm8');
    expect(volume(d, 'provider-secret').secret.secretName).toBe('asmm8-subfinder-providers');
    expect(volume(d, 'config-writable').emptyDir).toEqual({});
    const mounts = mainContainer(d).volumeMounts;
    expect(mounts).toContainEqual({ name: 'config-writable', mountPath: '/app/configs/subfinderconfig.yaml', subPath: 'subfinderconfig.yaml' });
    expect(mounts).toContainEqual({
      name: 'config-writable',
      mountPath: '/app/configs/subfinderprovider-config.yaml',
      subPath: 'subfinderprovider-config.yaml',
    });
    // Never the whole directory: that would hide the image's wordlists.
    expect(mounts.map((m: any) => m.mountPath)).not.toContain('/app/configs');
  });

  it('the services start after their data stores and the first ECR token (sync waves)', () => {
    const wave = (kind: string, name: string) => Number(r.get(env, kind, name).metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('StatefulSet', 'postgresqlm8')).toBeLessThan(wave('Deployment', 'asmm8'));
    expect(wave('Job', 'ecr-token-initial')).toBeLessThan(wave('Deployment', 'orchestratorm8'));
    expect(wave('Deployment', 'orchestratorm8')).toBeLessThan(wave('Deployment', 'dashboardm8'));
  });
});

describe('per-environment hardening of the Go services', () => {
  it('prod: zone spread, PDB of 2 and Prometheus annotations on the service port', () => {
    for (const svc of GO) {
      const d = r.get('prod', 'Deployment', svc);
      expect(podSpec(d).topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1 });
      expect(podSpec(d).affinity.podAntiAffinity).toBeDefined();
      expect(podTemplate(d).metadata.annotations).toEqual({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '8000',
        'prometheus.io/path': '/metrics',
      });
      expect(r.get('prod', 'PodDisruptionBudget', svc).spec).toEqual({ minAvailable: 2, selector: { matchLabels: { 'app.kubernetes.io/name': svc } } });
    }
  });

  it('dev: single replica, no PDB, no spread, no scrape annotations', () => {
    const d = r.get('dev', 'Deployment', 'asmm8');
    expect(podSpec(d).topologySpreadConstraints).toBeUndefined();
    expect(podTemplate(d).metadata.annotations).toBeUndefined();
    expect(r.objects('dev').filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
  });

  it('staging: PDB of 1 for the 2 replicas', () => {
    expect(r.get('staging', 'PodDisruptionBudget', 'naabum8').spec.minAvailable).toBe(1);
  });
});

describe.each(ENVS)('front ends in %s', (env) => {
  const ports = { dashboardm8: 3000, socketm8: 4000 } as const;
  const nodePorts = { dashboardm8: 30080, socketm8: 30081 } as const;

  it.each(FRONTENDS)('%s: Deployment, port, replicas, and how it is exposed', (name) => {
    const d = r.get(env, 'Deployment', name);
    const c = mainContainer(d);
    expect(c.image).toMatch(new RegExp(`^${ECR}/${name}:`));
    expect(c.ports).toEqual([{ name: 'http', containerPort: ports[name], protocol: 'TCP' }]);
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(d.spec.replicas).toBe(replicas[env]);
    expect(podTemplate(d).metadata.labels.tier).toBe('frontend');
    const s = r.get(env, 'Service', `${name}-service`);
    if (env === 'dev') {
      expect(s.spec.type).toBe('NodePort');
      expect(s.spec.ports).toEqual([{ name: 'http', port: ports[name], targetPort: 'http', protocol: 'TCP', nodePort: nodePorts[name] }]);
    } else {
      expect(s.spec.type).toBe('ClusterIP');
      expect(s.spec.ports[0].nodePort).toBeUndefined();
    }
  });
});

describe.each(ENVS)('Vector in %s', (env) => {
  it('waits for OpenSearch cluster health, then tails every log volume read-only', () => {
    const d = r.get(env, 'Deployment', 'vector');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(podSpec(d).serviceAccountName).toBe('vector-sa');
    const init = podSpec(d).initContainers;
    expect(init.map((c: any) => c.name)).toEqual(['wait-for-opensearch']);
    expect(init[0].image).toBe('curlimages/curl:8.5.0');
    expect(init[0].command.join(' ')).toContain('http://opensearch-service:9200/_cluster/health');
    expect(init[0].command.join(' ')).toContain('green\\|yellow');
    const c = mainContainer(d);
    expect(c.image).toBe('timberio/vector:0.39.0-debian');
    for (const svc of GO) {
      expect(c.volumeMounts).toContainEqual({ name: `${svc}-logs`, mountPath: `/var/log/${svc}`, readOnly: true });
      expect(volume(d, `${svc}-logs`).persistentVolumeClaim.claimName).toBe(`${svc}-logs-pvc`);
    }
    expect(volume(d, 'data').persistentVolumeClaim.claimName).toBe('vector-data-pvc');
    const config = r.get(env, 'ConfigMap', 'vector-config').data['vector.yaml'];
    expect(config).toContain('endpoints: ["http://opensearch-service:9200"]');
    expect(config).toContain('api_version: v8');
    expect(config).toContain('- /var/log/asmm8/**/*.log');
    expect(config).toContain(`.environment = "${env}"`);
  });
});
