/**
 * Server-side apply (field manager `gitops`) through the real kubectl's proxy (api.ts): one request
 * per object, so each object's acceptance, rejection (the API server's message) and warnings are
 * its own. Reads (`get`, CRD status) use kubectl itself.
 */
import { execa } from 'execa';
import type { KubeObject } from '@gitops/core';
import { kubectlName, missingNamespace, objectPath, openApiSession, restMapper, statusMessage, type ApiSession } from './api';
import { waitFor } from './processes';

export const FIELD_MANAGER = 'gitops';

export interface KubectlTarget {
  kubectl: string;
  kubeconfig: string;
  /** `--dry-run=server`: the API server runs admission and validation and stores nothing. */
  dryRun?: boolean;
  /** An open `kubectl proxy` session to reuse (withApiSession); otherwise each apply opens its own. */
  api?: ApiSession;
}

/**
 * What the server lacked to check an object at all, with `error`: its namespace does not exist
 * (the Status says so: NotFound, details.kind `namespaces`), or its kind is not served (discovery
 * has no mapping for it). A server dry run stores nothing, so both happen for Namespaces and CRDs
 * the same apply creates (dry-run.ts).
 */
export type MissingPrerequisite = { namespace: string } | { apiVersion: string; kind: string };

/** The server's answer for one object. */
export interface ObjectOutcome {
  object: KubeObject;
  /** `kind.group/name` when accepted. */
  applied?: string;
  error?: string;
  /** Why the server could not check the object (with `error`), when it is a missing namespace or kind. */
  missing?: MissingPrerequisite;
  warnings: string[];
}

export interface ApplyOutcome {
  /** `kind.group/name` of every object the server accepted. */
  applied: string[];
  /** Each rejection as the API server worded it. */
  errors: string[];
  /** Every warning the API server returned. */
  warnings: string[];
  /** Per object, in the order given. */
  objects: ObjectOutcome[];
}

export function kubectlArgs(t: KubectlTarget, args: string[]): string[] {
  return ['--kubeconfig', t.kubeconfig, ...args];
}

/** Runs `fn` with one `kubectl proxy` session for the target (closed afterwards). */
export async function withApiSession<R>(t: KubectlTarget, fn: (t: KubectlTarget & { api: ApiSession }) => Promise<R>): Promise<R> {
  if (t.api) return fn(t as KubectlTarget & { api: ApiSession });
  const api = await openApiSession(t.kubectl, t.kubeconfig);
  try {
    return await fn({ ...t, api });
  } finally {
    api.close();
  }
}

/**
 * Apply order: what others live in, are of or are admitted against first (Namespaces, CRDs, and the
 * ServiceAccounts, quotas and limit ranges admission checks pods against), admission webhooks and
 * policies last (so they do not judge this very apply), everything else between; each group in
 * parallel, as the order within it does not matter to the API server.
 */
const FIRST = new Set(['Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'ResourceQuota', 'LimitRange']);
const LAST = new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding']);
const groupOf = (o: KubeObject): number => (FIRST.has(o.kind) ? 0 : LAST.has(o.kind) ? 2 : 1);
const PARALLEL = 8;

export async function serverSideApply(t: KubectlTarget, objects: KubeObject[]): Promise<ApplyOutcome> {
  if (!objects.length) return { applied: [], errors: [], warnings: [], objects: [] };
  return withApiSession(t, async (s) => {
    const mapping = restMapper(s.api);
    // force: git is the source of truth, as in Argo CD's server-side sync (gitops-engine forces too).
    const query = `fieldManager=${FIELD_MANAGER}&fieldValidation=Strict&force=true${t.dryRun ? '&dryRun=All' : ''}`;
    const applyOne = async (o: KubeObject): Promise<ObjectOutcome> => {
      try {
        const m = await mapping(o.apiVersion, o.kind);
        if (!m) {
          const where = `name: "${o.metadata?.name}"${o.metadata?.namespace ? ` namespace: "${o.metadata.namespace}"` : ''}`;
          return {
            object: o,
            warnings: [],
            error: `error: resource mapping not found for ${where}: no matches for kind "${o.kind}" in version "${o.apiVersion}"; ensure CRDs are installed first`,
            missing: { apiVersion: o.apiVersion, kind: o.kind },
          };
        }
        const r = await s.api.request('PATCH', `${objectPath(o, m, await s.api.namespace())}?${query}`, JSON.stringify(o), 'application/apply-patch+yaml');
        if (r.status >= 200 && r.status < 300) return { object: o, applied: kubectlName(o), warnings: r.warnings };
        const namespace = missingNamespace(r);
        return { object: o, error: statusMessage(r), warnings: r.warnings, ...(namespace ? { missing: { namespace } } : {}) };
      } catch (e) {
        // The connection or discovery failed for this object: reported with it, the others still go.
        return { object: o, warnings: [], error: `${kubectlName(o)}: ${(e as Error).message}` };
      }
    };
    const out: ObjectOutcome[] = new Array(objects.length);
    const inParallel = async (indices: number[]) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(PARALLEL, indices.length) }, async () => {
          while (next < indices.length) {
            const i = indices[next++];
            out[i] = await applyOne(objects[i]);
          }
        }),
      );
    };
    for (const group of [0, 1, 2]) await inParallel(objects.flatMap((o, i) => (groupOf(o) === group ? [i] : [])));
    return {
      applied: out.flatMap((x) => (x.applied ? [x.applied] : [])),
      errors: out.flatMap((x) => (x.error ? [x.error] : [])),
      warnings: out.flatMap((x) => x.warnings),
      objects: out,
    };
  });
}

/** Waits until the API server serves every named CRD (condition Established). */
export async function waitEstablished(t: KubectlTarget, crdNames: string[], timeoutMs = 120_000): Promise<void> {
  if (!crdNames.length || t.dryRun) return;
  const pending = new Set(crdNames);
  // Each pending CRD read through the API session: one `kubectl get customresourcedefinitions -o json`
  // re-encodes every CRD (10 MB for the vendored ones) on each poll, 0.5 s a poll.
  await withApiSession(t, (s) =>
    waitFor(`CRDs established (${[...pending].slice(0, 3).join(', ')}…)`, async () => {
      await Promise.all(
        [...pending].map(async (name) => {
          const r = await s.api.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(name)}`);
          if (r.status !== 200) return; // not there yet, or the server is busy: asked again
          const crd = JSON.parse(r.body) as { status?: { conditions?: Array<{ type: string; status: string }> } };
          if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) pending.delete(name);
        }),
      );
      return pending.size === 0;
    }, timeoutMs, 100),
  );
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

/** Every live object of `resource` in `namespace`, by name. */
export async function listObjects(t: KubectlTarget, resource: string, namespace: string): Promise<Map<string, KubeObject>> {
  const r = await execa(t.kubectl, kubectlArgs(t, ['get', resource, '-n', namespace, '-o', 'json']), { reject: false, maxBuffer: 256 * 1024 * 1024 });
  if (r.exitCode !== 0) throw new Error(`kubectl get ${resource} -n ${namespace}: ${String(r.stderr).trim()}`);
  const items = (JSON.parse(String(r.stdout)) as { items: KubeObject[] }).items;
  return new Map(items.map((o) => [o.metadata!.name!, o]));
}

/** Finds kubectl: $KUBECTL_BIN, else on PATH (every machine of this project has it). */
export function kubectlPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBECTL_BIN || 'kubectl';
}
