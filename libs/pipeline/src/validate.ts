/**
 * The one validate wiring: what an overlay's rendered objects are checked against (its environment's
 * policy level and storage classes, the platform's declared secrets and releases under the promotion
 * policy). `gitops validate`, `gitops all`, `gitops bench` and the platform tests all come here.
 * @gitops/validate is loaded on first use: commands that never validate do not pay for its schemas.
 */
import type { KubeObject } from '@gitops/core';
import { ADDON_NAMESPACES, environments, releasePolicyProblems } from '@gitops/environments';
import type { ValidationResult, ValidateOptions } from '@gitops/validate';
import { declaredSecretsOf } from '@gitops/secrets-workflow/declared';
import { loadPlatforms, type LoadedPlatform } from './platforms';
import { OverlayRenderError, renderPlatforms, type RenderedOverlay, type SecretLoader } from './render';
import { overlayDirs } from './generate';
import { checkedStaleFiles, outOfDateFinding } from './stale';
import { orphanedPlatforms } from './orphans';
import type { ArgoCdStep } from './argocd';

export type OverlayResult = ValidationResult & { platform: string; env: string; app: string; dir: string };

type Validate = typeof import('@gitops/validate');
let validateModule: Promise<Validate> | undefined;
const loadValidate = (): Promise<Validate> => (validateModule ??= import('@gitops/validate'));

/** What an overlay of `p` in `env` is validated against (the options `validateObjects` takes). */
export function overlayPolicy(p: LoadedPlatform, app: string, env: string, objects: KubeObject[]): ValidateOptions {
  const e = environments[env as keyof typeof environments];
  if (!e) throw new Error(`unknown environment "${env}"`);
  const storageClasses = [...new Set([...Object.values(e.storageClasses), ...(p.spec.storageClasses?.[e.name as keyof typeof environments] ?? [])])];
  return {
    platform: p.name,
    env,
    policy: e.podSecurity,
    declaredSecrets: declaredSecretsOf(p, app, objects),
    releases: { images: p.spec.releases, policy: releasePolicyProblems },
    storageClasses,
  };
}

/** One overlay's rendered objects, validated against its environment (see overlayPolicy). */
export async function validateRendered(p: LoadedPlatform, r: Pick<RenderedOverlay, 'app' | 'env' | 'dir' | 'objects'>): Promise<OverlayResult> {
  const { validateObjects } = await loadValidate();
  const res = validateObjects(
    r.objects.map((object) => ({ object, source: r.dir })),
    overlayPolicy(p, r.app, r.env, r.objects),
  );
  return { ...res, platform: p.name, env: r.env, app: r.app, dir: r.dir };
}

export interface ValidateRunOptions {
  /** Who adds each overlay's Secrets (see RenderOptions): normally `loadOverlaySecrets` of @gitops/secrets-workflow. */
  secrets: SecretLoader | false;
  /** Only this environment. */
  env?: string;
  /** libs/argocd (`argoCd`): a full run (no names) also checks the committed argocd/ objects. */
  argoCd?: ArgoCdStep;
  /** Called as each overlay is rendered or has failed to render (`failed`), so the count reaches the total (progress output). */
  onRendered?: (overlay: OverlayRenderError['overlay'], done: number, total: number, failed?: boolean) => void;
  /**
   * Called as each overlay is validated (progress output); an overlay that does not render counts as
   * validated (its render-failed error is its result), so `done` reaches `total`.
   */
  onValidated?: (result: OverlayResult, done: number, total: number) => void;
  onProgress?: (line: string) => void;
}

/**
 * Render every overlay of the named platforms (all when `names` is empty) and validate each, then
 * the checks across overlays (an object two overlays of an environment emit); a full run also checks
 * the committed argocd/ objects (schemas, and every path they sync exists). `loaded`: the platforms
 * of `names` when the caller has them already (`gitops all` after generate).
 */
export async function validatePlatforms(root: string, names: string[], opts: ValidateRunOptions, loaded?: LoadedPlatform[]): Promise<OverlayResult[]> {
  const say = opts.onProgress ?? (() => {});
  const validate = loadValidate(); // loads (and evaluates) while the first kustomize processes run
  validate.catch(() => {}); // awaited below
  const platforms = loaded ?? (await loadPlatforms(root, names));
  // A spec generate refuses is refused here too (exit 2), before its stale tree is reported as fine,
  // and a generated tree that is not what the source generates now is an error of its overlays;
  // `loaded` platforms come from a generate that has just checked and written them.
  const stale = loaded ? new Map<string, string[]>() : await checkedStaleFiles(root, platforms);
  // Not validated (no spec describes it), but never passed over in silence.
  if (!names.length) {
    for (const o of orphanedPlatforms(root, platforms.map((p) => p.name))) {
      if (o.files.length) say(`warning: ${o.roots.join(', ')}: generated for platform "${o.platform}", which no longer exists (not validated): run \`gitops generate\` to remove ${o.files.length} generated file(s)`);
    }
  }
  const start = process.hrtime.bigint();
  const ms = () => `${Number((process.hrtime.bigint() - start) / 1_000_000n)} ms`;
  // argocd/ is built from every platform, so only a full run checks it (schemas, and every path it
  // syncs exists); it needs nothing rendered, so it runs while kustomize does.
  const argoCd = !names.length && opts.argoCd ? validateArgoCd(root, opts.argoCd, opts.env, validate) : undefined;
  argoCd?.catch(() => {});
  // Each overlay is validated as soon as it is rendered (renderPlatforms calls onRendered after the
  // next kustomize has started), so validation overlaps rendering instead of following it.
  const validations = new Map<RenderedOverlay, Promise<OverlayResult>>();
  let validated = 0;
  // An overlay that does not render (kustomize refuses it, a secrets file does not open) is an error
  // finding of that overlay; the others are still rendered and validated, and the report printed.
  const failed = new Map<string, OverlayResult>();
  const all = await renderPlatforms(root, platforms, {
    secrets: opts.secrets,
    env: opts.env,
    onRendered: (r, done, total) => {
      opts.onRendered?.(r, done, total);
      const v = validate.then(() => validateRendered(platforms.find((x) => x.name === r.platform)!, r));
      v.then((res) => opts.onValidated?.(res, ++validated, total), () => {});
      validations.set(r, v);
    },
    onFailed: (e, done, total) => {
      say(`render failed: ${e.message}`);
      opts.onRendered?.(e.overlay, done, total, true);
      const result = renderFailure(e);
      failed.set(e.overlay.dir, result);
      // Its result (the error) is final: counted, so the progress reaches the total.
      opts.onValidated?.(result, ++validated, total);
    },
  });
  const rendered = all.filter((r): r is RenderedOverlay => r !== undefined);
  say(`render: ${rendered.length} overlays${failed.size ? ` (${failed.size} failed)` : ''}, ${rendered.reduce((n, r) => n + r.objects.length, 0)} objects (${ms()})`);
  const checked = await Promise.all(rendered.map((r) => validations.get(r)!));
  // One Argo CD Application per overlay: an object two overlays of an environment emit has two owners.
  // A namespace belongs to one platform or one cluster add-on (all Applications target one cluster).
  const { findForeignNamespaces, findSharedObjects } = await validate;
  const cross = rendered.map((r) => ({ platform: r.platform, env: r.env, app: r.app, source: r.dir, objects: r.objects }));
  findSharedObjects(cross).forEach((shared, i) => checked[i].findings.push(...shared));
  findForeignNamespaces(cross, ADDON_NAMESPACES).forEach((foreign, i) => checked[i].findings.push(...foreign));
  // Results in overlay order, a failed overlay in its place.
  const byDir = new Map(checked.map((r) => [r.dir, r]));
  const results: OverlayResult[] = platforms.flatMap((p) => overlayDirs(p, opts.env).map((o) => (byDir.get(o.dir) ?? failed.get(o.dir))!));
  for (const p of platforms) {
    const files = stale.get(p.name);
    if (!files) continue;
    const dirs = overlayDirs(p).map((o) => o.dir);
    for (const r of results.filter((x) => x.platform === p.name)) {
      const finding = outOfDateFinding(p.name, r.env, r.dir, dirs, files);
      if (finding) r.findings.unshift(finding);
    }
  }
  if (argoCd) results.push(await argoCd);
  say(`validate: ${results.length} overlays (${ms()}, overlapping render)`);
  return results;
}

async function validateArgoCd(root: string, step: ArgoCdStep, only: string | undefined, validate: Promise<Validate>): Promise<OverlayResult> {
  const { validateObjects } = await validate;
  await new Promise((resolve) => setImmediate(resolve)); // after the first kustomize processes have started
  const { root: dir, committedObjects, repoPaths } = step;
  const env = only ?? 'all';
  const res = validateObjects(committedObjects(root, only), { platform: dir, env, policy: 'none', repo: repoPaths(root) });
  return { ...res, platform: dir, env, app: '', dir };
}

/** Rule id of an overlay that did not render; not a policy rule (there are no objects to check), never suppressible. */
export const RENDER_FAILED_RULE = 'render-failed';

/** An overlay that did not render, as its validation result: one error naming the file and the reason. */
function renderFailure(e: OverlayRenderError): OverlayResult {
  const { platform, app, env, dir } = e.overlay;
  return {
    platform,
    app,
    env,
    dir,
    objects: 0,
    suppressions: [],
    findings: [{ severity: 'error', rule: RENDER_FAILED_RULE, platform, env, source: e.file, kind: 'Overlay', name: dir, path: '', message: e.reason }],
  };
}

export function errorCount(results: ValidationResult[]): number {
  return results.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'error').length, 0);
}
