/**
 * Go `strconv` behaviour that the SOPS format depends on.
 *
 * The MAC hashes the *text* Go produces for each value, so float rendering
 * must match `strconv.FormatFloat` byte for byte (JS `toString` switches to
 * exponent notation at different thresholds).
 */

/** Shortest round-trip decimal digits of |x| and the decimal point position (Go's `decimal{d, nd, dp}`). */
function shortestDigits(x: number): { digits: string; dp: number } {
  if (x === 0) return { digits: '', dp: 0 };
  // toExponential() without an argument yields the shortest digits that round-trip, like Go's Ryu path.
  const [mant, exp] = Math.abs(x).toExponential().split('e');
  const digits = mant.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, dp: Number(exp) + 1 };
}

function fmtF(neg: boolean, digits: string, dp: number, prec: number): string {
  let s = neg ? '-' : '';
  if (dp > 0) {
    const n = Math.min(dp, digits.length);
    s += digits.slice(0, n) + '0'.repeat(dp - n);
  } else {
    s += '0';
  }
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) {
      const j = dp + i - 1;
      s += j >= 0 && j < digits.length ? digits[j] : '0';
    }
  }
  return s;
}

function fmtE(neg: boolean, digits: string, dp: number, prec: number): string {
  let s = neg ? '-' : '';
  s += digits.length > 0 ? digits[0] : '0';
  if (prec > 0) {
    s += '.';
    const rest = digits.slice(1, 1 + prec);
    s += rest + '0'.repeat(prec - rest.length);
  }
  let exp = digits.length === 0 ? 0 : dp - 1;
  s += 'e';
  if (exp < 0) {
    s += '-';
    exp = -exp;
  } else {
    s += '+';
  }
  s += exp < 10 ? '0' + exp : String(exp);
  return s;
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  return undefined;
}

/** `strconv.FormatFloat(x, 'f', -1, 64)`: used for MAC bytes and encrypted float plaintext. */
export function formatFloatF(x: number): string {
  const sp = special(x);
  if (sp) return sp;
  const neg = x < 0 || Object.is(x, -0);
  const { digits, dp } = shortestDigits(x);
  return fmtF(neg, digits, dp, Math.max(digits.length - dp, 0));
}

/** `strconv.FormatFloat(x, 'g', -1, 64)`: how go-yaml renders floats. */
export function formatFloatG(x: number): string {
  const sp = special(x);
  if (sp) return sp;
  const neg = x < 0 || Object.is(x, -0);
  const { digits, dp } = shortestDigits(x);
  const nd = digits.length;
  const exp = dp - 1;
  // Shortest 'g' uses %e when the exponent is < -4 or >= 6 (strconv's eprec for shortest).
  if (nd > 0 && (exp < -4 || exp >= 6)) return fmtE(neg, digits, dp, nd - 1);
  return fmtF(neg, digits, dp, Math.max(nd - dp, 0));
}

/** encoding/json's float rendering ('f' in [1e-6, 1e21), else 'e' with a 1-digit negative exponent cleanup). */
export function formatFloatJSON(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`json: unsupported value: ${special(x)}`);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    const neg = x < 0;
    const { digits, dp } = shortestDigits(x);
    let s = fmtE(neg, digits, dp, digits.length - 1);
    s = s.replace(/e-0(\d)$/, 'e-$1');
    return s;
  }
  return formatFloatF(x);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** `strconv.ParseInt(s, 0, 64)` semantics: sign, 0x/0o/0b prefixes and a leading 0 meaning octal. */
export function parseIntBase0(s: string): { value: bigint; overflow: 'none' | 'int64' } | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const neg = m[1] === '-';
  let body = m[2];
  let v: bigint;
  if (/^0[oO]/.test(body)) v = BigInt('0o' + body.slice(2));
  else if (/^0[0-7]+$/.test(body)) v = BigInt('0o' + body.slice(1));
  else v = BigInt(body.toLowerCase());
  if (neg) v = -v;
  if (v < INT64_MIN || v > INT64_MAX) return { value: v, overflow: 'int64' };
  return { value: v, overflow: 'none' };
}

/** `strconv.ParseUint(s, 0, 64)`: used by go-yaml only to detect values that overflow int64 but fit uint64. */
export function fitsUint64Base0(s: string): boolean {
  if (s.startsWith('-') || s.startsWith('+')) return false;
  const r = parseIntBase0(s);
  return r !== undefined && r.value >= 0n && r.value <= UINT64_MAX;
}

/** `strconv.Atoi` (decimal, optional sign, int64 range). */
export function atoi(s: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error('invalid syntax');
  const v = BigInt(s);
  if (v < INT64_MIN || v > INT64_MAX) throw new Error('value out of range');
  return v;
}

/** `strconv.ParseFloat(s, 64)` for the decimal and special forms sops ever writes. */
export function parseFloat64(s: string): number {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  if (!/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) throw new Error('invalid syntax');
  const v = Number(s);
  if (!Number.isFinite(v)) throw new Error('value out of range');
  return v;
}

/** `strconv.ParseBool`. */
export function parseBool(s: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw new Error('invalid syntax');
}

export const int64Range = { min: INT64_MIN, max: INT64_MAX };
