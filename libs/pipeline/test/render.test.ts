import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '@gitops/core';
import { generateAll, renderEnvironment } from '../src';
import { tempRepo, type TempRepo } from './sample-repo';

describe('renderEnvironment (gitops render)', () => {
  let repo: TempRepo;
  beforeAll(async () => {
    repo = tempRepo();
    repo.addPlatform('sample');
    await generateAll(repo.root, ['sample']);
  });
  afterAll(() => repo?.cleanup());

  it('renders the environment’s overlay with the real kustomize', async () => {
    const objects = await renderEnvironment(repo.root, 'sample', { env: 'prod', secrets: false });
    const api = objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === 'api') as unknown as { spec: { replicas: number }; metadata: { namespace: string } };
    expect(api.metadata.namespace).toBe('sample-prod');
    expect(api.spec.replicas).toBe(3);
  });

  it('refuses an app the platform does not have, naming its apps (exit 2)', async () => {
    const err = await renderEnvironment(repo.root, 'sample', { env: 'dev', app: 'nope', secrets: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as UserError).message).toBe('platform sample has no app "nope" (apps: sample)');
  });
});
