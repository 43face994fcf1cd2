import { Command } from 'commander';
import { renderEnvironment, repoRoot } from '@gitops/pipeline';
import { loadOverlaySecrets, withRedactionSummary } from '@gitops/secrets-workflow';
import { envNames } from '@gitops/environments';
import { toYamlDocuments } from '@gitops/kustomize';
import { requireEnv } from '../args';
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
      const objects = await withRedactionSummary(() => renderEnvironment(repoRoot(), name, { env: opts.env, app: opts.app, secrets: loadOverlaySecrets }));
      if (opts.json) printJson(objects);
      else process.stdout.write(toYamlDocuments(objects));
    });
}
