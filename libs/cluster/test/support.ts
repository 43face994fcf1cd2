/**
 * Shared by the tests that run the real components. A missing tool skips them on a developer
 * machine (with the reason printed), and FAILS them in CI (CI=true), so they can never skip silently
 * where it matters: `.ci/run` builds the toolchain first.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll } from 'vitest';
import { clusterDown, clusterUp, lookupTool, type ClusterState, type ToolName, type UpOptions } from '../src';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CLI = join(ROOT, 'apps', 'gitops', 'bin', 'gitops.mjs');

/** The reason the tests must skip (undefined: every tool is there). Throws in CI. */
export function missingTools(names: ToolName[]): string | undefined {
  const missing = names.filter((n) => !lookupTool(n, ROOT));
  if (!missing.length) return undefined;
  const reason = `real components missing: ${missing.join(', ')} (build them: node tools/toolchain/build.mjs)`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${reason}; CI=true, so this is a failure, not a skip`);
  process.stderr.write(`SKIPPED: ${reason}\n`);
  return reason;
}

const temps: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `gitops-${prefix}-`));
  temps.push(dir);
  return dir;
}

/**
 * Removes the folders tempDir made (a test file's afterAll, after `cluster down`), except one that
 * still holds a control plane (`cp/` of a test that failed before stopping it: it names the pids).
 */
export function removeTempDirs(): void {
  for (const dir of temps.splice(0)) {
    if (existsSync(join(dir, 'cp'))) temps.push(dir);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A control plane for the enclosing describe block: started before its tests (in a tempDir folder
 * named by `prefix`), stopped by pid and its folders removed after them. The returned object is
 * filled in when it is up, so tests and later beforeAll hooks read it as the cluster's state.
 */
export function useControlPlane(prefix: string, opts: Omit<UpOptions, 'root' | 'dir'> = {}, startTimeoutMs = 240_000): ClusterState {
  const cluster = {} as ClusterState;
  beforeAll(async () => {
    Object.assign(cluster, await clusterUp({ root: ROOT, dir: join(tempDir(prefix), 'cp'), ...opts }));
  }, startTimeoutMs);
  afterAll(async () => {
    if (cluster.dir) await clusterDown(cluster.dir);
    removeTempDirs();
  }, 60_000);
  return cluster;
}

/** The example TEST key of an environment (test-keys/, public on purpose). */
export function testKeyFile(env: string): string {
  return join(ROOT, 'test-keys', `example-${env}.agekey`);
}

/** The age identity lines of an environment's example TEST key, for the library's `identities` option. */
export function testIdentities(env: string): string[] {
  return readFileSync(testKeyFile(env), 'utf8').split('\n').filter((l) => l.startsWith('AGE-SECRET-KEY-'));
}

/** Runs the gitops CLI (real process) and returns its result; never throws on a non-zero exit. */
export async function gitops(args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT) {
  return execa(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, GITOPS_QUIET: '1', ...env }, reject: false, stdin: 'ignore', stripFinalNewline: false });
}
