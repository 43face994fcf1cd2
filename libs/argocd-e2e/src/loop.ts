/**
 * The whole loop in one call, for the tests, `npm run bench` and `gitops cluster up --with-argocd`:
 * a local control plane, a bare git remote holding this checkout (generated with the remote's URL),
 * Argo CD running against both. `stop()` ends every process by pid and removes every folder.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARGOCD_ROOT } from '@gitops/argocd';
import { clusterDown, clusterUp, kubectlPath, serverSideApply, type ClusterState, type KubectlTarget } from '@gitops/cluster';
import { kustomizeBuild } from '@gitops/kustomize';
import { argocdBinary, argocdUp, type ArgoCdState } from './argocd';
import { generateIn } from './generate';
import { commitAndPush, createRemote, type GitRemote } from './git-remote';

export interface Loop {
  cluster: ClusterState;
  argocd: ArgoCdState;
  remote: GitRemote;
  target: KubectlTarget;
  /** The first pushed commit. */
  initialRevision: string;
  stop(): Promise<void>;
}

/**
 * The age identities the repo-server gets: the repository's PUBLIC test keys (test-keys/), which the
 * committed secrets of every environment are encrypted to. A real installation puts its own key in
 * the `sops-age` Secret instead.
 */
export function testAgeIdentities(root: string): string {
  const dir = join(root, 'test-keys');
  return readdirSync(dir).filter((f) => f.endsWith('.agekey')).sort().map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
}

/**
 * Argo CD on a running cluster: a bare remote and working copy in `<cluster>/git`, generated with the
 * remote's URL and pushed, then Redis, repo-server and application controller (pids recorded in the
 * cluster's state.json, so `gitops cluster down` stops them too).
 */
export async function attachArgoCd(root: string, cluster: ClusterState, say: (m: string) => void = () => {}): Promise<{ argocd: ArgoCdState; remote: GitRemote; initialRevision: string }> {
  argocdBinary(root); // fail before creating anything
  say('git: bare remote and working copy of this checkout');
  const remote = await createRemote(root, join(cluster.dir, 'git'));
  say(`git: gitops generate with the repository URL ${remote.url}`);
  await generateIn(root, remote.work, remote.url);
  const initialRevision = await commitAndPush(remote, 'this checkout, generated for the local remote');
  const argocd = await argocdUp({ root, cluster, work: remote.work, ageIdentities: testAgeIdentities(root), onProgress: say });
  return { argocd, remote, initialRevision };
}

export async function startLoop(root: string, opts: { dir?: string; onProgress?: (m: string) => void; controllerManager?: boolean } = {}): Promise<Loop> {
  const say = opts.onProgress ?? (() => {});
  argocdBinary(root);
  const dir = opts.dir ?? join(mkdtempSync(join(tmpdir(), 'gitops-argocd-')), 'cluster');
  const cluster = await clusterUp({ root, dir, controllerManager: opts.controllerManager, onProgress: say });
  try {
    const { argocd, remote, initialRevision } = await attachArgoCd(root, cluster, say);
    const target = { kubectl: kubectlPath(), kubeconfig: cluster.kubeconfig };
    return {
      cluster,
      argocd,
      remote,
      target,
      initialRevision,
      stop: async () => {
        await clusterDown(cluster.dir);
        if (!opts.dir) rmSync(join(cluster.dir, '..'), { recursive: true, force: true });
      },
    };
  } catch (e) {
    await clusterDown(cluster.dir).catch(() => {});
    throw e;
  }
}

/** Applies `argocd/bootstrap/<env>` of the working copy (what an operator does once per environment). */
export async function applyBootstrap(loop: Loop, env: string): Promise<string[]> {
  const objects = await kustomizeBuild(join(loop.remote.work, ARGOCD_ROOT, 'bootstrap', env));
  const r = await serverSideApply(loop.target, objects);
  if (r.errors.length) throw new Error(`applying argocd/bootstrap/${env}: ${r.errors.join('\n')}`);
  return r.applied;
}
