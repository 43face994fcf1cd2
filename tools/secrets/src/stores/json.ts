/**
 * JSON store (`stores/json/store.go`): order-preserving parse with sops ≥3.13.2
 * number typing (int if it fits int64, else float), and output built like sops:
 * Go `json.Marshal` scalars, `": "` separators, `json.Indent` with a tab (or N spaces), final newline.
 */
import { Comment, RawString, SopsFloat, SopsInt, SopsTime, TreeBranch, type TreeList, type TreeValue } from '../tree';
import { formatFloatJSON } from '../go/strconv';
import { SopsError } from '../errors';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

class JsonReader {
  i = 0;
  constructor(private s: string) {}
  fail(what: string): never {
    const line = this.s.slice(0, this.i).split('\n').length;
    throw new SopsError('INVALID_FORMAT', `Could not unmarshal input data: ${what} at line ${line}`);
  }
  ws() {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i])) this.i++;
  }
  value(): TreeValue {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === 't' && this.s.startsWith('true', this.i)) {
      this.i += 4;
      return true;
    }
    if (c === 'f' && this.s.startsWith('false', this.i)) {
      this.i += 5;
      return false;
    }
    if (c === 'n' && this.s.startsWith('null', this.i)) {
      this.i += 4;
      return null;
    }
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m || !m[0]) this.fail('invalid character');
    this.i += m[0].length;
    return numberValue(m[0]);
  }
  string(): string {
    const start = this.i;
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\') this.i += 2;
      else if (c === '"') {
        this.i++;
        try {
          return JSON.parse(this.s.slice(start, this.i));
        } catch {
          this.i = start;
          this.fail('invalid string literal');
        }
      } else if (c < ' ') this.fail('invalid character in string literal');
      else this.i++;
    }
    this.fail('unterminated string');
  }
  object(): TreeBranch {
    this.i++;
    const b = new TreeBranch();
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return b;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected object key');
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail("expected ':'");
      this.i++;
      b.items.push({ key, value: this.value() });
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === '}') {
        this.i++;
        return b;
      }
      this.fail("expected ',' or '}'");
    }
  }
  array(): TreeList {
    this.i++;
    const a: TreeList = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return a;
    }
    for (;;) {
      a.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === ']') {
        this.i++;
        return a;
      }
      this.fail("expected ',' or ']'");
    }
  }
}

/** `normalizeJSONNumber`: json.Number.Int64() else Float64(). */
function numberValue(tok: string): TreeValue {
  if (/^-?(0|[1-9][0-9]*)$/.test(tok)) {
    const v = BigInt(tok);
    if (v >= INT64_MIN && v <= INT64_MAX) return new SopsInt(v);
  }
  const f = Number(tok);
  if (!Number.isFinite(f)) throw new SopsError('INVALID_FORMAT', 'Could not unmarshal input data: number out of range');
  return new SopsFloat(f);
}

export function parseJsonBranch(text: string): TreeBranch {
  const r = new JsonReader(text);
  r.ws();
  if (r.i >= text.length) throw new SopsError('INVALID_FORMAT', 'Could not unmarshal input data: empty input');
  if (text[r.i] !== '{') {
    throw new SopsError('INVALID_FORMAT', "SOPS only supports JSON files with a top-level object (starting with '{')");
  }
  return r.object();
}

/** Go encoding/json string encoding (HTML-safe, Go ≥1.22 `\b`/`\f`). */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) {
      if (ch === '"') out += '\\"';
      else if (ch === '\\') out += '\\\\';
      else if (ch === '<' || ch === '>' || ch === '&') out += '\\u00' + cp.toString(16).padStart(2, '0');
      else if (cp >= 0x20) out += ch;
      else if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else if (ch === '\b') out += '\\b';
      else if (ch === '\f') out += '\\f';
      else out += '\\u00' + cp.toString(16).padStart(2, '0');
    } else if (cp === 0x2028 || cp === 0x2029) {
      out += '\\u' + cp.toString(16);
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      out += '\\ufffd'; // lone surrogate = invalid UTF-8 in Go
    } else {
      out += ch;
    }
  }
  return out + '"';
}

function scalarJson(v: TreeValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof SopsInt) return v.value.toString();
  if (v instanceof SopsFloat) {
    try {
      return formatFloatJSON(v.value);
    } catch (e) {
      throw new SopsError('INVALID_FORMAT', `Error marshaling to json: ${(e as Error).message}`);
    }
  }
  if (v instanceof SopsTime) return goJsonString(v.text);
  if (v instanceof RawString) return goJsonString(Buffer.from(v.bytes).toString('utf8'));
  throw new SopsError('INVALID_FORMAT', 'cannot encode value as JSON');
}

/** Serialise a value as sops would after json.Indent (comments are dropped). */
export function jsonValue(v: TreeValue, indent: string, depth = 0): string {
  const pad = (d: number) => indent.repeat(d);
  if (v instanceof TreeBranch) {
    const entries = v.entries();
    if (!entries.length) return '{}';
    return (
      '{\n' +
      entries.map((e) => pad(depth + 1) + goJsonString(e.key) + ': ' + jsonValue(e.value, indent, depth + 1)).join(',\n') +
      '\n' + pad(depth) + '}'
    );
  }
  if (Array.isArray(v)) {
    const items = v.filter((x) => !(x instanceof Comment)) as TreeValue[];
    if (!items.length) return '[]';
    return '[\n' + items.map((x) => pad(depth + 1) + jsonValue(x, indent, depth + 1)).join(',\n') + '\n' + pad(depth) + ']';
  }
  return scalarJson(v);
}

/** Indent option as in .sops.yaml `stores.json.indent`: -1 (default) = tab. */
export function jsonIndentString(indent = -1): string {
  if (indent < -1) throw new SopsError('CONFIG', 'JSON Indentation parameter smaller than -1 is not accepted');
  return indent === -1 ? '\t' : ' '.repeat(indent);
}
