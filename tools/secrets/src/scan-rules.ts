/**
 * The leak-scan rules specific to a GitOps repository (the generic token patterns come from
 * secretlint, see scan.ts). Each rule names what leaks by file, line and key, never the value.
 * Coverage, with one corpus case per kind: tools/secrets/test/scan-corpus/ (README there).
 */
import { basename } from 'node:path';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';

export type LeakKind = string;

export interface Finding {
  /** Path relative to the scanned root, with `/` separators. */
  file: string;
  /** 1-based line. */
  line: number;
  kind: LeakKind;
  /** What leaks, by key name (never the value). */
  detail: string;
}

// ---- helpers -------------------------------------------------------------------------------------

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
/** Key names that hold secrets (gitleaks' generic keywords, plus common spellings). */
const SECRET_NAME = /(passw(?:or)?d|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credential|auth[_-]?key)/i;
/** Names that point at a secret rather than hold one (secretKeyRef names, file paths, env var names). */
const REFERENCE_NAME = /(ref|name|file|path|env|var|key[_-]?id|length|policy|type|kind|format|regex|pattern|header|field|prefix|suffix|url|uri|endpoint|ttl|expir\w*|encryption|method|algorithm|mode|hash|scheme|strategy|provider|class|store|source|mount|volume|version)$/i;
const SOPS_VALUE = /^ENC\[AES256_GCM,data:([A-Za-z0-9+/=]*),iv:([A-Za-z0-9+/=]+),tag:([A-Za-z0-9+/=]+),type:(str|int|float|bool|time|bytes|comment)\]$/;
const ENC_LIKE = /^ENC\[/;

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Values that are obviously not a secret: templates, references, placeholders, plain words. */
export function looksLikePlaceholder(v: string): boolean {
  const t = v.trim();
  if (t.length < 6) return true;
  if (/\$\{|\{\{|\$\(|^\$[A-Za-z_]|process\.env|^<.*>$|^%\(|^@/.test(t)) return true;
  if (/change[-_]?me|example|placeholder|redacted|dummy|your[-_]|xxxx|\*\*\*|^todo|^fixme|^none$|^null$|^true$|^false$/i.test(t)) return true;
  if (/^[./~]*\//.test(t) || /^[a-z]+:\/\/[^:@/]+(?:[/:]|$)/i.test(t)) return true; // paths and URLs without credentials
  if (/^[a-z]+(?:[-_.][a-z]+)*$/.test(t) || /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(t)) return true; // identifiers, env var names
  if (/^[a-z0-9]{1,12}(?:[-_.][a-z0-9]{1,12})+$/.test(t)) return true; // resource names (n8n-credentials, scram-sha-256)
  if (/^[a-z][a-zA-Z]+$/.test(t)) return true; // camelCase identifiers
  return false;
}

/** A literal is reported under a secret-like name when it is not a placeholder and looks random enough. */
export function secretLooking(name: string, value: string): boolean {
  if (!SECRET_NAME.test(name) || REFERENCE_NAME.test(name.replace(/["'\s]/g, ''))) return false;
  if (looksLikePlaceholder(value) || ENC_LIKE.test(value)) return false;
  // Passwords are often shorter and less random than tokens (gitleaks uses 3.5 for its generic rule).
  if (/passw|pwd/i.test(name)) return entropy(value) >= 2.5;
  return value.length >= 12 && entropy(value) >= 3.5;
}

/** index -> 1-based line, for one text (line starts computed once, binary search per lookup). */
function lineIndex(text: string): (index: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (index) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function scalarText(n: unknown): string | undefined {
  return isScalar(n) ? (n.value === null || n.value === undefined ? '' : String(n.value)) : undefined;
}

function mapGet(m: unknown, key: string): { key: Node; value: Node | null } | undefined {
  if (!isMap(m)) return undefined;
  for (const p of m.items) if (isPair(p) && scalarText(p.key) === key) return { key: p.key as Node, value: p.value as Node | null };
  return undefined;
}

function lineAt(lc: LineCounter, n: Node | null | undefined, fallback = 1): number {
  return n?.range ? lc.linePos(n.range[0]).line : fallback;
}

// ---- Kubernetes Secrets (YAML, JSON, Lists) ------------------------------------------------------

/** A real SOPS document: `sops` metadata with a MAC and at least one wrapped data key. */
function hasSopsMetadata(doc: unknown): boolean {
  const sops = mapGet(doc, 'sops')?.value;
  if (!isMap(sops)) return false;
  const mac = scalarText(mapGet(sops, 'mac')?.value) ?? '';
  if (!SOPS_VALUE.test(mac)) return false;
  return ['age', 'pgp', 'kms', 'gcp_kms', 'azure_kv', 'hc_vault', 'key_groups'].some((k) => {
    const v = mapGet(sops, k)?.value;
    return isSeq(v) && v.items.length > 0;
  });
}

function scanSecretObject(obj: unknown, lc: LineCounter, file: string, sops: boolean, out: Finding[]): void {
  const kind = scalarText(mapGet(obj, 'kind')?.value);
  if (kind && /List$/.test(kind)) {
    const items = mapGet(obj, 'items')?.value;
    if (isSeq(items)) for (const it of items.items) scanSecretObject(it, lc, file, sops, out);
    return;
  }
  if (kind !== 'Secret') return;
  const name = scalarText(mapGet(mapGet(obj, 'metadata')?.value, 'name')?.value) ?? '(unnamed)';
  for (const section of ['data', 'stringData']) {
    const s = mapGet(obj, section)?.value;
    if (!isMap(s)) continue;
    for (const p of s.items) {
      if (!isPair(p)) continue;
      const text = scalarText(p.value);
      // Non-scalars are not valid Secret data; they are usually Helm `{{ }}` templates parsed as flow maps.
      if (text === undefined || text === '' || /^\{\{.*\}\}$/s.test(text.trim())) continue;
      const where = { file, line: lineAt(lc, p.key as Node) };
      if (ENC_LIKE.test(text)) {
        if (!SOPS_VALUE.test(text)) out.push({ ...where, kind: 'fake-sops', detail: `Secret ${name}: ${section}.${scalarText(p.key)} looks encrypted (ENC[…]) but is not a SOPS value` });
        else if (!sops) out.push({ ...where, kind: 'fake-sops', detail: `Secret ${name}: ${section}.${scalarText(p.key)} is ENC[…] but the file has no SOPS metadata (sops.mac and a key): not decryptable, possibly pasted` });
        continue;
      }
      out.push({ ...where, kind: 'k8s-secret-plaintext', detail: `Secret ${name}: ${section}.${scalarText(p.key)} is plaintext (not ENC[...])` });
    }
  }
}

/** A Secret in a file that does not parse: line-based, so a syntax error does not hide it. */
function scanBrokenSecret(text: string, file: string, out: Finding[]): void {
  if (!/^\s*"?kind"?\s*:\s*["']?Secret["']?\s*,?\s*$/m.test(text)) return;
  const lines = text.split('\n');
  let block: { indent: number; section: string } | undefined;
  lines.forEach((l, i) => {
    const head = /^(\s*)(data|stringData):\s*$/.exec(l);
    if (head) {
      block = { indent: head[1].length, section: head[2] };
      return;
    }
    if (!block || !l.trim() || l.trim().startsWith('#')) return;
    const m = /^(\s*)([^\s:#][^:]*):\s*(.*)$/.exec(l);
    if (!m || m[1].length <= block.indent) {
      block = undefined;
      return;
    }
    const v = m[3].replace(/^["']|["']$/g, '').trim();
    if (!v || v === '|' || v === '>' || ENC_LIKE.test(v) || /^\{\{/.test(v)) return;
    out.push({ file, line: i + 1, kind: 'k8s-secret-plaintext', detail: `Secret (file is not valid YAML): ${block.section}.${m[2].trim()} is plaintext (not ENC[...])` });
  });
}

// ---- kustomize -------------------------------------------------------------------------------------

function scanKustomization(doc: unknown, lc: LineCounter, file: string, out: Finding[]): void {
  const gens = mapGet(doc, 'secretGenerator')?.value;
  if (!isSeq(gens)) return;
  for (const g of gens.items) {
    const name = scalarText(mapGet(g, 'name')?.value) ?? '(unnamed)';
    const lits = mapGet(g, 'literals')?.value;
    if (isSeq(lits)) {
      for (const l of lits.items) {
        const text = scalarText(l) ?? '';
        const key = text.includes('=') ? text.slice(0, text.indexOf('=')) : '(literal)';
        out.push({ file, line: lineAt(lc, l as Node), kind: 'kustomize-secret-literal', detail: `secretGenerator ${name}: literal ${key}` });
      }
    }
    for (const field of ['envs', 'env', 'files']) {
      const v = mapGet(g, field)?.value;
      const items = isSeq(v) ? v.items : v ? [v] : [];
      for (const it of items) {
        const path = scalarText(it);
        if (!path) continue;
        out.push({
          file,
          line: lineAt(lc, it as Node),
          kind: 'kustomize-secret-file',
          detail: `secretGenerator ${name}: ${field} reads the plaintext file ${path.replace(/^[^=]*=/, '')} (use a SOPS file and KSOPS)`,
        });
      }
    }
  }
}

// ---- kubeconfig ------------------------------------------------------------------------------------

const KUBECONFIG_FIELDS = ['token', 'client-key-data', 'password'];
const AUTH_PROVIDER_FIELDS = ['access-token', 'refresh-token', 'client-secret', 'id-token'];

function scanKubeconfig(doc: unknown, lc: LineCounter, file: string, out: Finding[]): void {
  if (scalarText(mapGet(doc, 'kind')?.value) !== 'Config') return;
  const users = mapGet(doc, 'users')?.value;
  if (!isSeq(users)) return;
  for (const u of users.items) {
    const name = scalarText(mapGet(u, 'name')?.value) ?? '(unnamed)';
    const user = mapGet(u, 'user')?.value;
    const report = (m: unknown, fields: string[], prefix: string) => {
      for (const f of fields) {
        const e = mapGet(m, f);
        const v = scalarText(e?.value);
        if (e && v && !looksLikePlaceholder(v)) out.push({ file, line: lineAt(lc, e.key), kind: 'kubeconfig-credential', detail: `kubeconfig user ${name}: ${prefix}${f}` });
      }
    };
    report(user, KUBECONFIG_FIELDS, '');
    report(mapGet(mapGet(user, 'auth-provider')?.value, 'config')?.value, AUTH_PROVIDER_FIELDS, 'auth-provider.config.');
  }
}

const RULE_OBJECT = /\bkind["']?\s*:\s*["']?(Secret|Config|\w*List)\b|secretGenerator/;

function scanYamlDocument(text: string, firstLine: number, file: string, fileHasSops: boolean, out: Finding[]): void {
  const lc = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  } catch {
    docs = undefined;
  }
  const list = docs === undefined ? undefined : Array.isArray(docs) ? docs : [docs];
  const found: Finding[] = [];
  if (!list || list.some((d) => d.errors.length)) {
    // Templates and broken files: the parse cannot be trusted; a Secret in them is still found by lines.
    if (!/\{\{/.test(text)) scanBrokenSecret(text, file, found);
  } else {
    const sops = fileHasSops || list.some((d) => hasSopsMetadata(d.contents));
    for (const d of list) {
      scanSecretObject(d.contents, lc, file, sops, found);
      scanKubeconfig(d.contents, lc, file, found);
      if (KUSTOMIZATION_NAMES.has(basename(file))) scanKustomization(d.contents, lc, file, found);
    }
  }
  for (const f of found) out.push({ ...f, line: f.line + firstLine - 1 });
}

/**
 * YAML and JSON files, one `---` document at a time: only documents that can hold a rule's object
 * are parsed (parsing every large CRD bundle would dominate the scan).
 */
function scanYaml(text: string, file: string, out: Finding[]): void {
  const lines = text.split('\n');
  // Multi-document SOPS files: the metadata may sit in another document than the value.
  const fileHasSops = /(^|\n)["']?sops["']?\s*:/.test(text) && /["']?mac["']?\s*:\s*["']?ENC\[AES256_GCM,data:/.test(text);
  let start = 0;
  const flush = (end: number) => {
    const chunk = lines.slice(start, end).join('\n');
    if (RULE_OBJECT.test(chunk)) scanYamlDocument(chunk, start + 1, file, fileHasSops, out);
  };
  lines.forEach((l, i) => {
    if (/^---(\s|$)/.test(l) && i > start) {
      flush(i);
      start = i;
    }
  });
  flush(lines.length);
}

// ---- text rules ----------------------------------------------------------------------------------

// Bech32 body of an age identity; the PQ variant is longer.
const AGE_KEY_RE = /AGE-SECRET-KEY-(?:PQ-)?1[02-9AC-HJ-NP-Z]{20,}/g;

/** Where age private keys are expected: the declared TEST-key locations and marked files. */
export function isDeclaredTestKeyFile(file: string, text: string): boolean {
  if (file.startsWith('test-keys/')) return true;
  if (/^third_party\/sops-fixtures\/[^/]+\/keys\.txt$/.test(file)) return true;
  return /^#.*\bTEST KEY\b/m.test(text);
}

function scanAgeKeys(file: string, text: string, out: Finding[]): void {
  if (isDeclaredTestKeyFile(file, text)) return;
  text.split('\n').forEach((l, i) => {
    AGE_KEY_RE.lastIndex = 0;
    if (AGE_KEY_RE.test(l)) out.push({ file, line: i + 1, kind: 'age-private-key', detail: 'age private key (AGE-SECRET-KEY-1...) outside the declared test-key locations' });
  });
}

/** Docker registry credentials: `"auth": "<base64 user:password>"` (also JSON escaped inside YAML). */
function scanDockerAuth(file: string, text: string, out: Finding[]): void {
  const lineOf = lineIndex(text);
  const re = /\\?"auth\\?"\s*:\s*\\?"([A-Za-z0-9+/]{4,}={0,2})\\?"/g;
  for (const m of text.matchAll(re)) {
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    if (/^[^:\s]+:.+/.test(decoded) && !looksLikePlaceholder(decoded.slice(decoded.indexOf(':') + 1))) {
      out.push({ file, line: lineOf(m.index ?? 0), kind: 'docker-auth', detail: 'docker registry "auth" entry (base64 user:password)' });
    }
  }
}

const DOTENV_FILE = /(^|\/)(\.env(\.[^/]+)?|[^/]+\.env)$/;

function scanDotenv(file: string, text: string, out: Finding[]): void {
  if (!DOTENV_FILE.test(file) || /\.enc\.env$/.test(file)) return;
  text.split('\n').forEach((raw, i) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(raw);
    if (!m) return;
    const value = m[2].trim().replace(/^(["'])(.*)\1$/, '$2');
    if (!value || !SECRET_NAME.test(m[1]) || REFERENCE_NAME.test(m[1]) || ENC_LIKE.test(value) || looksLikePlaceholder(value)) return;
    out.push({ file, line: i + 1, kind: 'dotenv-secret', detail: `${m[1]} has a literal value in a dotenv file` });
  });
}

const CODE_FILE = /\.(ts|tsx|js|mjs|cjs|jsx|py|go|rb|java|kt|rs|php|cs|sh|bash|tf|hcl|properties|ini|cfg|conf|toml|ya?ml|json)$/;
/** Test code holds sample credentials by design: the generic assignment rule skips it (no other rule does). */
export const TEST_CODE = /(\.(test|spec)\.[cm]?[jt]sx?|_test\.go|_test\.py|(^|\/)test_[^/]*\.py)$|(^|\/)(test|tests|__tests__)\//;

/**
 * Assignments and env entries with a secret-like name and a quoted literal (gitleaks' generic rule:
 * keyword + quoted value + entropy), and `name: X_PASSWORD, value: '…'` env entries.
 */
function scanAssignments(file: string, text: string, out: Finding[]): void {
  if (!CODE_FILE.test(file) || TEST_CODE.test(file)) return;
  const lineOf = lineIndex(text);
  const assign = /(["']?)([A-Za-z_][\w.-]{0,60})\1\s*(?::|=|:=|=>)\s*(["'`])([^"'`\n\\]{6,200})\3/g;
  for (const m of text.matchAll(assign)) {
    if (!secretLooking(m[2], m[4])) continue;
    out.push({ file, line: lineOf(m.index ?? 0), kind: 'hardcoded-secret', detail: `${m[2]} is assigned a literal secret-like value` });
  }
  const envEntry = /\bname["']?\s*:\s*(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1\s*,?\s*\n?\s*["']?value["']?\s*:\s*(["'`]?)([^"'`\n,}]+)\3/g;
  for (const m of text.matchAll(envEntry)) {
    const value = m[4].trim();
    if (!SECRET_NAME.test(m[2]) || REFERENCE_NAME.test(m[2]) || looksLikePlaceholder(value) || ENC_LIKE.test(value)) continue;
    out.push({ file, line: lineOf(m.index ?? 0), kind: 'hardcoded-secret', detail: `env ${m[2]} has a literal value` });
  }
}

/** Every rule of this module over one file (`file` relative to the repository root, `/` separators). */
export function structuralFindings(file: string, text: string): Finding[] {
  const out: Finding[] = [];
  scanAgeKeys(file, text, out);
  const yamlLike = /\.(ya?ml|json)$/.test(file) || KUSTOMIZATION_NAMES.has(basename(file)) || /(^|\/)(kube)?config$/.test(file);
  if (yamlLike && RULE_OBJECT.test(text)) scanYaml(text, file, out);
  scanDockerAuth(file, text, out);
  scanDotenv(file, text, out);
  scanAssignments(file, text, out);
  // An assignment inside a Secret manifest is already reported as a plaintext Secret value.
  const secretLines = new Set(out.filter((f) => f.kind === 'k8s-secret-plaintext').map((f) => f.line));
  return out.filter((f) => f.kind !== 'hardcoded-secret' || !secretLines.has(f.line));
}
