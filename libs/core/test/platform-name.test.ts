import { describe, expect, it } from 'vitest';
import { appNameProblem, platformNameProblem, PLATFORM_NAME_MAX } from '../src/platform-name';
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
    for (const reserved of ['default', 'argocd', 'gitops', 'gitops-bootstrap', 'gitops-root', 'kube-system', 'kube-public', 'kubernetes', 'secrets', 'kustomization']) {
      expect(platformNameProblem(reserved)).toMatch(/is reserved/);
    }
    expect(platformNameProblem('kubeflow')).toBeUndefined();
    expect(platformNameProblem('gitopsy')).toBeUndefined();
  });

  it('refuses app names that are folders of the layout', () => {
    expect(appNameProblem('secrets')).toMatch(/app name "secrets" is reserved/);
    expect(appNameProblem('api')).toBeUndefined();
    const p = samplePlatform();
    p.apps[0].name = 'secrets';
    expect(() => validatePlatform(p, ['dev', 'staging', 'prod'])).toThrow(/app name "secrets" is reserved/);
  });
});

describe('validatePlatform', () => {
  it('applies the same platform name rule', () => {
    const p = { ...samplePlatform(), name: 'argocd' };
    expect(() => validatePlatform(p, ['dev', 'staging', 'prod'])).toThrow(/field "name": platform name "argocd" is reserved/);
  });
});
