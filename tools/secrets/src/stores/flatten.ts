/**
 * Metadata flattening for the dotenv store (`stores/flatten.go`):
 * nested maps become `__map_<key>`, lists `__list_<n>`, newlines are written as `\n`
 * and non-strings as strings, all under the `sops_` prefix.
 */
import { Comment, SopsInt, TreeBranch, toPlain, type TreeEntry, type TreeValue } from '../tree';

const MAP_SEP = '__map_';
const LIST_SEP = '__list_';

function flattenValue(v: TreeValue, prefix: string, out: TreeEntry[]) {
  if (v instanceof TreeBranch) {
    for (const e of v.entries()) flattenValue(e.value, prefix + MAP_SEP + e.key, out);
  } else if (Array.isArray(v)) {
    let i = 0;
    for (const x of v) if (!(x instanceof Comment)) flattenValue(x, prefix + LIST_SEP + i++, out);
  } else {
    let s: string;
    if (typeof v === 'string') s = v.replace(/\n/g, '\\n');
    else if (typeof v === 'boolean') s = v ? 'true' : 'false';
    else if (v instanceof SopsInt) s = v.value.toString();
    else s = String(toPlain(v));
    out.push({ key: prefix, value: s });
  }
}

/** Flatten the metadata tree into `sops_*` entries (document order of the sorted tree). */
export function flattenMetadata(md: TreeBranch, prefix = 'sops_'): TreeEntry[] {
  const out: TreeEntry[] = [];
  for (const e of md.entries()) flattenValue(e.value, prefix + e.key, out);
  return out;
}

type Tok = { map: string } | { list: number };

function tokenize(path: string): Tok[] {
  const toks: Tok[] = [];
  const re = /__map_|__list_/g;
  let last = 0;
  let kind: 'normal' | 'map' | 'list' = 'normal';
  const finish = (end: number) => {
    const s = path.slice(last, end);
    if (kind === 'list') toks.push({ list: Number(s) });
    else toks.push({ map: s });
  };
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) {
    finish(m.index);
    kind = m[0] === MAP_SEP ? 'map' : 'list';
    last = m.index + m[0].length;
  }
  finish(path.length);
  return toks;
}

/** Rebuild the metadata object from flattened entries (keys without the prefix). Newlines restored by the caller. */
export function unflattenMetadata(entries: Array<{ key: string; value: unknown }>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const { key, value } of entries) {
    const toks = tokenize(key);
    let cur: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      const next = toks[i + 1];
      const slot = 'map' in t ? t.map : t.list;
      const container = cur as Record<string | number, unknown>;
      if (!next) {
        container[slot] = value;
        break;
      }
      if (container[slot] === undefined || container[slot] === null) container[slot] = 'map' in next ? {} : [];
      cur = container[slot] as Record<string, unknown> | unknown[];
    }
  }
  return root;
}
