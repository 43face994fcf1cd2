import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Releases } from './model';

/**
 * Reads a platform's releases file: image repository -> environment -> tag.
 * Promotion is a change to this file followed by `gitops generate`.
 */
export function loadReleases(file: string): Releases {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read releases file: ${(err as Error).message}`);
  }
  const images = (doc as { images?: unknown })?.images;
  if (!images || typeof images !== 'object') throw new Error(`${file}: expected a top-level "images:" mapping of repository -> {env: tag}`);
  const out: Releases = {};
  for (const [repo, tags] of Object.entries(images as Record<string, unknown>)) {
    if (!tags || typeof tags !== 'object') throw new Error(`${file}: images["${repo}"] must map environment -> tag`);
    for (const [env, tag] of Object.entries(tags as Record<string, unknown>)) {
      if (typeof tag !== 'string' || !/^[\w][\w.-]{0,127}$/.test(tag)) throw new Error(`${file}: images["${repo}"].${env} is not a valid image tag: ${JSON.stringify(tag)}`);
      if (tag === 'latest') throw new Error(`${file}: images["${repo}"].${env} is "latest"; pin a version so a deploy is reproducible`);
    }
    out[repo] = tags as Releases[string];
  }
  return out;
}
