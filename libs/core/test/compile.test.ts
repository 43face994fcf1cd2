import { describe, expect, it } from 'vitest';
import { componentWaves, compileApp, type Environment, mergeForEnv, SpecError, validatePlatform } from '../src';
import { environments } from '@gitops/environments';
import { samplePlatform } from './fixtures';

const compile = (env: Environment, p = samplePlatform()) => compileApp(p, p.apps[0], env);
const all = (c: ReturnType<typeof compile>) => c.groups.flatMap((g) => g.objects);
const find = (c: ReturnType<typeof compile>, kind: string, name: string) => all(c).find((o) => o.kind === kind && o.metadata?.name === name) as any;

describe('compileApp', () => {
  it('uses the release tag of the environment and the fixed tag of third-party images', () => {
    expect(find(compile(environments.prod), 'Deployment', 'api').spec.template.spec.containers[0].image).toBe('registry.example/sample/api:0.9.0');
    expect(find(compile(environments.dev), 'Deployment', 'api').spec.template.spec.containers[0].image).toBe('registry.example/sample/api:1.0.0');
    expect(find(compile(environments.dev), 'StatefulSet', 'db').spec.template.spec.containers[0].image).toBe('postgres:16-alpine');
    expect(compile(environments.prod).images).toEqual({ 'registry.example/sample/api': '0.9.0' });
  });

  it('fails naming the field when a release tag is missing', () => {
    const p = samplePlatform();
    delete p.releases['registry.example/sample/api'].staging;
    expect(() => compile(environments.staging, p)).toThrowError(SpecError);
    expect(() => compile(environments.staging, p)).toThrowError(/releases\["registry.example\/sample\/api"\]\.staging/);
  });

  it('applies per-environment settings over defaults', () => {
    expect(find(compile(environments.dev), 'Deployment', 'api').spec.replicas).toBe(1);
    expect(find(compile(environments.prod), 'Deployment', 'api').spec.replicas).toBe(3);
    expect(find(compile(environments.prod), 'PodDisruptionBudget', 'api').spec).toEqual({ minAvailable: 2, selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } });
    expect(find(compile(environments.dev), 'PodDisruptionBudget', 'api')).toBeUndefined();
  });

  it('maps storage roles to the environment storage classes', () => {
    const claim = (env: Environment) => find(compile(env), 'StatefulSet', 'db').spec.volumeClaimTemplates[0].spec;
    expect(claim(environments.dev)).toMatchObject({ storageClassName: 'local-path', resources: { requests: { storage: '1Gi' } } });
    expect(claim(environments.prod)).toMatchObject({ storageClassName: environments.prod.storageClasses.fast, resources: { requests: { storage: '50Gi' } } });
  });

  it('gives a StatefulSet a headless governing Service and a client Service', () => {
    const c = compile(environments.dev);
    expect(find(c, 'StatefulSet', 'db').spec.serviceName).toBe('db-headless');
    expect(find(c, 'Service', 'db-headless').spec.clusterIP).toBe('None');
    expect(find(c, 'Service', 'db').spec.ports).toEqual([{ name: 'postgres', port: 5432, targetPort: 'postgres', protocol: 'TCP' }]);
  });

  it('publishes servicePort in front of the named container port', () => {
    expect(find(compile(environments.dev), 'Service', 'api').spec.ports[0]).toEqual({ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' });
  });

  it('waits for dependencies with an init container on their Service port', () => {
    const init = find(compile(environments.dev), 'Deployment', 'api').spec.template.spec.initContainers[0];
    expect(init.name).toBe('wait-for-db');
    expect(init.command.join(' ')).toContain('nc -z -w 2 db 5432');
  });

  it('applies the restricted container security context in every environment; only the namespace labels follow the environment', () => {
    const sc = (env: Environment) => find(compile(env), 'Deployment', 'api').spec.template.spec.containers[0].securityContext;
    expect(sc(environments.prod)).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(sc(environments.dev)).toEqual(sc(environments.prod));
    expect(find(compile(environments.prod), 'Namespace', 'sample-prod').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(find(compile(environments.dev), 'Namespace', 'sample-dev').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  it('orders sync waves after dependencies', () => {
    const waves = componentWaves(samplePlatform().apps[0]);
    expect(waves.get('db')).toBe(2);
    expect(waves.get('api')).toBe(3);
    expect(waves.get('cleanup')).toBe(4);
    expect(find(compile(environments.dev), 'CronJob', 'cleanup').metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('4');
  });

  it('marks every Namespace Prune=false, so Argo CD never deletes one (and all in it) on its own', () => {
    for (const env of Object.values(environments)) {
      expect(find(compile(env), 'Namespace', compile(env).namespace).metadata.annotations).toMatchObject({ 'argocd.argoproj.io/sync-options': 'Prune=false' });
    }
  });

  it('sets the namespace per environment', () => {
    expect(compile(environments.prod).namespace).toBe('sample-prod');
    expect(compile(environments.staging).namespace).toBe('sample-dev');
  });
});

describe('mergeForEnv', () => {
  it('deep-merges objects and replaces arrays', () => {
    const v = { default: { a: { x: 1, y: 2 }, list: [1, 2] }, prod: { a: { y: 3 }, list: [9] } } as never;
    expect(mergeForEnv(v, 'prod')).toEqual({ a: { x: 1, y: 3 }, list: [9] });
    expect(mergeForEnv(v, 'dev')).toEqual({ a: { x: 1, y: 2 }, list: [1, 2] });
  });
});

describe('ConfigMap data functions', () => {
  it('are called once per environment: validation lists the keys of the same result compilation emits', () => {
    const p = samplePlatform();
    const calls: string[] = [];
    p.apps[0].configMaps!.push({ name: 'rendered', data: (env) => (calls.push(env.name), { 'app.yaml': `env: ${env.name}\n` }) });
    validatePlatform(p, Object.keys(environments), environments);
    const cm = (env: Environment) => find(compile(env, p), 'ConfigMap', 'rendered');
    expect(cm(environments.dev).data).toEqual({ 'app.yaml': 'env: dev\n' });
    expect(cm(environments.prod).data).toEqual({ 'app.yaml': 'env: prod\n' });
    expect(cm(environments.dev).data).toEqual({ 'app.yaml': 'env: dev\n' });
    expect(calls.sort()).toEqual(Object.keys(environments).sort());
  });
});

describe('compileApp with a kind validation would have rejected', () => {
  it('throws naming the component instead of emitting it without its workload', () => {
    const p = samplePlatform();
    (p.apps[0].components.find((c) => c.name === 'api') as { kind: string }).kind = 'Deploymnt';
    expect(() => compile(environments.dev, p)).toThrowError(SpecError);
    expect(() => compile(environments.dev, p)).toThrowError(/component "api", field "kind": unknown kind "Deploymnt"/);
  });
});
