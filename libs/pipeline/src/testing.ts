/**
 * Helpers for platform tests: render the committed overlays with the real kustomize and check
 * that what Kustomize builds is exactly what the compiler meant (base + patches lose nothing).
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '@gitops/core';
import { objectId } from '@gitops/core';
import { envNames } from '@gitops/environments';
import { compileAll } from './compile';
import { loadPlatform, type LoadedPlatform } from './platforms';
import { renderOverlay, type RenderedOverlay } from './render';
import { loadOverlaySecrets } from '@gitops/secrets-workflow';
import { repoRoot } from './repo';

export interface RenderedPlatform {
  platform: LoadedPlatform;
  /** Rendered objects per `app/env` (single-app platforms: `<platform>/<env>`). */
  overlays: Map<string, RenderedOverlay>;
  /** Objects of one overlay; `app` defaults to the platform's only app. */
  objects(env: string, app?: string): KubeObject[];
  /** One object by kind and name (throws naming what exists when missing). */
  get<T = any>(env: string, kind: string, name: string, app?: string): T;
}

export async function renderForTest(name: string): Promise<RenderedPlatform> {
  const root = repoRoot();
  const platform = await loadPlatform(root, name);
  const overlays = new Map<string, RenderedOverlay>();
  for (const app of platform.spec.apps) {
    for (const env of envNames) overlays.set(`${app.name}/${env}`, await renderOverlay(root, platform, app.name, env, { secrets: loadOverlaySecrets }));
  }
  const objects = (env: string, app = platform.spec.apps[0].name) => {
    const o = overlays.get(`${app}/${env}`);
    if (!o) throw new Error(`no overlay ${app}/${env}`);
    return o.objects;
  };
  return {
    platform,
    overlays,
    objects,
    get(env, kind, name, app) {
      const found = objects(env, app).find((o) => o.kind === kind && o.metadata?.name === name);
      if (!found) {
        const have = objects(env, app).filter((o) => o.kind === kind).map((o) => o.metadata?.name);
        throw new Error(`${kind}/${name} not rendered in ${app ?? platform.name}/${env} (have ${kind}: ${have.join(', ') || 'none'})`);
      }
      return found as never;
    },
  };
}

/**
 * Differences between what kustomize rendered and what the compiler produced for each
 * environment (Secrets from the secrets tool are not compiled objects and are ignored).
 */
export function renderVsCompile(r: RenderedPlatform): string[] {
  const problems: string[] = [];
  const compiled = compileAll(r.platform);
  for (const [app, perEnv] of compiled) {
    for (const [env, c] of perEnv) {
      const expected = [...c.groups.flatMap((g) => g.objects), ...c.features.flatMap((f) => f.objects)];
      const rendered = r.objects(env, app).filter((o) => o.kind !== 'Secret' || expected.some((e) => objectId(e) === objectId(o)));
      const got = new Map(rendered.map((o) => [objectId(o), o]));
      for (const e of expected) {
        const g = got.get(objectId(e));
        if (!g) problems.push(`${app}/${env}: ${objectId(e)} compiled but not rendered`);
        else if (!isDeepStrictEqual(JSON.parse(JSON.stringify(g)), e)) problems.push(`${app}/${env}: ${objectId(e)} rendered differently from compiled`);
        got.delete(objectId(e));
      }
      for (const id of got.keys()) problems.push(`${app}/${env}: ${id} rendered but not compiled`);
    }
  }
  return problems;
}

/**
 * A validate result's findings split into the promotion policy's advisories (`release-immutable`:
 * registry-convention tags, warnings in prod by decision, libs/environments README) and the rest.
 */
export function releaseAdvisories<F extends { rule: string }>(result: { findings: F[] }): { advisory: F[]; others: F[] } {
  const advisory = result.findings.filter((f) => f.rule === 'release-immutable');
  return { advisory, others: result.findings.filter((f) => !advisory.includes(f)) };
}
