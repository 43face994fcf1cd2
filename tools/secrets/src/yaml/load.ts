/**
 * YAML text → SOPS tree branches, as sops' YAML store builds them
 * (stores/yaml/store.go nodeToTreeValue / appendYamlNodeToTreeBranch):
 * one branch per document, key order kept, comments as Comment items at their
 * position, plain scalars typed by go-yaml rules, aliases expanded into copies,
 * `<<` kept as an ordinary key.
 * Parsing uses the `yaml` package with the failsafe schema (everything a string)
 * so typing is done here on the scalar text.
 */
import { LineCounter, parseAllDocuments, isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Scalar as YScalar } from 'yaml';
import { Comment, RawString, SopsFloat, SopsInt, SopsTime, TreeBranch, type BranchItem, type TreeList, type TreeValue } from '../tree';
import { resolvePlain } from './resolve';
import { formatRFC3339Nano } from '../go/time';
import { SopsError } from '../errors';
import { STD_BASE64 } from '../cipher';

function commentLines(text: string | null | undefined, inline = false): Comment[] {
  if (!text) return [];
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => new Comment(l, inline));
}

function scalarValue(n: YScalar): TreeValue {
  const text = typeof n.value === 'string' ? n.value : n.value === null || n.value === undefined ? '' : String(n.value);
  const tag = n.tag ? n.tag.replace(/^tag:yaml\.org,2002:/, '!!') : '';
  const quoted = n.type !== 'PLAIN';
  if (tag === '!!str' || ((tag === '' || tag === '!') && quoted)) return text;
  if (tag === '!!merge') return '<<'; // go-yaml: an unresolvable tag decodes to the text
  if (tag === '!!binary') return binaryValue(n, text);
  if (tag === '') return fromResolved(text);
  // Explicit core tags: resolve against the tag, as go-yaml does.
  const r = resolvePlain(text);
  switch (tag) {
    case '!!int':
      if (r.tag === 'int') return new SopsInt(r.value);
      break;
    case '!!float':
      if (r.tag === 'float') return new SopsFloat(r.value);
      if (r.tag === 'int') return new SopsFloat(Number(r.value));
      break;
    case '!!bool':
      if (r.tag === 'bool') return r.value;
      break;
    case '!!null':
      if (r.tag === 'null') return null;
      break;
    case '!!timestamp':
      if (r.tag === 'timestamp') return new SopsTime(formatRFC3339Nano(r.value));
      break;
    default:
      return text; // unknown/custom tags decode as strings
  }
  throw new SopsError('INVALID_FORMAT', `a scalar cannot be decoded as ${tag} (line ${lineOf(n)})`);
}


/**
 * go-yaml decodes !!binary into a Go string of the raw bytes and fails on invalid base64. Node's
 * decoder drops invalid characters silently, so a value go-yaml (sops) refuses would be encrypted
 * from other bytes than sops reads: refused here, naming the line, never the value.
 */
function binaryValue(n: YScalar, text: string): RawString {
  // `source` is the scalar after YAML folding. Go's decoder skips only '\r' and '\n': a literal block (`|`)
  // decodes, while a space (`aGVs bG8=`, a folded `>` block, a plain scalar split across lines) is invalid.
  const b64 = String(n.source ?? text).replace(/[\r\n]+/g, '');
  if (!STD_BASE64.test(b64)) throw new SopsError('INVALID_FORMAT', `!!binary value contains invalid base64 data (line ${lineOf(n)})`);
  return new RawString(new Uint8Array(Buffer.from(b64, 'base64')));
}

let currentLines: LineCounter | undefined;
function lineOf(n: Node): number | string {
  if (!currentLines || !n.range) return '?';
  return currentLines.linePos(n.range[0]).line;
}

function fromResolved(text: string): TreeValue {
  const r = resolvePlain(text);
  switch (r.tag) {
    case 'null':
      return null;
    case 'bool':
      return r.value;
    case 'int':
      return new SopsInt(r.value);
    case 'float':
      return new SopsFloat(r.value);
    case 'timestamp':
      return new SopsTime(formatRFC3339Nano(r.value));
    case 'uint':
      throw new SopsError('UNSUPPORTED', 'Cannot walk value, unknown type: uint64 (an integer above the int64 range)');
    default:
      return text;
  }
}

function keyOf(n: unknown, doc: Document): string {
  if (isAlias(n)) return keyOf(n.resolve(doc), doc);
  if (!isScalar(n)) throw new SopsError('INVALID_FORMAT', `Tree contains a non-string key (a collection) at line ${lineOf(n as Node)}`);
  const v = scalarValue(n);
  if (typeof v !== 'string') {
    throw new SopsError('INVALID_FORMAT', `Tree contains a non-string key at line ${lineOf(n)}. Only string keys are supported`);
  }
  return v;
}

interface Escaped {
  col: number;
  comment: Comment;
}
interface Converted {
  value: TreeValue;
  /** Trailing comments indented less than the collection: they belong to an outer level. */
  escaped: Escaped[];
}

let currentSource = '';

function columnOf(offset: number): number {
  return currentLines ? currentLines.linePos(offset).col - 1 : 0;
}

/**
 * The `yaml` package gives all comments after the last entry of a block collection to the
 * innermost collection. go-yaml (and so sops) attaches a comment by its indentation instead,
 * so split them by column: the ones indented less than this collection move outward.
 */
function trailingComments(n: { comment?: string | null; flow?: boolean }, lastEnd: number | undefined, indent: number): { own: Comment[]; escaped: Escaped[] } {
  const lines = commentLines(n.comment);
  if (!lines.length || n.flow || lastEnd === undefined) return { own: lines, escaped: [] };
  // Start on the line after the last entry (its own line may hold an inline comment).
  const atLineStart = lastEnd > 0 && currentSource[lastEnd - 1] === '\n';
  const nl = currentSource.indexOf('\n', lastEnd);
  const cols: number[] = [];
  let pos = atLineStart ? lastEnd : nl === -1 ? currentSource.length : nl + 1;
  while (pos < currentSource.length && cols.length < lines.length) {
    const eol = currentSource.indexOf('\n', pos);
    const line = currentSource.slice(pos, eol === -1 ? undefined : eol);
    const m = /^([ \t]*)#/.exec(line);
    if (m) cols.push(m[1].length);
    else if (line.trim() !== '') break;
    pos = eol === -1 ? currentSource.length : eol + 1;
  }
  if (cols.length !== lines.length) return { own: lines, escaped: [] };
  const own: Comment[] = [];
  const escaped: Escaped[] = [];
  lines.forEach((c, i) => {
    if (escaped.length || cols[i] < indent) escaped.push({ col: cols[i], comment: c });
    else own.push(c);
  });
  return { own, escaped };
}

function placeEscaped(escaped: Escaped[], indent: number, here: Array<BranchItem | TreeValue>, up: Escaped[]) {
  for (const e of escaped) {
    if (!up.length && e.col >= indent) here.push(e.comment);
    else up.push(e);
  }
}

function convert(n: unknown, doc: Document, depth = 0): Converted {
  if (depth > 1000) throw new SopsError('INVALID_FORMAT', 'YAML nesting too deep (alias loop?)');
  if (n === null || n === undefined) return { value: null, escaped: [] };
  if (isAlias(n)) {
    const target = n.resolve(doc);
    if (!target) throw new SopsError('INVALID_FORMAT', `unknown alias *${n.source}`);
    return { value: convert(target, doc, depth + 1).value, escaped: [] };
  }
  if (isScalar(n)) return { value: scalarValue(n), escaped: [] };
  if (isMap(n)) {
    const items: BranchItem[] = [...commentLines(n.commentBefore)];
    const up: Escaped[] = [];
    const first = n.items[0] && isPair(n.items[0]) ? (n.items[0].key as Node | null) : null;
    const indent = first?.range ? columnOf(first.range[0]) : 0;
    let lastEnd: number | undefined;
    for (const pair of n.items) {
      if (!isPair(pair)) continue;
      const k = pair.key as Node | null;
      const v = pair.value as Node | null;
      items.push(...commentLines((k as YScalar | null)?.commentBefore));
      items.push(...commentLines((k as YScalar | null)?.comment));
      const valueIsScalar = v === null || isScalar(v) || isAlias(v);
      if (valueIsScalar && v) {
        items.push(...commentLines((v as YScalar).commentBefore));
        items.push(...commentLines((v as YScalar).comment, true));
      }
      const r = convert(v, doc, depth + 1);
      items.push({ key: keyOf(k, doc), value: r.value });
      placeEscaped(r.escaped, indent, items, up);
      lastEnd = (v?.range ?? k?.range)?.[1];
    }
    const t = trailingComments(n, lastEnd, indent);
    items.push(...t.own);
    up.push(...t.escaped);
    return { value: new TreeBranch(items), escaped: up };
  }
  if (isSeq(n)) {
    const list: TreeList = [...commentLines(n.commentBefore)];
    const up: Escaped[] = [];
    const indent = n.range ? columnOf(n.range[0]) : 0;
    let lastEnd: number | undefined;
    for (const item of n.items) {
      const it = item as Node | null;
      if (it && (isScalar(it) || isAlias(it))) {
        list.push(...commentLines((it as YScalar).commentBefore));
        list.push(...commentLines((it as YScalar).comment, true));
      }
      const r = convert(it, doc, depth + 1);
      list.push(r.value);
      placeEscaped(r.escaped, indent, list as Array<BranchItem | TreeValue>, up);
      lastEnd = it?.range?.[1];
    }
    const t = trailingComments(n, lastEnd, indent);
    list.push(...t.own);
    up.push(...t.escaped);
    return { value: list, escaped: up };
  }
  throw new SopsError('INVALID_FORMAT', 'unsupported YAML node');
}

/** Parse every document of a YAML stream into a branch. Errors never quote the source text. */
export function loadYamlBranches(text: string): TreeBranch[] {
  const lines = new LineCounter();
  currentLines = lines;
  currentSource = text;
  try {
    const docs = parseAllDocuments(text, { schema: 'failsafe', merge: false, uniqueKeys: true, prettyErrors: false, lineCounter: lines, strict: false });
    if (!Array.isArray(docs)) return [];
    const out: TreeBranch[] = [];
    for (const doc of docs) {
      const err = doc.errors[0];
      if (err) {
        const pos = lines.linePos(err.pos[0]);
        const what = err.code === 'DUPLICATE_KEY' ? 'duplicate mapping key' : err.code.toLowerCase().replace(/_/g, ' ');
        throw new SopsError('INVALID_FORMAT', `Error unmarshaling input YAML: ${what} at line ${pos.line}, column ${pos.col}`);
      }
      const c = doc.contents as unknown;
      const branch = new TreeBranch(commentLines(doc.commentBefore));
      if (c === null || c === undefined || (isScalar(c) && c.type === 'PLAIN' && (c.value === '' || c.value === null))) {
        branch.items.push(...commentLines(doc.comment));
        out.push(branch);
        continue;
      }
      if (isSeq(c)) throw new SopsError('INVALID_FORMAT', 'Error unmarshaling input YAML: YAML documents that are sequences are not supported');
      if (!isMap(c)) throw new SopsError('INVALID_FORMAT', 'Error unmarshaling input YAML: YAML documents that are values are not supported');
      const root = convert(c, doc);
      branch.items.push(...(root.value as TreeBranch).items, ...root.escaped.map((e) => e.comment), ...commentLines(doc.comment));
      out.push(branch);
    }
    return out;
  } finally {
    currentLines = undefined;
    currentSource = '';
  }
}
