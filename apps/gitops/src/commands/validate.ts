import { Command } from 'commander';
import { errorCount, repoRoot, validatePlatforms, type OverlayResult, type ValidateRunOptions } from '@gitops/pipeline';
import { loadOverlaySecrets, withRedactionSummary } from '@gitops/secrets-workflow';
import { envNames } from '@gitops/environments';
import { UserError } from '@gitops/core';
import { requireEnv } from '../args';
import { counter, printJson, progress } from '../output';
import { argoCdFor } from './generate';

/**
 * What `validate` and `all` validate with: Secrets from the KSOPS files, progress counters on
 * stderr, and on a full run (no names) the committed argocd/ too (libs/argocd loaded only then).
 */
export async function validateRunOptions(names: string[]): Promise<ValidateRunOptions> {
  const renderTick = counter('render');
  const validateTick = counter('validate');
  return {
    argoCd: await argoCdFor(names),
    secrets: loadOverlaySecrets,
    onRendered: (r, done, total, failed) => renderTick(done, total, failed ? `${r.dir} (failed)` : r.dir),
    onValidated: (r, done, total) => validateTick(done, total, r.dir),
    onProgress: progress,
  };
}

/** Prints the results (report or JSON) and fails (exit 1) when they hold an error. */
export async function printValidation(results: OverlayResult[], json: boolean | undefined): Promise<void> {
  if (json) printJson(results);
  else process.stdout.write((await import('@gitops/validate')).formatReport(results));
  const errors = errorCount(results);
  if (errors) throw new UserError(`validation failed: ${errors} error${errors === 1 ? '' : 's'}`, 1);
}

/**
 * Render and validate the named platforms (all: also the committed argocd/), with progress on stderr
 * and, once the renders are done or have failed, one redaction note per environment whose SOPS files
 * the configured key does not open.
 */
export async function runValidate(names: string[], env?: string): Promise<OverlayResult[]> {
  if (env) requireEnv(env);
  const opts = { ...(await validateRunOptions(names)), env };
  return withRedactionSummary(() => validatePlatforms(repoRoot(), names, opts));
}

export function validateCommand(): Command {
  return new Command('validate')
    .description('Render every overlay and check it: strict schemas, references between objects, policy per environment')
    .argument('[platforms...]', 'platforms to validate (default: all)')
    .option('--env <env>', `only this environment (${envNames.join(', ')})`)
    .option('--json', 'print the results as JSON')
    .action(async (names: string[], opts: { env?: string; json?: boolean }) => printValidation(await runValidate(names, opts.env), opts.json));
}
