/**
 * The generated Argo CD objects against a real API server: `argocd/install` rendered by the standalone
 * kustomize with the pinned upstream install.yaml vendored in third_party/ standing in for its URL
 * (no network), and every generated AppProject, Application and bootstrap root.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import type { KubeObject } from '@gitops/core';
import { parseYamlDocuments } from '@gitops/kustomize';
import { ARGOCD_INSTALL, readYamlObjects } from './crds';
import type { FoundTool } from './tools';

const INSTALL_URL = /^https:\/\/raw\.githubusercontent\.com\/argoproj\/argo-cd\/(v[^/]+)\/manifests\/install\.yaml$/;

/** argocd/install rendered with the vendored install.yaml in place of the URL (which must name the vendored version). */
export async function renderArgocdInstall(root: string, kustomize: FoundTool): Promise<KubeObject[]> {
  const work = mkdtempSync(join(tmpdir(), 'gitops-argocd-install-'));
  try {
    cpSync(join(root, 'argocd', 'install'), work, { recursive: true });
    const kfile = join(work, 'kustomization.yaml');
    const vendored = basename(join(root, ARGOCD_INSTALL, '..')); // argo-cd-v3.5.1
    let swapped = 0;
    const text = readFileSync(kfile, 'utf8').replace(/^(\s*-\s*)(https:\/\/\S+)$/gm, (line, dash: string, url: string) => {
      const m = INSTALL_URL.exec(url);
      if (!m) return line;
      if (`argo-cd-${m[1]}` !== vendored) throw new Error(`argocd/install/kustomization.yaml names Argo CD ${m[1]} but third_party/ vendors ${vendored}`);
      swapped++;
      return `${dash}upstream-install.yaml`;
    });
    if (swapped !== 1) throw new Error('argocd/install/kustomization.yaml does not list the upstream install.yaml URL');
    writeFileSync(kfile, text);
    cpSync(join(root, ARGOCD_INSTALL), join(work, 'upstream-install.yaml'));
    const r = await execa(kustomize.path, ['build', work], { reject: false, stdin: 'ignore', maxBuffer: 64 * 1024 * 1024 });
    if (r.exitCode !== 0) throw new Error(`kustomize build argocd/install failed:\n${String(r.stderr).trim()}`);
    return parseYamlDocuments(String(r.stdout), 'kustomize build argocd/install') as KubeObject[];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return yamlFilesUnder(p);
      return /\.ya?ml$/.test(f) && f !== 'kustomization.yaml' ? [p] : [];
    });
}

/** Every generated AppProject and Application (argocd/projects, argocd/apps, argocd/bootstrap). */
export function generatedArgocdObjects(root: string): KubeObject[] {
  return ['projects', 'apps', 'bootstrap']
    .flatMap((d) => yamlFilesUnder(join(root, 'argocd', d)))
    .flatMap((f) => readYamlObjects(f))
    .filter((o) => o.apiVersion === 'argoproj.io/v1alpha1' && ['AppProject', 'Application'].includes(o.kind));
}
