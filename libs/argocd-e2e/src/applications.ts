/**
 * Reading and driving Argo CD Applications through the API server only (kubectl), as the Argo CD
 * CLI does in `--core` mode: status from `.status`, a refresh by the `argocd.argoproj.io/refresh`
 * annotation (what the Git webhook handler sets), a manual sync by writing `.operation`.
 */
import { execa } from 'execa';
import { ARGOCD_NAMESPACE } from '@gitops/argocd';
import { kubectlArgs, waitFor, type KubectlTarget } from '@gitops/cluster';

export interface AppStatus {
  name: string;
  env?: string;
  sync?: string;
  health?: string;
  /** The revision the last comparison used. */
  revision?: string;
  /** The revision of the last sync operation, and its phase. */
  operationRevision?: string;
  operationPhase?: string;
  operationMessage?: string;
  conditions: Array<{ type: string; message: string }>;
  resources: Array<{ kind: string; name: string; namespace?: string; status?: string; health?: string; syncWave?: number }>;
  raw: Record<string, any>;
}

export async function kubectlJson(t: KubectlTarget, args: string[]): Promise<any> {
  const r = await execa(t.kubectl, kubectlArgs(t, [...args, '-o', 'json']), { reject: false, maxBuffer: 256 * 1024 * 1024 });
  if (r.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')}: ${String(r.stderr).trim()}`);
  return JSON.parse(String(r.stdout));
}

export function appStatus(a: Record<string, any>): AppStatus {
  const s = a.status ?? {};
  return {
    name: a.metadata.name,
    env: a.metadata.labels?.['gitops.environment'],
    sync: s.sync?.status,
    health: s.health?.status,
    revision: s.sync?.revision,
    operationRevision: s.operationState?.syncResult?.revision ?? s.operationState?.operation?.sync?.revision,
    operationPhase: s.operationState?.phase,
    operationMessage: s.operationState?.message,
    conditions: (s.conditions ?? []).map((c: any) => ({ type: c.type, message: c.message })),
    resources: s.resources ?? [],
    raw: a,
  };
}

export async function listApps(t: KubectlTarget): Promise<AppStatus[]> {
  const list = await kubectlJson(t, ['get', 'applications.argoproj.io', '-n', ARGOCD_NAMESPACE]);
  return (list.items as any[]).map(appStatus).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Polls until `done(apps)` holds; the timeout error lists every Application's state. */
export async function waitForApps(t: KubectlTarget, what: string, done: (apps: AppStatus[]) => boolean, timeoutMs: number): Promise<AppStatus[]> {
  let last: AppStatus[] = [];
  try {
    await waitFor(what, async () => done((last = await listApps(t))), timeoutMs, 1_000);
  } catch (e) {
    const table = last.map((a) => `  ${a.name}: sync=${a.sync} health=${a.health} rev=${a.revision?.slice(0, 7)} op=${a.operationPhase}@${a.operationRevision?.slice(0, 7)} ${a.conditions.map((c) => `${c.type}: ${c.message}`).join('; ')}`).join('\n');
    throw new Error(`${(e as Error).message}\n${table}`);
  }
  return last;
}

/** What the webhook handler does for a push: ask the controller to compare again now. */
export async function refresh(t: KubectlTarget, names: string[], kind: 'normal' | 'hard' = 'normal'): Promise<void> {
  if (!names.length) return;
  const r = await execa(t.kubectl, kubectlArgs(t, ['annotate', '--overwrite', '-n', ARGOCD_NAMESPACE, ...names.map((n) => `applications.argoproj.io/${n}`), `argocd.argoproj.io/refresh=${kind}`]), { reject: false });
  if (r.exitCode !== 0) throw new Error(`refresh ${names.join(', ')}: ${String(r.stderr).trim()}`);
}

/** A manual sync (what `argocd app sync` records): the controller runs the operation. */
export async function requestSync(t: KubectlTarget, name: string, revision?: string): Promise<void> {
  const op = { operation: { initiatedBy: { username: 'gitops-e2e' }, sync: { ...(revision ? { revision } : {}), syncStrategy: { hook: {} } } } };
  const r = await execa(t.kubectl, kubectlArgs(t, ['patch', '-n', ARGOCD_NAMESPACE, `applications.argoproj.io/${name}`, '--type', 'merge', '-p', JSON.stringify(op)]), { reject: false });
  if (r.exitCode !== 0) throw new Error(`sync ${name}: ${String(r.stderr).trim()}`);
}
