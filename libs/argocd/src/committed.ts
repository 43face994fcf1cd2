/** The committed Argo CD objects and the repository they point into, for `gitops validate`. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseYamlDocuments } from '@gitops/kustomize';
import { KUSTOMIZATION_FILES } from '@gitops/environments/layout';
import { ARGOCD_ROOT, REPO_URL } from './config';

/** Every Application and AppProject under argocd/ (not argocd/install: upstream manifests), with its file. */
export function committedArgoCdObjects(root: string, env?: string): Array<{ object: Record<string, any>; source: string }> {
  const out: Array<{ object: Record<string, any>; source: string }> = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      const source = relative(root, p).split(sep).join('/');
      if (e.isDirectory()) {
        if (source !== `${ARGOCD_ROOT}/install`) walk(p);
        continue;
      }
      if (!/\.ya?ml$/.test(e.name) || KUSTOMIZATION_FILES.includes(e.name)) continue;
      if (env && !source.split('/').includes(env) && !source.startsWith(`${ARGOCD_ROOT}/projects/`)) continue;
      // The fast reader (js-yaml with yaml's 1.2 core schema, @gitops/yaml-read): these files are
      // machine-written, and `yaml`'s document API was a third of `gitops validate`'s Argo CD check.
      for (const d of parseYamlDocuments(readFileSync(p, 'utf8'), source)) {
        const object = d as Record<string, any> | null;
        if (object?.apiVersion?.startsWith('argoproj.io/')) out.push({ object, source });
      }
    }
  };
  walk(join(root, ARGOCD_ROOT));
  return out;
}

/** This repository as Argo CD sees it: its URL and which folders exist. */
export function repoPaths(root: string): { url: string; pathExists(path: string): boolean } {
  return {
    url: REPO_URL,
    pathExists: (path) => {
      const p = join(root, path);
      return !path.split('/').includes('..') && existsSync(p) && statSync(p).isDirectory();
    },
  };
}
