import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpecError } from '@gitops/core';
import { envNames } from '@gitops/environments';
import { listOwnedFiles } from '@gitops/kustomize';
import { buildPlatform, generateAll, generateAndValidate, loadPlatform, overlayDirs, validatePlatforms } from '../src';
import { recordingArgoCd, sampleSource, useTempRepo } from './sample-repo';

describe('buildPlatform', () => {
  const repo = useTempRepo(['sample']);

  it('holds one compiled app per overlay, the tree, the roots and each overlay’s read folders', async () => {
    const p = await loadPlatform(repo().root, 'sample');
    const b = buildPlatform(p);
    expect(b.overlays.map((o) => o.dir)).toEqual(overlayDirs(p).map((o) => o.dir));
    for (const o of b.overlays) {
      // Each overlay holds its own environment's compile (sample: `sample-prod` in prod, `sample-dev` elsewhere).
      expect(o.compiled.namespace).toBe(o.env === 'prod' ? 'sample-prod' : 'sample-dev');
      expect(o.reads[0]).toBe(o.dir);
      expect(o.reads).toContain('environments/base/sample');
      // sample declares a secret: its overlay's secrets folder is read (KSOPS), and written by nobody here.
      expect(o.reads).toContain(`${o.dir}/secrets`);
      expect(b.tree.has(`${o.dir}/kustomization.yaml`)).toBe(true);
    }
    expect(b.roots).toEqual(['environments/base/sample', 'environments/dev/sample', 'environments/staging/sample', 'environments/prod/sample']);
    expect([...b.tree.keys()].every((f) => b.roots.some((r) => f.startsWith(`${r}/`)) && !f.split('/').includes('secrets'))).toBe(true);
  });
});

describe('generateAll', () => {
  const repo = useTempRepo(['sample', 'other']);

  it('writes every build and, on a full run, argocd/ made from those same builds', async () => {
    const { step, seen } = recordingArgoCd();
    const r = await generateAll(repo().root, [], { argoCd: step });
    expect(r.builds.map((b) => b.platform.name)).toEqual(['other', 'sample']);
    expect(r.summary.map((s) => s.platform)).toEqual(['other', 'sample', 'argocd']);
    expect(seen).toEqual([r.builds]);
    expect(seen[0]).toBe(r.builds);
    for (const b of r.builds) {
      expect(listOwnedFiles(repo().root, b.roots)).toEqual([...b.tree.keys()].sort());
      for (const [f, text] of b.tree) expect(readFileSync(join(repo().root, f), 'utf8')).toBe(text);
    }
    for (const [f, text] of r.argocd!) expect(readFileSync(join(repo().root, f), 'utf8')).toBe(text);
    const again = await generateAll(repo().root, [], { check: true, argoCd: recordingArgoCd().step });
    expect(again.summary.every((s) => !s.written.length && !s.removed.length)).toBe(true);
  });

  it('leaves argocd/ alone when platforms are named', async () => {
    const { step, seen } = recordingArgoCd();
    const r = await generateAll(repo().root, ['sample'], { check: true, argoCd: step });
    expect(r.argocd).toBeUndefined();
    expect(seen).toEqual([]);
    expect(r.summary.map((s) => s.platform)).toEqual(['sample']);
  });

  it('writes nothing when one platform fails to build', async () => {
    const before = listOwnedFiles(repo().root, ['environments', 'argocd']).map((f) => [f, readFileSync(join(repo().root, f), 'utf8')]);
    repo().addPlatform('other', sampleSource('other').replace("replicas: 3,", "replicas: 4,"));
    repo().addPlatform('broken', sampleSource('broken').replace("releases: {", "releases: { 'registry.example/unused': { dev: '1', staging: '1', prod: '1' },"));
    await expect(generateAll(repo().root, [], { argoCd: recordingArgoCd().step })).rejects.toBeInstanceOf(SpecError);
    expect(listOwnedFiles(repo().root, ['environments', 'argocd']).map((f) => [f, readFileSync(join(repo().root, f), 'utf8')])).toEqual(before);
  });
});

describe('generateAll after a platform library was removed', () => {
  const repo = useTempRepo(['sample', 'other'], async (r) => {
    await generateAll(r.root, [], { argoCd: recordingArgoCd().step });
  });

  it('a full run removes its generated files (--check: drift), leaves and names its secrets/ folders and anything not generated', async () => {
    const root = repo().root;
    const generated = listOwnedFiles(root, ['environments/base/other', ...envNames.map((e) => `environments/${e}/other`)]);
    expect(generated.length).toBeGreaterThan(5);
    mkdirSync(join(root, 'environments/dev/other/secrets'), { recursive: true });
    writeFileSync(join(root, 'environments/dev/other/secrets/db-credentials.enc.yaml'), 'sops: {}\n');
    mkdirSync(join(root, 'environments/dev/handmade'), { recursive: true });
    writeFileSync(join(root, 'environments/dev/handmade/notes.yaml'), 'a: 1\n');
    writeFileSync(join(root, 'environments/dev/other/notes.yaml'), 'written by hand\n');
    rmSync(join(root, 'libs/platforms/other'), { recursive: true });

    const lines: string[] = [];
    const check = await generateAll(root, [], { check: true, argoCd: recordingArgoCd().step, onProgress: (l) => lines.push(l) });
    const other = check.summary.find((x) => x.platform === 'other')!;
    expect(other).toEqual({ platform: 'other', files: 0, written: [], removed: generated, left: ['environments/dev/other/secrets'] });
    expect(check.summary.map((x) => x.platform)).toEqual(['sample', 'argocd', 'other']);
    expect(lines.filter((l) => l.startsWith('other: '))).toEqual([
      `other: no platform library libs/platforms/other any more: its ${generated.length} generated file(s) would be removed`,
      'other: left in place: environments/dev/other/secrets (generation never deletes secrets; delete them if other is gone for good)',
    ]);
    expect(existsSync(join(root, 'environments/base/other/kustomization.yaml'))).toBe(true);
    const said: string[] = [];
    await validatePlatforms(root, [], { secrets: false, onProgress: (l) => said.push(l) });
    expect(said.filter((l) => l.startsWith('warning:'))).toEqual([
      `warning: environments/base/other, ${envNames.map((e) => `environments/${e}/other`).join(', ')}: generated for platform "other", which no longer exists (not validated): run \`gitops generate\` to remove ${generated.length} generated file(s)`,
    ]);

    // Naming platforms is not a full run: nothing else is touched.
    expect((await generateAll(root, ['sample'], { check: true })).summary.map((x) => x.platform)).toEqual(['sample']);

    await generateAll(root, [], { argoCd: recordingArgoCd().step });
    expect(existsSync(join(root, 'environments/base/other'))).toBe(false);
    expect(listOwnedFiles(root, ['environments/dev/other', 'environments/staging/other'])).toEqual(['environments/dev/other/notes.yaml']);
    expect(readFileSync(join(root, 'environments/dev/other/secrets/db-credentials.enc.yaml'), 'utf8')).toBe('sops: {}\n');
    expect(readFileSync(join(root, 'environments/dev/handmade/notes.yaml'), 'utf8')).toBe('a: 1\n');
    // Only secrets/ is left: no removal announced on later runs, written or checked; one line names it.
    for (const check of [true, false]) {
      const said: string[] = [];
      const again = await generateAll(root, [], { check, argoCd: recordingArgoCd().step, onProgress: (l) => said.push(l) });
      expect(again.summary.every((x) => !x.written.length && !x.removed.length)).toBe(true);
      expect(again.summary.map((x) => x.platform)).toEqual(['sample', 'argocd']);
      expect(said.filter((l) => l.startsWith('other: '))).toEqual(['other: left in place: environments/dev/other/secrets (generation never deletes secrets; delete them if other is gone for good)']);
    }
  });
});

describe('generateAndValidate (gitops all)', () => {
  const repo = useTempRepo(['sample']);

  it('with check, stops at drift without validating; after a write, validates every overlay and argocd/', async () => {
    const { step } = recordingArgoCd();
    const stale = await generateAndValidate(repo().root, [], { check: true, secrets: false, argoCd: step });
    expect(stale.results).toBeUndefined();
    expect(stale.drift).toContain('environments/prod/sample/kustomization.yaml');
    expect(stale.drift).toContain('argocd/overlays.txt');
    expect(listOwnedFiles(repo().root, ['environments', 'argocd'])).toEqual([]);
    await generateAll(repo().root, [], { argoCd: step });
    const fresh = await generateAndValidate(repo().root, [], { check: true, secrets: false, argoCd: step });
    expect(fresh.drift).toEqual([]);
    expect(fresh.results!.map((r) => r.dir)).toEqual([...envNames.map((e) => `environments/${e}/sample`), 'argocd']);
  }, 120_000);
});
