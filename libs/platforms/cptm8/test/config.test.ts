/** ConfigMaps, declared secrets and namespaces. */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForTest, type RenderedPlatform } from '@gitops/pipeline';
import { ENVS, GO } from './helpers';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('cptm8');
});

describe.each(ENVS)('configuration in %s', (env) => {
  const ns = `cptm8-${env}`;

  it('everything lives in the environment namespace', () => {
    const ns0 = r.get(env, 'Namespace', ns);
    expect(ns0.metadata.labels['pod-security.kubernetes.io/enforce']).toBe({ dev: 'privileged', staging: 'baseline', prod: 'restricted' }[env]);
    const elsewhere = r.objects(env).filter((o) => o.kind !== 'Namespace' && o.metadata?.namespace !== ns);
    expect(elsewhere.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([]);
  });

  it.each(GO)('%s-config points at the client Services by FQDN in this namespace', (svc) => {
    expect(r.get(env, 'ConfigMap', `${svc}-config`).data).toMatchObject({
      POSTGRESQL_HOSTNAME: `postgresql-service.${ns}.svc.cluster.local`,
      POSTGRESQL_PORT: '5432',
      POSTGRESQL_DB: 'cptm8',
      RABBITMQ_HOSTNAME: `rabbitmq-service.${ns}.svc.cluster.local`,
      MONGODB_HOSTNAME: `mongodb-primary-service.${ns}.svc.cluster.local`,
      LOG_DIR: `/var/log/${svc}`,
    });
  });

  it('no ConfigMap names headless pod DNS or carries a credential', () => {
    for (const cm of r.objects(env).filter((o) => o.kind === 'ConfigMap') as any[]) {
      const text = JSON.stringify(cm.data);
      expect(text, cm.metadata.name).not.toMatch(/-0\.[a-z-]+-headless/);
      expect(Object.keys(cm.data).filter((k) => /PASS|SECRET|TOKEN|KEY/i.test(k)), cm.metadata.name).toEqual([]);
    }
  });

  it('the asmm8 template ConfigMap holds only the non-secret subfinder file', () => {
    expect(Object.keys(r.get(env, 'ConfigMap', 'configuration-template-asmm8').data)).toEqual(['subfinderconfig.yaml']);
  });
});

describe('declared secrets', () => {
  const secrets = () => r.platform.spec.apps[0].secrets!;
  const keys = (name: string) => secrets().find((s) => s.name === name)!.keys;

  it('one PostgreSQL password key, generated', () => {
    expect(keys('postgresql-secrets')).toEqual([{ name: 'password', generate: { kind: 'password', length: 32 } }]);
  });

  it('AWS credentials and subfinder API keys are supplied by a human (no generator)', () => {
    expect(keys('aws-ecr-credentials').map((k) => [k.name, k.generate])).toEqual([
      ['aws-access-key-id', undefined],
      ['aws-secret-access-key', undefined],
    ]);
    expect(keys('asmm8-subfinder-providers').map((k) => [k.name, k.generate])).toEqual([['subfinderprovider-config.yaml', undefined]]);
  });

  it('every overlay lists each declared secret in its KSOPS generator', async () => {
    const { readFileSync } = await import('node:fs');
    const { repoRoot } = await import('@gitops/pipeline');
    for (const env of ENVS) {
      const gen = readFileSync(`${repoRoot()}/environments/${env}/cptm8/secret-generator.yaml`, 'utf8');
      for (const s of secrets()) expect(gen).toContain(`./secrets/${s.name}.enc.yaml`);
    }
  });
});
