/**
 * A throw-away copy of what one promotion touches: the platform library (with the new releases
 * file) and the platform's generated folders. The platform is compiled from the copy, so a module
 * that derives values from releases.yaml at import time (ms5's helper image) sees the new file, and
 * the overlays are rendered from the copy, so `--dry-run` never writes into the repository.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileTree } from '@gitops/kustomize';
import { writeTree } from '@gitops/kustomize';
import { generatePlatform, generatedRoots, loadPlatform, type LoadedPlatform } from '@gitops/pipeline';

export interface Sandbox {
  root: string;
  platform: LoadedPlatform;
  tree: FileTree;
  dispose(): void;
}

export async function sandboxWithReleases(root: string, p: LoadedPlatform, releasesText: string): Promise<Sandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-promote-'));
  try {
    writeFileSync(join(dir, 'nx.json'), '{}\n');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    // The library's tsconfig extends the root one; tsx reads it when it loads the copy.
    if (existsSync(join(root, 'tsconfig.base.json'))) cpSync(join(root, 'tsconfig.base.json'), join(dir, 'tsconfig.base.json'));
    cpSync(join(root, p.source), join(dir, p.source), { recursive: true, filter: (src) => !/[/\\](node_modules|test)$/.test(src) });
    writeFileSync(join(dir, p.source, 'releases.yaml'), releasesText);
    for (const g of generatedRoots(p)) if (existsSync(join(root, g))) cpSync(join(root, g), join(dir, g), { recursive: true });
    const platform = await loadPlatform(dir, p.name);
    const tree = generatePlatform(platform);
    await writeTree(dir, generatedRoots(platform), tree);
    return { root: dir, platform, tree, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
