/**
 * Finds paths in repository files that reach outside the repository: a relative path (a literal such
 * as `'../../shared/x'`, or the literal segments of a `join(…)`/`resolve(…)` call) that resolves above
 * the repository root from the file's folder, and an absolute path to something that exists beside the
 * repository on this machine (e.g. `<parent>/shared/…`). A plain clone has nothing beside it.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export interface OutsideRef {
  file: string;
  line: number;
  ref: string;
  resolved: string;
}

/** Files whose relative paths are resolved (code, tests, scripts, configs); Markdown is prose. */
export const CODE_FILE = /(\.(c|m)?[jt]s|\.json|\.ya?ml|\.sh)$|(^|\/)(\.ci\/run|tools\/hooks\/[^./]+)$/;

/** A line carrying this marker is test data about a path outside some other root (say why beside it). */
export const ALLOW = 'outside-ref: test data';

const RELATIVE = /(?:^|[\s'"`(=,:[{])((?:\.\.\/)+[^\s'"`),\]}]*|\.\.(?=['"`]))/g;
const CALL = /\b(?:join|resolve)\(([^()]*)\)/g;
const STRING = /(['"`])((?:(?!\1)[^\\\n]|\\.)*)\1/g;

const outside = (root: string, p: string) => {
  const rel = relative(root, p);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
};

/** Paths in `text` (the content of `file`, relative to `root`) that leave `root`. */
export function findOutsideRefs(root: string, file: string, text: string): OutsideRef[] {
  const out: OutsideRef[] = [];
  const dir = dirname(join(root, file));
  const lines = text.split('\n');
  const parent = dirname(root);
  lines.forEach((lineText, i) => {
    if (lineText.includes(ALLOW)) return;
    const add = (ref: string, resolved: string) => out.push({ file, line: i + 1, ref, resolved: relative(root, resolved) });
    if (CODE_FILE.test(file)) {
      for (const m of lineText.matchAll(RELATIVE)) {
        const p = resolve(dir, m[1]);
        if (outside(root, p)) add(m[1], p);
      }
      // join(__dirname, '..', '..', 'shared'): the literal segments together.
      for (const call of lineText.matchAll(CALL)) {
        const segments = [...call[1].matchAll(STRING)].map((s) => s[2]);
        if (!segments.some((s) => s === '..' || s.startsWith('../'))) continue;
        const p = resolve(dir, ...segments);
        if (outside(root, p) && !out.some((o) => o.line === i + 1)) add(segments.join('/'), p);
      }
    }
    // An absolute path to something beside the repository (never the repository itself).
    if (parent !== dirname(parent)) {
      const abs = new RegExp(`${parent.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/([\\w.-]+)`, 'g');
      for (const m of lineText.matchAll(abs)) {
        const p = join(parent, m[1]);
        if (p !== root && existsSync(p)) add(m[0], p);
      }
    }
  });
  return out;
}
