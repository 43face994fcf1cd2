import { Command } from 'commander';
import { repoRoot } from '@gitops/pipeline';
import { clusterDown, clusterStatus, clusterUp, defaultClusterDir } from '@gitops/cluster';
import { argocdBinary, attachArgoCd } from '@gitops/argocd-e2e';
import { printJson, progress } from '../output';
import { findingsError } from '../args';

const dirOption = ['--dir <dir>', 'cluster folder (certificates, kubeconfig, logs, state); default $GITOPS_CLUSTER_DIR or a per-user temporary folder'] as const;

export function clusterCommand(): Command {
  const cmd = new Command('cluster').description('A local control plane (etcd + kube-apiserver on 127.0.0.1) to apply the environments to');
  cmd
    .command('up')
    .description('Start etcd, kube-apiserver (Pod Security admission on) and kube-controller-manager; print the kubeconfig path')
    .option(...dirOption)
    .option('--no-controller-manager', 'do not start kube-controller-manager')
    .option('--with-argocd', 'also run Argo CD (Redis, repo-server, application controller) against it, pulling from a local bare repository that holds this checkout; needs an Argo CD binary (ARGOCD_BIN: v3.5.1 cannot be built here, see libs/argocd-e2e)')
    .option('--json', 'print the cluster state as JSON')
    .action(async (opts: { dir?: string; controllerManager: boolean; withArgocd?: boolean; json?: boolean }) => {
      const root = repoRoot();
      if (opts.withArgocd) argocdBinary(root); // before anything starts
      const state = await clusterUp({ root, dir: opts.dir, controllerManager: opts.controllerManager, onProgress: progress });
      let argo: Awaited<ReturnType<typeof attachArgoCd>> | undefined;
      if (opts.withArgocd) {
        try {
          argo = await attachArgoCd(root, state, progress);
        } catch (e) {
          await clusterDown(state.dir).catch(() => {});
          throw e;
        }
      }
      if (opts.json) printJson(argo ? { ...state, argocd: argo.argocd, git: { url: argo.remote.url, work: argo.remote.work, revision: argo.initialRevision } } : state);
      else {
        process.stdout.write(`${state.kubeconfig}\n`);
        if (argo) process.stdout.write(`argocd: pulling from ${argo.remote.url}; commit and push in ${argo.remote.work}; bootstrap with kubectl --kubeconfig ${state.kubeconfig} apply -k ${argo.remote.work}/argocd/bootstrap/dev\n`);
      }
    });
  cmd
    .command('down')
    .description('Stop the cluster by its recorded pids and remove its folder')
    .option(...dirOption)
    .option('--json', 'print what was stopped as JSON')
    .action(async (opts: { dir?: string; json?: boolean }) => {
      const r = await clusterDown(opts.dir ?? defaultClusterDir());
      if (opts.json) printJson(r);
      else process.stdout.write(r.stopped.length || r.gone.length ? `stopped ${r.stopped.join(', ') || 'nothing'}${r.gone.length ? `; already gone: ${r.gone.join(', ')}` : ''}\n` : `no cluster in ${r.dir}\n`);
    });
  cmd
    .command('status')
    .description('Is the cluster running and ready (/readyz)? Exit 1 when not')
    .option(...dirOption)
    .option('--json', 'print the status as JSON')
    .action(async (opts: { dir?: string; json?: boolean }) => {
      const s = await clusterStatus(opts.dir ?? defaultClusterDir());
      if (opts.json) printJson(s);
      else {
        process.stdout.write(`${s.running ? (s.ready ? 'ready' : 'running, not ready') : 'not running'}: ${s.dir}\n`);
        for (const p of s.processes) process.stdout.write(`  ${p.name} pid ${p.pid} ${p.alive ? 'running' : 'gone'} (log ${p.log})\n`);
        if (s.kubeconfig) process.stdout.write(`  kubeconfig ${s.kubeconfig}\n`);
      }
      if (!s.ready) throw findingsError(`no ready cluster in ${s.dir}`);
    });
  return cmd;
}
