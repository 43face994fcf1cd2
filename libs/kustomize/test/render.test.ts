import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findKustomize, kustomizeBuild, kustomizeBuildText, KustomizeBuildError, KustomizeNotFoundError, pinnedKustomize, type KustomizeCommand } from '../src';

describe('kustomize binary and build', () => {
  it('finds a working kustomize', () => {
    expect(['kustomize', 'kubectl'].some((b) => findKustomize().file.endsWith(b)) || !!process.env.KUSTOMIZE_BIN).toBe(true);
  });

  it('prefers the pinned standalone kustomize (.tools/bin) to kubectl\'s, and it renders our overlays byte for byte as kubectl kustomize does', async () => {
    const pinned = pinnedKustomize();
    const env = { ...process.env, PATH: '' }; // no kustomize on PATH
    if (!existsSync(pinned)) {
      if (process.env.CI === 'true') throw new Error(`${pinned} is missing: .ci/run builds the toolchain first`);
      return expect(findKustomize({ ...env, PATH: process.env.PATH }).file).not.toBe(pinned);
    }
    expect(findKustomize(env)).toMatchObject({ file: pinned, args: ['build'] });
    const kubectl: KustomizeCommand = { file: 'kubectl', args: ['kustomize'], description: 'kubectl kustomize' };
    // One overlay per platform (all 39 were compared when the pinned binary became the default).
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    for (const dir of ['environments/prod/cptm8', 'environments/prod/hyperpage', 'environments/prod/ms5', 'environments/prod/platform9', 'environments/prod/sevensa/monitoring']) {
      const [a, b] = await Promise.all([kustomizeBuildText(join(root, dir), { kustomize: findKustomize(env) }), kustomizeBuildText(join(root, dir), { kustomize: kubectl })]);
      expect(a.length, dir).toBeGreaterThan(1000);
      expect(a === b, `${dir}: pinned kustomize and kubectl kustomize differ`).toBe(true);
    }
  });

  it('names what to install when KUSTOMIZE_BIN does not run', () => {
    expect(() => findKustomize({ ...process.env, KUSTOMIZE_BIN: '/nonexistent/kustomize' })).toThrow(KustomizeNotFoundError);
    expect(() => findKustomize({ ...process.env, KUSTOMIZE_BIN: '/nonexistent/kustomize' })).toThrow(/Install kubectl .* or kustomize v5, or set KUSTOMIZE_BIN/);
  });

  it('fails with kustomize\'s own message when a build fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitops-bad-'));
    try {
      writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n  - missing.yaml\n');
      const err = await kustomizeBuild(dir).catch((e) => e);
      expect(err).toBeInstanceOf(KustomizeBuildError);
      expect(err.message).toMatch(/missing\.yaml/);
      expect(err.message).toContain(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
