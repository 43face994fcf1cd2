import { readFileSync } from 'node:fs';
import { isScalar, LineCounter, parseDocument } from 'yaml';
import { loadSimpleYamlDocument } from '@gitops/yaml-read';
import type { Releases } from './model';
import { UserError } from './errors';

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
 * Every problem of a releases file is bad input (a UserError, exit 2) naming the file and key.
 *
 * Reads a platform's releases file: image repository -> environment -> tag or digest.
 * Promotion is a change to this file followed by `gitops generate`.
 */
export function loadReleases(file: string): Releases {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read releases file: ${(err as Error).message}`, 2);
  }
  return parseReleases(text, file);
}

/**
 * Parses and checks releases text; `file` names it in errors. A file the fast reader reads as one
 * document of string tags (every committed one) is checked as read: `yaml`'s document API, about 4×
 * slower cold and run by every generate, is only for a file with a problem, whose line it names.
 */
export function parseReleases(text: string, file: string): Releases {
  const quick = quickRead(text, file);
  if (quick !== undefined) return checkedReleases(quick, file, () => undefined);
  const lines = new LineCounter();
  const parsed = parseDocument(text, { lineCounter: lines });
  if (parsed.errors.length) throw new UserError(`${file}: cannot read releases file: ${parsed.errors[0].message}`, 2);
  /**
   * A value YAML read as something else than a string (`1.0` is the number 1, `true` a boolean):
   * named as written, with its line, and how to quote it. Undefined for a string.
   */
  const unquoted = (repo: string, env: string): string | undefined => {
    const node = parsed.getIn(['images', repo, env], true);
    if (!isScalar(node) || typeof node.value === 'string' || !node.range) return undefined;
    const written = text.slice(node.range[0], node.range[1]);
    const { line } = lines.linePos(node.range[0]);
    const read = node.value === null ? 'null' : `the ${typeof node.value} ${String(node.value)}`;
    if (!written) return `${file}:${line}: images["${repo}"].${env} is empty, which YAML reads as ${read}: give a tag or digest`;
    return `${file}:${line}: images["${repo}"].${env} is ${written}, which YAML reads as ${read}, not a tag: quote it (${env}: "${written}")`;
  };
  let doc: unknown;
  try {
    doc = parsed.toJS();
  } catch (err) {
    // An alias that resolves to nothing, or too many of them: still this file's problem, named as such.
    throw new UserError(`${file}: cannot read releases file: ${(err as Error).message.split('\n')[0]}`, 2);
  }
  return checkedReleases(doc, file, unquoted);
}

/**
 * The document when the fast reader reads `text` exactly as `yaml` would (loadSimpleYamlDocument)
 * and its `images` map repositories to environments to strings; undefined for anything else.
 */
function quickRead(text: string, file: string): unknown {
  const doc = loadSimpleYamlDocument(text, file);
  const images = (doc as { images?: unknown } | null | undefined)?.images;
  if (!images || typeof images !== 'object' || Array.isArray(images)) return undefined;
  for (const tags of Object.values(images)) {
    if (!tags || typeof tags !== 'object' || Array.isArray(tags) || !Object.values(tags).every((t) => typeof t === 'string')) return undefined;
  }
  return doc;
}

/** The checks of a read releases document; `unquoted` names a value YAML did not read as a string. */
function checkedReleases(doc: unknown, file: string, unquoted: (repo: string, env: string) => string | undefined): Releases {
  const images = (doc as { images?: unknown })?.images;
  if (!images || typeof images !== 'object') throw new UserError(`${file}: expected a top-level "images:" mapping of repository -> {env: tag}`, 2);
  const out: Releases = {};
  for (const [repo, tags] of Object.entries(images as Record<string, unknown>)) {
    if (!tags || typeof tags !== 'object') throw new UserError(`${file}: images["${repo}"] must map environment -> tag`, 2);
    for (const [env, tag] of Object.entries(tags as Record<string, unknown>)) {
      if (typeof tag !== 'string') {
        const problem = unquoted(repo, env);
        if (problem) throw new UserError(problem, 2);
      }
      if (typeof tag !== 'string' || !(TAG.test(tag) || isDigest(tag))) throw new UserError(`${file}: images["${repo}"].${env} is not a valid image tag or sha256 digest: ${JSON.stringify(tag)}`, 2);
      if (tag === 'latest') throw new UserError(`${file}: images["${repo}"].${env} is "latest"; pin a version so a deploy is reproducible`, 2);
    }
    out[repo] = tags as Releases[string];
  }
  return out;
}
