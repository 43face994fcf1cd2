/**
 * The one build pass: a platform's spec compiled for every app and environment, emitted as a
 * Kustomize tree, once. Everything downstream (writing, Argo CD generation, render-vs-compile checks,
 * the promote sandbox) takes a build instead of compiling again.
 */
import type { CompiledApp } from '@gitops/core';
import { envNames, isNestedPlatform, platformRoots } from '@gitops/environments';
import { emitApp, type FileTree } from '@gitops/kustomize';
// The subpath, not the package root: the root loads the whole SOPS/age library, which generation never uses.
import { secretFilesFor } from '@gitops/secrets-workflow/declared';
import { compileAll, type CompiledPlatform } from './compile';
import type { LoadedPlatform } from './platforms';

/** One overlay of a build: what was compiled for it and the folders its render reads. */
export interface OverlayBuild {
  app: string;
  env: string;
  /** Overlay folder, repository-relative. */
  dir: string;
  compiled: CompiledApp;
  /** Folders `kustomize build dir` reads (overlay first), from the emitter's own data. */
  reads: string[];
}

export interface PlatformBuild {
  platform: LoadedPlatform;
  /** Whether the platform's apps get a folder level each. */
  nested: boolean;
  /** Every overlay, app by app and in environment order within an app. */
  overlays: OverlayBuild[];
  /** The generated files (path -> content), secrets/ never among them. */
  tree: FileTree;
  /** Folders the build owns (its secrets/ folders excepted): what a write replaces. */
  roots: string[];
}

/** Folders the platform's generation owns (secrets/ inside them excepted). */
export function generatedRoots(p: LoadedPlatform): string[] {
  return platformRoots(p.name, envNames);
}

/** `compiled`: what `checkSpec` compiled already (validate checks first, then builds); else compiled here. */
export function buildPlatform(p: LoadedPlatform, compiled: CompiledPlatform = compileAll(p)): PlatformBuild {
  const nested = isNestedPlatform(p.name, p.spec.apps);
  const tree: FileTree = new Map();
  const overlays: OverlayBuild[] = [];
  for (const app of p.spec.apps) {
    const perEnv = compiled.get(app.name)!;
    // Each declared secret's encrypted file, listed by the overlay's KSOPS generator.
    const secretFiles = secretFilesFor(app);
    const emitted = emitApp({
      platform: p.name,
      source: p.source,
      app: app.name,
      nested,
      envs: [...perEnv].map(([env, c]) => ({ env, compiled: c, secretFiles })),
    });
    for (const [k, v] of emitted.files) tree.set(k, v);
    for (const o of emitted.overlays) overlays.push({ app: app.name, env: o.env, dir: o.dir, compiled: perEnv.get(o.env)!, reads: o.reads });
  }
  return { platform: p, nested, overlays, tree, roots: generatedRoots(p) };
}
