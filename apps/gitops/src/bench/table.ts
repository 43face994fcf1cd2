/**
 * `gitops bench`: each row of the performance table (issue 20) as a ratio against its reference,
 * measured in one run on this machine, in a throwaway copy of the repository (so the generated
 * trees, the Nx cache and the 100 synthetic platforms never touch the work tree). Every command is
 * timed as the process a person runs (`node apps/gitops/bin/gitops.mjs …`, `nx …`): wall time,
 * median of a few runs after a warm-up, except `gitops all` at 100 platforms (one run; each row says so).
 */
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { execa } from 'execa';
import { findKustomize, kustomizeBuildText, type KustomizeCommand } from '@gitops/kustomize';
import { ARGOCD_DIR, loadPlatforms, overlayDirs, platformNames } from '@gitops/pipeline';
import { ENVIRONMENTS_DIR, KUSTOMIZATION_FILES, SECRETS_DIR } from '@gitops/environments';
import { printJson, progress } from '../output';
import { copyRepo, type RepoCopy } from './repo-copy';
import { median, timeMedian, timeOnce } from './measure';

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
}

export interface Row {
  measure: string;
  result: string;
  reference: string;
  ratio?: number;
  goal: string;
}

export interface BenchReport {
  machine: Machine;
  rows: Row[];
  /** Every measured number, in ms (or counts), by name. */
  raw: Record<string, number>;
}

export interface BenchOptions {
  /** Skip the 100-platform scale run. */
  quick?: boolean;
  runs?: number;
  scalePlatforms?: number;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const x = (r: number) => `${r.toFixed(2)}×`;

export function machine(): Machine {
  return { cpus: availableParallelism(), cpuModel: cpus()[0]?.model.trim() ?? 'unknown', node: process.version };
}

export async function runBench(repo: string, opts: BenchOptions = {}): Promise<BenchReport> {
  const runs = opts.runs ?? 3;
  const raw: Record<string, number> = {};
  const rows: Row[] = [];
  /** One row's measurement: a failure becomes that row's result (and stderr), the others still run. */
  const row = async (measure: string, goal: string, fn: () => Promise<Omit<Row, 'measure' | 'goal'>>) => {
    try {
      rows.push({ measure, goal, ...(await fn()) });
    } catch (err) {
      const message = String((err as Error)?.message ?? err);
      progress(`bench: ${measure}: ${message}`);
      rows.push({ measure, goal, result: `failed: ${message.split('\n')[0]}`, reference: '—' });
    }
  };
  progress('bench: copying the repository');
  const copy = copyRepo(repo, 'gitops-bench-');
  const scratch = mkdtempSync(join(tmpdir(), 'gitops-bench-out-'));
  try {
    const env = { GITOPS_ROOT: copy.root, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ...copy.nxEnv };
    const at = { cwd: copy.root, env };
    const bin = join(copy.root, 'apps/gitops/bin/gitops.mjs');
    const nx = join(copy.root, 'node_modules/.bin/nx');
    await timeOnce('node', [bin, '--version'], at); // builds the copy's CLI

    await row('`gitops generate`, all platforms', '≤ 0.5×', async () => {
      raw.generateMs = await timeMedian('gitops generate', 'node', [bin, 'generate'], { ...at, runs, warmup: 1 });
      const groups = generatedObjects(copy.root);
      raw.objects = Object.values(groups).reduce((n, g) => n + g.length, 0);
      const objectsFile = join(scratch, 'objects.json');
      writeFileSync(objectsFile, JSON.stringify(groups));
      const cdk8s = cdk8sProject(copy.root, join(scratch, 'cdk8s'), objectsFile);
      raw.cdk8sSynthMs = await timeMedian(`cdk8s synth (${raw.objects} objects)`, cdk8s.file, cdk8s.args, { cwd: cdk8s.cwd, env, runs, warmup: 1 });
      raw.cdk8sAppMs = await timeMedian(`the same cdk8s app under node`, 'node', [join(copy.root, CDK8S_APP), objectsFile, join(scratch, 'cdk8s.out')], { ...at, runs, warmup: 1 });
      // The unchanged case above reuses every compiled platform; after an edit one is recompiled.
      const edit = sourceEdit(copy.root);
      try {
        raw.generateEditedMs = await timeMedian(`gitops generate after an edit of ${EDITED}`, 'node', [bin, 'generate'], { ...at, runs, before: edit.apply });
      } finally {
        edit.restore();
      }
      return {
        result: generateResult(raw.generateMs, raw.generateEditedMs, raw.objects),
        reference: generateReference(cdk8s.version, raw.objects, raw.cdk8sSynthMs, raw.cdk8sAppMs, raw.generateMs),
        ratio: raw.generateMs / raw.cdk8sSynthMs,
      };
    });

    await row('`gitops validate` (render + validate, every overlay)', '≤ 1.1×', async () => {
      raw.validateMs = await timeMedian('gitops validate', 'node', [bin, 'validate'], { ...at, runs, warmup: 1, findingsOk: true });
      const overlays = (await loadPlatforms(copy.root)).flatMap((p) => overlayDirs(p)).map((o) => join(copy.root, o.dir));
      const parallel = Math.min(Math.max(availableParallelism(), 2), overlays.length);
      raw.overlays = overlays.length;
      // The reference is bare `kubectl kustomize`; validate renders with the kustomize
      // findKustomize picks in the copy (the pinned standalone one when built), so that binary's
      // own floor is measured and printed too.
      const kubectl: KustomizeCommand = { file: 'kubectl', args: ['kustomize'], description: 'kubectl kustomize' };
      const used = findKustomize({ ...process.env, GITOPS_ROOT: copy.root });
      raw.kustomizeFloorMs = await floor(overlays, parallel, runs, kubectl);
      const same = used.file !== 'kubectl';
      if (same) raw.usedKustomizeFloorMs = await floor(overlays, parallel, runs, used);
      return {
        result: `${s(raw.validateMs)} (${overlays.length} overlays, rendered by ${used.description})`,
        reference:
          `bare \`kubectl kustomize\` of the same overlays, ${parallel} at a time: ${s(raw.kustomizeFloorMs)}` +
          (same ? `; bare ${used.description}, the binary validate runs: ${s(raw.usedKustomizeFloorMs)} (${x(raw.validateMs / raw.usedKustomizeFloorMs)})` : ''),
        ratio: raw.validateMs / raw.kustomizeFloorMs,
      };
    });

    // Nx no-op, one platform changed, and `gitops all`: at 5 platforms, then at 100.
    const platforms5 = platformNames(copy.root).length;
    copy.commit('generated');
    const scale: ScalePoint[] = [];
    const measureAt = async (platforms: number) => {
      const r: ScalePoint = { platforms };
      scale.push(r);
      try {
        r.objects = raw[`objects@${platforms}`] = Object.values(generatedObjects(copy.root)).reduce((n, g) => n + g.length, 0);
        r.overlays = raw[`overlays@${platforms}`] = (await loadPlatforms(copy.root)).flatMap((p) => overlayDirs(p)).length;
        const noop = ['run-many', '-t', 'generate', 'validate'];
        r.noopMs = raw[`noopMs@${platforms}`] = await timeMedian(`no-op nx run-many -t generate validate (${platforms} platforms)`, 'node', [nx, ...noop], { ...at, runs, warmup: 1 });
        // What the README tells a person to type; npx adds its own start to the same run.
        if (platforms === platforms5) raw[`npxNoopMs@${platforms}`] = await timeMedian(`no-op npx nx run-many -t generate validate (${platforms} platforms)`, 'npx', ['nx', ...noop], { ...at, runs, warmup: 1 });
        r.affectedMs = raw[`affectedMs@${platforms}`] = await affected(copy, nx, at, runs);
        const allRuns = platforms === platforms5 ? runs : 1; // at 100 platforms one run is about 10 s
        r.allRuns = allRuns;
        r.allMs = raw[`allMs@${platforms}`] = await timeMedian(`gitops all (${platforms} platforms)`, 'node', [bin, 'all'], { ...at, runs: allRuns, warmup: allRuns > 1 ? 1 : 0, findingsOk: true });
      } catch (err) {
        r.error = String((err as Error)?.message ?? err);
        progress(`bench: at ${platforms} platforms: ${r.error}`);
      }
    };
    await measureAt(platforms5);
    if (!opts.quick) {
      try {
        const add = (opts.scalePlatforms ?? 100) - platforms5;
        progress(`bench: scaffolding ${add} synthetic platforms (tools/nx-plugin generator)`);
        await execa('node', ['--require', 'tsx/cjs', join(copy.root, 'apps/gitops/src/bench/scaffold.cjs'), copy.root, String(add), 'bench-'], { ...at, stderr: 'inherit' });
        progress(`bench: generating ${platformNames(copy.root).length} platforms`);
        await timeOnce('node', [bin, 'generate'], at);
        copy.commit('scaffolded');
        await measureAt(platformNames(copy.root).length);
      } catch (err) {
        progress(`bench: scale run: ${String((err as Error)?.message ?? err)}`);
      }
    }
    rows.push(noopRow(scale, raw[`npxNoopMs@${platforms5}`]));
    rows.push({ measure: '`nx affected -t generate validate`, one platform changed (a new one-line edit for each run)', result: perCount(scale, 'affectedMs'), reference: '—', goal: '—' });
    await row('`gitops --help`', '≤ 0.3 s', async () => {
      raw.nodeStartMs = await timeMedian('node -e 0', 'node', ['-e', '0'], { ...at, runs: 5 });
      raw.helpMs = await timeMedian('gitops --help', 'node', [bin, '--help'], { ...at, runs: 5, warmup: 1 });
      return { result: s(raw.helpMs), reference: `\`node -e 0\`: ${s(raw.nodeStartMs)}`, ratio: raw.helpMs / raw.nodeStartMs };
    });
    const [small, large] = scale;
    const scaled = scaleRow(small, large, raw);
    const allRuns = scale[0]?.allRuns === undefined ? '' : ` (median of ${scale[0].allRuns})`;
    rows.push(scaled ?? { measure: '`gitops all`', result: perCount(scale, 'allMs') + allRuns, reference: opts.quick ? 'scale run skipped (--quick)' : 'scale run failed', goal: '≤ 0.15 s per added platform' });
    rows.push({ measure: '`npm test`', result: 'not run by the bench', reference: '—', goal: '≤ 4 min' });
    await row('SOPS 100-key round trip', 'keep ≤ 20 ms', async () => {
      const { benchSecretsDetailed } = await import('@gitops/secrets');
      const sops = await benchSecretsDetailed(100);
      raw.sops100KeyRoundTripMs = sops.totalMs;
      raw.sops100KeyRoundTripFirstMs = sops.coldMs;
      return { result: `${sops.totalMs.toFixed(1)} ms median, first call ${sops.coldMs.toFixed(1)} ms`, reference: '—' };
    });
    return { machine: machine(), rows, raw };
  } finally {
    copy.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The platform source the bench edits: the generate-after-an-edit and `nx affected` measures. */
export const EDITED = 'libs/platforms/hyperpage/src/index.ts';

/**
 * One-line edits of EDITED in `root`: `apply(n)` makes the file its original plus the comment line
 * `// bench: edit n`, a different content (so a new content hash and Nx hash) for each run; `restore`
 * puts the original back.
 */
export function sourceEdit(root: string): { apply: (run: number) => void; restore: () => void } {
  const file = join(root, EDITED);
  const original = readFileSync(file, 'utf8');
  return {
    apply: (run) => writeFileSync(file, `${original}\n// bench: edit ${run}\n`),
    restore: () => writeFileSync(file, original),
  };
}

/** Times `nx affected` against HEAD with one platform's source changed (uncommitted, a new edit each run, so never an Nx cache hit); then undoes it. */
async function affected(copy: RepoCopy, nx: string, at: { cwd: string; env: Record<string, string> }, runs: number): Promise<number> {
  const edit = sourceEdit(copy.root);
  try {
    return await timeMedian('nx affected -t generate validate (one platform changed)', 'node', [nx, 'affected', '-t', 'generate', 'validate', '--base=HEAD'], { ...at, runs, warmup: 1, before: edit.apply });
  } finally {
    edit.restore();
  }
}

/** One platform count's measures in the Nx and `gitops all` rows. */
export interface ScalePoint {
  platforms: number;
  objects?: number;
  overlays?: number;
  noopMs?: number;
  affectedMs?: number;
  allMs?: number;
  /** Timed runs of `gitops all` (1: a single run, no warm-up). */
  allRuns?: number;
  error?: string;
}

/** `5: 0.81 s, 100: 1.69 s` for one measure. */
export const perCount = (scale: ScalePoint[], k: 'noopMs' | 'affectedMs' | 'allMs'): string => scale.map((r) => `${r.platforms}: ${r[k] === undefined ? 'failed' : s(r[k]!)}`).join(', ');

/** The generate row's result: the unchanged run (the ratio's figure) and the run after a one-line edit. */
export function generateResult(unchangedMs: number, editedMs: number, objects: number): string {
  return `${s(unchangedMs)} unchanged (${objects} objects); ${s(editedMs)} right after a one-line comment edit of one platform's source (that platform recompiled; its output is the same, so no file is rewritten)`;
}

/** The bench's cdk8s app (one ApiObject per object generate wrote), relative to the repository. */
export const CDK8S_APP = 'apps/gitops/src/bench/cdk8s-synth.mjs';

/**
 * A cdk8s project in `dir` whose cdk8s.yaml runs the bench's app over `objectsFile`, and the command
 * cdk8s users type to synthesize it: `cdk8s synth` of the pinned cdk8s-cli (its own start, then the
 * app as a child process, then reading back what it wrote), without the upgrade check, which would
 * time a request to npm's registry.
 */
export function cdk8sProject(root: string, dir: string, objectsFile: string): { file: string; args: string[]; cwd: string; version: string } {
  mkdirSync(dir, { recursive: true });
  // The CLI runs `app` through a shell: single quotes keep `$`, backticks and spaces of a path literal.
  const app = ['node', join(root, CDK8S_APP), objectsFile].map(shellQuote).join(' ');
  writeFileSync(join(dir, 'cdk8s.yaml'), `app: ${JSON.stringify(app)}\n`);
  const { version } = JSON.parse(readFileSync(join(root, 'node_modules/cdk8s-cli/package.json'), 'utf8')) as { version: string };
  return { file: join(root, 'node_modules/.bin/cdk8s'), args: ['synth', '--no-check-upgrade'], cwd: dir, version };
}

/** `s` as one POSIX shell word. */
const shellQuote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;

/** The generate row's reference: `cdk8s synth` (the ratio's figure) and the bare app's floor. */
export function generateReference(cliVersion: string, objects: number, synthMs: number, appMs: number, generateMs: number): string {
  return `\`cdk8s synth\` (cdk8s-cli ${cliVersion}) of the same ${objects} objects: ${s(synthMs)}; the same cdk8s app run bare by \`node\`, no CLI: ${s(appMs)} (generate ${x(generateMs / appMs)} that)`;
}

/** The no-op row: what `node_modules/.bin/nx` costs (what `npm run` and CI scripts call) and, at 5 platforms, `npx nx`. */
export function noopRow(scale: ScalePoint[], npxMs: number | undefined): Row {
  const small = scale[0]?.platforms;
  const npx = npxMs === undefined ? '' : `; \`npx nx\` (as the README has people type it), ${small}: ${s(npxMs)}`;
  return { measure: 'no-op `nx run-many -t generate validate`', result: `\`node_modules/.bin/nx\`, ${perCount(scale, 'noopMs')}${npx}`, reference: '—', goal: '≤ 1 s at 5, ≤ 2 s at 100' };
}

/**
 * `gitops all` at the scaffolded count against the real platforms: the cost per added platform, and
 * per added object and overlay, since a scaffolded platform is far smaller than a real one; (time at
 * 5)/5 is an upper estimate of a real-size platform's cost. Undefined when either run is missing.
 */
export function scaleRow(small: ScalePoint | undefined, large: ScalePoint | undefined, raw: Record<string, number>): Row | undefined {
  if (small?.allMs === undefined || large?.allMs === undefined || !small.objects || !large.objects || !small.overlays || !large.overlays) return undefined;
  const added = large.platforms - small.platforms;
  const extra = large.allMs - small.allMs;
  raw.perAddedPlatformMs = extra / added;
  raw.perAddedObjectMs = extra / (large.objects - small.objects);
  raw.perAddedOverlayMs = extra / (large.overlays - small.overlays);
  raw.perRealPlatformMs = small.allMs / small.platforms;
  const perScaffold = Math.round((large.objects - small.objects) / added);
  const runsOf = (p: ScalePoint) => (p.allRuns === 1 ? 'one run' : `median of ${p.allRuns ?? 3}`);
  return {
    measure: `\`gitops all\`, ${large.platforms} platforms vs ${small.platforms} (${added} scaffolded platforms of ${perScaffold} objects each; the ${small.platforms} real ones: ${small.objects} objects)`,
    result:
      `${s(large.allMs)} (${runsOf(large)}) vs ${s(small.allMs)} (${runsOf(small)}): ${s(raw.perAddedPlatformMs)} per added platform, ` +
      `${(raw.perAddedObjectMs).toFixed(2)} ms per added object, ${(raw.perAddedOverlayMs).toFixed(1)} ms per added overlay; ` +
      `a real-size platform at most ${s(raw.perRealPlatformMs)} ((time at ${small.platforms})/${small.platforms})`,
    reference: `${(large.platforms / small.platforms).toFixed(0)}× the platforms, ${(large.objects / small.objects).toFixed(1)}× the objects, ${(large.overlays / small.overlays).toFixed(1)}× the overlays`,
    ratio: large.allMs / small.allMs,
    goal: 'linear in overlays, ≤ 0.15 s per added platform',
  };
}

/** Bare kustomize over the overlays, `parallel` at a time: the floor render + validate is measured against. */
async function floor(overlays: string[], parallel: number, runs: number, kustomize: KustomizeCommand): Promise<number> {
  const once = async () => {
    const t = process.hrtime.bigint();
    let next = 0;
    const worker = async () => {
      while (next < overlays.length) await kustomizeBuildText(overlays[next++], { kustomize });
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    times.push(await once());
    progress(`bench: bare ${kustomize.description}, ${overlays.length} overlays ${i + 1}/${runs}: ${times[i].toFixed(0)} ms`);
  }
  return median(times);
}

/** Every object `gitops generate` wrote, under environments/ and argocd/ (not kustomization files, not secrets/), by folder. */
export function generatedObjects(root: string): Record<string, Array<Record<string, unknown>>> {
  const out: Record<string, Array<Record<string, unknown>>> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== SECRETS_DIR) walk(p);
      } else if (/\.ya?ml$/.test(e.name) && !KUSTOMIZATION_FILES.includes(e.name)) {
        const docs = parseAllDocuments(readFileSync(p, 'utf8')).map((d) => d.toJS() as Record<string, unknown>);
        const objects = docs.filter((o) => o && typeof o === 'object' && 'kind' in o && 'apiVersion' in o && o.kind !== 'Component');
        if (objects.length) (out[relative(root, dir)] ??= []).push(...objects);
      }
    }
  };
  walk(join(root, ENVIRONMENTS_DIR));
  if (existsSync(join(root, ARGOCD_DIR))) walk(join(root, ARGOCD_DIR));
  return out;
}

/** The table as Markdown (the README shows it as printed). */
export function markdown(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `Machine: ${m.cpus} CPUs (${m.cpuModel}), Node ${m.node}; medians of the runs in one \`npm run bench\`.`,
    '',
    '| measure | result | reference in the same run | ratio | goal |',
    '|---|---|---|---|---|',
    ...report.rows.map((r) => `| ${r.measure} | ${r.result} | ${r.reference} | ${r.ratio === undefined ? '—' : x(r.ratio)} | ${r.goal} |`),
  ];
  return lines.join('\n') + '\n';
}

/** Prints the report: the Markdown table on stdout (or the whole report as JSON). */
export function printBench(report: BenchReport, json: boolean): void {
  if (json) printJson(report);
  else process.stdout.write(markdown(report));
}
