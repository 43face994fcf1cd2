/** Render an overlay with the real kustomize, then add the Secrets KSOPS would generate. */
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import type { KubeObject } from '@gitops/core';
import { kustomizeBuildText, parseYamlDocuments } from '@gitops/kustomize';
import { renderedNamespace } from '@gitops/secrets-workflow/declared';
import { loadPlatform, requirePlatformApp, type LoadedPlatform } from './platforms';
import { overlayDirs } from './generate';

export interface RenderedOverlay {
  platform: string;
  app: string;
  env: string;
  dir: string;
  objects: KubeObject[];
}

/**
 * Turns an overlay's encrypted files into the Secret objects KSOPS would generate. Pipeline knows
 * only this type; the implementation is `loadOverlaySecrets` of @gitops/secrets-workflow.
 */
export type SecretLoader = (overlayAbs: string, namespace: string | undefined) => Promise<KubeObject[]>;

export interface RenderOptions {
  /**
   * Who adds the overlay's Secrets: a loader (normally `loadOverlaySecrets` of
   * @gitops/secrets-workflow), or `false` for kustomize's output alone. Required, so every render
   * says which, instead of depending on what some import registered.
   */
  secrets: SecretLoader | false;
}

export async function renderOverlay(root: string, p: LoadedPlatform, app: string, env: string, opts: RenderOptions): Promise<RenderedOverlay> {
  const dir = overlayDir(p, app, env);
  return finishOverlay(root, p, app, env, dir, await kustomizeBuildText(join(root, dir)), opts);
}

function overlayDir(p: LoadedPlatform, app: string, env: string): string {
  const o = overlayDirs(p, env).find((x) => x.app === app);
  if (!o) throw new Error(`platform ${p.name} has no app "${app}" in ${env}`);
  return o.dir;
}

/** kustomize's output parsed, plus the Secrets of the loader: the in-process half of rendering an overlay. */
async function finishOverlay(root: string, p: LoadedPlatform, app: string, env: string, dir: string, text: string, opts: RenderOptions): Promise<RenderedOverlay> {
  const objects = parseYamlDocuments(text, `kustomize build ${join(root, dir)}`) as KubeObject[];
  if (opts.secrets) {
    objects.push(...(await opts.secrets(join(root, dir), renderedNamespace(objects))));
  }
  return { platform: p.name, app, env, dir, objects };
}

/** Overlays render in parallel (one kustomize process per core); results keep overlay order. */
export async function renderPlatform(root: string, p: LoadedPlatform, opts: RenderOptions & { env?: string }): Promise<RenderedOverlay[]> {
  return renderPlatforms(root, [p], opts);
}

export interface RenderPlatformsOptions extends RenderOptions {
  /** Only this environment's overlays (default: every environment). */
  env?: string;
  /** Called as each overlay finishes (for progress output). */
  onRendered?: (overlay: RenderedOverlay, done: number, total: number) => void;
}

/**
 * Every overlay of every given platform through one pool, so small platforms don't leave cores idle.
 * A pool slot is held only while its kustomize process runs: parsing the output, adding the Secrets
 * and `onRendered` (where validate checks the overlay) happen after the next kustomize has started,
 * so the processes never wait for JavaScript (on 2 cores kustomize alone keeps both busy; measured
 * in the README's Performance section).
 */
export async function renderPlatforms(root: string, platforms: LoadedPlatform[], opts: RenderPlatformsOptions): Promise<RenderedOverlay[]> {
  const { env, onRendered } = opts;
  const jobs = platforms.flatMap((p) => overlayDirs(p, env).map((o) => ({ p, o })));
  const out: RenderedOverlay[] = new Array(jobs.length);
  const finishing: Promise<void>[] = [];
  let next = 0;
  let done = 0;
  const finish = (i: number, text: string) =>
    // setImmediate: the worker spawns its next kustomize first, then this runs.
    new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => finishOverlay(root, jobs[i].p, jobs[i].o.app, jobs[i].o.env, jobs[i].o.dir, text, { secrets: opts.secrets }))
      .then((r) => {
        out[i] = r;
        onRendered?.(r, ++done, jobs.length);
      });
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      const text = await kustomizeBuildText(join(root, jobs[i].o.dir));
      const f = finish(i, text);
      f.catch(() => {}); // handled: awaited below (a failure must not be an unhandled rejection meanwhile)
      finishing.push(f);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(availableParallelism(), 2), jobs.length) }, worker));
  await Promise.all(finishing);
  return out;
}

/** `gitops render`: the rendered objects of a platform's overlays in one environment (optionally one app). */
export async function renderEnvironment(root: string, platform: string, opts: RenderOptions & { env: string; app?: string }): Promise<KubeObject[]> {
  const p = await loadPlatform(root, platform);
  requirePlatformApp(p, opts.app);
  // One app: render only its overlay, not every app of the platform.
  if (opts.app) return (await renderOverlay(root, p, opts.app, opts.env, { secrets: opts.secrets })).objects;
  return (await renderPlatforms(root, [p], { env: opts.env, secrets: opts.secrets })).flatMap((r) => r.objects);
}
