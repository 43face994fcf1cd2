import { Command } from 'commander';
import { loadPlatforms, renderPlatforms, repoRoot, declaredSecretsOf } from '@gitops/pipeline';
import { environments, envNames } from '@gitops/environments';
import { UserError } from '@gitops/core';
import type { ValidationResult } from '@gitops/validate';
import { requireEnv } from '../args';
import { counter, elapsed, printJson, progress } from '../output';

export type PlatformResult = ValidationResult & { platform: string; env: string; app: string; dir: string };

export async function runValidate(names: string[], env?: string): Promise<PlatformResult[]> {
  if (env) requireEnv(env);
  const { validateObjects } = await import('@gitops/validate');
  const root = repoRoot();
  const platforms = await loadPlatforms(root, names);
  let start = process.hrtime.bigint();
  const renderTick = counter('render');
  const rendered = await renderPlatforms(root, platforms, env, (r, done, total) => renderTick(done, total, r.dir));
  progress(`render: ${rendered.length} overlays, ${rendered.reduce((n, r) => n + r.objects.length, 0)} objects (${elapsed(start)})`);
  start = process.hrtime.bigint();
  const validateTick = counter('validate');
  const results: PlatformResult[] = rendered.map((r, i) => {
    validateTick(i + 1, rendered.length, r.dir);
    const p = platforms.find((x) => x.name === r.platform)!;
    const policy = environments[r.env as keyof typeof environments].podSecurity;
    const res = validateObjects(
      r.objects.map((object) => ({ object, source: r.dir })),
      { platform: p.name, env: r.env, policy, declaredSecrets: declaredSecretsOf(p, r.app, r.objects), releases: p.spec.releases },
    );
    return { ...res, platform: p.name, env: r.env, app: r.app, dir: r.dir };
  });
  progress(`validate: ${results.length} overlays (${elapsed(start)})`);
  return results;
}

export function errorCount(results: PlatformResult[]): number {
  return results.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'error').length, 0);
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
