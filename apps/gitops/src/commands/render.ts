import { Command } from 'commander';
import { loadPlatform, renderPlatform, repoRoot } from '@gitops/pipeline';
import { loadOverlaySecrets } from '@gitops/secrets-workflow';
import { envNames } from '@gitops/environments';
import { toYamlDocuments } from '@gitops/kustomize';
import { requireEnv, requireApp } from '../args';
import { printJson } from '../output';

export function renderCommand(): Command {
  return new Command('render')
    .description('Render a platform overlay with the real kustomize (YAML to stdout)')
    .argument('<platform>', 'platform name')
    .requiredOption('--env <env>', `environment (${envNames.join(', ')})`)
    .option('--app <app>', 'only this app of a multi-app platform')
    .option('--json', 'print a JSON array of objects instead of YAML')
    .action(async (name: string, opts: { env: string; app?: string; json?: boolean }) => {
      requireEnv(opts.env);
      const root = repoRoot();
      const p = await loadPlatform(root, name);
      requireApp(p, opts.app);
      const rendered = (await renderPlatform(root, p, { env: opts.env, secrets: loadOverlaySecrets })).filter((r) => !opts.app || r.app === opts.app);
      const objects = rendered.flatMap((r) => r.objects);
      if (opts.json) printJson(objects);
      else process.stdout.write(toYamlDocuments(objects));
    });
}
