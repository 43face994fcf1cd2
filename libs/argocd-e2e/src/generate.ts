/**
 * Runs this checkout's `gitops generate` on the working copy (GITOPS_ROOT) with the repository URL
 * pointed at the local remote (GITOPS_REPO_URL, read by libs/argocd/src/config.ts): the generated
 * Applications and AppProjects then pull from the bare repository, and nothing committed in this
 * checkout changes.
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { REPO_URL_ENV } from '@gitops/argocd';

export async function generateIn(root: string, work: string, repoUrl: string, platforms: string[] = []): Promise<void> {
  const cli = join(root, 'apps', 'gitops', 'bin', 'gitops.mjs');
  const r = await execa(process.execPath, [cli, 'generate', ...platforms], {
    cwd: work,
    env: { GITOPS_ROOT: work, [REPO_URL_ENV]: repoUrl },
    reject: false,
  });
  if (r.exitCode !== 0) throw new Error(`gitops generate ${platforms.join(' ')} in ${work} failed (exit ${r.exitCode}):\n${String(r.stderr).trim()}`);
}
