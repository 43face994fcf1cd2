/** `gitops argocd …`: debugging helpers for the generated Argo CD objects. */
import { Command } from 'commander';
import { argoCdPaths, generateArgoCdOnly, repoRoot } from '@gitops/pipeline';
import { envNames } from '@gitops/environments';
import { UserError } from '@gitops/core';
import { argoCd, MANIFEST_GENERATE_PATHS } from '@gitops/argocd';
import { requireEnv } from '../args';
import { printJson, progress } from '../output';

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
      requireEnv(opts.env);
      const rows = await argoCdPaths(repoRoot(), argoCd, name, opts.env, opts.app);
      if (opts.json) return printJson(rows);
      for (const r of rows) process.stdout.write(`${r.application} (${r.path}):\n${r.paths.map((x) => `  ${x}\n`).join('')}`);
    });
  argocd
    .command('generate')
    .description('Write only argocd/ from every platform (the Nx target of @gitops/argocd); --check fails on drift')
    .option('--check', 'write nothing; exit 1 if argocd/ differs from what the code generates')
    .action(async (opts: { check?: boolean }) => {
      const { files, write: r } = await generateArgoCdOnly(repoRoot(), argoCd, { check: opts.check });
      // --check removes nothing: say so, as `gitops generate --check` does.
      progress(`argocd: ${files} files, ${r.written.length} ${opts.check ? 'would change' : 'changed'}, ${r.removed.length} ${opts.check ? 'would be removed' : 'removed'}`);
      [...r.written, ...r.removed].forEach((f) => opts.check && progress(`  drift: ${f}`));
      if (opts.check && (r.written.length || r.removed.length)) throw new UserError('argocd/ is out of date: run `npx gitops generate` and commit', 1);
    });
  return argocd;
}
