/** The repository's validator over the rendered overlays: zero errors and zero warnings per environment. */
import { describe, expect, it } from 'vitest';
import { declaredSecretsOf } from '@gitops/secrets-workflow';
import { environments } from '@gitops/environments';
import { validateObjects } from '@gitops/validate';
import { ENVS, useRendered } from './helpers';

const r = useRendered();

describe('validation', () => {
  it.each(ENVS)('%s: no findings; the only suppressions are the single-replica beat and Flower', (env) => {
    const objects = r().objects(env);
    const result = validateObjects(
      objects.map((object) => ({ object, source: `environments/${env}/ms5` })),
      { platform: 'ms5', env, policy: environments[env].podSecurity, declaredSecrets: declaredSecretsOf(r().platform, 'ms5', objects) },
    );
    expect(result.findings.map((f) => `${f.severity} ${f.rule} ${f.kind}/${f.name} ${f.path}: ${f.message}`)).toEqual([]);
    const suppressed = result.suppressions.map((s) => `${s.kind}/${s.name} ${s.rule}`).sort();
    // Every environment, not only prod: the annotations are the same in all three, and a new
    // suppression must not slip in through a base that dev and staging share.
    expect(suppressed).toEqual(['Deployment/celery-beat ha-pdb', 'Deployment/celery-beat ha-replicas', 'Deployment/flower ha-pdb', 'Deployment/flower ha-replicas']);
  });
});
