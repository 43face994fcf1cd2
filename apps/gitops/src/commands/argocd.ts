/** `gitops argocd …`: debugging helpers for the generated Argo CD objects. */
import { Command } from 'commander';
import { loadPlatform, repoRoot } from '@gitops/pipeline';
import { envNames } from '@gitops/environments';
import { UserError } from '@gitops/core';
import { MANIFEST_GENERATE_PATHS, planArgoCd } from '@gitops/argocd';
import { printJson } from '../output';

export function command(): Command {
  const argocd = new Command('argocd').description('Argo CD helpers (the objects themselves are written by `gitops generate`)');
  argocd
    .command('paths')
    .description(`Print the ${MANIFEST_GENERATE_PATHS} of a platform's Applications in one environment`)
    .argument('<platform>', 'platform name')
    .requiredOption('--env <env>', `environment (${envNames.join(', ')})`)
    .option('--app <app>', 'only this app of a multi-app platform')
    .option('--json', 'print JSON: [{ application, path, paths, annotation }]')
    .action(async (name: string, opts: { env: string; app?: string; json?: boolean }) => {
      if (!envNames.includes(opts.env as never)) throw new UserError(`unknown environment "${opts.env}" (known: ${envNames.join(', ')})`, 2);
      const root = repoRoot();
      const p = await loadPlatform(root, name);
      if (opts.app && !p.spec.apps.some((a) => a.name === opts.app)) {
        throw new UserError(`platform ${name} has no app "${opts.app}" (apps: ${p.spec.apps.map((a) => a.name).join(', ')})`, 2);
      }
      const entries = planArgoCd(root, [p]).applications.filter((a) => a.target.env === opts.env && (!opts.app || a.target.app === opts.app));
      const rows = entries.map((a) => ({
        application: a.target.name,
        path: a.target.overlay,
        paths: a.paths.map((x) => `/${x}`),
        annotation: a.paths.map((x) => `/${x}`).join(';'),
      }));
      if (opts.json) return printJson(rows);
      for (const r of rows) process.stdout.write(`${r.application} (${r.path}):\n${r.paths.map((x) => `  ${x}\n`).join('')}`);
    });
  return argocd;
}
