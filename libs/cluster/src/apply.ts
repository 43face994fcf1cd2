/**
 * `gitops apply`: what Argo CD would apply for one environment, in its order: the vendored CRDs,
 * then every Namespace, then each overlay rendered like the repo-server renders it (render.ts),
 * by server-side apply with field manager `gitops`. The report lists per overlay the objects
 * applied, every rejection with the API server's message and every warning; Pod Security warnings
 * are attributed to their object and matched against `gitops.io/suppress` (pod-security.ts). In a
 * server dry run, an object refused only because it needs a Namespace or CRD this same apply creates
 * is reported as not checked, not as a rejection (dry-run.ts).
 */
import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { KubeObject } from '@gitops/core';
import { loadPlatforms, overlayDirs } from '@gitops/pipeline';
import { crdsUsedBy, vendoredCrds } from './crds';
import { prerequisiteName, uncheckedIn, type ApplySet, type UncheckedObject } from './dry-run';
import { kubectlName } from './api';
import { serverSideApply, waitEstablished, withApiSession, type ApplyOutcome, type KubectlTarget, type ObjectOutcome } from './kubectl';
import { isPodSecurityWarning, suppressionFor } from './pod-security';
import { firstLine, renderForApply, renderTools, RepoServerRenderError, secretsBy, type RenderTools, type SecretsBy } from './render';

export interface ApplyWarning {
  message: string;
  podSecurity: boolean;
  /** `Kind/name` of the object the warning is about (Pod Security warnings only). */
  object?: string;
  /** The documented suppression covering every violated check, when there is one. */
  suppressed?: string;
}

export interface OverlayReport {
  platform: string;
  app: string;
  env: string;
  dir: string;
  namespace?: string;
  /** The namespace's pod-security.kubernetes.io/enforce level. */
  enforce?: string;
  objects: number;
  applied: string[];
  secrets: number;
  rejections: string[];
  /**
   * Why the overlay did not render (sops, kustomize, its YAML), one line: nothing of it reached the
   * API server, so it has no objects and no rejections. Absent when it rendered.
   */
  renderError?: string;
  /**
   * Server dry run only: objects the server could not check because they need a Namespace or CRD
   * this apply creates (a dry run stores nothing). Not rejections: they do not fail the apply.
   */
  unchecked: UncheckedObject[];
  warnings: ApplyWarning[];
}

export interface ApplyReport {
  env: string;
  kubeconfig: string;
  dryRun: boolean;
  /** Which real component decrypted the Secrets: KSOPS run by kustomize, or the sops CLI. */
  secretsBy: SecretsBy;
  crds: { applied: number; rejections: string[] };
  namespaces: { applied: string[]; rejections: string[] };
  overlays: OverlayReport[];
  totals: {
    applied: number;
    rejections: number;
    /** Overlays that did not render (`renderError`): not rejections, nothing of them was sent. */
    renderFailures: number;
    unchecked: number;
    warnings: number;
    podSecurityWarnings: number;
    unsuppressedPodSecurityWarnings: number;
  };
}

export interface ApplyOptions {
  root: string;
  env: string;
  platforms?: string[];
  kubeconfig: string;
  kubectl: string;
  dryRun?: boolean;
  /** Skip the CRDs (a cluster that has them from elsewhere). */
  crds?: boolean;
  tools?: RenderTools;
  onProgress?: (msg: string) => void;
  processEnv?: NodeJS.ProcessEnv;
}

const ref = (o: KubeObject) => `${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

async function pool<T, R>(items: T[], width: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/** Why an overlay did not render, on one line, the failing file named relative to the overlay. */
function renderFailure(e: unknown, overlayAbs: string): string {
  if (!(e instanceof RepoServerRenderError)) return firstLine((e as Error).message);
  if (e.dir === overlayAbs) return e.reason;
  return `${e.dir.startsWith(`${overlayAbs}${sep}`) ? relative(overlayAbs, e.dir) : e.dir}: ${e.reason}`;
}

/** The outcome's warnings, each Pod Security one with its object and the suppression covering it. */
function overlayWarnings(outcome: ApplyOutcome): ApplyWarning[] {
  return outcome.objects.flatMap(({ object, warnings }) =>
    warnings.map((message) => (isPodSecurityWarning(message) ? { message, podSecurity: true, object: ref(object), suppressed: suppressionFor(object, message) } : { message, podSecurity: false })),
  );
}

export async function applyEnvironment(opts: ApplyOptions): Promise<ApplyReport> {
  // One `kubectl proxy` for the whole environment.
  return withApiSession({ kubectl: opts.kubectl, kubeconfig: opts.kubeconfig, dryRun: opts.dryRun }, (t) => applyWith(t, opts));
}

async function applyWith(t: KubectlTarget, opts: ApplyOptions): Promise<ApplyReport> {
  const say = opts.onProgress ?? (() => {});
  const env = opts.processEnv ?? process.env;
  const tools = opts.tools ?? renderTools(opts.root, env);
  const report: ApplyReport = {
    env: opts.env,
    kubeconfig: opts.kubeconfig,
    dryRun: !!opts.dryRun,
    secretsBy: secretsBy(tools),
    crds: { applied: 0, rejections: [] },
    namespaces: { applied: [], rejections: [] },
    overlays: [],
    totals: { applied: 0, rejections: 0, renderFailures: 0, unchecked: 0, warnings: 0, podSecurityWarnings: 0, unsuppressedPodSecurityWarnings: 0 },
  };
  say(`apply: Secrets are decrypted by ${report.secretsBy === 'ksops' ? `KSOPS (${tools.ksops!.path}) run by kustomize` : `the sops CLI (${tools.sops!.path}); KSOPS was not found (${'KSOPS_BIN'}, PATH, .tools/bin)`}`);

  const platforms = await loadPlatforms(opts.root, opts.platforms?.length ? opts.platforms : undefined);
  const overlays = platforms.flatMap((p) => overlayDirs(p, opts.env).map((o) => ({ platform: p.name, ...o })));
  say(`apply: rendering ${overlays.length} overlays of ${opts.env}`);
  const rendered = await pool(overlays, Math.max(2, availableParallelism()), async (o) => {
    const abs = join(opts.root, o.dir);
    try {
      return { o, objects: await renderForApply(abs, tools, env) };
    } catch (e) {
      say(`apply: ${o.dir}: not rendered`);
      return { o, objects: [] as KubeObject[], error: renderFailure(e, abs) };
    }
  });
  // Only the vendored CRDs this apply's objects use (crdsUsedBy says why).
  const crds = opts.crds !== false ? crdsUsedBy(vendoredCrds(opts.root), rendered.flatMap((r) => r.objects)) : [];
  let crdsApplied: string[] = [];
  if (crds.length) {
    say(`apply: ${crds.length} CRDs from third_party/ (the kinds these overlays use)`);
    const r = await serverSideApply(t, crds);
    crdsApplied = r.applied;
    report.crds = { applied: r.applied.length, rejections: r.errors };
    await waitEstablished(t, crds.filter((c) => r.applied.some((a) => a.endsWith(`/${c.metadata?.name}`))).map((c) => c.metadata!.name!));
  }

  const namespaces = new Map<string, KubeObject>();
  for (const r of rendered) for (const o of r.objects) if (o.kind === 'Namespace' && o.metadata?.name) namespaces.set(o.metadata.name, o);
  if (namespaces.size) {
    say(`apply: ${namespaces.size} namespaces`);
    const r = await serverSideApply(t, [...namespaces.values()]);
    report.namespaces = { applied: r.applied, rejections: r.errors };
  }
  const accepted = new Set([...report.namespaces.applied, ...crdsApplied]);
  const outcomes = new Map<OverlayReport, ObjectOutcome[]>();

  const overlayReports = await pool(rendered, 2, async ({ o, objects, error }) => {
    const ns = objects.find((x) => x.kind === 'Namespace');
    const base: OverlayReport = {
      platform: o.platform,
      app: o.app,
      env: o.env,
      dir: o.dir,
      namespace: ns?.metadata?.name,
      enforce: ns?.metadata?.labels?.['pod-security.kubernetes.io/enforce'],
      objects: objects.length,
      applied: [],
      secrets: objects.filter((x) => x.kind === 'Secret').length,
      rejections: [],
      ...(error ? { renderError: error } : {}),
      unchecked: [],
      warnings: [],
    };
    if (error) return base;
    // The overlay's Namespace went in with the namespaces step: reported there (a rejection counted once).
    const nsLines = ns ? report.namespaces.applied.filter((line) => line.split(' ')[0] === `namespace/${ns.metadata?.name}`) : [];
    const r = await serverSideApply(t, objects.filter((x) => x.kind !== 'Namespace'));
    base.applied = [...nsLines, ...r.applied];
    outcomes.set(base, r.objects);
    base.warnings = overlayWarnings(r);
    // Progress as each overlay goes in; a dry run's rejected/unchecked split follows below.
    say(`apply: ${o.dir}: ${base.applied.length}/${objects.length} applied, ${r.objects.filter((x) => x.error).length} refused, ${r.warnings.length} warnings`);
    return base;
  });

  // What this apply creates, so what its own dry run may lack: the Namespaces and CRDs (vendored, or
  // held by an overlay) the server accepted. A refused one is a rejection of its own, and so is every
  // object needing it. Known only once every overlay went in: one overlay may hold another's CRD.
  const applySet: ApplySet = {
    namespaces: new Set([...namespaces.values()].filter((n) => accepted.has(kubectlName(n))).map((n) => n.metadata!.name!)),
    crds: [
      ...crds.filter((c) => accepted.has(kubectlName(c))),
      ...[...outcomes.values()].flat().filter((x) => x.object.kind === 'CustomResourceDefinition' && !x.error).map((x) => x.object),
    ],
  };
  for (const base of overlayReports) {
    for (const x of outcomes.get(base) ?? []) {
      const needs = opts.dryRun ? uncheckedIn(x, applySet) : undefined;
      if (needs) base.unchecked.push({ object: kubectlName(x.object), needs });
      else if (x.error) base.rejections.push(x.error);
    }
    if (base.unchecked.length) say(`apply: ${base.dir}: ${base.rejections.length} rejected, ${base.unchecked.length} not checked (dry run: they need a Namespace/CRD this apply creates)`);
  }
  report.overlays = overlayReports;

  const all = report.overlays;
  report.totals = {
    applied: all.reduce((n, x) => n + x.applied.length, 0),
    rejections: report.crds.rejections.length + report.namespaces.rejections.length + all.reduce((n, x) => n + x.rejections.length, 0),
    renderFailures: all.filter((x) => x.renderError !== undefined).length,
    unchecked: all.reduce((n, x) => n + x.unchecked.length, 0),
    warnings: all.reduce((n, x) => n + x.warnings.length, 0),
    podSecurityWarnings: all.reduce((n, x) => n + x.warnings.filter((w) => w.podSecurity).length, 0),
    unsuppressedPodSecurityWarnings: all.reduce((n, x) => n + x.warnings.filter((w) => w.podSecurity && !w.suppressed).length, 0),
  };
  return report;
}

/** How often each value occurs, in first-seen order. */
function countBy(values: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/** Human summary, one block per overlay (stdout of `gitops apply` without --json). */
export function formatApplyReport(r: ApplyReport): string {
  const lines: string[] = [];
  const mode = r.dryRun ? ' (server dry-run)' : '';
  lines.push(`${r.env}${mode}: CRDs ${r.crds.applied} applied; namespaces ${r.namespaces.applied.length} applied; Secrets decrypted by ${r.secretsBy}`);
  for (const e of [...r.crds.rejections, ...r.namespaces.rejections]) lines.push(`  REJECTED ${e}`);
  for (const o of r.overlays) {
    if (o.renderError !== undefined) {
      lines.push(`NOT RENDERED ${o.dir}: ${o.renderError}`);
      continue;
    }
    const status = o.rejections.length ? 'REJECTED' : o.unchecked.length ? 'partial' : 'ok';
    const unchecked = o.unchecked.length ? `, ${o.unchecked.length} not checked` : '';
    lines.push(`${status.padEnd(8)} ${o.dir}: ${o.applied.length}/${o.objects} objects applied${unchecked} (${o.secrets} Secrets)${o.enforce ? `, namespace ${o.namespace} enforces ${o.enforce}` : ''}`);
    for (const e of o.rejections) lines.push(`  rejected: ${e.replace(/\n/g, '\n    ')}`);
    for (const [needs, n] of countBy(o.unchecked.map((u) => prerequisiteName(u.needs)))) {
      lines.push(`  not checked: ${n} object${n === 1 ? '' : 's'} need${n === 1 ? 's' : ''} ${needs} created by this apply (a dry run stores nothing)`);
    }
    for (const w of o.warnings) lines.push(`  warning${w.object ? ` (${w.object})` : ''}: ${w.message}${w.suppressed ? ` [suppressed: ${w.suppressed}]` : ''}`);
  }
  const x = r.totals;
  const unchecked = x.unchecked ? `${x.unchecked} not checked (they need a Namespace or CRD this apply creates), ` : '';
  const notRendered = x.renderFailures ? `${x.renderFailures} overlay${x.renderFailures === 1 ? '' : 's'} not rendered, ` : '';
  lines.push(`total: ${x.applied} objects applied, ${x.rejections} rejections, ${notRendered}${unchecked}${x.warnings} warnings (${x.podSecurityWarnings} Pod Security, ${x.unsuppressedPodSecurityWarnings} not suppressed)`);
  return `${lines.join('\n')}\n`;
}
