/**
 * A fast path for `toYaml`: writes plain data (plain objects, arrays, strings, booleans, null, safe
 * integers) with exactly the layout `yaml.stringify` produces under the options in yaml.ts, and
 * leaves everything else to `yaml` itself.
 *
 * Layout is the easy part (2-space indent, `key: value`, `- ` items indented under their key,
 * `{}`/`[]` for empty collections). Scalars are where YAML is subtle (quoting for YAML 1.1 readers,
 * escapes, block literals), so the emitter never decides how to write a string: it asks `yaml`
 * once per distinct string and context (key, map value, sequence item) and remembers the answer.
 * Only single-line answers are reused. A multi-line string value or item is written by `yaml` on its
 * own (`key: |-` and its lines, asked at the top level and indented to where it goes: with no line
 * folding, yaml's layout below a key does not depend on depth) instead of the whole object; a
 * string with a line starting with a document marker (`---`, `...`, `%`, whose form does depend on
 * depth), a multi-line key, a number that is not a safe integer, or anything that is not plain data
 * returns undefined and the caller uses `yaml`.
 * `test/yaml-emit.test.ts` compares both over every generated object and a corpus of hard cases.
 */
import { Document, type ToStringOptions, type DocumentOptions, type SchemaOptions, type CreateNodeOptions } from 'yaml';

export type YamlOptions = DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions;

type Context = 'key' | 'value' | 'item';

/** Per options object (one per caller in practice): formatted scalars per context, and one reusable Document. */
const memo = new WeakMap<YamlOptions, { doc: Document; byContext: Record<Context, Map<string, string | null>> }>();

const PREFIX: Record<Context, string> = { key: '', value: 'k: ', item: '- ' };

/**
 * Strings every YAML reader takes as plain strings: a letter, then letters, digits and `_./-` (no
 * indicator, no `: ` or ` #`, no number or timestamp form), minus the words YAML 1.1 reads as
 * booleans or null (compared case-insensitively, a superset). `yaml` writes them as they are;
 * asking it for each would cost more than the rest of the emitter.
 */
const PLAIN = /^[A-Za-z][A-Za-z0-9_./-]*$/;
const WORDS_11 = /^(?:y|n|yes|no|true|false|on|off|null)$/i;
const DOCUMENT_MARKER = /^(?:%|---|\.\.\.)/m;

/** How `yaml` writes `s` in `context`, or null when it needs more than one line. */
function scalar(s: string, context: Context, opts: YamlOptions): string | null {
  if (PLAIN.test(s) && !WORDS_11.test(s)) return s;
  // How yaml writes these depends on the indentation (a line that starts with a document marker
  // is quoted, indented or made a block depending on where it is), so they are not reused.
  if (s.includes('\n') || DOCUMENT_MARKER.test(s)) return null;
  let m = memo.get(opts);
  if (!m) memo.set(opts, (m = { doc: new Document(null, opts), byContext: { key: new Map(), value: new Map(), item: new Map() } }));
  const cache = m.byContext[context];
  let out = cache.get(s);
  if (out === undefined) {
    // One Document for every question: building the schema per call is most of `stringify`'s cost.
    m.doc.contents = m.doc.createNode(context === 'key' ? { [s]: 1 } : context === 'value' ? { k: s } : [s], opts);
    const text = m.doc.toString(opts);
    const suffix = context === 'key' ? ': 1\n' : '\n';
    const body = text.slice(PREFIX[context].length, text.length - suffix.length);
    out = text.startsWith(PREFIX[context]) && text.endsWith(suffix) && !body.includes('\n') && body !== '' ? body : null;
    cache.set(s, out);
  }
  return out;
}

/**
 * A multi-line string as `yaml` writes it in `{ [key]: s }` (key set) or `[s]`, moved to `indent`:
 * its first line after `lead`, the others indented (empty lines stay empty, as yaml leaves them).
 * Not memoised: such strings are few and rarely repeated.
 */
function multiLine(s: string, key: string | undefined, lead: string, indent: string, out: string[], opts: YamlOptions): void {
  if (DOCUMENT_MARKER.test(s)) throw new NotPlain();
  let m = memo.get(opts);
  if (!m) memo.set(opts, (m = { doc: new Document(null, opts), byContext: { key: new Map(), value: new Map(), item: new Map() } }));
  m.doc.contents = m.doc.createNode(key === undefined ? [s] : { [key]: s }, opts);
  const lines = m.doc.toString(opts).split('\n');
  lines.pop(); // the text ends with a newline
  out.push(`${lead}${lines[0]}\n`);
  for (let i = 1; i < lines.length; i++) out.push(lines[i] === '' ? '\n' : `${indent}${lines[i]}\n`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

class NotPlain extends Error {}

/** A scalar in value or item position, or undefined for a collection. */
function leaf(v: unknown, context: Context, opts: YamlOptions): string | undefined {
  if (typeof v === 'string') {
    const s = scalar(v, context, opts);
    if (s === null) throw new NotPlain();
    return s;
  }
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || Object.is(v, -0)) throw new NotPlain();
    return String(v);
  }
  if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
  if (isPlainObject(v)) {
    for (const k in v) if (v[k] !== undefined) return undefined;
    return '{}';
  }
  throw new NotPlain(); // undefined at the top, functions, symbols, bigints, Dates, class instances
}

function writeMap(obj: Record<string, unknown>, indent: string, out: string[], first: string, opts: YamlOptions): void {
  let lead = first;
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (v === undefined) continue; // yaml drops pairs whose value is undefined
    const k = scalar(key, 'key', opts);
    if (k === null) throw new NotPlain();
    if (typeof v === 'string' && scalar(v, 'value', opts) === null) {
      multiLine(v, key, lead, indent, out, opts);
      lead = indent;
      continue;
    }
    const s = leaf(v, 'value', opts);
    if (s !== undefined) out.push(`${lead}${k}: ${s}\n`);
    else {
      out.push(`${lead}${k}:\n`);
      if (Array.isArray(v)) writeSeq(v, indent + '  ', out, opts);
      else writeMap(v as Record<string, unknown>, indent + '  ', out, indent + '  ', opts);
    }
    lead = indent;
  }
}

function writeSeq(arr: unknown[], indent: string, out: string[], opts: YamlOptions): void {
  for (const item of arr) {
    // yaml writes undefined and functions in a sequence as null
    const v = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item;
    if (typeof v === 'string' && scalar(v, 'item', opts) === null) {
      multiLine(v, undefined, indent, indent, out, opts);
      continue;
    }
    const s = leaf(v, 'item', opts);
    if (s !== undefined) out.push(`${indent}- ${s}\n`);
    else if (Array.isArray(v)) {
      // `- - a`: the nested sequence starts on the item's line
      const nested: string[] = [];
      writeSeq(v, indent + '  ', nested, opts);
      nested[0] = `${indent}- ${nested[0].slice(indent.length + 2)}`;
      out.push(...nested);
    } else writeMap(v as Record<string, unknown>, indent + '  ', out, `${indent}- `, opts);
  }
}

/** `value` as `yaml.stringify(value, opts)` writes it, or undefined when it is not plain single-line data. */
export function emitPlainYaml(value: unknown, opts: YamlOptions): string | undefined {
  if (!isPlainObject(value)) return undefined;
  const out: string[] = [];
  try {
    const s = leaf(value, 'value', opts);
    if (s !== undefined) return `${s}\n`;
    writeMap(value, '', out, '', opts);
  } catch (err) {
    if (err instanceof NotPlain) return undefined;
    throw err;
  }
  return out.join('');
}
