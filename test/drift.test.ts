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
});
