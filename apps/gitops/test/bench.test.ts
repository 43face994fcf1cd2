/**
 * The bench's own parts (not its timings): the objects it hands cdk8s are the ones `gitops generate`
 * wrote (no kustomization files, no secrets/), cdk8s really synthesizes each of them, and the table
 * prints every row with its ratio.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import { generatedObjects, markdown } from '../src/bench/table';
import { median } from '../src/bench/measure';
import { copyRepo } from '../src/bench/repo-copy';
import { repo, sampleRepo, type SampleRepo } from './sample-repo';

let r: SampleRepo;
let out: string;
beforeAll(async () => {
  r = sampleRepo('gitops-bench-test-');
  expect((await r.run('generate', 'sample')).exitCode).toBe(0);
  out = mkdtempSync(join(tmpdir(), 'gitops-bench-test-out-'));
});
afterAll(() => {
  r.cleanup();
  rmSync(out, { recursive: true, force: true });
});

describe('bench', () => {
  it('hands cdk8s exactly the objects generate wrote, and cdk8s synthesizes every one', async () => {
    const groups = generatedObjects(r.root);
    const all = Object.values(groups).flat();
    expect(all.length).toBeGreaterThan(5);
    expect(all.every((o) => typeof o.kind === 'string' && o.kind !== 'Kustomization')).toBe(true);
    expect(Object.keys(groups).some((d) => d.includes('secrets'))).toBe(false);
    expect(all.map((o) => o.kind)).toContain('Deployment');

    const file = join(out, 'objects.json');
    writeFileSync(file, JSON.stringify(groups));
    const synth = await execa('node', [join(__dirname, '../src/bench/cdk8s-synth.mjs'), file, join(out, 'dist')]);
    expect(synth.stdout.trim()).toBe(String(all.length));
    const written = readdirSync(join(out, 'dist')).flatMap((f) => parseAllDocuments(readFileSync(join(out, 'dist', f), 'utf8')).map((d) => d.toJS()));
    expect(written).toHaveLength(all.length);
    expect(written.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual(all.map((o) => `${o.kind}/${(o.metadata as { name?: string })?.name}`).sort());
  });

  it('prints every row with its ratio, and the machine', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const text = markdown({
      machine: { cpus: 2, cpuModel: 'Test CPU', node: 'v20.0.0' },
      rows: [
        { measure: '`gitops --help`', result: '0.08 s', reference: '`node -e 0`: 0.05 s', ratio: 1.6, goal: '≤ 0.3 s' },
        { measure: 'no-op', result: '5: 1.00 s', reference: '—', goal: '≤ 1 s at 5' },
      ],
      raw: {},
    });
    expect(text).toContain('2 CPUs (Test CPU), Node v20.0.0');
    expect(text).toContain('| `gitops --help` | 0.08 s | `node -e 0`: 0.05 s | 1.60× | ≤ 0.3 s |');
    expect(text).toContain('| no-op | 5: 1.00 s | — | — | ≤ 1 s at 5 |');
  });

  it('Nx in a repository copy keeps its cache and workspace data in the copy: its cleanup leaves nothing in ~/.nx', async () => {
    // A HOME of the test's own, so other processes writing the real ~/.nx cannot change the listing.
    const home = mkdtempSync(join(tmpdir(), 'gitops-bench-home-'));
    const copy = copyRepo(repo, 'gitops-bench-nx-');
    try {
      const listing = () => (existsSync(join(home, '.nx')) ? readdirSync(join(home, '.nx')) : []);
      const before = listing();
      const res = await execa('node', [join(copy.root, 'node_modules/.bin/nx'), 'show', 'projects'], {
        cwd: copy.root,
        env: { HOME: home, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ...copy.nxEnv },
        reject: false,
        all: true,
      });
      expect(res.exitCode, res.all).toBe(0);
      expect(res.stdout).toContain('@gitops/platform-hyperpage');
      expect(existsSync(join(copy.root, '.nx/workspace-data'))).toBe(true);
      copy.cleanup();
      expect(listing()).toEqual(before);
    } finally {
      copy.cleanup();
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});
