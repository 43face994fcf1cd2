import { describe, expect, it } from 'vitest';
import { platformNameProblem, PLATFORM_NAME_MAX } from '../src/platform-name';
import { validatePlatform } from '../src';
import { samplePlatform } from './fixtures';

describe('platformNameProblem', () => {
  it('accepts DNS-1123 labels up to the limit', () => {
    for (const ok of ['cptm8', 'ms5', 'a', 'my-platform', 'x'.repeat(PLATFORM_NAME_MAX)]) expect(platformNameProblem(ok)).toBeUndefined();
  });

  it('refuses what is not a short DNS-1123 label', () => {
    for (const bad of ['My', 'a_b', '-a', 'a-', '', 'x'.repeat(PLATFORM_NAME_MAX + 1)]) expect(platformNameProblem(bad)).toMatch(/must be a DNS-1123 label/);
  });

  it('refuses names Argo CD or Kubernetes own', () => {
    for (const reserved of ['default', 'argocd', 'gitops-bootstrap', 'kube-system', 'kube-public', 'kubernetes']) {
      expect(platformNameProblem(reserved)).toMatch(/is reserved/);
    }
    expect(platformNameProblem('kubeflow')).toBeUndefined();
  });
});

describe('validatePlatform', () => {
  it('applies the same platform name rule', () => {
    const p = { ...samplePlatform(), name: 'argocd' };
    expect(() => validatePlatform(p, ['dev', 'staging', 'prod'])).toThrow(/field "name": platform name "argocd" is reserved/);
  });
});
