/** A throwaway repository with one platform (`sample`, from core's test fixture) for CLI tests. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { execa } from 'execa';
import { runMain, type RunResult } from './run-main';
import { envNames } from '@gitops/environments';

export const repo = resolve(__dirname, '../../..');
export const bin = join(repo, 'apps/gitops/bin/gitops.mjs');

/** core's sample platform as a platform library source (`export const platform = …`). */
export const SAMPLE_SPEC = readFileSync(join(repo, 'libs/core/test/fixtures.ts'), 'utf8')
  .replace("import type { PlatformSpec } from '../src';", "import type { PlatformSpec } from '@gitops/core';")
  .replace('export function samplePlatform(): PlatformSpec {', 'export const platform: PlatformSpec = (() => {')
  .replace(/\n}\n$/, '\n})();\n');

export interface SampleRepo {
  root: string;
  /** Runs the CLI in the sample repository as a real process (the bin); never rejects. */
  gitops: (...args: string[]) => ReturnType<typeof execa>;
  /** Runs the CLI's main() in this process (run-main.ts): the same checks without a process start. */
  run: (...args: string[]) => Promise<RunResult>;
  /** Replaces the platform source (restore with `setSpec(SAMPLE_SPEC)`). */
  setSpec: (source: string) => void;
  writeFile: (path: string, text: string) => void;
  cleanup: () => void;
}

/**
 * `gitops secrets init` of `platforms` in every environment (in process, in `root`): after generate,
 * the files the overlays' KSOPS generators list, without which an overlay does not render (as
 * KSOPS in Argo CD would fail on it). Encrypted to each environment's TEST recipients; no key needed.
 */
export async function initSecrets(root: string, ...platforms: string[]): Promise<void> {
  for (const env of envNames) {
    const res = await runMain(['secrets', 'init', '--env', env, ...platforms], { cwd: root, env: { GITOPS_ROOT: root } });
    if (res.exitCode !== 0) throw new Error(`secrets init --env ${env} ${platforms.join(' ')}: exit ${res.exitCode}: ${res.stderr}`);
  }
}

export function sampleRepo(prefix = 'gitops-cli-'): SampleRepo {
  const root = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(root, 'nx.json'), '{}\n');
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  mkdirSync(join(root, 'libs/platforms/sample/src'), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  const writeFile = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const setSpec = (source: string) => writeFile('libs/platforms/sample/src/index.ts', source);
  setSpec(SAMPLE_SPEC);
  return {
    root,
    gitops: (...args: string[]) => execa('node', [bin, ...args], { cwd: root, reject: false, env: { GITOPS_ROOT: root } }),
    run: (...args: string[]) => runMain(args, { cwd: root, env: { GITOPS_ROOT: root } }),
    setSpec,
    writeFile,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Every file below dir, by relative path, with its text: compare before and after a command. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}
