/** `gitops secrets scan`: the leak guard over the work tree, given paths, or the git index (pre-commit hook). */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '@gitops/core';
import { scanContent, type Finding } from '@gitops/secrets';
import { toPosix, walkFiles } from './repo-files';

/**
 * Paths the leak scan skips: deliberate test data that contains plaintext secrets on purpose.
 * Repository-relative; a trailing `/` is a folder prefix, `*` matches within one path segment.
 * Add to this list only with a comment saying why. (Age private keys have their own, narrower
 * exemption in the scanner: test-keys/, third_party/sops-fixtures/<case>/keys.txt, files marked
 * `# TEST KEY`.)
 */
export const SCAN_EXCLUDES = [
  // libs/validate's test corpus: rendered manifests incl. a plaintext Secret the validator must see.
  'libs/validate/test/corpus/',
  // SOPS implementation fixtures: plaintext/encrypted pairs and TEST keys.
  'tools/secrets/test/fixtures/',
  // The leak scanner's own corpus: one planted leak per kind it must find.
  'tools/secrets/test/scan-corpus/',
  // compose-import's inputs: real-world Compose projects with their sample passwords (.env files, DSNs).
  'libs/compose-import/test/',
  // Vendored sops fixtures: the expected decryptions of the encrypted fixtures.
  'third_party/sops-fixtures/*/*.decrypted.json',
  'third_party/sops-fixtures/*/expected-plaintext.json',
];

function excludeMatcher(pattern: string): (rel: string) => boolean {
  if (!pattern.includes('*')) {
    const dir = pattern.endsWith('/') ? pattern : pattern + '/';
    return (rel) => rel === pattern.replace(/\/$/, '') || rel.startsWith(dir);
  }
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + (pattern.endsWith('/') ? '' : '$'));
  return (rel) => re.test(rel);
}

const excluded = (rel: string, excludes: string[]) => excludes.some((e) => excludeMatcher(e)(rel));

/**
 * The files a whole-repository scan reads: what git tracks or would add (ignored files such as
 * node_modules/ or .nx/ are not committed, so they are not scanned); every file when `root` is
 * not a git work tree.
 */
function candidateFiles(root: string): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    if (resolve(top) !== resolve(root)) return walkFiles(root);
    return [...new Set(out.toString('utf8').split('\0').filter(Boolean))].map((f) => join(root, f)).filter((f) => existsSync(f)).sort();
  } catch {
    return walkFiles(root);
  }
}

/** Scan files/folders (default: the repository) for plaintext secrets. */
export async function scanPaths(root: string, paths: string[] = [], excludes: string[] = SCAN_EXCLUDES, maxFileSize = 5 * 1024 * 1024): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const p of paths.length ? paths : [root]) {
    const abs = isAbsolute(p) ? p : resolve(p);
    // A mistyped path is bad input (exit 2, as in updatekeys), not a bug with a source location.
    if (!existsSync(abs)) throw new UserError(`${p}: no such file or directory`, 2);
    const list = !paths.length ? candidateFiles(root) : statSync(abs).isDirectory() ? walkFiles(abs) : [abs];
    for (const f of list) {
      const rel = toPosix(relative(root, f));
      if (excluded(rel, excludes)) continue;
      let st;
      try {
        st = statSync(f);
      } catch {
        continue;
      }
      if (!st.isFile() || st.size > maxFileSize) continue;
      out.push(...(await scanContent(rel, readFileSync(f))));
    }
  }
  return out;
}

/** Scan what is staged in the git index (the pre-commit hook): added, copied, modified, renamed files. */
export async function scanStaged(root: string, excludes: string[] = SCAN_EXCLUDES): Promise<Finding[]> {
  const git = (args: string[]) => execFileSync('git', args, { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  const names = git(['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMR']).toString('utf8').split('\0').filter(Boolean);
  const out: Finding[] = [];
  for (const rel of names) {
    if (excluded(rel, excludes)) continue;
    out.push(...(await scanContent(rel, git(['show', `:${rel}`]))));
  }
  return out;
}
