/**
 * go-yaml v3 scalar resolution (resolve.go) and string style choice (encode.go stringv).
 * sops types plain YAML scalars this way, and the type decides both the `type:` of the
 * encrypted value and the bytes the MAC hashes, so JS YAML 1.2 typing cannot be used
 * (it disagrees on `0755`, `1_000`, timestamps, `<<`).
 */
import { fitsUint64Base0, parseFloat64, parseIntBase0 } from '../go/strconv';
import { parseYamlTimestamp, type GoTime } from '../go/time';

export type Resolved =
  | { tag: 'null' }
  | { tag: 'bool'; value: boolean }
  | { tag: 'int'; value: bigint }
  | { tag: 'uint' }
  | { tag: 'float'; value: number }
  | { tag: 'timestamp'; value: GoTime }
  | { tag: 'str' };

const MAP: Record<string, Resolved> = {};
for (const s of ['true', 'True', 'TRUE']) MAP[s] = { tag: 'bool', value: true };
for (const s of ['false', 'False', 'FALSE']) MAP[s] = { tag: 'bool', value: false };
for (const s of ['', '~', 'null', 'Null', 'NULL']) MAP[s] = { tag: 'null' };
for (const s of ['.nan', '.NaN', '.NAN']) MAP[s] = { tag: 'float', value: NaN };
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) MAP[s] = { tag: 'float', value: Infinity };
for (const s of ['-.inf', '-.Inf', '-.INF']) MAP[s] = { tag: 'float', value: -Infinity };

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

function hint(s: string): string {
  if (s === '') return 'N';
  const c = s[0];
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  if (c === '.') return '.';
  return '';
}

/** `resolve("", s)` for an untagged plain scalar. */
export function resolvePlain(s: string): Resolved {
  const h = hint(s);
  if (!h) return { tag: 'str' };
  const m = MAP[s];
  if (m) return m;
  if (h === '.') {
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s)) {
      const v = Number(s);
      if (Number.isFinite(v)) return { tag: 'float', value: v };
    }
    return { tag: 'str' };
  }
  if (h === 'D' || h === 'S') {
    const ts = parseYamlTimestamp(s);
    if (ts) return { tag: 'timestamp', value: ts };
    const plain = s.replace(/_/g, '');
    const i = parseIntBase0(plain);
    if (i && i.overflow === 'none') return { tag: 'int', value: i.value };
    if (fitsUint64Base0(plain)) return { tag: 'uint' };
    if (YAML_STYLE_FLOAT.test(plain)) {
      try {
        return { tag: 'float', value: parseFloat64(plain) };
      } catch {
        /* out of range: a string */
      }
    }
  }
  return { tag: 'str' };
}

const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const OLD_BOOLS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);

/** The style go-yaml's `stringv` picks for a Go string (before the emitter's own checks). */
export function stringStyle(s: string): 'plain' | 'double' | 'literal' {
  if (s.includes('\n')) return 'literal';
  const canUsePlain = resolvePlain(s).tag === 'str' && !(/^[-+0-9]/.test(s) && s.includes(':') && BASE60.test(s)) && !OLD_BOOLS.has(s);
  return canUsePlain ? 'plain' : 'double';
}
