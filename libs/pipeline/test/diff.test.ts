import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '@gitops/core';
import { envNames } from '@gitops/environments';
import { generateAll, overlaysOnDisk, renderedDiff, renderObjectsIfPresent } from '../src';
import { tempRepo, type TempRepo } from './sample-repo';

describe('renderedDiff', () => {
  let repo: TempRepo;
  let goneObjects: Map<string, string[]>;
  beforeAll(async () => {
    repo = tempRepo();
    repo.addPlatform('sample');
    repo.addPlatform('gone');
    await generateAll(repo.root, ['sample', 'gone']);
    goneObjects = new Map();
    for (const dir of overlaysOnDisk(repo.root, 'gone')) goneObjects.set(dir, [...(await renderObjectsIfPresent(repo.root, dir)).keys()]);
    await repo.git('init', '-q', '-b', 'main');
    await repo.git('add', '-A');
    await repo.git('commit', '-qm', 'base');
    // The change: platform "gone" is deleted, library and generated folders.
    rmSync(join(repo.root, 'libs/platforms/gone'), { recursive: true });
    for (const d of ['base', ...envNames]) rmSync(join(repo.root, 'environments', d, 'gone'), { recursive: true });
  }, 120_000);
  afterAll(() => repo?.cleanup());

  it('lists every overlay the change removed, with all its objects removed', async () => {
    expect([...goneObjects.keys()]).toEqual(envNames.map((e) => `environments/${e}/gone`));
    const diffs = await renderedDiff(repo.root, 'HEAD', []);
    expect(diffs.map((d) => d.overlay)).toEqual([...goneObjects.keys()]);
    for (const d of diffs) {
      expect(d.removed.length).toBeGreaterThan(0);
      expect(d.removed).toEqual(goneObjects.get(d.overlay));
      expect(d.added).toEqual([]);
      expect(d.changed).toEqual([]);
    }
  }, 120_000);

  it('takes a platform that exists only at the base ref by name, and refuses one that exists nowhere', async () => {
    expect((await renderedDiff(repo.root, 'HEAD', ['gone'])).map((d) => d.overlay)).toEqual([...goneObjects.keys()]);
    expect(await renderedDiff(repo.root, 'HEAD', ['sample'])).toEqual([]);
    const err = await renderedDiff(repo.root, 'HEAD', ['nope']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/unknown platform "nope"/);
    expect((err as UserError).exitCode).toBe(2);
  }, 120_000);
});
