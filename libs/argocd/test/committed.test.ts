/** `gitops validate` checks the committed argocd/ Applications against this repository's folders. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateObjects } from '@gitops/validate';
import { committedArgoCdObjects, REPO_URL, repoPaths } from '../src';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('committed Argo CD objects', () => {
  it('every Application path of this repository exists, and a wrong one is reported', () => {
    const objects = committedArgoCdObjects(ROOT);
    const apps = objects.filter((o) => o.object.kind === 'Application');
    expect(apps.length).toBeGreaterThanOrEqual(15);
    expect(objects.some((o) => o.source.startsWith('argocd/install/'))).toBe(false);
    expect(validateObjects(objects, { policy: 'none', repo: repoPaths(ROOT) }).findings).toEqual([]);

    const broken = structuredClone(apps[0]);
    broken.object.spec.source.path = `${broken.object.spec.source.path}-typo`;
    const findings = validateObjects([broken], { policy: 'none', repo: repoPaths(ROOT) }).findings;
    expect(findings.map((f) => `${f.rule} ${f.path}`)).toEqual(['argocd-app-path spec.source.path']);
    expect(findings[0].message).toContain(REPO_URL);
  });

  it('only folders inside the repository count as paths', () => {
    const repo = repoPaths(ROOT);
    expect(repo.pathExists('environments/dev')).toBe(true);
    expect(repo.pathExists('README.md')).toBe(false);
    expect(repo.pathExists('../main')).toBe(false);
  });

  it('with --env, only that environment\'s Applications (and the projects)', () => {
    const dev = committedArgoCdObjects(ROOT, 'dev');
    expect(dev.filter((o) => o.object.kind === 'Application').every((o) => o.source.split('/').includes('dev'))).toBe(true);
    expect(dev.some((o) => o.object.kind === 'AppProject')).toBe(true);
  });
});
