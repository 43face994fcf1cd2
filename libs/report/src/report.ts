/** `gitops report`: compile every platform, build the models, write the static site. */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '@gitops/core';
import { folderErrorExitCode, makeDirs, MakeDirError } from '@gitops/core/fs';
import { envNames } from '@gitops/environments';
import { ARGOCD_DIR, compileAll, loadPlatforms, overlayDirs, renderedDiff, type OverlayDiff } from '@gitops/pipeline';
import { buildPlatformModel, type PlatformModel } from './model';
import { indexPage, platformPage } from './html';

export interface ReportRequest {
  root: string;
  platforms?: string[];
  /** Git ref: add what changed in the rendered overlays since then. */
  base?: string;
  onProgress?: (msg: string) => void;
}

export interface Report {
  models: PlatformModel[];
  /** File name -> HTML. */
  files: Map<string, string>;
  /** Changes of the committed argocd/ tree against --base (with platforms named, their Applications and AppProjects only). */
  argoCd?: OverlayDiff;
}

/** The argocd/ entry of the diff, empty when it did not change; undefined when it was not compared. */
function argoCdChanges(diffs: OverlayDiff[] | undefined): OverlayDiff | undefined {
  if (!diffs) return undefined;
  return diffs.find((d) => d.overlay === ARGOCD_DIR) ?? { overlay: ARGOCD_DIR, added: [], removed: [], changed: [], secrets: [] };
}

export async function buildReport(req: ReportRequest): Promise<Report> {
  const say = req.onProgress ?? (() => {});
  const platforms = await loadPlatforms(req.root, req.platforms);
  const diffs: OverlayDiff[] | undefined = req.base ? await renderedDiff(req.root, req.base, req.platforms ?? [], say) : undefined;
  const models = platforms.map((p) => {
    const compiled = compileAll(p);
    const changes = diffs && new Map(overlayDirs(p).flatMap((o) => diffs.filter((d) => d.overlay === o.dir).map((d) => [`${o.app}/${o.env}`, d] as const)));
    const dependsOn = new Map(p.spec.apps.map((a) => [a.name, new Map(a.components.map((c) => [c.name, c.dependsOn ?? []]))]));
    const model = buildPlatformModel({ name: p.name, compiled, dependsOn, envs: envNames, changes });
    say(`report ${p.name}: ${model.apps.reduce((n, a) => n + a.rows.length, 0)} components`);
    return model;
  });
  const argoCd = argoCdChanges(diffs);
  const meta = { base: req.base };
  const files = new Map<string, string>([['index.html', indexPage(models, [...envNames], { ...meta, argoCd })]]);
  for (const m of models) files.set(`${m.name}.html`, platformPage(m, meta));
  return { models, files, ...(argoCd ? { argoCd } : {}) };
}

/**
 * Writes the site to `out` whole or not at all: the pages go to a sibling folder first, which
 * then replaces `out`. A folder that is not a previous report is never replaced.
 */
/** Marks a folder as a report, so only such folders (or empty ones) are ever replaced. */
const REPORT_MARKER = '.gitops-report';

/** Refuses (exit 2) an `--out` that names a file or a folder that is not a report: checked before the work, and again when writing. */
export function checkReportOut(out: string): void {
  const target = resolve(out);
  if (existsSync(target) && !statSync(target).isDirectory()) {
    throw new UserError(`--out ${out}: a file of that name exists; the report is a folder: choose another path`, 2);
  }
  if (existsSync(target) && !existsSync(join(target, REPORT_MARKER)) && readdirSync(target).length > 0) {
    throw new UserError(`--out ${out}: the folder exists and is not a gitops report (no ${REPORT_MARKER}); choose another or remove it`, 2);
  }
  let above = dirname(target);
  while (!existsSync(above) && dirname(above) !== above) above = dirname(above);
  if (!statSync(above).isDirectory()) throw new UserError(`--out ${out}: ${above} is a file, not a folder`, 2);
}

export function writeReport(out: string, files: Map<string, string>): string[] {
  const target = resolve(out);
  checkReportOut(out);
  const staging = join(dirname(target), `.${basename(target)}.report-tmp-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    // Never mkdirSync({ recursive: true }): it loops forever where mkdir answers ENOENT (/proc).
    makeDirs(dirname(target));
    mkdirSync(staging);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = err instanceof MakeDirError ? err.message : `cannot create a folder in ${dirname(target)} (${code ?? err})`;
    // A file in the way is bad input (2); any other refusal of the filesystem a failure (1), as for keygen -o.
    throw new UserError(`--out ${out}: ${why}`, err instanceof MakeDirError ? err.exitCode : folderErrorExitCode(code));
  }
  try {
    for (const [name, html] of files) writeFileSync(join(staging, name), html);
    writeFileSync(join(staging, REPORT_MARKER), 'written by gitops report; the next gitops report --out here replaces this folder\n');
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  return [...files.keys()].map((f) => join(target, f));
}

