/** The committed generated trees (environments/, argocd/) are exactly what the code generates now. */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { resolve } from 'node:path';
import { generatePlatform, loadPlatforms } from '@gitops/pipeline';

const root = resolve(__dirname, '..');

describe('committed generated output', () => {
  it('matches what `gitops generate` produces (drift check)', async () => {
    const res = await execa('node', ['apps/gitops/bin/gitops.mjs', 'generate', '--check', '--json'], { cwd: root, reject: false });
    const summary = JSON.parse(res.stdout) as Array<{ platform: string; written: string[]; removed: string[] }>;
    const drift = summary.flatMap((s) => [...s.written.map((f) => `changed ${f}`), ...s.removed.map((f) => `stale ${f}`)]);
    expect(drift).toEqual([]);
    expect(res.exitCode).toBe(0);
  });

  it('generates byte-identical output twice in a row for every platform', async () => {
    for (const p of await loadPlatforms(root)) {
      const first = [...generatePlatform(p)];
      const second = [...generatePlatform(p)];
      expect(second, p.name).toEqual(first);
      expect(first.length, p.name).toBeGreaterThan(0);
    }
  });

  it('the main job (`gitops all --check`) passes: no drift, every overlay renders and validates with 0 errors', async () => {
    const res = await execa('node', ['apps/gitops/bin/gitops.mjs', 'all', '--check', '--json'], { cwd: root, reject: false });
    expect(res.exitCode, res.stderr).toBe(0);
    const results = JSON.parse(res.stdout) as Array<{ platform: string; env: string; findings: Array<{ severity: string }> }>;
    // Every platform, plus the committed argocd/ Applications a full validate checks.
    expect(new Set(results.map((r) => r.platform))).toEqual(new Set([...(await loadPlatforms(root)).map((p) => p.name), 'argocd']));
    expect(results.flatMap((r) => r.findings).filter((f) => f.severity === 'error')).toEqual([]);
  });
});
