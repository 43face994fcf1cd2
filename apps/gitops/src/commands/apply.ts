import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { repoRoot } from '@gitops/pipeline';
import { envNames } from '@gitops/environments';
import { applyEnvironment, clusterStatus, defaultClusterDir, formatApplyReport, kubectlPath } from '@gitops/cluster';
import { findingsError, requireEnv, usageError } from '../args';
import { printJson, progress } from '../output';

export function applyCommand(): Command {
  return new Command('apply')
    .description('Apply an environment like Argo CD would (CRDs, Namespaces, every overlay; server-side apply) to a cluster; exit 1 on any rejection or overlay that does not render')
    .argument('[platform...]', 'platforms (default: all)')
    .requiredOption('--env <env>', `environment (${envNames.join(', ')})`)
    .option('--kubeconfig <file>', 'kubeconfig of the target cluster (default: the local cluster of `gitops cluster up`)')
    .option('--dry-run <mode>', 'only "server": the API server admits and validates, nothing is stored (objects needing a Namespace or CRD this apply creates are reported as not checked)')
    .option('--no-crds', 'do not apply the vendored CRDs first')
    .option('--json', 'print the report as JSON')
    .action(async (platforms: string[], opts: { env: string; kubeconfig?: string; dryRun?: string; crds: boolean; json?: boolean }) => {
      requireEnv(opts.env);
      if (opts.dryRun !== undefined && opts.dryRun !== 'server') throw usageError(`--dry-run must be "server" (got "${opts.dryRun}")`);
      let kubeconfig = opts.kubeconfig && resolve(opts.kubeconfig);
      if (kubeconfig) checkKubeconfigFile(opts.kubeconfig!, kubeconfig);
      else {
        const s = await clusterStatus(defaultClusterDir());
        if (!s.ready || !s.kubeconfig) throw usageError(`no --kubeconfig and no ready local cluster in ${s.dir} (start one: gitops cluster up)`);
        kubeconfig = s.kubeconfig;
      }
      const report = await applyEnvironment({
        root: repoRoot(),
        env: opts.env,
        platforms,
        kubeconfig,
        kubectl: kubectlPath(),
        dryRun: opts.dryRun === 'server',
        crds: opts.crds,
        onProgress: progress,
      });
      if (opts.json) printJson(report);
      else process.stdout.write(formatApplyReport(report));
      const failed = [
        ...(report.totals.renderFailures ? [`${report.totals.renderFailures} overlay(s) could not be rendered`] : []),
        ...(report.totals.rejections ? [`${report.totals.rejections} object(s) rejected by the API server`] : []),
      ];
      if (failed.length) throw findingsError(failed.join('; '));
    });
}

/** The --kubeconfig file is there and readable: for a folder or an unreadable file kubectl says only a Go error. */
function checkKubeconfigFile(given: string, path: string): void {
  const refuse = (why: string) => usageError(`--kubeconfig ${given}: ${why}`);
  const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? String(e);
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    throw refuse(code(e) === 'ENOENT' || code(e) === 'ENOTDIR' ? 'no such file' : `cannot read it (${code(e)})`);
  }
  if (isDir) throw refuse('not a file');
  try {
    accessSync(path, constants.R_OK);
  } catch (e) {
    throw refuse(`cannot read it (${code(e)})`);
  }
}
