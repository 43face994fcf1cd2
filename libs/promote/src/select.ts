/** Which release images a promotion copies: all, those of one app, or the ones named on the command line. */
import { compileApp, UserError, isDigest, type Releases } from '@gitops/core';
import { environments } from '@gitops/environments';
import type { LoadedPlatform } from '@gitops/pipeline';

export interface Selected {
  repository: string;
  /** Tag or digest the caller insisted on (`name:tag`, `name@sha256:…`); the source must run exactly it. */
  expect?: string;
}

/** `name`, `name:tag` or `name@sha256:…`; the name is a full repository or its last path segment. */
export function parseImageArg(arg: string): { name: string; ref?: string } {
  const at = arg.indexOf('@');
  if (at >= 0) return { name: arg.slice(0, at), ref: arg.slice(at + 1) };
  const colon = arg.lastIndexOf(':');
  if (colon > arg.lastIndexOf('/')) return { name: arg.slice(0, colon), ref: arg.slice(colon + 1) };
  return { name: arg };
}

function resolveName(releases: Releases, name: string, platform: string): string {
  const repos = Object.keys(releases);
  if (repos.includes(name)) return name;
  const short = repos.filter((r) => r.slice(r.lastIndexOf('/') + 1) === name);
  if (short.length === 1) return short[0];
  const hint = short.length > 1 ? `; "${name}" matches ${short.join(', ')}: give the full repository` : '';
  throw new UserError(`platform ${platform} has no release image "${name}" (release images: ${repos.join(', ')})${hint}`, 2);
}

export function selectImages(p: LoadedPlatform, from: string, opts: { app?: string; images?: string[] }): Selected[] {
  const releases = p.spec.releases;
  let scope = Object.keys(releases);
  if (opts.app) {
    const app = p.spec.apps.find((a) => a.name === opts.app);
    if (!app) throw new UserError(`platform ${p.name} has no app "${opts.app}" (apps: ${p.spec.apps.map((a) => a.name).join(', ')})`, 2);
    // The images the app runs in the source environment, as the compiler resolves them.
    scope = Object.keys(compileApp(p.spec, app, environments[from as keyof typeof environments]).images);
  }
  if (!opts.images?.length) return scope.sort().map((repository) => ({ repository }));
  return opts.images.map((arg) => {
    const { name, ref } = parseImageArg(arg);
    const repository = resolveName(releases, name, p.name);
    if (!scope.includes(repository)) throw new UserError(`app ${opts.app} of ${p.name} does not use ${repository} in ${from} (its release images: ${scope.join(', ') || 'none'})`, 2);
    if (ref !== undefined && !isDigest(ref) && !/^[\w][\w.-]{0,127}$/.test(ref)) throw new UserError(`--image ${arg}: "${ref}" is neither a tag nor a sha256 digest`, 2);
    return { repository, ...(ref !== undefined ? { expect: ref } : {}) };
  });
}
