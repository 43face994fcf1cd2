import { describe, expect, it } from 'vitest';
import { SpecError, validatePlatform, type PlatformSpec } from '../src';
import { samplePlatform } from './fixtures';

const ENVS = ['dev', 'staging', 'prod'];

function problems(mutate: (p: PlatformSpec) => void): string[] {
  const p = samplePlatform();
  mutate(p);
  try {
    validatePlatform(p, ENVS);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as SpecError).issues.map((i) => `${i.app ?? ''}/${i.component ?? ''}/${i.field ?? ''}: ${i.message}`);
  }
}

const app = (p: PlatformSpec) => p.apps[0];
const comp = (p: PlatformSpec, name: string) => app(p).components.find((c) => c.name === name)!;

describe('validatePlatform', () => {
  it('accepts the sample platform', () => {
    expect(problems(() => undefined)).toEqual([]);
  });

  it('rejects duplicate component names, naming app and field', () => {
    expect(problems((p) => app(p).components.push({ ...comp(p, 'api') }))).toContain('sample//components: duplicate component name "api"');
  });

  it('rejects names that are not DNS-1123', () => {
    expect(problems((p) => (comp(p, 'api').name = 'API_Server'))).toEqual(
      expect.arrayContaining([expect.stringContaining('/API_Server/name: "API_Server" is not a DNS-1123 label')]),
    );
  });

  it('rejects ports out of range', () => {
    expect(problems((p) => (comp(p, 'api').ports![0].containerPort = 70000))).toContain('sample/api/ports.http.containerPort: port 70000 is out of range 1-65535');
  });

  it('names the wrong type of a port (a quoted number), not a range', () => {
    const found = problems((p) => {
      (comp(p, 'api').ports![0] as { containerPort: unknown }).containerPort = '3000';
      (comp(p, 'api').ports![0] as { servicePort?: unknown }).servicePort = 80.5;
    });
    expect(found).toContain('sample/api/ports.http.containerPort: must be a number, got string "3000"');
    expect(found).toContain('sample/api/ports.http.servicePort: must be a whole number, got 80.5');
    expect(found.join('\n')).not.toContain('out of range');
  });

  it('rejects an unknown environment in settings and releases', () => {
    const found = problems((p) => {
      (comp(p, 'api').settings as Record<string, unknown>).qa = { replicas: 2 };
      p.releases['registry.example/sample/api'] = { ...p.releases['registry.example/sample/api'], ['qa' as 'dev']: '1' };
    });
    expect(found).toContain('sample/api/settings.qa: unknown environment "qa" (known: dev, staging, prod)');
    expect(found).toContain('//releases["registry.example/sample/api"].qa: unknown environment "qa" (known: dev, staging, prod)');
  });

  it('rejects a reference to an undeclared secret or key', () => {
    expect(problems((p) => (comp(p, 'db').env = [{ name: 'X', secret: 'nope', key: 'password' }]))).toContain(
      'sample/db/env.X: references secret "nope", which is not declared',
    );
    expect(problems((p) => (comp(p, 'db').env = [{ name: 'X', secret: 'db-credentials', key: 'pass' }]))).toContain(
      'sample/db/env.X: references key "pass" of secret "db-credentials", which does not declare it (has: password)',
    );
  });

  it('rejects a reference to an undeclared config key', () => {
    expect(problems((p) => (comp(p, 'api').env = [{ name: 'X', configMap: 'api-config', key: 'LEVEL' }]))).toContain(
      'sample/api/env.X: references key "LEVEL" of ConfigMap "api-config", which does not declare it (has: LOG_LEVEL)',
    );
  });

  it('rejects a dependency on a missing component', () => {
    expect(problems((p) => (comp(p, 'api').dependsOn = ['cache']))).toContain('sample/api/dependsOn: depends on "cache", which is not a component of app "sample"');
  });

  it('rejects a dependency cycle and shows it', () => {
    expect(problems((p) => (comp(p, 'db').dependsOn = ['cleanup']))).toContain('sample//components.dependsOn: dependency cycle: db -> cleanup -> api -> db');
  });

  it('rejects a CronJob without a valid schedule', () => {
    expect(problems((p) => (comp(p, 'cleanup').schedule = 'every day'))).toContain('sample/cleanup/schedule: CronJob needs a schedule kube-apiserver accepts: "every day": expected exactly 5 fields (minute hour day-of-month month day-of-week), found 2');
  });

  it('reports every problem at once, each with platform, app, component and field', () => {
    const p = samplePlatform();
    comp(p, 'api').ports![0].containerPort = 0;
    comp(p, 'api').dependsOn = ['ghost'];
    expect(() => validatePlatform(p, ENVS)).toThrowError(/invalid platform spec \(2 problems\)/);
    expect(() => validatePlatform(p, ENVS)).toThrowError(/platform "sample", app "sample", component "api", field "ports.http.containerPort": port 0 is out of range/);
    expect(() => validatePlatform(p, ENVS)).toThrowError(/platform "sample", app "sample", component "api", field "dependsOn": depends on "ghost"/);
  });
});
