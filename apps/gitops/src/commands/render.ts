import { Command } from 'commander';
import { loadPlatform, renderPlatform, repoRoot } from '@gitops/pipeline';
import { envNames } from '@gitops/environments';
import { UserError } from '@gitops/core';
import { toYamlDocuments } from '@gitops/kustomize';
import { printJson } from '../output';

export function renderCommand(): Command {
  return new Command('render')
    .description('Render a platform overlay with the real kustomize (YAML to stdout)')
    .argument('<platform>', 'platform name')
    .requiredOption('--env <env>', `environment (${envNames.join(', ')})`)
    .option('--app <app>', 'only this app of a multi-app platform')
    .option('--json', 'print a JSON array of objects instead of YAML')
    .action(async (name: string, opts: { env: string; app?: string; json?: boolean }) => {
      if (!envNames.includes(opts.env as never)) throw new UserError(`unknown environment "${opts.env}" (known: ${envNames.join(', ')})`, 2);
      const root = repoRoot();
      const p = await loadPlatform(root, name);
      if (opts.app && !p.spec.apps.some((a) => a.name === opts.app)) {
        throw new UserError(`platform ${name} has no app "${opts.app}" (apps: ${p.spec.apps.map((a) => a.name).join(', ')})`, 2);
      }
      const rendered = (await renderPlatform(root, p, opts.env)).filter((r) => !opts.app || r.app === opts.app);
      const objects = rendered.flatMap((r) => r.objects);
      if (opts.json) printJson(objects);
      else process.stdout.write(toYamlDocuments(objects));
    });
}
