/** The promotion policy as `gitops validate` applies it, and its agreement with the rule table. */
import { describe, expect, it } from 'vitest';
import { environments, envNames, isImmutableRef, promotionPolicies, releasePolicyProblems } from '@gitops/environments';
import { RULES } from '../src';

const DIGEST = 'sha256:' + '0'.repeat(64);

describe('promotion policy', () => {
  it('prod may not run a version staging has not reached; older or equal is fine', () => {
    expect(releasePolicyProblems('r/a', 'prod', { staging: '1.4.0', prod: '1.3.2' })).toEqual([]);
    expect(releasePolicyProblems('r/a', 'prod', { staging: 'v1.4.0', prod: 'v1.4.0' })).toEqual([]);
    expect(releasePolicyProblems('r/a', 'prod', { staging: '1.4.0', prod: '1.10.0' })).toEqual([
      { rule: 'release-lineage', severity: 'error', message: 'prod runs r/a:1.10.0, ahead of staging (1.4.0); prod accepts only what staging already runs' },
    ]);
    expect(releasePolicyProblems('r/a', 'staging', { dev: '2.0.0', staging: '2.1.0' })[0].rule).toBe('release-lineage');
  });

  it('prod asks for a digest or a full semantic version', () => {
    expect(['1.4.0', 'v0.28.1', '1.0.0-rc.1', DIGEST].filter((r) => !isImmutableRef(r))).toEqual([]);
    expect(['2026.02', '7-alpine', 'main', 'sha256:abc'].filter((r) => isImmutableRef(r))).toEqual([]);
    expect(releasePolicyProblems('r/a', 'prod', { staging: DIGEST, prod: DIGEST })).toEqual([]);
    expect(releasePolicyProblems('r/a', 'prod', { staging: 'main', prod: 'main' }).map((p) => p.rule)).toEqual(['release-immutable']);
    expect(releasePolicyProblems('r/a', 'staging', { dev: 'main', staging: 'main' })).toEqual([]);
  });

  it("each environment's severity for mutable references is the rule's severity at its policy level", () => {
    const rule = RULES.find((r) => r.id === 'release-immutable')!;
    for (const env of envNames) {
      if (promotionPolicies[env].refs !== 'immutable') continue;
      expect(rule.levels[environments[env].podSecurity], env).toBe(promotionPolicies[env].mutableRefSeverity);
    }
    expect(RULES.find((r) => r.id === 'release-lineage')!.levels).toMatchObject({ restricted: 'error', baseline: 'error', privileged: 'error' });
  });
});
