/**
 * spec -> typed Kubernetes objects, for every app of a platform in every environment; and the one
 * home of the spec checks `generate` applies (validatePlatform, every environment compiling, every
 * releases.yaml image used), which `validate` runs as well.
 */
import type { CompiledApp } from '@gitops/core';
import { compileApp, SpecError, validatePlatform, type SpecIssue } from '@gitops/core';
import { environments, envNames } from '@gitops/environments';
import type { LoadedPlatform } from './platforms';

/** Compiled apps per app name, then per environment. */
export type CompiledPlatform = Map<string, Map<string, CompiledApp>>;

/**
 * Compile `p` for every app and environment, collecting every problem instead of stopping at the
 * first: the spec checks (validatePlatform), an environment that does not compile (a missing image
 * tag, one issue per app and environment), and an image in releases.yaml no component uses.
 * `compiled` is complete only when `issues` is empty.
 */
export function checkSpec(p: LoadedPlatform): { compiled: CompiledPlatform; issues: SpecIssue[] } {
  const compiled: CompiledPlatform = new Map();
  const specIssues = (fn: () => void): SpecIssue[] => {
    try {
      fn();
      return [];
    } catch (err) {
      if (err instanceof SpecError) return err.issues;
      throw err;
    }
  };
  // Compiling assumes a valid spec: a spec that fails its checks is reported as that, not compiled.
  const invalid = specIssues(() => validatePlatform(p.spec, envNames, environments));
  if (invalid.length) return { compiled, issues: invalid };
  // Compile against a releases view that records every image looked up (components, extras, features).
  const used = new Set<string>();
  const releases = new Proxy(p.spec.releases, {
    get: (target, key, receiver) => {
      if (typeof key === 'string') used.add(key);
      return Reflect.get(target, key, receiver);
    },
  });
  const spec = { ...p.spec, releases };
  const issues: SpecIssue[] = [];
  for (const app of spec.apps) {
    const perEnv = new Map<string, CompiledApp>();
    for (const env of envNames) issues.push(...specIssues(() => perEnv.set(env, compileApp(spec, app, environments[env]))));
    compiled.set(app.name, perEnv);
  }
  // An environment that stopped compiling half-way has not looked up all its images.
  if (issues.length) return { compiled, issues };
  const file = `${p.source}/releases.yaml`;
  const unused = Object.keys(p.spec.releases).filter((repo) => !used.has(repo));
  return {
    compiled,
    issues: unused.map((repo) => ({
      platform: p.name,
      field: `releases["${repo}"]`,
      message: `${file}: images["${repo}"] is used by no component in any environment (a typo, or remove it)`,
    })),
  };
}

/** Compiled apps per app name, then per environment. Throws a SpecError with every problem `checkSpec` finds. */
export function compileAll(p: LoadedPlatform): CompiledPlatform {
  const { compiled, issues } = checkSpec(p);
  if (issues.length) throw new SpecError(issues);
  return compiled;
}
