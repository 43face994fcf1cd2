/** Mapping the test shop (written for these tests) onto the platform model, field by field. */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ComponentSpec } from '@gitops/core';
import { compileApp } from '@gitops/core';
import { environments } from '@gitops/environments';
import { planImport, type PlannedImport } from '../src/import';
import { toPlatformSpec } from '../src/spec';

const shop = (f: string) => join(__dirname, 'compose/shop', f);
let planned: PlannedImport;
const comp = (name: string): ComponentSpec => planned.plan.components.find((c) => c.spec.name === name)!.spec;
const noteOf = (service: string | undefined, field: string) => planned.plan.notes.find((n) => n.service === service && n.field === field);

beforeAll(() => {
  planned = planImport({
    platform: 'shop',
    files: [shop('compose.yaml'), shop('compose.override.yaml')],
    envFiles: [shop('shop.env')],
    profiles: ['workers'],
    shellEnv: {},
  });
});

describe('services → components', () => {
  it('one component per service, kinds by role', () => {
    expect(planned.plan.components.map((c) => [c.spec.name, c.spec.kind])).toEqual([
      ['db', 'StatefulSet'],
      ['cache', 'Deployment'],
      ['migrate', 'Job'],
      ['api', 'Deployment'],
      ['proxy', 'Deployment'],
      ['worker', 'Deployment'],
    ]);
  });

  it('image repositories in the component, tags in releases; unpinned and build: get the placeholder with a warning', () => {
    expect(planned.plan.releases).toEqual({ postgres: '16.4-alpine', redis: '7.2.5', 'ghcr.io/example/shop-api': '1.4.2', 'nginxinc/nginx-unprivileged': '1.27.2-alpine' });
    expect(comp('worker')).toMatchObject({ image: 'registry.example.invalid/shop/worker', tag: 'latest' });
    expect(noteOf('worker', 'image')?.kind).toBe('warning');
    expect(noteOf('worker', 'build')?.message).toMatch(/nothing to deploy/);
  });

  it('command → args, entrypoint → command, split like a shell; working_dir', () => {
    expect(comp('api').args).toEqual(['serve', '--port', '8000']);
    expect(comp('api').workingDir).toBe('/srv/api');
    expect(comp('migrate').args).toEqual(['./manage', 'migrate', '--no-input']);
  });

  it('ports and expose become container/Service ports; published host ports are notes, not NodePorts', () => {
    expect(comp('api').ports?.map((p) => p.containerPort)).toEqual([8000, 9102, 9000]);
    expect(comp('cache').ports).toEqual([{ name: 'redis', containerPort: 6379 }]);
    expect(noteOf('api', 'ports[0]')?.message).toMatch(/host port 8000 → container port 8000: a ClusterIP Service port, not a NodePort/);
    expect(noteOf('api', 'ports[2]')?.kind).toBeDefined();
    expect(comp('api').settings.dev?.exposure).toBeUndefined();
  });

  it('healthchecks: local curl/wget → HTTP probe, others → exec; timings mapped', () => {
    expect(comp('api').probes?.readiness).toEqual({ http: { path: '/healthz', port: 'http' }, periodSeconds: 15, timeoutSeconds: 2, failureThreshold: 4 });
    expect(comp('proxy').probes?.liveness?.http).toEqual({ path: '/', port: 'http' });
    expect(comp('db').probes?.liveness).toEqual({ exec: ['sh', '-c', 'pg_isready -U $POSTGRES_USER'], periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 10, initialDelaySeconds: 20 });
    expect(comp('cache').probes?.liveness?.exec).toEqual(['redis-cli', 'ping']);
    // no healthcheck and no port: no probe, and the policy suppression says why
    expect(comp('worker').probes).toBeUndefined();
    expect(comp('worker').annotations?.['gitops.io/suppress']).toMatch(/^probe-liveness: compose defines no healthcheck/);
  });

  it('deploy.replicas and resources; prod keeps HA', () => {
    expect(comp('api').settings.default.replicas).toBe(3);
    expect(comp('api').settings.prod).toEqual({ replicas: 3, disruptionBudget: { minAvailable: 1 } });
    expect(comp('db').settings.default.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1500m', memory: '1Gi' } });
    expect(comp('cache').settings.default.resources?.limits?.memory).toBe('300Mi');
    expect(comp('db').settings.prod).toBeUndefined(); // a StatefulSet: no Deployment HA rule
  });

  it('order: depends_on conditions → dependsOn, wait-for init containers, Job hooks', () => {
    expect(comp('migrate')).toMatchObject({ dependsOn: ['db'], waitForDependencies: true, hook: 'Sync' });
    expect(comp('api')).toMatchObject({ dependsOn: ['migrate', 'cache'] });
    expect(comp('api').waitForDependencies).toBeUndefined();
    expect(comp('proxy').dependsOn).toEqual(['api']);
  });

  it('state: named volume of a database → StatefulSet claim; bind file → ConfigMap; Docker socket refused', () => {
    expect(comp('db').volumes?.[0]).toEqual({ name: 'db-data', source: { persistent: { storage: 'standard', size: '1Gi' } }, mounts: [{ mountPath: '/var/lib/postgresql/data' }] });
    const cm = planned.plan.configMaps.find((c) => c.name === 'proxy-nginx-conf')!;
    expect(cm.data['nginx.conf']).toContain('proxy_pass http://api:8000');
    expect(comp('proxy').volumes?.[0]).toMatchObject({ source: { configMap: 'proxy-nginx-conf' }, mounts: [{ mountPath: '/etc/nginx/conf.d/default.conf', subPath: 'nginx.conf', readOnly: true }] });
    expect(noteOf('proxy', 'volumes[1]')).toMatchObject({ kind: 'refused' });
    expect(noteOf('proxy', 'volumes[1]')?.message).toMatch(/Docker socket/);
    expect(JSON.stringify(comp('proxy'))).not.toContain('docker.sock');
    expect(planned.plan.configMaps.find((c) => c.name === 'config-banner')?.data).toEqual({ banner: 'Welcome to the shop' });
    // configs, short syntax: mounted at /<name>
    expect(comp('cache').volumes?.find((v) => 'configMap' in v.source)?.mounts).toEqual([{ mountPath: '/banner', subPath: 'banner', readOnly: true }]);
  });

  it('security: read_only, tmpfs, caps, numeric user, stop_grace_period', () => {
    expect(comp('cache').securityContext).toEqual({ readOnlyRootFilesystem: true });
    expect(comp('cache').volumes?.find((v) => v.mounts?.[0].mountPath === '/data')?.source).toEqual({ emptyDir: { medium: 'Memory' } });
    expect(comp('api').securityContext).toEqual({ runAsUser: 1000, runAsGroup: 1000, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } });
    expect(comp('api').terminationGracePeriodSeconds).toBe(90);
  });

  it('secrets: compose secrets and secret-looking variables become declared Secrets referenced by key', () => {
    expect(planned.plan.secrets.map((s) => [s.name, s.keys.map((k) => k.name)])).toEqual([
      ['stripe-key', ['stripe-key']],
      ['db-env', ['POSTGRES_PASSWORD']],
      ['shop-env', ['DATABASE_URL']],
      ['api-env', ['SMTP_PASSWORD', 'SESSION_SECRET']],
      ['worker-env', ['API_TOKEN']],
    ]);
    expect(comp('api').env).toContainEqual({ name: 'SESSION_SECRET', secret: 'api-env', key: 'SESSION_SECRET' });
    expect(comp('api').env).toContainEqual({ name: 'FEATURE_FLAGS', value: 'checkout,search' });
    expect(comp('api').volumes?.[0]).toMatchObject({ source: { secret: 'stripe-key' }, mounts: [{ mountPath: '/run/secrets/stripe.key', subPath: 'stripe-key' }] });
    expect(planned.plan.secretValues.get('api-env')?.get('SESSION_SECRET')).toBe('sess-Hy62vB9qWe1T');
    expect(planned.plan.secretValues.get('stripe-key')?.get('stripe-key')).toBe('stripe-TESTONLY-Vb71xQ9kLp3M');
    // no secret value anywhere in the library's code
    for (const [file, text] of planned.files) {
      if (file.startsWith('config/')) continue;
      for (const v of ['db-Kf83nQ2xLm5R', 'sess-Hy62vB9qWe1T', 'tok-Pq45sD8fGh2J', 'smtp-Zq7xW2pL9vB4', 'stripe-TESTONLY-Vb71xQ9kLp3M']) expect(text, file).not.toContain(v);
    }
  });

  it('fields with no counterpart are reported with a reason', () => {
    expect(noteOf('api', 'labels')?.kind).toBe('dropped');
    expect(noteOf('api', 'logging')?.message).toMatch(/log collector/);
    expect(noteOf(undefined, 'x-app')?.kind).toBe('dropped');
    expect(noteOf('debug', 'profiles')?.message).toMatch(/only in profile debug/);
  });

  it('--image replaces a build: service image and pins it', () => {
    const p = planImport({ platform: 'shop', files: [shop('compose.yaml')], envFiles: [shop('shop.env')], profiles: ['workers'], images: { worker: 'ghcr.io/example/worker:3.1.0' }, shellEnv: {} });
    expect(p.plan.components.find((c) => c.service === 'worker')!.spec).toMatchObject({ image: 'ghcr.io/example/worker' });
    expect(p.plan.components.find((c) => c.service === 'worker')!.spec.tag).toBeUndefined();
    expect(p.plan.releases['ghcr.io/example/worker']).toBe('3.1.0');
  });

  it('--dev-node-ports makes published ports a NodePort in dev only', () => {
    const p = planImport({ platform: 'shop', files: [shop('compose.yaml')], envFiles: [shop('shop.env')], devNodePorts: true, shellEnv: {} });
    const api = p.plan.components.find((c) => c.service === 'api')!.spec;
    expect(api.settings.dev?.exposure).toEqual({ type: 'NodePort' });
    const spec = toPlatformSpec(p.plan);
    const svc = (env: 'dev' | 'prod') =>
      compileApp(spec, spec.apps[0], environments[env]).groups.flatMap((g) => g.objects).find((o) => o.kind === 'Service' && o.metadata?.name === 'api') as unknown as { spec: { type?: string } };
    expect(svc('dev').spec.type).toBe('NodePort');
    expect(svc('prod').spec.type ?? 'ClusterIP').toBe('ClusterIP');
  });
});

describe('secrets and configs from `environment:` take the project environment as Compose does (shell over env file)', () => {
  const project = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-env-'));
    writeFileSync(
      join(dir, 'compose.yaml'),
      'services:\n  api:\n    image: ghcr.io/example/api:1.0.0\n    secrets: [token]\n    configs: [greeting]\n' +
        'secrets:\n  token:\n    environment: TOKEN\nconfigs:\n  greeting:\n    environment: GREETING\n',
    );
    writeFileSync(join(dir, '.env'), 'TOKEN=tok-from-env-file-TESTONLY\nGREETING=hello from the env file\n');
    return dir;
  };
  const plan = (shellEnv: Record<string, string>) => planImport({ platform: 'envtest', files: [join(project(), 'compose.yaml')], shellEnv }).plan;

  it('the shell wins over the env file', () => {
    expect(plan({ TOKEN: 'tok-from-shell-TESTONLY' }).secretValues.get('token')?.get('token')).toBe('tok-from-shell-TESTONLY');
  });

  it('the env file fills in what the shell does not set', () => {
    expect(plan({}).secretValues.get('token')?.get('token')).toBe('tok-from-env-file-TESTONLY');
  });
});
