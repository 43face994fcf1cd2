/**
 * What the flow needs of libs/argocd, passed in by the caller (the CLI passes `argoCd` of
 * @gitops/argocd). Pipeline never imports argocd: in the Nx project graph argocd depends on every
 * platform and every platform on pipeline, so that edge would mark every platform affected by a
 * change to any one of them. argocd, for its part, takes builds and never imports pipeline.
 */
import { writeTree, type FileTree, type WriteResult } from '@gitops/kustomize';
import { buildPlatform, type PlatformBuild } from './build';
import { loadPlatform, loadPlatforms, requirePlatformApp } from './platforms';

export interface ArgoCdStep {
  /** The folder argocd/ generation owns. */
  root: string;
  /** Every file under `root`, from the builds of every platform. */
  generate(builds: PlatformBuild[]): FileTree;
  /** Per Application: its target, with the folders its render reads. */
  plan(builds: PlatformBuild[]): { applications: Array<{ target: { name: string; env: string; app: string; overlay: string; reads: readonly string[] } }> };
  /** The committed Argo CD objects (for validation), optionally of one environment. */
  committedObjects(root: string, env?: string): Array<{ object: Record<string, any>; source: string }>;
  /** This repository as Argo CD sees it (URL, which folders exist). */
  repoPaths(root: string): { url: string; pathExists(path: string): boolean };
}

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
export async function argoCdPaths(root: string, argoCd: ArgoCdStep, platform: string, env: string, app?: string): Promise<ArgoCdPathsRow[]> {
  const p = await loadPlatform(root, platform);
  requirePlatformApp(p, app);
  return argoCd
    .plan([buildPlatform(p)])
    .applications.filter((a) => a.target.env === env && (!app || a.target.app === app))
    .map((a) => {
      const paths = a.target.reads.map((x) => `/${x}`);
      return { application: a.target.name, path: a.target.overlay, paths, annotation: paths.join(';') };
    });
}

/** Build every platform and write (or, with `check`, compare) only argocd/. */
export async function generateArgoCdOnly(root: string, argoCd: ArgoCdStep, opts: { check?: boolean } = {}): Promise<{ files: number; write: WriteResult }> {
  const tree = argoCd.generate((await loadPlatforms(root)).map((p) => buildPlatform(p)));
  return { files: tree.size, write: await writeTree(root, [argoCd.root], tree, { check: opts.check }) };
}
