/** Platform discovery refuses a folder whose name Argo CD or Kubernetes own (it would replace their objects). */
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '@gitops/core';
import { loadPlatforms } from '../src';
import { sampleSource, tempRepo } from './sample-repo';

const repo = tempRepo();
afterAll(() => repo.cleanup());

describe('platform names', () => {
  it('a platform named like Argo CD\'s built-in project is bad input naming its folder', async () => {
    repo.addPlatform('default', sampleSource('default'));
    const err = await loadPlatforms(repo.root, ['default']).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as UserError).message).toContain('libs/platforms/default: platform name "default" is reserved');
  });
});
