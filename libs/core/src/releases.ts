import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Releases } from './model';

const TAG = /^[\w][\w.-]{0,127}$/;

/** A release value is a tag (`1.4.0`) or a digest (`sha256:<64 hex>`), which pins the exact image. */
export function isDigest(ref: string): boolean {
  return /^sha256:[a-f0-9]{64}$/.test(ref);
}

/** The image reference a release value stands for: `repo:tag` or `repo@sha256:…`. */
export function imageRef(repository: string, tagOrDigest: string): string {
  return `${repository}${isDigest(tagOrDigest) ? '@' : ':'}${tagOrDigest}`;
}

/**
 * Reads a platform's releases file: image repository -> environment -> tag or digest.
 * Promotion is a change to this file followed by `gitops generate`.
 */
export function loadReleases(file: string): Releases {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read releases file: ${(err as Error).message}`);
  }
  return parseReleases(text, file);
}

/** Parses and checks releases text; `file` names it in errors. */
export function parseReleases(text: string, file: string): Releases {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new Error(`${file}: cannot read releases file: ${(err as Error).message}`);
  }
  const images = (doc as { images?: unknown })?.images;
  if (!images || typeof images !== 'object') throw new Error(`${file}: expected a top-level "images:" mapping of repository -> {env: tag}`);
  const out: Releases = {};
  for (const [repo, tags] of Object.entries(images as Record<string, unknown>)) {
    if (!tags || typeof tags !== 'object') throw new Error(`${file}: images["${repo}"] must map environment -> tag`);
    for (const [env, tag] of Object.entries(tags as Record<string, unknown>)) {
      if (typeof tag !== 'string' || !(TAG.test(tag) || isDigest(tag))) throw new Error(`${file}: images["${repo}"].${env} is not a valid image tag or sha256 digest: ${JSON.stringify(tag)}`);
      if (tag === 'latest') throw new Error(`${file}: images["${repo}"].${env} is "latest"; pin a version so a deploy is reproducible`);
    }
    out[repo] = tags as Releases[string];
  }
  return out;
}
