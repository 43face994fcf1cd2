/**
 * Timings of the real components for `npm run bench` (asserts nothing): the toolchain build cold
 * (the last real build, recorded in .tools/bin/.build-times.json: on a fresh machine that is the cold
 * one) and warm (run now), `cluster up`, the apply of every environment (each to its own control
 * plane), `cluster down`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { applyEnvironment } from './apply';
import { clusterDown, clusterUp } from './control-plane';
import { kubectlPath } from './kubectl';
import { toolCacheDir } from './tools';

export interface ClusterBench {
  toolchainColdBuildMs?: number;
  toolchainWarmMs: number;
  clusterUpMs: number;
  applyAllEnvironmentsMs: number;
  appliedObjects: number;
  clusterDownMs: number;
}

export async function benchCluster(root: string, envs: string[], keyFileOf: (env: string) => string, say: (m: string) => void = () => {}): Promise<ClusterBench> {
  const times = join(toolCacheDir(root), '.build-times.json');
  const cold = existsSync(times) ? (JSON.parse(readFileSync(times, 'utf8')).tools as Record<string, number>) : undefined;
  let t = Date.now();
  const warm = await execa(process.execPath, [join(root, 'tools', 'toolchain', 'build.mjs'), '--check'], { reject: false, stdin: 'ignore' });
  const toolchainWarmMs = Date.now() - t;
  if (warm.exitCode !== 0) throw new Error(`toolchain incomplete (node tools/toolchain/build.mjs): ${String(warm.stderr).trim()}`);
  const parent = mkdtempSync(join(tmpdir(), 'gitops-bench-'));
  try {
    // One control plane per environment, as in the tests: environments are separate clusters.
    let clusterUpMs = 0;
    let clusterDownMs = 0;
    let applyAllEnvironmentsMs = 0;
    let applied = 0;
    for (const env of envs) {
      t = Date.now();
      say(`bench: cluster up (${env})`);
      const cluster = await clusterUp({ root, dir: join(parent, env) });
      if (!clusterUpMs) clusterUpMs = Date.now() - t;
      try {
        t = Date.now();
        say(`bench: apply ${env}`);
        const r = await applyEnvironment({ root, env, kubeconfig: cluster.kubeconfig, kubectl: kubectlPath(), processEnv: { ...process.env, SOPS_AGE_KEY_FILE: keyFileOf(env) } });
        applyAllEnvironmentsMs += Date.now() - t;
        applied += r.totals.applied;
        if (r.totals.rejections) say(`bench: ${env}: ${r.totals.rejections} rejections (gitops apply --env ${env} shows them)`);
      } finally {
        t = Date.now();
        await clusterDown(cluster.dir);
        if (!clusterDownMs) clusterDownMs = Date.now() - t;
      }
    }
    return {
      ...(cold ? { toolchainColdBuildMs: Object.values(cold).reduce((a, b) => a + b, 0) } : {}),
      toolchainWarmMs,
      clusterUpMs,
      applyAllEnvironmentsMs,
      appliedObjects: applied,
      clusterDownMs,
    };
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}
