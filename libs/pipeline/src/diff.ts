/**
 * Rendered diff: what `kustomize build` of an overlay yields before and after a change, object by
 * object. `gitops diff` compares a git ref with the working tree; `gitops promote` compares the
 * tree before and after a promotion; `gitops report --base` lists what changed. One implementation.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { LABELS, objectId, UserError, type KubeObject } from '@gitops/core';
import { envNames, KUSTOMIZATION_FILE, KUSTOMIZATION_FILES, platformEnvDir, SECRETS_DIR } from '@gitops/environments';
import { kustomizeBuild, parseYamlDocuments, toYaml } from '@gitops/kustomize';
import { loadPlatforms, platformNames } from './platforms';
import { overlayDirs } from './generate';
import { formatSecretChange, secretChanges, type SecretChange } from './secret-diff';

export { formatSecretChange, secretChanges, type SecretChange } from './secret-diff';

export interface OverlayDiff {
  overlay: string;
  added: string[];
  removed: string[];
  changed: Array<{ id: string; diff: string }>;
  /** Its SOPS files that changed (key names only; kustomize's output never holds the Secrets). */
  secrets: SecretChange[];
  /** What the change would destroy beyond its own objects (a Namespace removed); absent when nothing. */
  warnings?: string[];
}

/**
 * A Namespace the overlay no longer renders: Argo CD's prune deletes it, and Kubernetes deletes
 * everything in it, whoever deployed that (e.g. a cluster add-on in a namespace a platform claimed).
 * Generated Namespaces carry `Prune=false` (libs/core `namespaceObject`), but one committed before
 * that, or written by hand, does not, so the diff says it loudly either way.
 */
function namespaceRemovalWarning(id: string): string {
  const name = id.slice('Namespace/'.length);
  return `Namespace ${name} is removed: if Argo CD prunes it, Kubernetes deletes everything in namespace ${name}, not only this overlay's objects. Keep it (annotate it argocd.argoproj.io/sync-options: Prune=false and sync before merging), or detach it first; delete it by hand only once it is empty.`;
}

/** Rendered objects of an overlay by id; an overlay that does not exist (yet) renders nothing. */
export async function renderObjectsIfPresent(root: string, dir: string): Promise<Map<string, KubeObject>> {
  if (!existsSync(join(root, dir, KUSTOMIZATION_FILE))) return new Map();
  const objects = await kustomizeBuild(join(root, dir));
  return new Map(objects.map((o) => [objectId(o), o]));
}

/**
 * The committed Argo CD tree (ArgoCdStep.root; pipeline never imports libs/argocd). The app-of-apps
 * applies it, so a sync policy or a new Application changes the cluster as much as an overlay does.
 */
export const ARGOCD_DIR = 'argocd';

/**
 * Objects of the YAML files under argocd/ by id, read as written (no kustomize: the bootstrap folders
 * are applied with `-k`, the rest by the root Applications, each file whole). argocd/install is left
 * out, as by libs/argocd's `committedArgoCdObjects`: upstream manifests, not generated.
 */
export function argoCdObjects(root: string): Map<string, KubeObject> {
  const out = new Map<string, KubeObject>();
  const walk = (rel: string) => {
    if (!existsSync(join(root, rel))) return;
    for (const e of readdirSync(join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (file !== `${ARGOCD_DIR}/install`) walk(file);
      } else if (/\.ya?ml$/.test(e.name) && !KUSTOMIZATION_FILES.includes(e.name)) {
        for (const d of parseYamlDocuments(readFileSync(join(root, file), 'utf8'), file) as KubeObject[]) if (d?.apiVersion && d.kind) out.set(objectId(d), d);
      }
    }
  };
  walk(ARGOCD_DIR);
  return out;
}

/** Unified diff of two texts (git's diff engine, no repository needed). */
export async function textDiff(a: string, b: string, label: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-diff-'));
  try {
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', label), a);
    writeFileSync(join(dir, 'b', label), b);
    const res = await execa('git', ['diff', '--no-index', '--no-color', '-U3', 'a', 'b'], { cwd: dir, reject: false });
    return String(res.stdout).split('\n').slice(4).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Objects added, removed and changed (with a YAML diff) between two renders of one overlay. */
export async function diffObjects(overlay: string, before: Map<string, KubeObject>, after: Map<string, KubeObject>): Promise<OverlayDiff> {
  const d: OverlayDiff = { overlay, added: [], removed: [], changed: [], secrets: [] };
  for (const [id, obj] of after) {
    const old = before.get(id);
    if (!old) d.added.push(id);
    else if (toYaml(old) !== toYaml(obj)) d.changed.push({ id, diff: await textDiff(toYaml(old), toYaml(obj), id.replace(/\//g, '_') + '.yaml') });
  }
  for (const id of before.keys()) if (!after.has(id)) d.removed.push(id);
  const gone = d.removed.filter((id) => id.startsWith('Namespace/')).map(namespaceRemovalWarning);
  if (gone.length) d.warnings = gone;
  return d;
}

/**
 * `<file>: <problem>` for every SOPS file whose new version is not sound (plaintext value, not SOPS,
 * not YAML): `gitops diff` and `report --base` print the diff, then fail (exit 1) with these, as
 * `gitops secrets check` does.
 */
export const secretFileProblems = (diffs: OverlayDiff[]): string[] => diffs.flatMap((d) => d.secrets.filter((c) => c.problems.length).map((c) => `${c.file}: ${c.problems.join('; ')}`));

/** The error a diff with unsound SOPS files ends with (exit 1), naming each file and key, never a value. */
export function secretProblemsError(problems: string[]): UserError {
  return new UserError(`${problems.length} SOPS file${problems.length === 1 ? ' is' : 's are'} not sound (gitops secrets check fails too):\n${problems.map((p) => `  ${p}`).join('\n')}`, 1);
}

export const isEmptyDiff = (d: OverlayDiff): boolean => !d.added.length && !d.removed.length && !d.changed.length && !d.secrets.length;

/**
 * Overlay folders of a platform generated in the tree at `root`, in environment order: the platform's
 * folder itself (a single-app platform) or each app folder below it that holds a kustomization.
 */
export function overlaysOnDisk(root: string, platform: string): string[] {
  const out: string[] = [];
  for (const env of envNames) {
    const dir = platformEnvDir(env, platform);
    if (existsSync(join(root, dir, KUSTOMIZATION_FILE))) out.push(dir);
    else if (existsSync(join(root, dir))) {
      for (const e of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        if (e.isDirectory() && e.name !== SECRETS_DIR && existsSync(join(root, dir, e.name, KUSTOMIZATION_FILE))) out.push(`${dir}/${e.name}`);
      }
    }
  }
  return out;
}

/**
 * The overlays to compare for one platform: those its current spec defines (in spec order), then any
 * other overlay generated in either tree, so an app, environment or platform the change removed is
 * listed with its objects as removed.
 */
function overlaysToCompare(root: string, worktree: string, platform: string, fromSpec: string[]): string[] {
  return [...new Set([...fromSpec, ...overlaysOnDisk(root, platform), ...overlaysOnDisk(worktree, platform)])];
}

/** The last line git wrote to stderr (its `fatal: …`), without the command line execa prepends. */
const gitReason = (e: unknown): string =>
  String((e as { stderr?: unknown }).stderr ?? '').trim().split('\n').pop() || (e as Error).message.split('\n')[0];

/**
 * `base` must name a commit before a worktree is made of it: the default `origin/main` does not
 * exist in a clone without that remote, and git's "invalid reference" did not say which flag to fix.
 * `rev-parse --verify --quiet` exits 1 only for a missing ref (128 outside a repository, left to
 * the checkout's own message).
 */
async function checkBaseRef(root: string, base: string): Promise<void> {
  const res = await execa('git', ['rev-parse', '--verify', '--quiet', `${base}^{commit}`], { cwd: root, reject: false });
  if (res.exitCode !== 1) return;
  throw new UserError(`--base ${base}: no such git ref${await missingRemoteHint(root, base)}; pass --base <ref>`, 2);
}

/** ` (no remote "origin"?)` when the ref reads as `<remote>/<branch>` and this clone has no such remote. */
async function missingRemoteHint(root: string, base: string): Promise<string> {
  const slash = base.indexOf('/');
  if (slash <= 0) return '';
  const remote = base.slice(0, slash);
  const remotes = String((await execa('git', ['remote'], { cwd: root, reject: false })).stdout).split('\n');
  return remotes.includes(remote) ? '' : ` (no remote "${remote}"?)`;
}

/**
 * Rendered objects of every overlay at `base` (a git ref) against the working tree at `root`, for
 * the named platforms (default: every platform of either tree). Overlays the change removed are
 * listed too, with every object removed.
 */
export async function renderedDiff(root: string, base: string, names: string[], onProgress: (msg: string) => void = () => {}): Promise<OverlayDiff[]> {
  await checkBaseRef(root, base);
  const worktree = mkdtempSync(join(tmpdir(), 'gitops-base-'));
  await execa('git', ['worktree', 'add', '--detach', worktree, base], { cwd: root }).catch((e) => {
    rmSync(worktree, { recursive: true, force: true });
    // git's own words only: the command line would show a temporary path the user never chose.
    throw new UserError(`cannot check out ${base}: ${gitReason(e)}`, 2);
  });
  try {
    // Platform specs import the workspace packages; the base checkout borrows this one's install.
    if (!existsSync(join(worktree, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(worktree, 'node_modules'));
    const here = platformNames(root);
    const known = [...new Set([...here, ...platformNames(worktree)])].sort();
    const unknown = names.filter((n) => !known.includes(n));
    if (unknown.length) throw new UserError(`unknown platform "${unknown[0]}" (known here or at ${base}: ${known.join(', ') || 'none'})`, 2);
    const wanted = names.length ? names : known;
    // The current specs, loaded together (one compile); a platform only at the base has none.
    const present = wanted.filter((n) => here.includes(n));
    const current = present.length ? await loadPlatforms(root, present) : [];
    const out: OverlayDiff[] = [];
    for (const platform of wanted) {
      const p = current.find((x) => x.name === platform);
      for (const dir of overlaysToCompare(root, worktree, platform, p ? overlayDirs(p).map((o) => o.dir) : [])) {
        const d = await diffObjects(dir, await renderObjectsIfPresent(worktree, dir), await renderObjectsIfPresent(root, dir));
        d.secrets = secretChanges(worktree, root, dir);
        if (!isEmptyDiff(d)) out.push(d);
        onProgress(`diff ${dir}: +${d.added.length} -${d.removed.length} ~${d.changed.length}${d.secrets.length ? `, ${d.secrets.length} secret file${d.secrets.length === 1 ? '' : 's'}` : ''}`);
      }
    }
    // argocd/: all of it, or with platforms named their objects only (libs/argocd labels each
    // Application and AppProject part-of its platform; the bootstrap objects belong to none).
    const ofNamed = (objects: Map<string, KubeObject>) =>
      names.length ? new Map([...objects].filter(([, o]) => names.includes(o.metadata?.labels?.[LABELS.partOf] ?? ''))) : objects;
    const d = await diffObjects(ARGOCD_DIR, ofNamed(argoCdObjects(worktree)), ofNamed(argoCdObjects(root)));
    if (!isEmptyDiff(d)) out.push(d);
    onProgress(`diff ${ARGOCD_DIR}: +${d.added.length} -${d.removed.length} ~${d.changed.length}`);
    return out;
  } finally {
    await execa('git', ['worktree', 'remove', '--force', worktree], { cwd: root, reject: false });
    rmSync(worktree, { recursive: true, force: true });
  }
}

/** Markdown: one section per overlay (and `argocd/`, written as the folder it is), a fenced diff per changed object. */
export function formatDiff(diffs: OverlayDiff[], against: string): string {
  if (!diffs.length) return `No rendered changes against \`${against}\`.\n`;
  const lines = [`## Rendered changes against \`${against}\``, ''];
  const unsound = secretFileProblems(diffs).length;
  if (unsound) lines.push(`**ERROR: ${unsound} SOPS file${unsound === 1 ? ' is' : 's are'} not sound (plaintext value, not SOPS, or not YAML): do not merge; see below.**`, '');
  const warned = diffs.filter((d) => d.warnings?.length).map((d) => d.overlay);
  if (warned.length) lines.push(`**WARNING: a Namespace is removed in ${warned.map((o) => `\`${o}\``).join(', ')}: pruning it deletes everything in it; see below.**`, '');
  for (const d of diffs) {
    lines.push(`### ${d.overlay === ARGOCD_DIR ? `${ARGOCD_DIR}/` : d.overlay}`, '');
    d.warnings?.forEach((w) => lines.push(`> **WARNING:** ${w}`, ''));
    d.added.forEach((id) => lines.push(`- added \`${id}\``));
    d.removed.forEach((id) => lines.push(`- removed \`${id}\``));
    d.secrets.forEach((c) => lines.push(formatSecretChange(c)));
    for (const c of d.changed) lines.push(`- changed \`${c.id}\``, '', '```diff', c.diff.trimEnd(), '```', '');
    lines.push('');
  }
  return lines.join('\n');
}
