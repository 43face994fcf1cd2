/** spec -> objects -> Kustomize tree, for one platform, all environments. */
import type { CompiledApp } from '@gitops/core';
import { compileApp, SpecError, validatePlatform } from '@gitops/core';
import { appPaths, environments, envNames, platformRoots } from '@gitops/environments';
import { emitAppTree, type FileTree } from '@gitops/kustomize';
import type { LoadedPlatform } from './platforms';
import { secretFilesFor } from '@gitops/secrets-workflow';

export function isNested(p: LoadedPlatform): boolean {
  return !(p.spec.apps.length === 1 && p.spec.apps[0].name === p.spec.name);
}

/** Folders the platform's generation owns (secrets/ inside them excepted). */
export function generatedRoots(p: LoadedPlatform): string[] {
  return platformRoots(p.name, envNames);
}

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

export function generatePlatform(p: LoadedPlatform): FileTree {
  const nested = isNested(p);
  const tree: FileTree = new Map();
  for (const [appName, perEnv] of compileAll(p)) {
    const app = p.spec.apps.find((a) => a.name === appName)!;
    const files = emitAppTree({
      platform: p.name,
      source: p.source,
      app: appName,
      nested,
      envs: [...perEnv].map(([env, compiled]) => ({ env, compiled, secretFiles: secretFilesFor(app) })),
    });
    for (const [k, v] of files) tree.set(k, v);
  }
  return tree;
}

export function overlayDirs(p: LoadedPlatform, env?: string): Array<{ app: string; env: string; dir: string }> {
  const nested = isNested(p);
  return p.spec.apps.flatMap((a) =>
    envNames.filter((e) => !env || e === env).map((e) => ({ app: a.name, env: e, dir: appPaths(p.name, a.name, nested, e).overlay })),
  );
}
