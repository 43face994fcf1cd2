/** The Argo CD side of the flow: argocd/ from the platforms' builds, and each Application's generate paths. */
import { UserError } from '@gitops/core';
import { writeTree, type WriteResult } from '@gitops/kustomize';
import { buildPlatform } from './build';
import { loadPlatform, loadPlatforms } from './platforms';

export interface ArgoCdPathsRow {
  application: string;
  /** The overlay the Application renders. */
  path: string;
  /** Folders its render reads, as absolute repository paths (`/environments/…`). */
  paths: string[];
  /** The `argocd.argoproj.io/manifest-generate-paths` value. */
  annotation: string;
}

/** manifest-generate-paths of a platform's Applications in one environment (optionally one app). */
export async function argoCdPaths(root: string, platform: string, env: string, app?: string): Promise<ArgoCdPathsRow[]> {
  const p = await loadPlatform(root, platform);
  if (app && !p.spec.apps.some((a) => a.name === app)) {
    throw new UserError(`platform ${p.name} has no app "${app}" (apps: ${p.spec.apps.map((a) => a.name).join(', ')})`, 2);
  }
  const { planArgoCd } = await import('@gitops/argocd');
  return planArgoCd([buildPlatform(p)])
    .applications.filter((a) => a.target.env === env && (!app || a.target.app === app))
    .map((a) => {
      const paths = a.paths.map((x) => `/${x}`);
      return { application: a.target.name, path: a.target.overlay, paths, annotation: paths.join(';') };
    });
}

/** Build every platform and write (or, with `check`, compare) only argocd/. */
export async function generateArgoCdOnly(root: string, opts: { check?: boolean } = {}): Promise<{ files: number; write: WriteResult }> {
  const { ARGOCD_ROOT, generateArgoCd } = await import('@gitops/argocd');
  const tree = generateArgoCd((await loadPlatforms(root)).map(buildPlatform));
  return { files: tree.size, write: await writeTree(root, [ARGOCD_ROOT], tree, { check: opts.check }) };
}
