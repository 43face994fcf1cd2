import { Command } from 'commander';
import { errorCount, repoRoot, validatePlatforms, type OverlayResult } from '@gitops/pipeline';
import { loadOverlaySecrets } from '@gitops/secrets-workflow';
import { envNames } from '@gitops/environments';
import { UserError } from '@gitops/core';
import { requireEnv } from '../args';
import { counter, printJson, progress } from '../output';


/** Render and validate the named platforms (all: also the committed argocd/), with progress on stderr. */
export async function runValidate(names: string[], env?: string): Promise<OverlayResult[]> {
  if (env) requireEnv(env);
  const renderTick = counter('render');
  const validateTick = counter('validate');
  return validatePlatforms(repoRoot(), names, {
    env,
    argoCd: names.length ? undefined : (await import('@gitops/argocd')).argoCd,
    secrets: loadOverlaySecrets,
    onRendered: (r, done, total) => renderTick(done, total, r.dir),
    onValidated: (r, done, total) => validateTick(done, total, r.dir),
    onProgress: progress,
  });
}

export function validateCommand(): Command {
  return new Command('validate')
    .description('Render every overlay and check it: strict schemas, references between objects, policy per environment')
    .argument('[platforms...]', 'platforms to validate (default: all)')
    .option('--env <env>', `only this environment (${envNames.join(', ')})`)
    .option('--json', 'print the results as JSON')
    .action(async (names: string[], opts: { env?: string; json?: boolean }) => {
      const results = await runValidate(names, opts.env);
      if (opts.json) printJson(results);
      else process.stdout.write((await import('@gitops/validate')).formatReport(results));
      const errors = errorCount(results);
      if (errors) throw new UserError(`validation failed: ${errors} error${errors === 1 ? '' : 's'}`, 1);
    });
}
