/** Runs the real kustomize on a directory and returns the parsed objects. */
import type { KubeObject } from '@gitops/core';
import { findKustomize, type KustomizeCommand } from './binary';
import { parseYamlDocuments } from './yaml';

export class KustomizeBuildError extends Error {
  constructor(readonly dir: string, readonly stderr: string, command: string) {
    super(`kustomize build ${dir} failed (${command}):\n${stderr.trim()}`);
    this.name = 'KustomizeBuildError';
  }
}

export interface BuildOptions {
  cwd?: string;
  kustomize?: KustomizeCommand;
  /**
   * Pass --enable-alpha-plugins (default true). Without it kustomize refuses any overlay that lists
   * the KSOPS generator; with it, `kubectl kustomize` (which has no --enable-exec) skips KRM exec
   * functions silently, so the Secrets are added by the caller from the encrypted files instead.
   */
  enableAlphaPlugins?: boolean;
}

export async function kustomizeBuildText(dir: string, opts: BuildOptions = {}): Promise<string> {
  const k = opts.kustomize ?? findKustomize();
  const args = [...k.args, dir, ...(opts.enableAlphaPlugins !== false ? ['--enable-alpha-plugins'] : [])];
  // Loaded on first render: generate imports this library too, and never runs kustomize.
  const { execa } = await import('execa');
  const result = await execa(k.file, args, { cwd: opts.cwd, reject: false, stdin: 'ignore', maxBuffer: 256 * 1024 * 1024 });
  if (result.exitCode !== 0 || result.failed) {
    throw new KustomizeBuildError(dir, String(result.stderr || result.shortMessage || ''), `${k.description} ${args.slice(k.args.length).join(' ')}`);
  }
  return String(result.stdout);
}

export async function kustomizeBuild(dir: string, opts: BuildOptions = {}): Promise<KubeObject[]> {
  const text = await kustomizeBuildText(dir, opts);
  return parseYamlDocuments(text, `kustomize build ${dir}`) as KubeObject[];
}
