/**
 * Finds plaintext secrets in a directory tree before they get committed:
 *  - Kubernetes `kind: Secret` manifests whose data/stringData values are not ENC[...]
 *  - kustomization `secretGenerator` entries with `literals`
 *  - age private keys (AGE-SECRET-KEY-1...) outside test/fixture/example folders
 * Findings carry file, line and key names only, never the secret values.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { LineCounter, parseAllDocuments, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { isEncryptedValue } from './cipher';

export type LeakKind = 'k8s-secret-plaintext' | 'kustomize-secret-literal' | 'age-private-key';

export interface Finding {
  /** Path relative to the scanned root, with `/` separators. */
  file: string;
  /** 1-based line. */
  line: number;
  kind: LeakKind;
  /** What leaks, by key name (never the value). */
  detail: string;
}

export interface ScanOptions {
  /** Directory names never entered (default: node_modules, .git, .nx). */
  skipDirs?: string[];
  /** Files larger than this are skipped (default 5 MiB). */
  maxFileSize?: number;
}

const DEFAULT_SKIP = ['node_modules', '.git', '.nx'];
// Bech32 body of an age identity; the PQ variant is longer.
const AGE_KEY_RE = /AGE-SECRET-KEY-(?:PQ-)?1[02-9AC-HJ-NP-Z]{20,}/g;
// A whole path segment naming a test location (test/, tests/, test-keys/, fixtures/, examples/…),
// not any folder that merely contains the letters ("latest-api", "contest").
const TEST_DIR_RE = /(^|[\\/])(tests?|test-keys|__tests__|fixtures?|examples?)([\\/]|$)/i;
const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

function* walk(dir: string, skip: Set<string>): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!skip.has(e.name)) yield* walk(p, skip);
    } else if (e.isFile()) {
      yield p;
    }
  }
}

function lineAt(lc: LineCounter, n: Node | null | undefined, fallback = 1): number {
  return n?.range ? lc.linePos(n.range[0]).line : fallback;
}

function scalarText(n: unknown): string | undefined {
  return isScalar(n) ? (n.value === null || n.value === undefined ? '' : String(n.value)) : undefined;
}

function mapGet(m: unknown, key: string): { key: Node; value: Node | null } | undefined {
  if (!isMap(m)) return undefined;
  for (const p of m.items) if (isPair(p) && scalarText(p.key) === key) return { key: p.key as Node, value: p.value as Node | null };
  return undefined;
}

function scanK8sSecret(doc: unknown, lc: LineCounter, file: string, out: Finding[]) {
  if (scalarText(mapGet(doc, 'kind')?.value) !== 'Secret') return;
  const name = scalarText(mapGet(mapGet(doc, 'metadata')?.value, 'name')?.value) ?? '(unnamed)';
  for (const section of ['data', 'stringData']) {
    const s = mapGet(doc, section)?.value;
    if (!isMap(s)) continue;
    for (const p of s.items) {
      if (!isPair(p)) continue;
      const text = scalarText(p.value);
      // Non-scalars are not valid Secret data; they are usually Helm `{{ }}` templates parsed as flow maps.
      if (text === undefined || text === '' || isEncryptedValue(text) || /^\{\{.*\}\}$/s.test(text.trim())) continue;
      out.push({
        file,
        line: lineAt(lc, p.key as Node),
        kind: 'k8s-secret-plaintext',
        detail: `Secret ${name}: ${section}.${scalarText(p.key)} is plaintext (not ENC[...])`,
      });
    }
  }
}

function scanKustomization(doc: unknown, lc: LineCounter, file: string, out: Finding[]) {
  const gens = mapGet(doc, 'secretGenerator')?.value;
  if (!isSeq(gens)) return;
  for (const g of gens.items) {
    const name = scalarText(mapGet(g, 'name')?.value) ?? '(unnamed)';
    const lits = mapGet(g, 'literals')?.value;
    if (!isSeq(lits)) continue;
    for (const l of lits.items) {
      const text = scalarText(l) ?? '';
      const key = text.includes('=') ? text.slice(0, text.indexOf('=')) : '(literal)';
      out.push({ file, line: lineAt(lc, l as Node), kind: 'kustomize-secret-literal', detail: `secretGenerator ${name}: literal ${key}` });
    }
  }
}

function scanYaml(text: string, file: string, out: Finding[]) {
  const lc = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  } catch {
    return;
  }
  if (!Array.isArray(docs)) return;
  for (const d of docs) {
    if (d.errors.length) continue; // templates and broken YAML: only the key scan applies
    scanK8sSecret(d.contents, lc, file, out);
    if (KUSTOMIZATION_NAMES.has(basename(file))) scanKustomization(d.contents, lc, file, out);
  }
}

/**
 * Findings for one file's content. `file` is its path relative to the scanned root with `/`
 * separators: folder names decide whether age keys are expected there (test/fixture/example).
 * Used by `scanTree` and for content that is not on disk (e.g. the git index).
 */
export function scanContent(file: string, content: Buffer | string): Finding[] {
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  if (buf.includes(0)) return []; // binary
  const text = buf.toString('utf8');
  const out: Finding[] = [];
  const dirs = file.split('/').slice(0, -1);
  if (!dirs.some((d) => TEST_DIR_RE.test(d))) {
    const lines = text.split('\n');
    lines.forEach((l, i) => {
      AGE_KEY_RE.lastIndex = 0;
      if (AGE_KEY_RE.test(l)) out.push({ file, line: i + 1, kind: 'age-private-key', detail: 'age private key (AGE-SECRET-KEY-1...)' });
    });
  }
  if (/\.ya?ml$/.test(file) || KUSTOMIZATION_NAMES.has(basename(file))) scanYaml(text, file, out);
  return out;
}

const byPosition = (a: Finding, b: Finding) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1);

export function scanTree(root: string, opts: ScanOptions = {}): Finding[] {
  const skip = new Set(opts.skipDirs ?? DEFAULT_SKIP);
  const maxSize = opts.maxFileSize ?? 5 * 1024 * 1024;
  const out: Finding[] = [];
  for (const path of walk(root, skip)) {
    let st;
    try {
      st = statSync(path);
    } catch {
      continue;
    }
    if (st.size > maxSize) continue;
    let buf: Buffer;
    try {
      buf = readFileSync(path);
    } catch {
      continue;
    }
    out.push(...scanContent(relative(root, path).split(sep).join('/'), buf));
  }
  return out.sort(byPosition);
}
