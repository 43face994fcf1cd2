/**
 * The leak scan: plaintext secrets in files about to be committed. Findings carry file, line, kind
 * and key names, never the values. Two sources of rules:
 *
 *  - secretlint's maintained recommended rule set (`@secretlint/secretlint-rule-preset-recommend`):
 *    AWS (access key IDs and secret keys), GCP service-account keys, PEM/OpenSSH private keys, npm,
 *    Slack, SendGrid, Shopify, GitHub, OpenAI, Anthropic, Linear and 1Password tokens, basic-auth
 *    URLs and database connection strings with a password;
 *  - rules for what a GitOps repository holds, which no generic scanner knows (scan-rules.ts):
 *    Kubernetes Secrets in YAML or JSON (also inside `List`s and in files that do not parse),
 *    `ENC[…]` text that is not SOPS, kustomize `secretGenerator` literals and files, kubeconfig
 *    credentials, docker `auth` entries, dotenv files, env entries and assignments with secret-like
 *    names (gitleaks-style: name pattern + Shannon entropy), and age private keys.
 *
 * Age private keys are expected only in the declared TEST-key locations: `test-keys/` at the root,
 * `third_party/sops-fixtures/<case>/keys.txt`, and files marked with a `# TEST KEY` comment line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { structuralFindings, type Finding } from './scan-rules';

// secretlint 11 profiles every lint, asked or not, and its bookkeeping grows with every file linted
// (quadratic: a whole-repository scan took 6.2 CPU-s, 0.66 s without it). Upstream
// secretlint/secretlint#1633 and #1653, fixed by #1673 in 13.x, which needs Node >= 22 (above our
// engines range). Nothing here reads the profile, so marking is turned off once, on the one copy of
// @secretlint/profiler that @secretlint/core uses (test/scan.test.ts checks there is only one).
secretLintProfiler.mark = () => undefined;

const DOC_PASSWORD = /^(<[^>]*>|\$\{[^}]*\}|\$\(?[A-Za-z_]+\)?|\*+|x+|\.\.\.|change-?me|password|pass|secret|example)$/i;

export type { Finding, LeakKind } from './scan-rules';

export interface ScanOptions {
  /** Directory names never entered (default: node_modules, .git, .nx). */
  skipDirs?: string[];
  /** Files larger than this are skipped (default 5 MiB). */
  maxFileSize?: number;
}

const DEFAULT_SKIP = ['node_modules', '.git', '.nx'];

const SECRETLINT_CONFIG = {
  rules: [
    {
      id: recommended.meta.id,
      rule: recommended,
      // Access key IDs are reported too (off by default in secretlint); AWS account IDs are not secrets (dropped below).
      rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
    },
  ],
};

/** secretlint rule + message id -> our kind (names the leak, never the value). */
function kindOf(ruleId: string, messageId: string): string | undefined {
  const rule = ruleId.replace('@secretlint/secretlint-rule-', '');
  if (rule === 'aws') return messageId === 'AWSAccountID' ? undefined : messageId === 'AWSAccessKeyID' ? 'aws-access-key' : 'aws-secret-key';
  if (rule === 'privatekey') return 'private-key';
  if (rule === 'github') return 'github-token';
  if (rule === 'database-connection-string') return 'connection-string-password';
  return rule;
}

async function secretlintFindings(file: string, text: string): Promise<Finding[]> {
  const res = await lintSource({
    source: { filePath: file, content: text, contentType: 'text' },
    options: { config: SECRETLINT_CONFIG as never, maskSecrets: true, noPhysicFilePath: true },
  });
  const out: Finding[] = [];
  for (const m of res.messages) {
    const kind = kindOf(m.ruleId, m.messageId);
    if (!kind) continue;
    // Documentation placeholders (`postgres://app:<password>@db`, `${DB_PASSWORD}`) are not leaks.
    if (kind === 'connection-string-password' || kind === 'basicauth') {
      const userinfo = /:\/\/[^:/@\s]*:([^@\s]*)@/.exec(text.slice(m.range[0], m.range[1]));
      if (userinfo && DOC_PASSWORD.test(userinfo[1])) continue;
    }
    out.push({ file, line: m.loc.start.line, kind, detail: `${m.messageId} (secretlint ${m.ruleId.replace('@secretlint/secretlint-rule-', '')})` });
  }
  return out;
}

const byPosition = (a: Finding, b: Finding) => (a.file === b.file ? a.line - b.line || (a.kind < b.kind ? -1 : 1) : a.file < b.file ? -1 : 1);

/**
 * Findings for one file's content. `file` is its path relative to the repository root with `/`
 * separators (locations decide where TEST keys are expected). Used by `scanTree` and for content
 * that is not on disk (the git index).
 */
export async function scanContent(file: string, content: Buffer | string): Promise<Finding[]> {
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  if (buf.includes(0)) return []; // binary
  const text = buf.toString('utf8');
  const out = [...structuralFindings(file, text), ...(await secretlintFindings(file, text))];
  // One finding per line and kind (a PEM key inside a Secret is reported once per rule that sees it).
  const seen = new Set<string>();
  return out
    .filter((f) => {
      const k = `${f.line}\0${f.kind}\0${f.detail}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort(byPosition);
}

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

export async function scanTree(root: string, opts: ScanOptions = {}): Promise<Finding[]> {
  const skip = new Set(opts.skipDirs ?? DEFAULT_SKIP);
  const maxSize = opts.maxFileSize ?? 5 * 1024 * 1024;
  const out: Finding[] = [];
  for (const path of walk(root, skip)) {
    let buf: Buffer;
    try {
      if (statSync(path).size > maxSize) continue;
      buf = readFileSync(path);
    } catch {
      continue;
    }
    out.push(...(await scanContent(relative(root, path).split(sep).join('/'), buf)));
  }
  return out.sort(byPosition);
}
