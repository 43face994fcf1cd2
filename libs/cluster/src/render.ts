/**
 * Renders an overlay the way Argo CD's repo-server does: the standalone kustomize with
 * `--enable-alpha-plugins --enable-exec`, KSOPS on PATH decrypting the overlay's SOPS files.
 *
 * KSOPS cannot be built here (tools/toolchain/README.md): when no `ksops` binary is found, kustomize
 * renders the overlay without running exec functions and the Secrets KSOPS would generate come from
 * the same files decrypted by the real `sops -d`, with KSOPS's semantics (the file emitted as is,
 * then the overlay's namespace). `secretsBy` says which of the two produced them.
 */
import { delimiter, dirname } from 'node:path';
import { execa } from 'execa';
import type { KubeObject } from '@gitops/core';
import { parseAllDocuments } from 'yaml';
import { keySourcesHint, loadOverlaySecrets } from '@gitops/secrets-workflow';
import { findTool, lookupTool, type FoundTool } from './tools';

export interface RenderTools {
  kustomize: FoundTool;
  /** Present when KSOPS is available; then kustomize runs it. */
  ksops?: FoundTool;
  /** The sops CLI, used when KSOPS is not available. */
  sops?: FoundTool;
}

export type SecretsBy = 'ksops' | 'sops';

export function renderTools(root: string, env: NodeJS.ProcessEnv = process.env): RenderTools {
  const kustomize = findTool('kustomize', root, env);
  const ksops = lookupTool('ksops', root, env);
  return ksops ? { kustomize, ksops } : { kustomize, sops: findTool('sops', root, env) };
}

export function secretsBy(tools: RenderTools): SecretsBy {
  return tools.ksops ? 'ksops' : 'sops';
}

/**
 * An overlay that did not render the way the repo-server renders it (sops, kustomize, YAML): the
 * folder or file and the tool's message. (pipeline's OverlayRenderError is the offline render's.)
 */
export class RepoServerRenderError extends Error {
  constructor(
    readonly dir: string,
    readonly reason: string,
  ) {
    super(`${dir}: ${reason}`);
    this.name = 'RepoServerRenderError';
  }
}

/**
 * A tool's message on one line: its first non-empty line, at most 500 characters. sops explains a
 * failed decryption over a dozen lines, and kustomize's later lines may quote a whole resource
 * (a SOPS file's ciphertext); the report gives one line per file.
 */
export function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim())?.trim() ?? '';
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}

/** `sops -d <file>` with the real CLI; the error names the file, never a value. */
export async function sopsDecrypt(sops: FoundTool, file: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const r = await execa(sops.path, ['--decrypt', file], { reject: false, stdin: 'ignore', env, extendEnv: false });
  if (r.exitCode !== 0) {
    const why = firstLine(String(r.stderr));
    // sops's "Failed to get the data key" is no identity of ours among the file's recipients: say how to give one.
    const hint = /failed to get the data key/i.test(why) ? ` (${keySourcesHint(env)})` : '';
    throw new RepoServerRenderError(file, `sops --decrypt failed (exit ${r.exitCode}): ${why}${hint}`);
  }
  return String(r.stdout);
}

/**
 * kustomize's output read the way Argo CD and kubectl read it: Go's YAML 1.1 (sigs.k8s.io/yaml), where
 * an unquoted `on`, `yes` or `0755` is a boolean or a number. Reading it as YAML 1.2 (strings) and writing
 * it back quoted would hide exactly the fault the API server rejects.
 */
export function parseAsGo(text: string, source: string): KubeObject[] {
  return parseAllDocuments(text, { version: '1.1' })
    .map((doc, i) => {
      if (doc.errors.length) throw new RepoServerRenderError(source, `YAML document ${i + 1}: ${doc.errors[0].message}`);
      return doc.toJS({ maxAliasCount: -1 }) as KubeObject | null;
    })
    .filter((d): d is KubeObject => d !== null && d !== undefined);
}

export async function renderForApply(overlayAbs: string, tools: RenderTools, env: NodeJS.ProcessEnv = process.env): Promise<KubeObject[]> {
  const args = ['build', overlayAbs, '--enable-alpha-plugins', ...(tools.ksops ? ['--enable-exec'] : [])];
  const runEnv = tools.ksops ? { ...env, PATH: `${dirname(tools.ksops.path)}${delimiter}${env.PATH ?? ''}` } : env;
  const r = await execa(tools.kustomize.path, args, { reject: false, stdin: 'ignore', env: runEnv, extendEnv: false, maxBuffer: 256 * 1024 * 1024 });
  if (r.exitCode !== 0) throw new RepoServerRenderError(overlayAbs, `kustomize build failed (exit ${r.exitCode}): ${firstLine(String(r.stderr))}`);
  const objects = parseAsGo(String(r.stdout), `kustomize build ${overlayAbs}`);
  if (tools.ksops) return objects;
  const ns = objects.find((x) => x.kind !== 'Namespace' && x.metadata?.namespace)?.metadata?.namespace;
  const secrets = await loadOverlaySecrets(overlayAbs, ns, { decrypt: (file) => sopsDecrypt(tools.sops!, file, env) }).catch((e: unknown) => {
    // The loader's own refusal of a listed file (one that does not exist, a plaintext value), in its words, named by its file.
    const err = e as { name?: string; file?: unknown; reason?: unknown };
    if (err?.name !== 'SopsError' || typeof err.file !== 'string') throw e;
    throw new RepoServerRenderError(err.file, String(err.reason));
  });
  return [...objects, ...secrets];
}
