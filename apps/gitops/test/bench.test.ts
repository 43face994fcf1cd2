/**
 * The bench's own parts (not its timings): the objects it hands cdk8s are the ones `gitops generate`
 * wrote (no kustomization files, no secrets/), cdk8s really synthesizes each of them, and the table
 * prints every row with its ratio.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import { CDK8S_APP, cdk8sProject, EDITED, generatedObjects, generateReference, generateResult, markdown, noopRow, scaleRow, sourceEdit } from '../src/bench/table';
import { median, timeMedian } from '../src/bench/measure';
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
    const synth = await execa('node', [join(repo, CDK8S_APP), file, join(out, 'dist')]);
    expect(synth.stdout.trim()).toBe(String(all.length));
    const names = (dir: string) =>
      readdirSync(dir)
        .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS()))
        .map((o) => `${o.kind}/${o.metadata?.name}`)
        .sort();
    const wanted = all.map((o) => `${o.kind}/${(o.metadata as { name?: string })?.name}`).sort();
    expect(names(join(out, 'dist'))).toEqual(wanted);

    // The ratio's reference: the same app through the cdk8s CLI, as cdk8s users run it.
    // A folder whose name a shell would expand or split: the CLI runs cdk8s.yaml's `app` through one.
    const odd = join(out, "cli $HOME `x` 'q' \"d\"");
    mkdirSync(odd);
    const oddFile = join(odd, 'objects $PATH.json');
    writeFileSync(oddFile, JSON.stringify(groups));
    const cli = cdk8sProject(repo, odd, oddFile);
    expect(cli.version).toBe(JSON.parse(readFileSync(join(repo, 'apps/gitops/package.json'), 'utf8')).devDependencies['cdk8s-cli']);
    const res = await execa(cli.file, cli.args, { cwd: cli.cwd, reject: false, all: true });
    expect(res.exitCode, res.all).toBe(0);
    expect(names(join(cli.cwd, 'dist'))).toEqual(wanted);
  });

  it('the generate row names both references and divides by `cdk8s synth`', () => {
    expect(generateReference('2.207.60', 873, 830, 360, 440)).toBe(
      '`cdk8s synth` (cdk8s-cli 2.207.60) of the same 873 objects: 0.83 s; the same cdk8s app run bare by `node`, no CLI: 0.36 s (generate 1.22× that)',
    );
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

  it('the no-op row names what it times: node_modules/.bin/nx at each count, and npx nx at 5', () => {
    const row = noopRow([{ platforms: 5, noopMs: 810 }, { platforms: 100, noopMs: 1690 }], 1120);
    expect(row.result).toBe('`node_modules/.bin/nx`, 5: 0.81 s, 100: 1.69 s; `npx nx` (as the README has people type it), 5: 1.12 s');
    expect(noopRow([{ platforms: 5, noopMs: 810 }], undefined).result).toBe('`node_modules/.bin/nx`, 5: 0.81 s');
  });

  it('the scale row gives the cost per added object and overlay, the scaffold size and a real platform\'s upper estimate', () => {
    const raw: Record<string, number> = {};
    const row = scaleRow({ platforms: 5, objects: 873, overlays: 39, allMs: 3420, allRuns: 3 }, { platforms: 100, objects: 1823, overlays: 324, allMs: 9290, allRuns: 1 }, raw)!;
    expect(row.measure).toBe('`gitops all`, 100 platforms vs 5 (95 scaffolded platforms of 10 objects each; the 5 real ones: 873 objects)');
    expect(row.result).toBe('9.29 s (one run) vs 3.42 s (median of 3): 0.06 s per added platform, 6.18 ms per added object, 20.6 ms per added overlay; a real-size platform at most 0.68 s ((time at 5)/5)');
    expect(row.reference).toBe('20× the platforms, 2.1× the objects, 8.3× the overlays');
    expect(raw.perAddedObjectMs).toBeCloseTo(5870 / 950);
    expect(raw.perRealPlatformMs).toBe(684);
    expect(scaleRow({ platforms: 5, objects: 873, overlays: 39, allMs: 3420 }, undefined, raw)).toBeUndefined();
  });

  it('generate is timed unchanged and after a one-line edit, a different edit each run, the original put back', async () => {
    expect(generateResult(510, 900, 873)).toMatch(/^0\.51 s unchanged \(873 objects\); 0\.90 s right after a one-line comment edit of one platform's source/);
    const dir = mkdtempSync(join(tmpdir(), 'gitops-bench-edit-'));
    try {
      const file = join(dir, EDITED);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, 'export const x = 1;\n');
      const edit = sourceEdit(dir);
      const seen: string[] = [];
      await timeMedian('edit test', 'node', ['-e', '0'], { runs: 2, warmup: 1, before: (run) => (edit.apply(run), seen.push(readFileSync(file, 'utf8'))) });
      expect(seen).toHaveLength(3);
      expect(new Set(seen).size).toBe(3);
      expect(seen.every((t) => t.startsWith('export const x = 1;\n') && t.split('\n').length === 4)).toBe(true);
      edit.restore();
      expect(readFileSync(file, 'utf8')).toBe('export const x = 1;\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

  it('a .tools symlink (a checkout sharing another\'s toolchain) is git-ignored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitops-tools-link-'));
    try {
      await execa('git', ['init', '-q'], { cwd: dir });
      writeFileSync(join(dir, '.gitignore'), readFileSync(join(repo, '.gitignore')));
      symlinkSync(join(repo, 'node_modules'), join(dir, '.tools'));
      expect((await execa('git', ['check-ignore', '-q', '.tools'], { cwd: dir, reject: false })).exitCode).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

