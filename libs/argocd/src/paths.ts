/**
 * Which folders does rendering an overlay read? Parsed from the kustomization files themselves
 * (resources, components, generators and every file-valued field), recursively, so the answer
 * follows the real Kustomize graph rather than a naming convention. Generation takes each
 * Application's `argocd.argoproj.io/manifest-generate-paths` from the emitter (a build's `reads`);
 * this walker is the independent check the tests hold the emitter to, and works on any
 * kustomization, hand-written ones included.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { KUSTOMIZATION_FILES, ksopsGeneratorFiles } from '@gitops/environments/layout';

/** Reads a repository-relative file; undefined when it does not exist. */
export type FileReader = (rel: string) => string | undefined;

/** Files of `tree` (repository-relative), falling back to the working tree under `root`. */
export function treeReader(root: string | undefined, ...trees: Array<Map<string, string>>): FileReader {
  return (rel) => {
    for (const t of trees) {
      const hit = t.get(rel);
      if (hit !== undefined) return hit;
    }
    if (!root) return undefined;
    const abs = join(root, rel);
    return existsSync(abs) && statSync(abs).isFile() ? readFileSync(abs, 'utf8') : undefined;
  };
}

function isRemote(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) || ref.startsWith('git@');
}

function kustomizationIn(dir: string, read: FileReader): { file: string; text: string } | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const file = dir ? `${dir}/${name}` : name;
    const text = read(file);
    if (text !== undefined) return { file, text };
  }
  return undefined;
}

function normalise(dir: string, ref: string, from: string): string {
  const p = posix.normalize(posix.join(dir, ref)).replace(/\/$/, '');
  if (p === '..' || p.startsWith('../') || posix.isAbsolute(p)) throw new Error(`${from}: "${ref}" points outside the repository`);
  return p === '.' ? '' : p;
}

const dirOf = (p: string): string => {
  const d = posix.dirname(p);
  return d === '.' ? '' : d;
};
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const strings = (v: unknown): string[] => asList(v).filter((x): x is string => typeof x === 'string');
/** `configMapGenerator.files` entries may be `key=path`. */
const filePart = (s: string): string => (s.includes('=') ? s.slice(s.indexOf('=') + 1) : s);

/**
 * Folders read when kustomize builds `overlay` (repository-relative, overlay first, then in the
 * order the graph is walked; no duplicates). Throws when a referenced file or folder is missing.
 */
export function renderedFolders(overlay: string, read: FileReader): string[] {
  const out: string[] = [];
  const add = (d: string) => {
    if (!out.includes(d)) out.push(d);
  };
  const visiting = new Set<string>();

  const visitDir = (dir: string, from: string) => {
    if (visiting.has(dir)) return;
    visiting.add(dir);
    const k = kustomizationIn(dir, read);
    if (!k) throw new Error(`${from}: no kustomization.yaml in ${dir || '.'}`);
    add(dir);
    let doc: Record<string, unknown>;
    try {
      doc = (parse(k.text) ?? {}) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`${k.file}: ${(err as Error).message}`);
    }

    /** A resources/components entry: a folder with a kustomization, else a file. */
    const ref = (entry: string) => {
      if (isRemote(entry)) return;
      const p = normalise(dir, entry, k.file);
      if (kustomizationIn(p, read)) visitDir(p, k.file);
      else if (read(p) !== undefined) add(dirOf(p));
      else throw new Error(`${k.file}: "${entry}" is neither a file nor a folder with a kustomization`);
    };
    /** A plain file the build reads (patch, generator input): its folder. */
    const file = (entry: string) => {
      if (isRemote(entry) || entry.includes('\n')) return; // inline patch
      const p = normalise(dir, filePart(entry), k.file);
      add(dirOf(p));
    };

    for (const r of [...strings(doc.resources), ...strings(doc.bases), ...strings(doc.components)]) ref(r);
    for (const kind of ['generators', 'transformers', 'validators'] as const) {
      for (const g of strings(doc[kind])) {
        if (isRemote(g) || g.includes('\n')) continue;
        const p = normalise(dir, g, k.file);
        if (kustomizationIn(p, read)) {
          visitDir(p, k.file);
          continue;
        }
        const text = read(p);
        if (text === undefined) throw new Error(`${k.file}: ${kind} entry "${g}" does not exist`);
        add(dirOf(p));
        // KRM function configs: a KSOPS generator lists the encrypted files it reads.
        const pdir = dirOf(p);
        for (const cfg of safeParseAll(text)) {
          for (const f of ksopsGeneratorFiles(cfg) ?? []) {
            if (!isRemote(f)) add(dirOf(normalise(pdir, filePart(f), p)));
          }
        }
      }
    }
    for (const p of asList(doc.patches)) {
      if (typeof p === 'string') file(p);
      else if (p && typeof p === 'object' && typeof (p as { path?: unknown }).path === 'string') file((p as { path: string }).path);
    }
    for (const p of strings(doc.patchesStrategicMerge)) file(p);
    for (const p of asList(doc.patchesJson6902)) if (p && typeof (p as { path?: unknown }).path === 'string') file((p as { path: string }).path);
    for (const r of asList(doc.replacements)) if (r && typeof (r as { path?: unknown }).path === 'string') file((r as { path: string }).path);
    for (const f of [...strings(doc.configurations), ...strings(doc.crds)]) file(f);
    const openapi = doc.openapi as { path?: unknown } | undefined;
    if (openapi && typeof openapi.path === 'string') file(openapi.path);
    for (const g of [...asList(doc.configMapGenerator), ...asList(doc.secretGenerator)]) {
      const gen = g as { files?: unknown; envs?: unknown; env?: unknown };
      for (const f of [...strings(gen?.files), ...strings(gen?.envs), ...strings(gen?.env)]) file(f);
    }
  };

  visitDir(overlay.replace(/\/$/, ''), overlay);
  return out;
}

function safeParseAll(text: string): unknown[] {
  return parseAllDocuments(text)
    .filter((d) => !d.errors.length)
    .map((d) => d.toJS() as unknown)
    .filter((d) => d && typeof d === 'object');
}

/** The annotation value: absolute-from-repository-root folders, `;`-separated. */
export function manifestGeneratePaths(overlay: string, read: FileReader): string {
  return renderedFolders(overlay, read)
    .map((d) => `/${d}`)
    .join(';');
}
