/** spec -> typed Kubernetes objects, for every app of a platform in every environment. */
import type { CompiledApp } from '@gitops/core';
import { compileApp, SpecError, validatePlatform } from '@gitops/core';
import { environments, envNames } from '@gitops/environments';
import type { LoadedPlatform } from './platforms';

/**
 * Compiled apps per app name, then per environment. Throws a SpecError when the spec is invalid or
 * releases.yaml names an image no component uses.
 */
export function compileAll(p: LoadedPlatform): Map<string, Map<string, CompiledApp>> {
  validatePlatform(p.spec, envNames, environments);
  // Compile against a releases view that records every image looked up (components, extras, features).
  const used = new Set<string>();
  const releases = new Proxy(p.spec.releases, {
    get: (target, key, receiver) => {
      if (typeof key === 'string') used.add(key);
      return Reflect.get(target, key, receiver);
    },
  });
  const spec = { ...p.spec, releases };
  const byApp = new Map<string, Map<string, CompiledApp>>();
  for (const app of spec.apps) {
    const perEnv = new Map<string, CompiledApp>();
    for (const env of envNames) perEnv.set(env, compileApp(spec, app, environments[env]));
    byApp.set(app.name, perEnv);
  }
  const unused = Object.keys(p.spec.releases).filter((repo) => !used.has(repo));
  if (unused.length) {
    const file = `${p.source}/releases.yaml`;
    throw new SpecError(
      unused.map((repo) => ({
        platform: p.name,
        field: `releases["${repo}"]`,
        message: `${file}: images["${repo}"] is used by no component in any environment (a typo, or remove it)`,
      })),
    );
  }
  return byApp;
}
