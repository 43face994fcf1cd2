/**
 * Promotion policy on rendered release images: every container whose image is one of the
 * platform's release images (its releases.yaml) is checked with the environment's promotion
 * policy the caller passes (@gitops/environments' `releasePolicyProblems`, the same check
 * `gitops promote` applies before it writes).
 */
import type { Context } from './context';
import { join } from './paths';
import type { ReleasesInput } from './types';

/** Repository part of an image reference (`repo:tag`, `repo@sha256:…`). */
export function imageRepository(image: string): string {
  if (image.includes('@')) return image.slice(0, image.indexOf('@'));
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? image.slice(0, colon) : image;
}

export function checkReleases(ctx: Context, env: string | undefined, releases: ReleasesInput | undefined): void {
  if (!releases || !env) return;
  for (const t of ctx.inv.templates) {
    for (const ct of t.containers) {
      if (typeof ct.c.image !== 'string') continue;
      const values = releases.images[imageRepository(ct.c.image)];
      if (!values) continue;
      for (const p of releases.policy(imageRepository(ct.c.image), env, values)) {
        ctx.emit(t.owner, p.rule, join(ct.path, 'image'), p.message);
      }
    }
  }
}
