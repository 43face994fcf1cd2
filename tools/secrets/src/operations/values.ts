/**
 * `sops decrypt --extract` and `sops set`. Paths are arrays of keys and list
 * indices, or the sops syntax `["key"]["sub"][0]`.
 */
import { SopsError } from '../errors';
import { sealDocument } from '../document';
import { Comment, TreeBranch, fromPlain, toPlain, type TreeList, type TreeValue } from '../tree';
import { inFile, lockedFile, openFile, writeOutput, type FileOptions } from './context';

export type ValuePath = Array<string | number> | string;

/** Parse `["a"][0]["b"]` (sops --extract syntax). */
export function parseValuePath(p: ValuePath): Array<string | number> {
  if (Array.isArray(p)) return p;
  const out: Array<string | number> = [];
  const re = /\[\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\d+))\s*\]/y;
  let i = 0;
  while (i < p.length) {
    re.lastIndex = i;
    const m = re.exec(p);
    if (!m) throw new SopsError('INVALID_FORMAT', `invalid path syntax at position ${i}: expected ["key"] or [index]`);
    if (m[1] !== undefined) out.push(JSON.parse(`"${m[1]}"`));
    else if (m[2] !== undefined) out.push(m[2]);
    else out.push(Number(m[3]));
    i = re.lastIndex;
  }
  return out;
}

const elements = (l: TreeList) => l.filter((x) => !(x instanceof Comment)) as TreeValue[];

function lookup(root: TreeValue, path: Array<string | number>): TreeValue {
  let cur: TreeValue = root;
  for (const c of path) {
    if (typeof c === 'string') {
      if (!(cur instanceof TreeBranch) || !cur.has(c)) throw new SopsError('INVALID_FORMAT', `component ['${c}'] not found`);
      cur = cur.get(c) as TreeValue;
    } else {
      if (!Array.isArray(cur)) throw new SopsError('INVALID_FORMAT', `component [${c}] is integer, but tree part is not a list`);
      const el = elements(cur);
      if (c >= el.length) throw new SopsError('INVALID_FORMAT', `component [${c}] accesses out of bounds`);
      cur = el[c];
    }
  }
  return cur;
}

/** Build the missing part of a path (`valueFromPathAndLeaf`). */
function fresh(path: Array<string | number>, leaf: TreeValue): TreeValue {
  if (!path.length) return leaf;
  const [c, ...rest] = path;
  return typeof c === 'number' ? [fresh(rest, leaf)] : new TreeBranch([{ key: c, value: fresh(rest, leaf) }]);
}

function plainEqual(a: TreeValue, b: TreeValue): boolean {
  const enc = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
  return enc(toPlain(a)) === enc(toPlain(b)) && (a?.constructor ?? null) === (b?.constructor ?? null);
}

/** `TreeBranch.Set`: returns whether anything changed. */
function setIn(node: TreeValue, path: Array<string | number>, value: TreeValue): { node: TreeValue; changed: boolean } {
  const [c, ...rest] = path;
  if (node instanceof TreeBranch && typeof c === 'string') {
    const entry = node.entries().find((e) => e.key === c);
    if (entry) {
      if (!rest.length) {
        const changed = !plainEqual(entry.value, value);
        entry.value = value;
        return { node, changed };
      }
      const r = setIn(entry.value, rest, value);
      entry.value = r.node;
      return { node, changed: r.changed };
    }
    node.items.push({ key: c, value: fresh(rest, value) });
    return { node, changed: true };
  }
  if (Array.isArray(node) && typeof c === 'number') {
    const idx = node.map((x, i) => (x instanceof Comment ? -1 : i)).filter((i) => i >= 0);
    if (c >= idx.length) {
      node.push(fresh(rest, value));
      return { node, changed: true };
    }
    if (!rest.length) {
      const changed = !plainEqual(node[idx[c]] as TreeValue, value);
      node[idx[c]] = value;
      return { node, changed };
    }
    const r = setIn(node[idx[c]] as TreeValue, rest, value);
    node[idx[c]] = r.node;
    return { node, changed: r.changed };
  }
  return { node: fresh(path, value), changed: true };
}

/** The decrypted value at `path` (first document), as plain JS (mappings become objects). */
export async function getValue(file: string, path: ValuePath, opts: FileOptions = {}): Promise<unknown> {
  const doc = await openFile(file, opts);
  return inFile(file, () => toPlain(lookup(doc.branches[0], parseValuePath(path))));
}

/**
 * Set the value at `path` (first document) and write the file. Only that value gets new
 * ciphertext: the others keep theirs (same data key, IVs reused). `value` may be a plain JS
 * value (integral numbers become ints) or a tree value (SopsFloat, TreeBranch, ...).
 */
export async function setValue(file: string, path: ValuePath, value: unknown, opts: FileOptions = {}): Promise<{ changed: boolean }> {
  return lockedFile(file, opts, () => setValueLocked(file, path, value, opts));
}

async function setValueLocked(file: string, path: ValuePath, value: unknown, opts: FileOptions): Promise<{ changed: boolean }> {
  const doc = await openFile(file, opts);
  return inFile(file, () => {
    const p = parseValuePath(path);
    if (!p.length) throw new SopsError('INVALID_FORMAT', 'empty path');
    if (doc.store.format === 'binary' && p[0] !== 'data') throw new SopsError('UNSUPPORTED', 'binary files only have the "data" value');
    const r = setIn(doc.branches[0], p, fromPlain(value));
    if (!r.changed) return { changed: false };
    doc.branches[0] = r.node as TreeBranch;
    writeOutput(file, sealDocument(doc));
    return { changed: true };
  });
}
