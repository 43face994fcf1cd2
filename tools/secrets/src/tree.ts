/**
 * The SOPS document model (Go `sops.TreeBranch`): ordered mappings, lists and typed leaves.
 * Types are explicit because the MAC and the `type:` of an encrypted value depend on
 * the *source* scalar (int vs float vs string), which a JS number cannot record.
 */
import { formatRFC3339Nano, parseRFC3339 } from './go/time';
import { int64Range } from './go/strconv';

/** A YAML/dotenv comment line without its leading `#`. `inline` = it was a line comment (sops ≥3.13). */
export class Comment {
  constructor(public value: string, public inline = false) {}
}

/** Go `int` (int64). */
export class SopsInt {
  constructor(public readonly value: bigint) {}
}

/** Go `float64`. */
export class SopsFloat {
  constructor(public readonly value: number) {}
}

/** Go `time.Time`, kept as its canonical RFC3339Nano text (= `MarshalText`). */
export class SopsTime {
  constructor(public readonly text: string) {}
  static parse(text: string): SopsTime {
    const t = parseRFC3339(text);
    if (!t) throw new Error('invalid RFC3339 time');
    return new SopsTime(formatRFC3339Nano(t));
  }
}

/** Raw bytes used as a Go string (binary store). Encrypted as `type:str`. */
export class RawString {
  constructor(public readonly bytes: Uint8Array) {}
}

export type Scalar = string | boolean | null | SopsInt | SopsFloat | SopsTime | RawString;

export interface TreeEntry {
  key: string;
  value: TreeValue;
}

export type BranchItem = TreeEntry | Comment;

export class TreeBranch {
  constructor(public items: BranchItem[] = []) {}
  entries(): TreeEntry[] {
    return this.items.filter((i): i is TreeEntry => !(i instanceof Comment));
  }
  get(key: string): TreeValue | undefined {
    for (const i of this.items) if (!(i instanceof Comment) && i.key === key) return i.value;
    return undefined;
  }
  has(key: string): boolean {
    return this.items.some((i) => !(i instanceof Comment) && i.key === key);
  }
}

export type TreeList = Array<TreeValue | Comment>;
export type TreeValue = Scalar | TreeBranch | TreeList;

export const isEntry = (i: BranchItem): i is TreeEntry => !(i instanceof Comment);

export function cloneValue<T extends TreeValue | Comment>(v: T): T {
  if (v instanceof TreeBranch) {
    return new TreeBranch(v.items.map((i) => (i instanceof Comment ? new Comment(i.value, i.inline) : { key: i.key, value: cloneValue(i.value) }))) as T;
  }
  if (Array.isArray(v)) return v.map((x) => cloneValue(x)) as T;
  if (v instanceof Comment) return new Comment(v.value, v.inline) as T;
  return v;
}

export function cloneBranches(b: TreeBranch[]): TreeBranch[] {
  return b.map((x) => cloneValue(x));
}

/** Plain JS view of a value (comments dropped). Ints become numbers, or bigint beyond 2^53. */
export function toPlain(v: TreeValue): unknown {
  if (v instanceof TreeBranch) {
    const o: Record<string, unknown> = {};
    for (const e of v.entries()) o[e.key] = toPlain(e.value);
    return o;
  }
  if (Array.isArray(v)) return v.filter((x) => !(x instanceof Comment)).map((x) => toPlain(x as TreeValue));
  if (v instanceof SopsInt) return Number.isSafeInteger(Number(v.value)) ? Number(v.value) : v.value;
  if (v instanceof SopsFloat) return v.value;
  if (v instanceof SopsTime) return v.text;
  if (v instanceof RawString) return Buffer.from(v.bytes).toString('utf8');
  return v;
}

/**
 * Tree value from a plain JS value (for setValue). Integral numbers become ints, others floats;
 * pass SopsFloat/SopsInt explicitly to force a type.
 */
export function fromPlain(v: unknown): TreeValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof SopsInt || v instanceof SopsFloat || v instanceof SopsTime || v instanceof RawString) return v;
  if (v instanceof TreeBranch) return v;
  if (typeof v === 'bigint') {
    if (v < int64Range.min || v > int64Range.max) throw new Error('integer out of int64 range');
    return new SopsInt(v);
  }
  if (typeof v === 'number') {
    const int = Number.isInteger(v) && !Object.is(v, -0) && BigInt(v) >= int64Range.min && BigInt(v) <= int64Range.max;
    return int ? new SopsInt(BigInt(v)) : new SopsFloat(v);
  }
  if (v instanceof Uint8Array) return new RawString(new Uint8Array(v));
  if (v instanceof Date) return SopsTime.parse(v.toISOString());
  if (Array.isArray(v)) return v.map(fromPlain);
  if (typeof v === 'object') {
    return new TreeBranch(Object.entries(v as Record<string, unknown>).map(([key, value]) => ({ key, value: fromPlain(value) })));
  }
  throw new Error(`unsupported value type ${typeof v}`);
}

/** Paths (mapping keys and list indices) of every leaf, in document order. */
export function leafPaths(v: TreeValue, prefix: Array<string | number> = [], out: Array<{ path: Array<string | number>; value: Scalar }> = []) {
  if (v instanceof TreeBranch) {
    for (const e of v.entries()) leafPaths(e.value, [...prefix, e.key], out);
  } else if (Array.isArray(v)) {
    let i = 0;
    for (const x of v) {
      if (x instanceof Comment) continue;
      leafPaths(x, [...prefix, i++], out);
    }
  } else {
    out.push({ path: prefix, value: v });
  }
  return out;
}
