/** Render an overlay with the real kustomize, then add the Secrets KSOPS would generate. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import type { KubeObject } from '@gitops/core';
import { UserError } from '@gitops/core';
import { KustomizeBuildError, kustomizeBuildText, parseYamlDocuments } from '@gitops/kustomize';
import { KUSTOMIZATION_FILE } from '@gitops/environments';
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

/**
 * An overlay that does not render because of what is in the repository: kustomize refused it, or a
 * file its KSOPS generator lists does not open (MAC mismatch, a changed ciphertext, not SOPS). A
 * failure (exit 1) printed as its message, which names the file (repository-relative) and the
 * reason; `validate` turns it into an error finding of that overlay and goes on with the others.
 */
export class OverlayRenderError extends UserError {
  constructor(
    readonly overlay: { platform: string; app: string; env: string; dir: string },
    /** The file at fault: the overlay folder for kustomize, the secrets file for SOPS. */
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`, 1);
    this.name = 'OverlayRenderError';
  }
}

/**
 * `err` as an OverlayRenderError when the repository's content caused it (kustomize's own error; a
 * SopsError of the secrets loader whose `fileAtFault` is true: pipeline does not import the SOPS
 * library, the error carries the classification of its table, SOPS_ERROR_CLASSES), with absolute
 * paths made repository-relative; any other error (a bug, or a SopsError that is not the file's
 * fault: the key source, a lock, the filesystem) is returned as it is and fails the run.
 */
export function overlayRenderError(root: string, overlay: OverlayRenderError['overlay'], err: unknown): unknown {
  if (err instanceof OverlayRenderError) return err;
  const rel = (text: string) => text.replaceAll(`${root}/`, '').replaceAll(root, '.');
  if (err instanceof KustomizeBuildError) {
    // A platform scaffolded or changed but not generated: said so, not as kustomize's lstat error.
    if (!existsSync(join(root, overlay.dir, KUSTOMIZATION_FILE))) return new OverlayRenderError(overlay, overlay.dir, `not generated yet: run \`gitops generate ${overlay.platform}\``);
    return new OverlayRenderError(overlay, overlay.dir, `kustomize build failed:\n${rel(err.stderr.trim())}`);
  }
  const e = err as { name?: unknown; fileAtFault?: unknown; file?: unknown; reason?: unknown };
  if (e && e.name === 'SopsError' && e.fileAtFault === true) {
    const file = typeof e.file === 'string' ? rel(e.file) : overlay.dir;
    return new OverlayRenderError(overlay, file, `${rel(String(e.reason))} (the overlay's KSOPS generator lists it)`);
  }
  return err;
}

export async function renderOverlay(root: string, p: LoadedPlatform, app: string, env: string, opts: RenderOptions): Promise<RenderedOverlay> {
  const dir = overlayDir(p, app, env);
  try {
    return await finishOverlay(root, p, app, env, dir, await kustomizeBuildText(join(root, dir)), opts);
  } catch (err) {
    throw overlayRenderError(root, { platform: p.name, app, env, dir }, err);
  }
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
  /**
   * When given, an overlay that fails with an OverlayRenderError (kustomize refused it, a secrets
   * file does not open) is passed here and its slot in the results stays empty, and the other
   * overlays are still rendered; without it that error rejects the whole render. Other errors always reject.
   */
  onFailed?: (error: OverlayRenderError, done: number, total: number) => void;
}

/**
 * Every overlay of every given platform through one pool, so small platforms don't leave cores idle.
 * A pool slot is held only while its kustomize process runs: parsing the output, adding the Secrets
 * and `onRendered` (where validate checks the overlay) happen after the next kustomize has started,
 * so the processes never wait for JavaScript (on 2 cores kustomize alone keeps both busy; measured
 * in the README's Performance section).
 */
export async function renderPlatforms(root: string, platforms: LoadedPlatform[], opts: RenderPlatformsOptions & { onFailed?: undefined }): Promise<RenderedOverlay[]>;
export async function renderPlatforms(root: string, platforms: LoadedPlatform[], opts: RenderPlatformsOptions): Promise<Array<RenderedOverlay | undefined>>;
export async function renderPlatforms(root: string, platforms: LoadedPlatform[], opts: RenderPlatformsOptions): Promise<Array<RenderedOverlay | undefined>> {
  const { env, onRendered, onFailed } = opts;
  const jobs = platforms.flatMap((p) => overlayDirs(p, env).map((o) => ({ p, o })));
  const out: Array<RenderedOverlay | undefined> = new Array(jobs.length);
  const finishing: Promise<void>[] = [];
  let next = 0;
  let done = 0;
  const overlayOf = (i: number) => ({ platform: jobs[i].p.name, app: jobs[i].o.app, env: jobs[i].o.env, dir: jobs[i].o.dir });
  /** Rethrows unless `err` is the repository's fault and the caller collects those (onFailed). */
  const failed = (i: number, err: unknown): void => {
    const e = overlayRenderError(root, overlayOf(i), err);
    if (!(e instanceof OverlayRenderError) || !onFailed) throw e;
    onFailed(e, ++done, jobs.length);
  };
  const finish = (i: number, text: string) =>
    // setImmediate: the worker spawns its next kustomize first, then this runs.
    new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => finishOverlay(root, jobs[i].p, jobs[i].o.app, jobs[i].o.env, jobs[i].o.dir, text, { secrets: opts.secrets }))
      .then(
        (r) => {
          out[i] = r;
          onRendered?.(r, ++done, jobs.length);
        },
        (err: unknown) => failed(i, err),
      );
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      let text: string;
      try {
        text = await kustomizeBuildText(join(root, jobs[i].o.dir));
      } catch (err) {
        failed(i, err);
        continue;
      }
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
