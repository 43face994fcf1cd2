/**
 * Server-side apply through the real kubectl (field manager `gitops`), one call per batch of objects,
 * with its output split into what was applied, what the API server rejected (its own message) and
 * the warnings it returned.
 */
import { execa } from 'execa';
import type { KubeObject } from '@gitops/core';
import { toYamlDocuments } from '@gitops/kustomize';
import { waitFor } from './processes';

export const FIELD_MANAGER = 'gitops';

export interface KubectlTarget {
  kubectl: string;
  kubeconfig: string;
  /** `--dry-run=server`: the API server runs admission and validation and stores nothing. */
  dryRun?: boolean;
}

export interface ApplyOutcome {
  /** `kind.group/name` of every object the server accepted. */
  applied: string[];
  /** Each rejection as the API server (or kubectl) worded it. */
  errors: string[];
  /** Every `Warning:` the API server returned. */
  warnings: string[];
}

export function kubectlArgs(t: KubectlTarget, args: string[]): string[] {
  return ['--kubeconfig', t.kubeconfig, ...args];
}

/** Splits kubectl's stderr into warnings and errors; indented/continuation lines join the previous entry. */
export function parseKubectlStderr(stderr: string): { warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  let last: string[] | undefined;
  for (const line of stderr.split('\n')) {
    if (!line.trim()) continue;
    if (line.startsWith('Warning: ')) {
      warnings.push(line.slice('Warning: '.length));
      last = warnings;
    } else if (/^(Error from server|error:|Error:|The .* is invalid)/.test(line)) {
      errors.push(line);
      last = errors;
    } else if (last?.length) last[last.length - 1] += `\n${line}`;
    else {
      errors.push(line);
      last = errors;
    }
  }
  return { warnings, errors };
}

export async function serverSideApply(t: KubectlTarget, objects: KubeObject[]): Promise<ApplyOutcome> {
  if (!objects.length) return { applied: [], errors: [], warnings: [] };
  // --force-conflicts: git is the source of truth, as in Argo CD's server-side sync (gitops-engine forces too).
  const args = kubectlArgs(t, ['apply', '--server-side', '--force-conflicts', `--field-manager=${FIELD_MANAGER}`, ...(t.dryRun ? ['--dry-run=server'] : []), '-o', 'name', '-f', '-']);
  const r = await execa(t.kubectl, args, { input: toYamlDocuments(objects), reject: false, maxBuffer: 64 * 1024 * 1024 });
  const { warnings, errors } = parseKubectlStderr(String(r.stderr));
  if (r.exitCode !== 0 && !errors.length) errors.push(`kubectl apply exited with ${r.exitCode}`);
  const applied = String(r.stdout).split('\n').map((l) => l.trim()).filter(Boolean);
  return { applied, errors, warnings };
}

/** Waits until the API server serves every named CRD (condition Established). */
export async function waitEstablished(t: KubectlTarget, crdNames: string[], timeoutMs = 120_000): Promise<void> {
  if (!crdNames.length || t.dryRun) return;
  const pending = new Set(crdNames);
  // Polled with `get` rather than `kubectl wait`: kubectl 1.32 fails on a CRD that has no status conditions yet.
  await waitFor(`CRDs established (${[...pending].slice(0, 3).join(', ')}…)`, async () => {
    const r = await execa(t.kubectl, kubectlArgs(t, ['get', 'customresourcedefinitions', '-o', 'json']), { reject: false, maxBuffer: 256 * 1024 * 1024 });
    if (r.exitCode !== 0) return false;
    for (const crd of (JSON.parse(String(r.stdout)).items ?? []) as Array<{ metadata: { name: string }; status?: { conditions?: Array<{ type: string; status: string }> } }>) {
      if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) pending.delete(crd.metadata.name);
    }
    return pending.size === 0;
  }, timeoutMs, 500);
}

/** The live object as JSON (undefined when it does not exist). */
export async function getObject(t: KubectlTarget, resource: string, name: string, namespace?: string): Promise<KubeObject | undefined> {
  const r = await execa(t.kubectl, kubectlArgs(t, ['get', resource, name, ...(namespace ? ['-n', namespace] : []), '-o', 'json']), { reject: false });
  if (r.exitCode !== 0) {
    if (/NotFound/.test(String(r.stderr))) return undefined;
    throw new Error(`kubectl get ${resource} ${name}: ${String(r.stderr).trim()}`);
  }
  return JSON.parse(String(r.stdout)) as KubeObject;
}

/** Finds kubectl: $KUBECTL_BIN, else on PATH (every machine of this project has it). */
export function kubectlPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBECTL_BIN || 'kubectl';
}
