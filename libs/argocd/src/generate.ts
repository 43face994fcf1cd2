/**
 * Everything under argocd/, as a file tree (path -> content), from all platforms:
 *   projects/<platform>.yaml            AppProject per platform
 *   apps/<env>/<platform>[-<app>].yaml  Application per platform app and environment
 *   bootstrap/common/                   bootstrap AppProject + the Application syncing projects/
 *   bootstrap/<env>/root.yaml           the environment's root (app of apps over apps/<env>)
 *   install/                            pinned upstream Argo CD + KSOPS repo-server patches
 *   README.md                           operator guide (from libs/argocd/templates/README.md)
 * Every folder is a kustomization, so each renders (and applies) with kustomize.
 */
import type { FileTree } from '@gitops/kustomize';
import { toYaml } from '@gitops/kustomize';
import { envNames } from '@gitops/environments';
import { generatePlatform, type LoadedPlatform } from '@gitops/pipeline';
import { ARGOCD_ROOT, assertRepoUrl, header } from './config';
import { inventory, type AppTarget, type PlatformInventory } from './inventory';
import { argocdCmPatch, INSTALL_PATCHES, installKustomization, installNamespace, repoServerPatch } from './install';
import { buildApplication, buildBootstrapProject, buildProject, buildProjectsApp, buildRootApp } from './objects';
import { manifestGeneratePaths, treeReader } from './paths';
import { operatorGuide } from './readme';

export const LAYOUT = {
  projects: `${ARGOCD_ROOT}/projects`,
  apps: (env: string) => `${ARGOCD_ROOT}/apps/${env}`,
  bootstrapCommon: `${ARGOCD_ROOT}/bootstrap/common`,
  bootstrap: (env: string) => `${ARGOCD_ROOT}/bootstrap/${env}`,
  install: `${ARGOCD_ROOT}/install`,
  readme: `${ARGOCD_ROOT}/README.md`,
} as const;

export const applicationFile = (t: Pick<AppTarget, 'env' | 'stem'>): string => `${LAYOUT.apps(t.env)}/${t.stem}.yaml`;
export const projectFile = (platform: string): string => `${LAYOUT.projects}/${platform}.yaml`;

const kustomization = (resources: string[]) => toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources });

export interface ApplicationEntry {
  target: AppTarget;
  file: string;
  /** Repository folders the app's render reads (without the leading `/`). */
  paths: string[];
}

/** Inventories and per-Application generate paths of every platform, in name order. */
export function planArgoCd(root: string | undefined, platforms: LoadedPlatform[]): { inventories: PlatformInventory[]; applications: ApplicationEntry[] } {
  const sorted = [...platforms].sort((a, b) => (a.name < b.name ? -1 : 1));
  const inventories = sorted.map(inventory);
  const applications: ApplicationEntry[] = [];
  const files = new Map<string, string>();
  for (const inv of inventories) {
    const read = treeReader(root, generatePlatform(inv.platform));
    for (const t of inv.targets) {
      const file = applicationFile(t);
      const clash = files.get(file);
      if (clash) throw new Error(`Argo CD application ${t.name} (${t.platform}/${t.app}) clashes with ${clash}: rename the app or platform`);
      files.set(file, `${t.platform}/${t.app}`);
      const paths = manifestGeneratePaths(t.overlay, read)
        .split(';')
        .map((p) => p.slice(1));
      applications.push({ target: t, file, paths });
    }
  }
  return { inventories, applications };
}

export async function generateArgoCd(root: string, platforms: LoadedPlatform[]): Promise<FileTree> {
  return generateArgoCdSync(root, platforms);
}

export function generateArgoCdSync(root: string | undefined, platforms: LoadedPlatform[]): FileTree {
  assertRepoUrl();
  const { inventories, applications } = planArgoCd(root, platforms);
  const tree: FileTree = new Map();

  // Projects.
  for (const inv of inventories) {
    tree.set(projectFile(inv.platform.name), header(`AppProject for platform ${inv.platform.name}, ${inv.platform.source}`) + toYaml(buildProject(inv)));
  }
  tree.set(
    `${LAYOUT.projects}/kustomization.yaml`,
    header('every AppProject; synced by the gitops-projects Application') + kustomization(inventories.map((i) => `${i.platform.name}.yaml`)),
  );

  // Applications per environment.
  for (const env of envNames) {
    const mine = applications.filter((a) => a.target.env === env);
    for (const a of mine) {
      const t = a.target;
      tree.set(
        a.file,
        header(`Application ${t.name}: ${t.platform}${t.stem !== t.platform ? ` app ${t.app}` : ''} in ${env}`) +
          toYaml(buildApplication(t, a.paths.map((p) => `/${p}`).join(';'))),
      );
    }
    tree.set(
      `${LAYOUT.apps(env)}/kustomization.yaml`,
      header(`every ${env} Application; synced by the ${env} root`) + kustomization(mine.map((a) => a.file.slice(LAYOUT.apps(env).length + 1)).sort()),
    );
  }

  // Bootstrap.
  tree.set(`${LAYOUT.bootstrapCommon}/bootstrap-project.yaml`, header('bootstrap AppProject') + toYaml(buildBootstrapProject()));
  tree.set(`${LAYOUT.bootstrapCommon}/projects.yaml`, header('Application syncing argocd/projects') + toYaml(buildProjectsApp(LAYOUT.projects)));
  tree.set(
    `${LAYOUT.bootstrapCommon}/kustomization.yaml`,
    header('shared by every environment bootstrap; identical objects, so applying several bootstraps is idempotent') + kustomization(['bootstrap-project.yaml', 'projects.yaml']),
  );
  for (const env of envNames) {
    tree.set(`${LAYOUT.bootstrap(env)}/root.yaml`, header(`root Application of ${env}`) + toYaml(buildRootApp(env, LAYOUT.apps(env))));
    tree.set(
      `${LAYOUT.bootstrap(env)}/kustomization.yaml`,
      header(`bootstrap of ${env}: kubectl apply -k ${LAYOUT.bootstrap(env)}`) + kustomization(['../common', 'root.yaml']),
    );
  }

  // Install.
  tree.set(`${LAYOUT.install}/kustomization.yaml`, header('Argo CD install with KSOPS') + toYaml(installKustomization()));
  tree.set(`${LAYOUT.install}/namespace.yaml`, header('Argo CD namespace') + toYaml(installNamespace()));
  tree.set(`${LAYOUT.install}/${INSTALL_PATCHES.repoServer}`, header('KSOPS + age key on the repo-server') + toYaml(repoServerPatch()));
  tree.set(`${LAYOUT.install}/${INSTALL_PATCHES.argocdCm}`, header('kustomize build options for KSOPS') + toYaml(argocdCmPatch()));

  tree.set(LAYOUT.readme, operatorGuide(applications));
  return new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

