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
import { envNames, KUSTOMIZATION_FILE } from '@gitops/environments';
import { assertRepoUrl, header } from './config';
import type { ArgoCdBuild } from './inventory';
import { argocdCmPatch, INSTALL_PATCHES, installKustomization, installNamespace, repoServerPatch } from './install';
import { buildApplication, buildBootstrapProject, buildProject, buildProjectsApp, buildRootApp } from './objects';
import { LAYOUT, planArgoCd, projectFile } from './plan';
import { operatorGuide } from './readme';

const kustomization = (resources: string[]) => toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources });

/** Every file under argocd/ from the builds of every platform (none compiled or emitted here). */
export function generateArgoCd(builds: readonly ArgoCdBuild[]): FileTree {
  assertRepoUrl();
  const { inventories, applications } = planArgoCd(builds);
  const tree: FileTree = new Map();

  // Projects.
  for (const inv of inventories) {
    tree.set(projectFile(inv.platform.name), header(`AppProject for platform ${inv.platform.name}, ${inv.platform.source}`) + toYaml(buildProject(inv)));
  }
  tree.set(
    `${LAYOUT.projects}/${KUSTOMIZATION_FILE}`,
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
          toYaml(buildApplication(t, t.reads.map((p) => `/${p}`).join(';'))),
      );
    }
    tree.set(
      `${LAYOUT.apps(env)}/${KUSTOMIZATION_FILE}`,
      header(`every ${env} Application; synced by the ${env} root`) + kustomization(mine.map((a) => a.file.slice(LAYOUT.apps(env).length + 1)).sort()),
    );
  }

  // Bootstrap.
  tree.set(`${LAYOUT.bootstrapCommon}/bootstrap-project.yaml`, header('bootstrap AppProject') + toYaml(buildBootstrapProject()));
  tree.set(`${LAYOUT.bootstrapCommon}/projects.yaml`, header('Application syncing argocd/projects') + toYaml(buildProjectsApp(LAYOUT.projects)));
  tree.set(
    `${LAYOUT.bootstrapCommon}/${KUSTOMIZATION_FILE}`,
    header('shared by every environment bootstrap; identical objects, so applying several bootstraps is idempotent') + kustomization(['bootstrap-project.yaml', 'projects.yaml']),
  );
  for (const env of envNames) {
    tree.set(`${LAYOUT.bootstrap(env)}/root.yaml`, header(`root Application of ${env}`) + toYaml(buildRootApp(env, LAYOUT.apps(env))));
    tree.set(
      `${LAYOUT.bootstrap(env)}/${KUSTOMIZATION_FILE}`,
      header(`bootstrap of ${env}: kubectl apply -k ${LAYOUT.bootstrap(env)}`) + kustomization(['../common', 'root.yaml']),
    );
  }

  // Install.
  tree.set(`${LAYOUT.install}/${KUSTOMIZATION_FILE}`, header('Argo CD install with KSOPS') + toYaml(installKustomization()));
  tree.set(`${LAYOUT.install}/namespace.yaml`, header('Argo CD namespace') + toYaml(installNamespace()));
  tree.set(`${LAYOUT.install}/${INSTALL_PATCHES.repoServer}`, header('KSOPS + age key on the repo-server') + toYaml(repoServerPatch()));
  tree.set(`${LAYOUT.install}/${INSTALL_PATCHES.argocdCm}`, header('kustomize build options for KSOPS') + toYaml(argocdCmPatch()));

  tree.set(LAYOUT.readme, operatorGuide(applications));
  return new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

