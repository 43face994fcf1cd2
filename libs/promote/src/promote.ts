/**
 * `gitops promote`: copy release tags or digests from one environment to the next in a platform's
 * releases.yaml, regenerate, and show the rendered diff of the target environment. Every check
 * happens before anything is written; `dryRun` writes nothing at all.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError, imageRef, type EnvName } from '@gitops/core';
import { envNames, promotionPolicies, releasePolicyProblems } from '@gitops/environments';
import { writeTree } from '@gitops/kustomize';
import { diffObjects, generatePlatform, generatedRoots, isEmptyDiff, loadPlatform, overlayDirs, renderObjectsIfPresent, type OverlayDiff } from '@gitops/pipeline';
import { editReleases, type ReleaseEdit } from './releases-file';
import { sandboxWithReleases } from './sandbox';
import { selectImages } from './select';

export interface PromoteRequest {
  root: string;
  platform: string;
  from: string;
  to: string;
  app?: string;
  /** `name`, `name:tag` or `name@sha256:…` (name: full repository or its last segment). */
  images?: string[];
  dryRun?: boolean;
  onProgress?: (msg: string) => void;
}

export interface PromotedImage {
  repository: string;
  /** What the target ran before (absent: nothing). */
  previous?: string;
  /** The tag or digest copied from the source. */
  value: string;
}

export interface PromoteResult {
  platform: string;
  from: string;
  to: string;
  dryRun: boolean;
  /** Images whose value in the target changes. */
  promoted: PromotedImage[];
  /** Selected images the target already runs at the source's value. */
  unchanged: string[];
  /** Advisory policy findings (e.g. prod asks for immutable references). */
  warnings: string[];
  /** Files written (releases.yaml first); empty with dryRun. */
  written: string[];
  /** Rendered diff of the target environment's overlays. */
  diff: OverlayDiff[];
}

function checkEnvironments(from: string, to: string): void {
  for (const [flag, env] of [['--from', from], ['--to', to]] as const) {
    if (!envNames.includes(env as EnvName)) throw new UserError(`${flag}: unknown environment "${env}" (known: ${envNames.join(', ')})`, 2);
  }
  if (from === to) throw new UserError(`--from and --to are both "${from}"`, 2);
  const source = promotionPolicies[to as EnvName].from;
  if (!source) throw new UserError(`${to} takes its images from builds, not from promotions (promotion policy, libs/environments): set images[…].${to} in releases.yaml`, 1);
  if (source !== from) throw new UserError(`${to} accepts promotions only from ${source} (promotion policy, libs/environments), not from ${from}`, 1);
}

export async function promote(req: PromoteRequest): Promise<PromoteResult> {
  const say = req.onProgress ?? (() => {});
  checkEnvironments(req.from, req.to);
  const [from, to] = [req.from as EnvName, req.to as EnvName];
  const p = await loadPlatform(req.root, req.platform);
  const releasesFile = join(p.source, 'releases.yaml');
  const releases = p.spec.releases;

  const edits: ReleaseEdit[] = [];
  const promoted: PromotedImage[] = [];
  const unchanged: string[] = [];
  for (const s of selectImages(p, from, { app: req.app, images: req.images })) {
    const value = releases[s.repository]?.[from];
    if (!value) throw new UserError(`${from} does not run ${s.repository}: ${releasesFile} has no images["${s.repository}"].${from}`, 2);
    if (s.expect !== undefined && s.expect !== value) {
      throw new UserError(`${from} does not run ${imageRef(s.repository, s.expect)}; it runs ${imageRef(s.repository, value)}`, 2);
    }
    const previous = releases[s.repository]?.[to];
    if (previous === value) unchanged.push(s.repository);
    else {
      edits.push({ repository: s.repository, env: to, value });
      promoted.push({ repository: s.repository, value, ...(previous ? { previous } : {}) });
    }
  }

  // The policies of the target and of the environments that take promotions from it, on the values
  // they would run after the promotion: what `gitops validate` will check (release-lineage), so the
  // two never disagree (e.g. staging moved below what prod already runs).
  // Of a downstream environment only its lineage: its other problems (prod's mutable tags) concern
  // values this promotion does not touch.
  const downstream = envNames.filter((e) => promotionPolicies[e].from === to);
  const problems = promoted.flatMap((i) => {
    const after = { ...releases[i.repository], [to]: i.value };
    return [
      ...releasePolicyProblems(i.repository, to, after),
      ...downstream.flatMap((env) => releasePolicyProblems(i.repository, env, after).filter((x) => x.rule === 'release-lineage')),
    ];
  });
  const errors = problems.filter((x) => x.severity === 'error').map((x) => x.message);
  if (errors.length) throw new UserError(`promotion refused by the promotion policy (libs/environments):\n${errors.map((e) => `  - ${e}`).join('\n')}`, 1);
  const warnings = problems.filter((x) => x.severity === 'warning').map((x) => x.message);

  const result: PromoteResult = { platform: p.name, from, to, dryRun: !!req.dryRun, promoted, unchanged, warnings, written: [], diff: [] };
  if (!edits.length) {
    say(`promote ${p.name}: ${to} already runs what ${from} runs (${unchanged.length} image${unchanged.length === 1 ? '' : 's'})`);
    return result;
  }

  // The diff must show the promotion and nothing else: the base and the target's folders have to
  // be current first (another environment's, e.g. dev after a build bumped its tag, may lag).
  const roots = generatedRoots(p).filter((r) => r === `environments/base/${p.name}` || r === `environments/${to}/${p.name}`);
  const current = new Map([...generatePlatform(p)].filter(([f]) => roots.some((r) => f.startsWith(`${r}/`))));
  const drift = await writeTree(req.root, roots, current, { check: true });
  const stale = [...drift.written, ...drift.removed];
  if (stale.length) {
    throw new UserError(`the generated tree of ${p.name} is out of date (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', …' : ''}): run \`gitops generate ${p.name}\` and commit before promoting`, 1);
  }

  const oldText = readFileSync(join(req.root, releasesFile), 'utf8');
  const { text } = editReleases(oldText, releasesFile, edits);
  say(`promote ${p.name}: ${promoted.map((i) => `${i.repository} ${i.previous ?? '(none)'} -> ${i.value}`).join(', ')}`);
  const sandbox = await sandboxWithReleases(req.root, p, text);
  try {
    for (const o of overlayDirs(p, to)) {
      const d = await diffObjects(o.dir, await renderObjectsIfPresent(req.root, o.dir), await renderObjectsIfPresent(sandbox.root, o.dir));
      say(`render ${o.dir}: +${d.added.length} -${d.removed.length} ~${d.changed.length}`);
      if (!isEmptyDiff(d)) result.diff.push(d);
    }
    if (req.dryRun) return result;

    // releases.yaml first (atomic rename), then the generated tree; a failed tree write restores the file.
    const abs = join(req.root, releasesFile);
    writeFileSync(`${abs}.promote-tmp`, text);
    renameSync(`${abs}.promote-tmp`, abs);
    try {
      const w = await writeTree(req.root, generatedRoots(p), sandbox.tree);
      result.written = [releasesFile, ...w.written, ...w.removed];
    } catch (err) {
      writeFileSync(`${abs}.promote-tmp`, oldText);
      renameSync(`${abs}.promote-tmp`, abs);
      throw err;
    }
    return result;
  } finally {
    sandbox.dispose();
  }
}
