/**
 * Issue 19 item 8, spec layer: what the API server or the scheduler would reject is an error before
 * anything is written, naming platform, app, component and field.
 */
import { describe, expect, it } from 'vitest';
import { environments } from '@gitops/environments';
import { SpecError, validatePlatform, type PlatformSpec } from '../src';
import { samplePlatform } from './fixtures';

const ENVS = ['dev', 'staging', 'prod'];

function problems(mutate: (p: PlatformSpec) => void): string[] {
  const p = samplePlatform();
  mutate(p);
  try {
    validatePlatform(p, ENVS, environments);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as SpecError).issues.map((i) => `${i.platform}/${i.app ?? ''}/${i.component ?? ''}/${i.field ?? ''}: ${i.message}`);
  }
}
const comp = (p: PlatformSpec, name: string) => p.apps[0].components.find((c) => c.name === name)!;

describe('validatePlatform rejects what kube-apiserver rejects', () => {
  it('accepts the sample platform with the real environments', () => {
    expect(problems(() => undefined)).toEqual([]);
  });

  it('a CronJob schedule out of range, with six fields, or with TZ in it', () => {
    expect(problems((p) => (comp(p, 'cleanup').schedule = '61 * * * *'))).toEqual(['sample/sample/cleanup/schedule: CronJob needs a schedule kube-apiserver accepts: "61 * * * *": minute: 61 is above the maximum 59']);
    expect(problems((p) => (comp(p, 'cleanup').schedule = '0 0 3 * * *'))[0]).toMatch(/found 6$/);
    expect(problems((p) => (comp(p, 'cleanup').schedule = 'TZ=UTC 0 3 * * *'))[0]).toMatch(/use the timeZone field/);
    expect(problems((p) => (comp(p, 'cleanup').schedule = '@every 10m'))).toEqual([]);
  });

  it('negative replicas in any environment, and autoscaling bounds the HPA would refuse', () => {
    expect(problems((p) => (comp(p, 'db').settings.dev = { replicas: -1 }))).toEqual(['sample/sample/db/settings.dev.replicas: replicas must be a whole number of 0 or more, got -1']);
    expect(problems((p) => (comp(p, 'api').settings.staging = { autoscaling: { min: 3, max: 2 } }))).toEqual(['sample/sample/api/settings.staging.autoscaling.max: max must be a whole number of at least min (3), got 2']);
    expect(problems((p) => (comp(p, 'api').settings.staging = { autoscaling: { min: 0, max: 2 } }))).toEqual(['sample/sample/api/settings.staging.autoscaling.min: min must be a whole number of 1 or more, got 0']);
  });

  it('invalid env var names (empty, with =); 1BAD is accepted by kube-apiserver 1.34+', () => {
    const found = problems((p) => {
      comp(p, 'api').env!.push({ name: 'FOO=BAR', value: '1' }, { name: '', value: '2' }, { name: '1BAD', value: '3' });
    });
    expect(found).toEqual([
      'sample/sample/api/env.FOO=BAR: environment variable name "FOO=BAR" contains \'=\'',
      'sample/sample/api/env.: an environment variable name must not be empty',
    ]);
  });

  it('a literal credential in env, without repeating the value', () => {
    const found = problems((p) => comp(p, 'api').env!.push({ name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'DB_PASSWORD_FILE', value: '/run/secrets/pw' }));
    expect(found).toEqual(['sample/sample/api/env.DB_PASSWORD: "DB_PASSWORD" holds a literal value; declare it in app.secrets and reference it ({ secret, key })']);
    expect(found.join('\n')).not.toContain('hunter2');
  });

  it('a limit below its request, and quantities that are not quantities', () => {
    const found = problems((p) => {
      comp(p, 'api').settings.prod = { ...comp(p, 'api').settings.prod, resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '500m', memory: 'lots' } } };
    });
    expect(found).toEqual([
      'sample/sample/api/settings.prod.resources.limits.cpu: limit 500m is below the request 1; the request must be less than or equal to the limit',
      'sample/sample/api/settings.prod.resources.limits.memory: "lots" is not a Kubernetes quantity',
    ]);
  });

  it('invalid label values and keys on a component', () => {
    const found = problems((p) => (comp(p, 'api').labels = { tier: 'front end', 'Bad/x': 'ok' }));
    expect(found).toEqual([
      'sample/sample/api/labels.tier: label value "front end" must be empty or start and end with a letter or digit, with only letters, digits, \'-\', \'_\' and \'.\' between',
      'sample/sample/api/labels.Bad/x: label key "Bad/x": the prefix must be a lowercase DNS subdomain',
    ]);
  });

  it('uppercase names and containerPort 70000', () => {
    const found = problems((p) => {
      comp(p, 'api').name = 'API';
      comp(p, 'db').ports![0].containerPort = 70000;
    });
    expect(found).toContain('sample/sample/API/name: "API" is not a DNS-1123 label');
    expect(found).toContain('sample/sample/db/ports.postgres.containerPort: port 70000 is out of range 1-65535');
  });

  it('a storage class no environment (nor the platform) defines', () => {
    const found = problems((p) => {
      comp(p, 'db').settings.staging = { storage: { data: { storageClass: 'managed-premium' } } };
    });
    expect(found).toEqual([
      'sample/sample/db/settings.staging.storage.data.storageClass: storage class "managed-premium" is not defined in staging (defined: gp3, gp3-iops, sc1, efs); name a role (storage: standard|fast|cheap|shared) or list the class in the platform\'s storageClasses.staging',
    ]);
    expect(problems((p) => {
      comp(p, 'db').settings.staging = { storage: { data: { storageClass: 'managed-premium' } } };
      p.storageClasses = { staging: ['managed-premium'] };
    })).toEqual([]);
  });
});

/** A spec typed in plain JavaScript, loaded from JSON or cast past the types: what `tsc` would catch, the CLI must too. */
describe('validatePlatform rejects what the types forbid (exit 2 in gitops generate)', () => {
  const loose = (x: object) => x as Record<string, unknown>;

  it('an unknown component kind, naming the field and the known kinds', () => {
    expect(problems((p) => (loose(comp(p, 'api')).kind = 'Deploymnt'))).toEqual([
      'sample/sample/api/kind: unknown kind "Deploymnt" (known: Deployment, StatefulSet, DaemonSet, CronJob, Job)',
    ]);
  });

  it('a quoted number or a fraction in the component, probe, settings and volume numbers', () => {
    const found = problems((p) => {
      const api = loose(comp(p, 'api'));
      api.terminationGracePeriodSeconds = '30';
      api.probes = { readiness: { http: { path: '/', port: 'http' }, periodSeconds: 'five', timeoutSeconds: 0 }, liveness: { tcp: { port: 'http' }, initialDelaySeconds: 1.5 } };
      loose(comp(p, 'cleanup')).backoffLimit = '2';
      loose(comp(p, 'cleanup')).activeDeadlineSeconds = 0;
      comp(p, 'api').settings.dev = loose({ replicas: '2', autoscaling: undefined, disruptionBudget: { minAvailable: 'half' }, resources: { requests: { cpu: 'lots' } } }) as never;
      comp(p, 'api').settings.staging = loose({ autoscaling: { min: '1', max: 3, cpu: '80' }, exposure: { type: 'NodePort', nodePorts: { http: '30080' } } }) as never;
    });
    expect(found).toEqual(expect.arrayContaining([
      'sample/sample/api/terminationGracePeriodSeconds: must be a number, got string "30"',
      'sample/sample/api/probes.readiness.periodSeconds: must be a number, got string "five"',
      'sample/sample/api/probes.readiness.timeoutSeconds: must be 1 or more, got 0',
      'sample/sample/api/probes.liveness.initialDelaySeconds: must be a whole number, got 1.5',
      'sample/sample/cleanup/backoffLimit: must be a number, got string "2"',
      'sample/sample/cleanup/activeDeadlineSeconds: must be 1 or more, got 0',
      'sample/sample/api/settings.dev.replicas: must be a number, got string "2"',
      'sample/sample/api/settings.dev.disruptionBudget.minAvailable: must be a whole number or a percentage such as "50%", got string "half"',
      'sample/sample/api/settings.dev.resources.requests.cpu: "lots" is not a Kubernetes quantity',
      'sample/sample/api/settings.staging.autoscaling.min: must be a number, got string "1"',
      'sample/sample/api/settings.staging.autoscaling.cpu: must be a number, got string "80"',
      'sample/sample/api/settings.staging.exposure.nodePorts.http: must be a number, got string "30080"',
    ]));
    expect(found).toHaveLength(12);
  });

  it('storage sizes that are not quantities (component, per-environment override, shared volume)', () => {
    expect(problems((p) => {
      const data = comp(p, 'db').volumes![0].source as { persistent: { size: string } };
      data.persistent.size = '1 GB';
      comp(p, 'db').settings.dev = { storage: { data: { size: 'big' } } };
      p.apps[0].volumes = [{ name: 'logs', size: '5Gb', accessModes: ['ReadWriteOnce'] }];
    })).toEqual([
      'sample/sample/db/volumes.data.persistent.size: "1 GB" is not a Kubernetes quantity',
      'sample/sample/db/settings.dev.storage.data.size: "big" is not a Kubernetes quantity',
      'sample/sample//volumes.logs.size: "5Gb" is not a Kubernetes quantity',
    ]);
  });

  it('a component without settings is named, not a crash', () => {
    expect(problems((p) => delete loose(comp(p, 'api')).settings)).toEqual(['sample/sample/api/settings: settings are required ({ default: { … } }), got nothing']);
  });

  it('accepts numbers and percentages where they belong', () => {
    expect(problems((p) => {
      comp(p, 'api').terminationGracePeriodSeconds = 0;
      comp(p, 'api').settings.dev = { disruptionBudget: { maxUnavailable: '25%' }, resources: { requests: { cpu: '250m' }, limits: { memory: '1Gi' } } };
    })).toEqual([]);
  });
});
