/** Unit checks of the Go behaviours the format depends on (MAC bytes, go-yaml typing and styling). */
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { formatFloatF, formatFloatG, formatFloatJSON, parseIntBase0 } from '../src/go/strconv';
import { resolvePlain, stringStyle } from '../src/yaml/resolve';
import { dumpYamlBranches } from '../src/yaml/dump';
import { loadYamlBranches } from '../src/yaml/load';
import { toBytes } from '../src/cipher';
import { shamirCombine, shamirSplit } from '../src/shamir';
import { goJsonString } from '../src/stores/json';
import { flattenMetadata, unflattenMetadata } from '../src/stores/flatten';
import { SopsFloat, SopsInt, SopsTime, TreeBranch, fromPlain } from '../src/tree';

describe('strconv.FormatFloat', () => {
  it("'f' (MAC bytes and float plaintext) never uses an exponent", () => {
    expect(formatFloatF(1e20)).toBe('100000000000000000000');
    expect(formatFloatF(1e21)).toBe('1000000000000000000000');
    expect(formatFloatF(1.5e-7)).toBe('0.00000015');
    expect(formatFloatF(1.5)).toBe('1.5');
    expect(formatFloatF(1)).toBe('1');
    expect(formatFloatF(-0)).toBe('-0');
    expect(formatFloatF(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(formatFloatF(Infinity)).toBe('+Inf');
    expect(formatFloatF(-Infinity)).toBe('-Inf');
    expect(formatFloatF(NaN)).toBe('NaN');
  });

  it("'g' (go-yaml output) switches to exponents at 1e21 / 1e-4 like Go", () => {
    expect(formatFloatG(1234568000)).toBe('1.234568e+09');
    expect(formatFloatG(100000)).toBe('100000');
    expect(formatFloatG(1000000)).toBe('1e+06');
    expect(formatFloatG(0.0001)).toBe('0.0001');
    expect(formatFloatG(0.00001)).toBe('1e-05');
    expect(formatFloatG(3.14)).toBe('3.14');
    expect(formatFloatG(1e100)).toBe('1e+100');
  });

  it('encoding/json rendering', () => {
    expect(formatFloatJSON(25.4)).toBe('25.4');
    expect(formatFloatJSON(1e21)).toBe('1e+21');
    expect(formatFloatJSON(1e-7)).toBe('1e-7');
    expect(formatFloatJSON(1)).toBe('1');
  });
});

describe('go-yaml resolve', () => {
  it.each([
    ['0755', { tag: 'int', value: 493n }],
    ['0x1F', { tag: 'int', value: 31n }],
    ['0o17', { tag: 'int', value: 15n }],
    ['0b101', { tag: 'int', value: 5n }],
    ['1_000', { tag: 'int', value: 1000n }],
    ['-42', { tag: 'int', value: -42n }],
    ['08', { tag: 'float', value: 8 }],
    ['1e3', { tag: 'float', value: 1000 }],
    ['.5', { tag: 'float', value: 0.5 }],
    ['.inf', { tag: 'float', value: Infinity }],
    ['true', { tag: 'bool', value: true }],
    ['False', { tag: 'bool', value: false }],
    ['yes', { tag: 'str' }],
    ['~', { tag: 'null' }],
    ['', { tag: 'null' }],
    ['<<', { tag: 'str' }],
    ['18446744073709551615', { tag: 'uint' }],
    ['1.2.3', { tag: 'str' }],
  ])('%s', (s, expected) => {
    expect(resolvePlain(s)).toEqual(expected);
  });

  it('timestamps', () => {
    expect(resolvePlain('2024-1-2').tag).toBe('timestamp');
    expect(resolvePlain('2024-01-02 03:04:05').tag).toBe('timestamp');
    expect(resolvePlain('2024-02-30').tag).toBe('str');
    const [b] = loadYamlBranches('a: 2024-01-02T03:04:05.120+02:00\n');
    expect((b.get('a') as SopsTime).text).toBe('2024-01-02T03:04:05.12+02:00');
  });

  it('string styles', () => {
    expect(stringStyle('hello')).toBe('plain');
    expect(stringStyle('true')).toBe('double');
    expect(stringStyle('y')).toBe('double');
    expect(stringStyle('12:30')).toBe('double'); // base 60
    expect(stringStyle('')).toBe('double');
    expect(stringStyle('a\nb')).toBe('literal');
  });

  it('parseIntBase0 range', () => {
    expect(parseIntBase0('9223372036854775807')).toEqual({ value: 9223372036854775807n, overflow: 'none' });
    expect(parseIntBase0('9223372036854775808')?.overflow).toBe('int64');
  });
});

describe('go-yaml emitter', () => {
  const emit = (v: unknown) => dumpYamlBranches([fromPlain(v) as TreeBranch]);
  it('quotes, escapes and block styles', () => {
    expect(emit({ a: '- x', b: 'x: y', c: "it's", d: ' lead', e: 'tab\there', f: 'emoji 😀', g: '#x', h: 'a #b', i: 'null', j: 'a: b\nc' })).toBe(
      "a: '- x'\nb: 'x: y'\nc: it's\nd: ' lead'\ne: \"tab\\there\"\nf: \"emoji \\U0001F600\"\ng: '#x'\nh: 'a #b'\ni: \"null\"\nj: |-\n    a: b\n    c\n",
    );
  });
  it('literal chomping and indentation indicators', () => {
    expect(emit({ keep: 'a\n\n', strip: 'a\nb', lead: '  x\ny\n' })).toBe('keep: |+\n    a\n\nstrip: |-\n    a\n    b\nlead: |4\n      x\n    y\n');
  });
  it('multi-line keys use the complex-key form; empty collections are flow', () => {
    expect(emit({ 'a\nb': 1, m: {}, l: [] })).toBe('? |-\n    a\n    b\n: 1\nm: {}\nl: []\n');
  });
  it('nested sequences and maps', () => {
    expect(emit({ l: [[1, 2], { a: 1, b: [true] }] })).toBe('l:\n    - - 1\n      - 2\n    - a: 1\n      b:\n        - true\n');
  });
});

describe('MAC bytes', () => {
  it('match Go ToBytes', () => {
    expect(toBytes(true).bytes.toString()).toBe('True');
    expect(toBytes(false).bytes.toString()).toBe('False');
    expect(toBytes(new SopsInt(-42n)).bytes.toString()).toBe('-42');
    expect(toBytes(new SopsFloat(1e21)).bytes.toString()).toBe('1000000000000000000000');
    expect(toBytes(new SopsTime('2024-01-02T00:00:00Z')).bytes.toString()).toBe('2024-01-02T00:00:00Z');
  });
  it('mac_only_encrypted prefix is sha256("sops")', () => {
    expect(createHash('sha256').update('sops').digest('hex')).toBe('8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69');
  });
});

describe('Go encoding/json strings', () => {
  it('escapes like json.Marshal', () => {
    expect(goJsonString('<a&b>"\\\n\t\b\f\u0001\u2028é')).toBe('"\\u003ca\\u0026b\\u003e\\"\\\\\\n\\t\\b\\f\\u0001\\u2028é"');
  });
});

describe('Shamir', () => {
  it('any threshold subset recovers the secret', () => {
    const secret = randomBytes(32);
    const parts = shamirSplit(secret, 3, 2);
    expect(parts[0]).toHaveLength(33);
    for (const pair of [[0, 1], [0, 2], [1, 2]]) {
      expect(Buffer.from(shamirCombine(pair.map((i) => parts[i]))).equals(secret)).toBe(true);
    }
  });
});

describe('dotenv metadata flattening', () => {
  it('flattens and unflattens', () => {
    const md = fromPlain({ age: [{ enc: 'a\nb', recipient: 'r' }], mac_only_encrypted: true, shamir_threshold: 2 }) as TreeBranch;
    const flat = flattenMetadata(md);
    expect(flat).toEqual([
      { key: 'sops_age__list_0__map_enc', value: 'a\\nb' },
      { key: 'sops_age__list_0__map_recipient', value: 'r' },
      { key: 'sops_mac_only_encrypted', value: 'true' },
      { key: 'sops_shamir_threshold', value: '2' },
    ]);
    expect(unflattenMetadata(flat.map((e) => ({ key: e.key.slice(5), value: e.value })))).toEqual({
      age: [{ enc: 'a\\nb', recipient: 'r' }],
      mac_only_encrypted: 'true',
      shamir_threshold: '2',
    });
  });
});
