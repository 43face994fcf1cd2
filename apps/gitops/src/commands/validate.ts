import { Command } from 'commander';
import { loadPlatforms, renderPlatforms, repoRoot } from '@gitops/pipeline';
import { declaredSecretsOf, loadOverlaySecrets } from '@gitops/secrets-workflow';
import { environments, envNames, releasePolicyProblems } from '@gitops/environments';
import { UserError } from '@gitops/core';
import { ARGOCD_ROOT, committedArgoCdObjects, repoPaths } from '@gitops/argocd';
import type { ValidationResult } from '@gitops/validate';
import { requireEnv } from '../args';
import { counter, elapsed, printJson, progress } from '../output';

export type PlatformResult = ValidationResult & { platform: string; env: string; app: string; dir: string };

export async function runValidate(names: string[], env?: string): Promise<PlatformResult[]> {
  if (env) requireEnv(env);
  const { validateObjects, findSharedObjects } = await import('@gitops/validate');
  const root = repoRoot();
  const platforms = await loadPlatforms(root, names);
  let start = process.hrtime.bigint();
  const renderTick = counter('render');
  const rendered = await renderPlatforms(root, platforms, { env, secrets: loadOverlaySecrets, onRendered: (r, done, total) => renderTick(done, total, r.dir) });
  progress(`render: ${rendered.length} overlays, ${rendered.reduce((n, r) => n + r.objects.length, 0)} objects (${elapsed(start)})`);
  start = process.hrtime.bigint();
  const validateTick = counter('validate');
  const results: PlatformResult[] = rendered.map((r, i) => {
    validateTick(i + 1, rendered.length, r.dir);
    const p = platforms.find((x) => x.name === r.platform)!;
    const policy = environments[r.env as keyof typeof environments].podSecurity;
    const envName = r.env as keyof typeof environments;
    const storageClasses = [...new Set([...Object.values(environments[envName].storageClasses), ...(p.spec.storageClasses?.[envName] ?? [])])];
    const res = validateObjects(
      r.objects.map((object) => ({ object, source: r.dir })),
      { platform: p.name, env: r.env, policy, declaredSecrets: declaredSecretsOf(p, r.app, r.objects), releases: { images: p.spec.releases, policy: releasePolicyProblems }, storageClasses },
    );
    return { ...res, platform: p.name, env: r.env, app: r.app, dir: r.dir };
  });
  // One Argo CD Application per overlay: an object two overlays of an environment emit has two owners.
  findSharedObjects(rendered.map((r) => ({ platform: r.platform, env: r.env, app: r.app, source: r.dir, objects: r.objects })))
    .forEach((shared, i) => results[i].findings.push(...shared));
  if (!names.length) {
    // argocd/ is built from every platform, so only a full run checks it (schemas, and every path it syncs exists).
    const apps = committedArgoCdObjects(root, env);
    const res = validateObjects(apps, { platform: ARGOCD_ROOT, env: env ?? 'all', policy: 'none', repo: repoPaths(root) });
    results.push({ ...res, platform: ARGOCD_ROOT, env: env ?? 'all', app: '', dir: ARGOCD_ROOT });
  }
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
