/**
 * Promotion policy per environment: where an environment's release images may come from and what
 * kind of reference it accepts. `gitops promote` and `gitops validate` (rule `release-policy`) both
 * call `releasePolicyProblems`, so the two can never disagree.
 */
import semver from 'semver';
import type { EnvName } from '@gitops/core';
import { isDigest } from '@gitops/core';

export interface PromotionPolicy {
  /** The only environment this one takes promotions from; absent = images come from builds. */
  from?: EnvName;
  /**
   * `pinned`: any tag but `latest` (the releases file already refuses that) or a digest.
   * `immutable`: a digest (`sha256:…`) or a full semantic version tag (`1.4.0`, `v0.28.1`).
   */
  refs: 'pinned' | 'immutable';
  /** Severity of a reference that is not `immutable` where that is asked for (see README: advisory for now). */
  mutableRefSeverity: 'error' | 'warning';
}

export const promotionPolicies: Record<EnvName, PromotionPolicy> = {
  dev: { refs: 'pinned', mutableRefSeverity: 'error' },
  staging: { from: 'dev', refs: 'pinned', mutableRefSeverity: 'error' },
  prod: { from: 'staging', refs: 'immutable', mutableRefSeverity: 'warning' },
};

export interface PolicyProblem {
  /** The `gitops validate` rule that reports it. */
  rule: 'release-immutable' | 'release-lineage';
  severity: 'error' | 'warning';
  message: string;
}

/** A full semantic version (an optional leading `v` allowed): a tag teams do not move. */
export function isImmutableRef(ref: string): boolean {
  return isDigest(ref) || semver.valid(ref.replace(/^v/, '')) !== null;
}

/**
 * Problems of the value `env` runs for one release image, given every environment's values.
 * Lineage is checked where it can be decided from the file alone: a version tag must not be ahead
 * of the source environment's version (prod never runs what staging has not reached). Digests
 * and non-semver tags cannot be ordered; `gitops promote` enforces their lineage at copy time.
 */
export function releasePolicyProblems(repo: string, env: EnvName, values: Partial<Record<EnvName, string>>): PolicyProblem[] {
  const policy = promotionPolicies[env];
  const value = values[env];
  if (!policy || !value) return [];
  const out: PolicyProblem[] = [];
  if (policy.refs === 'immutable' && !isImmutableRef(value)) {
    out.push({
      rule: 'release-immutable',
      severity: policy.mutableRefSeverity,
      message: `${env} runs ${repo}:${value}; ${env} requires a digest (sha256:…) or a full semantic version tag`,
    });
  }
  const source = policy.from ? values[policy.from] : undefined;
  if (policy.from && source && value !== source) {
    const [a, b] = [semver.valid(value.replace(/^v/, '')), semver.valid(source.replace(/^v/, ''))];
    if (a && b && semver.gt(a, b)) {
      out.push({
        rule: 'release-lineage',
        severity: 'error',
        message: `${env} runs ${repo}:${value}, ahead of ${policy.from} (${source}); ${env} accepts only what ${policy.from} already runs`,
      });
    }
  }
  return out;
}
