/**
 * Shared test support: the platforms under test (every real platform that exports a spec, plus a
 * fixture platform that exercises nested apps, features, hooks and cluster-scoped kinds), their
 * generated trees materialised in a temporary repository, and kustomize renders of it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '@gitops/core';
import { kustomizeBuild } from '@gitops/kustomize';
import { buildPlatform, loadPlatforms, repoRoot, type LoadedPlatform, type PlatformBuild } from '@gitops/pipeline';
import { generateArgoCd, planArgoCd, type ApplicationEntry } from '../src';
import { fixturePlatform } from './fixtures/argofixture';

export const ROOT = repoRoot();

/** Every platform library; one that fails to load fails the tests (none is silently left out). */
export async function realPlatforms(): Promise<LoadedPlatform[]> {
  return loadPlatforms(ROOT);
}

/** The builds Argo CD generation takes, as `gitops generate` makes them. */
export const buildsOf = (ps: LoadedPlatform[]): PlatformBuild[] => ps.map((p) => buildPlatform(p));

export async function testPlatforms(): Promise<LoadedPlatform[]> {
  return [...(await realPlatforms()), fixturePlatform];
}

export function writeFiles(dir: string, tree: Map<string, string>): void {
  for (const [rel, content] of tree) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
}

export interface Workspace {
  /** Temporary repository root holding environments/ and argocd/ as generated. */
  dir: string;
  platforms: LoadedPlatform[];
  builds: PlatformBuild[];
  /** Generated platform trees (all platforms). */
  platformTree: Map<string, string>;
  argocd: Map<string, string>;
  applications: ApplicationEntry[];
  render(rel: string): Promise<KubeObject[]>;
  /** Render every Application path, a few at a time (kustomize runs are independent processes). */
  renderAll(): Promise<void>;
  cleanup(): void;
}

export async function workspace(platforms?: LoadedPlatform[]): Promise<Workspace> {
  const ps = platforms ?? (await testPlatforms());
  const dir = mkdtempSync(join(tmpdir(), 'gitops-argocd-test-'));
  const builds = buildsOf(ps);
  const platformTree = new Map<string, string>();
  for (const b of builds) for (const [k, v] of b.tree) platformTree.set(k, v);
  writeFiles(dir, platformTree);
  const argocd = generateArgoCd(builds);
  writeFiles(dir, argocd);
  const { applications } = planArgoCd(builds);
  const cache = new Map<string, Promise<KubeObject[]>>();
  const render = (rel: string) => {
    if (!cache.has(rel)) cache.set(rel, kustomizeBuild(join(dir, rel)));
    return cache.get(rel)!;
  };
  return {
    dir,
    platforms: ps,
    builds,
    platformTree,
    argocd,
    applications,
    render,
    async renderAll() {
      const queue = applications.map((a) => a.target.overlay);
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await render(next);
      };
      await Promise.all(Array.from({ length: 6 }, worker));
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function parseDocs(text: string, source = '<yaml>'): any[] {
  return parseAllDocuments(text)
    .map((d, i) => {
      if (d.errors.length) throw new Error(`${source} document ${i + 1}: ${d.errors[0].message}`);
      return d.toJS();
    })
    .filter((d) => d !== null && d !== undefined);
}

/** Argo CD objects in a generated tree, with the file they came from. */
export function argoObjects(tree: Map<string, string>): Array<{ file: string; obj: any }> {
  return [...tree]
    .filter(([f]) => f.endsWith('.yaml') && !f.includes('/install/') && !f.endsWith('kustomization.yaml'))
    .flatMap(([file, text]) => parseDocs(text, file).map((obj) => ({ file, obj })));
}
