/**
 * Finds the real components the project runs, in the same order as kustomize (libs/kustomize):
 * `$<TOOL>_BIN`, then the tool on PATH, then the toolchain cache `.tools/bin/` that
 * `node tools/toolchain/build.mjs` fills from the pins in tools/toolchain/versions.json.
 */
import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UserError } from '@gitops/core';
import { isExecutable } from '@gitops/kustomize';

export type ToolName = 'kube-apiserver' | 'kube-controller-manager' | 'etcd' | 'kustomize' | 'sops' | 'ksops' | 'kubectl';

export interface FoundTool {
  name: ToolName;
  path: string;
  /** Where it was found: the env var, PATH, or the cache. */
  source: 'env' | 'path' | 'cache';
}

/** KUBE_APISERVER_BIN, ETCD_BIN, KUSTOMIZE_BIN, SOPS_BIN, KSOPS_BIN, … */
export function envVarOf(name: ToolName): string {
  return `${name.toUpperCase().replace(/-/g, '_')}_BIN`;
}

export function toolCacheDir(root: string): string {
  return join(root, '.tools', 'bin');
}

export class ToolNotFoundError extends UserError {
  constructor(readonly tool: ToolName, tried: string[]) {
    super(
      `${tool} not found (tried ${tried.join(', ')}). Build the pinned toolchain with \`node tools/toolchain/build.mjs\`` +
        ` or set ${envVarOf(tool)} to the binary.`,
      1,
    );
    this.name = 'ToolNotFoundError';
  }
}

/** The tool, or undefined when none of the three places has it. A set but unusable env var is an error. */
export function lookupTool(name: ToolName, root: string, env: NodeJS.ProcessEnv = process.env): FoundTool | undefined {
  const fromEnv = env[envVarOf(name)];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new UserError(`${envVarOf(name)}=${fromEnv} is not an executable file`, 2);
    return { name, path: fromEnv, source: 'env' };
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return { name, path: join(dir, name), source: 'path' };
  }
  const cached = join(toolCacheDir(root), name);
  if (isExecutable(cached)) return { name, path: cached, source: 'cache' };
  return undefined;
}

export function findTool(name: ToolName, root: string, env: NodeJS.ProcessEnv = process.env): FoundTool {
  const found = lookupTool(name, root, env);
  if (!found) throw new ToolNotFoundError(name, [envVarOf(name), 'PATH', toolCacheDir(root)]);
  return found;
}

export interface PinnedTool {
  package: string;
  version: string;
  module: string | null;
  unavailable?: string;
}

/** The pins (tools/toolchain/versions.json). */
export function pinnedTools(root: string): Record<string, PinnedTool> {
  return JSON.parse(readFileSync(join(root, 'tools', 'toolchain', 'versions.json'), 'utf8')).tools;
}
