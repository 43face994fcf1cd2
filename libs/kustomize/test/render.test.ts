import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findKustomize, kustomizeBuild, KustomizeBuildError, KustomizeNotFoundError } from '../src';

describe('kustomize binary and build', () => {
  it('finds a working kustomize', () => {
    expect(['kustomize', 'kubectl'].some((b) => findKustomize().file.endsWith(b)) || !!process.env.KUSTOMIZE_BIN).toBe(true);
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
