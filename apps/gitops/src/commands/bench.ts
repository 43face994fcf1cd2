import { join } from 'node:path';
import { Command } from 'commander';
import { generatePlatform, loadPlatforms, renderPlatform, repoRoot, validateRendered, type LoadedPlatform } from '@gitops/pipeline';
import { loadOverlaySecrets, withRedactionSummary } from '@gitops/secrets-workflow';
import { printJson, progress } from '../output';
import { printBench, runBench } from '../bench/table';

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

export interface PlatformBenchRow {
  platform: string;
  generateMs: number;
  renderMs: number;
  validateMs: number;
  objects: number;
}

/**
 * `bench --detail`'s per-platform timings: generate (in memory), render (with the SOPS files, as
 * `render` does) and validate. Wrapped in withRedactionSummary like every command that renders: the
 * notes of files the key did not open go to stderr once, after the timings' progress, and are never
 * left recorded for the next command run in the same process; stdout carries only the table.
 */
export async function benchPlatforms(root: string, platforms: LoadedPlatform[]): Promise<PlatformBenchRow[]> {
  return withRedactionSummary(async () => {
    const rows: PlatformBenchRow[] = [];
    for (const p of platforms) {
      let t = process.hrtime.bigint();
      generatePlatform(p);
      const generateMs = ms(t);
      t = process.hrtime.bigint();
      const rendered = await renderPlatform(root, p, { secrets: loadOverlaySecrets });
      const renderMs = ms(t);
      t = process.hrtime.bigint();
      for (const r of rendered) await validateRendered(p, r);
      rows.push({ platform: p.name, generateMs, renderMs, validateMs: ms(t), objects: rendered.reduce((n, r) => n + r.objects.length, 0) });
      progress(`bench ${rows.length}/${platforms.length} ${p.name}`);
    }
    return rows;
  });
}

/**
 * The performance table of issue 20, each row a ratio measured in one run (bench/table.ts); with
 * --detail the per-platform in-memory timings and the real-component (cluster, Argo CD) timings.
 * Prints; asserts nothing.
 */
export function benchCommand(): Command {
  return new Command('bench')
    .description('Print each row of the performance table as a ratio against its reference, measured in one run')
    .option('--json', 'print JSON')
    .option('--quick', 'skip the 100-platform scale run')
    .option('--detail', 'instead: generate (in memory), render and validate per platform, and the cluster and Argo CD timings')
    .action(async (opts: { json?: boolean; quick?: boolean; detail?: boolean }) => {
      if (!opts.detail) return printBench(await runBench(repoRoot(), { quick: opts.quick }), Boolean(opts.json));
      await import('@gitops/validate'); // loaded before timing, as validate runs load it once
      const root = repoRoot();
      const rows = await benchPlatforms(root, await loadPlatforms(root));
      const extra: Record<string, number> = {};
      try {
        const { benchSecretsDetailed } = await import('@gitops/secrets');
        const b = await benchSecretsDetailed(100);
        extra.secrets100KeyRoundTripMs = b.totalMs;
        extra.secrets100KeyRoundTripColdMs = b.coldMs;
      } catch (err) {
        progress(`secrets benchmark failed: ${(err as Error).message}`);
      }
      try {
        // Real components (libs/cluster): toolchain cold/warm, cluster up, apply of every environment.
        const { benchCluster } = await import('@gitops/cluster');
        const { envNames } = await import('@gitops/environments');
        const c = await benchCluster(root, [...envNames], (env) => join(root, 'test-keys', `example-${env}.agekey`), progress);
        for (const [k, v] of Object.entries(c)) extra[k === 'appliedObjects' ? k : `cluster.${k}`] = v;
      } catch (err) {
        progress(`cluster benchmark skipped: ${(err as Error).message}`);
      }
      try {
        // The Argo CD loop (libs/argocd-e2e): push -> Synced for one app and for every dev app. Needs ARGOCD_BIN.
        const { argocdBinary, benchArgoCd } = await import('@gitops/argocd-e2e');
        argocdBinary(root);
        const a = await benchArgoCd(root, progress);
        for (const [k, v] of Object.entries(a)) extra[`argocd.${k}`] = v;
      } catch (err) {
        progress(`argocd benchmark skipped: ${(err as Error).message}`);
      }
      if (opts.json) return printJson({ platforms: rows, ...extra });
      const pad = (s: string | number, n: number) => String(s).padStart(n);
      process.stdout.write(`${'platform'.padEnd(12)}${pad('generate', 12)}${pad('render', 12)}${pad('validate', 12)}${pad('objects', 10)}\n`);
      for (const r of rows) {
        process.stdout.write(
          `${r.platform.padEnd(12)}${pad(r.generateMs.toFixed(0) + ' ms', 12)}${pad(r.renderMs.toFixed(0) + ' ms', 12)}${pad(r.validateMs.toFixed(0) + ' ms', 12)}${pad(r.objects, 10)}\n`,
        );
      }
      const total = (k: 'generateMs' | 'renderMs' | 'validateMs') => rows.reduce((n, r) => n + r[k], 0).toFixed(0) + ' ms';
      process.stdout.write(`${'total'.padEnd(12)}${pad(total('generateMs'), 12)}${pad(total('renderMs'), 12)}${pad(total('validateMs'), 12)}\n`);
      for (const [k, v] of Object.entries(extra)) process.stdout.write(k === 'appliedObjects' || k === 'argocd.devApps' ? `${k}: ${v}\n` : `${k}: ${v.toFixed(1)} ms\n`);
    });
}
