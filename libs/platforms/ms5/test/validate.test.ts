/** The repository's validator over the rendered overlays: zero errors and zero warnings per environment. */
import { describe, expect, it } from 'vitest';
import { releaseAdvisories, validateRendered } from '@gitops/pipeline';
import { ENVS, useRendered } from './helpers';

const r = useRendered();

describe('validation', () => {
  it.each(ENVS)('%s: no findings; the only suppressions are the single-replica beat and Flower', async (env) => {
    const result = await validateRendered(r().platform, r().overlays.get(`ms5/${env}`)!);
    // Registry-convention tags (MinIO RELEASE.…, 16.4-ts…) are advisory warnings in prod by decision (libs/environments README).
    const { advisory, others } = releaseAdvisories(result);
    expect(advisory.every((f) => f.severity === 'warning' && env === 'prod')).toBe(true);
    expect(others.map((f) => `${f.severity} ${f.rule} ${f.kind}/${f.name} ${f.path}: ${f.message}`)).toEqual([]);
    const suppressed = result.suppressions.map((s) => `${s.kind}/${s.name} ${s.rule}`).sort();
    // Every environment, not only prod: the annotations are the same in all three, and a new
    // suppression must not slip in through a base that dev and staging share.
    expect(suppressed).toEqual(['Deployment/celery-beat ha-pdb', 'Deployment/celery-beat ha-replicas', 'Deployment/flower ha-pdb', 'Deployment/flower ha-replicas']);
  });
});
