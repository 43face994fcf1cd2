/**
 * The fast emitter (src/yaml-emit.ts) writes exactly what `yaml.stringify` writes with toYaml's
 * options, byte for byte: over every object of the committed generated trees and over hard cases.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { execaSync } from 'execa';
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toYaml, YAML_OPTIONS } from '../src';
import { emitPlainYaml } from '../src/yaml-emit';

const repo = resolve(__dirname, '../../..');
const reference = (v: unknown) => stringify(v, YAML_OPTIONS);

const STRINGS = [
  'plain', 'with space', 'on', 'off', 'yes', 'no', 'y', 'n', 'On', 'YES', 'true', 'False', 'null', 'Null', '~', '', ' ',
  ' leading', 'trailing ', '0755', '0x1F', '0o17', '1_000', '60:00', '1:30', '2026-01-01', '2026-01-01T00:00:00Z', '1e3', '.inf', '-.inf', '.nan',
  '12', '-5', '+5', '3.14', 'a: b', 'a:b', 'http://x.example/y?z=1#f', 'a #b', 'a#b', '#comment', '- item', '-', '--', '? q', '?q', ': x',
  '*alias', '&anchor', '!tag', '@at', '`tick', '"double"', "'single'", 'it\'s', 'back\\slash', 'tab\there', 'caf\u00e9', '\u{1F680} rocket',
  '{flow}', '[flow]', 'a,b', 'a, b', '|', '>', 'x'.repeat(300), 'nginx:1.25', 'registry.example/app@sha256:' + 'a'.repeat(64), 'app.kubernetes.io/name',
  '$(VAR)', '${VAR}', 'a\u0000b', 'a\u007fb', '\u00a0nbsp', 'ends with colon:', 'k=v', '=', '<<',
];

describe('fast emitter = yaml.stringify', () => {
  it('every object of the generated trees', () => {
    const files = execaSync('git', ['ls-files', '-co', '--exclude-standard', 'environments', 'argocd'], { cwd: repo })
      .stdout.split('\n')
      .filter((f) => f.endsWith('.yaml') && !f.includes('/secrets/') && existsSync(resolve(repo, f)));
    const objects = files.flatMap((f) => parseAllDocuments(readFileSync(resolve(repo, f), 'utf8')).map((d) => d.toJS() as unknown)).filter((o) => o && typeof o === 'object');
    expect(objects.length).toBeGreaterThan(500);
    let fast = 0;
    for (const o of objects) {
      const expected = reference(o);
      const emitted = emitPlainYaml(o, YAML_OPTIONS);
      if (emitted !== undefined) {
        fast++;
        expect(emitted).toBe(expected);
      }
      expect(toYaml(o)).toBe(expected);
    }
    expect(fast / objects.length).toBeGreaterThan(0.8); // the fast path is the one exercised
  });

  it('strings that need quoting, escaping or nothing, as keys, values and items', () => {
    const value = {
      values: Object.fromEntries(STRINGS.map((s, i) => [`k${i}`, s])),
      items: STRINGS,
      keys: Object.fromEntries(STRINGS.filter((s) => s !== '<<').map((s) => [s, 1])),
      env: STRINGS.map((s) => ({ name: 'X', value: s })),
    };
    expect(emitPlainYaml(value, YAML_OPTIONS)).toBe(reference(value));
  });

  it('layout: nesting, empty and undefined members, sequences in sequences', () => {
    const cases: unknown[] = [
      {},
      { a: {} },
      { a: [] },
      { a: { b: undefined } },
      { a: undefined, b: 1 },
      { a: [undefined, null, 1] },
      { a: [[1, [2, []]], [], {}, [{ b: 1, c: [3] }]] },
      { a: [{ b: { c: { d: [{ e: 1 }, { f: {} }] } }, g: [] }] },
      { list: [[{ x: 1, y: 2 }]], t: true, f: false, n: null, big: 9007199254740991, neg: -12 },
      Object.assign(Object.create(null), { nullProto: { a: 1 } }),
      { '80': 'port', 8080: 'n', '': 'empty key' },
    ];
    for (const c of cases) expect(emitPlainYaml(c, YAML_OPTIONS), JSON.stringify(c)).toBe(reference(c));
  });

  it('multi-line strings as values and items, at every depth (yaml writes each, the emitter indents it)', () => {
    const texts = ['line 1\nline 2\n', 'a\nb', '  indented\nblock', 'x\n\n\ny\n\n', '\nleading newline', 'tab\there\n "q" #c\n- item', 'trailing space \nz', 'on\noff'];
    const cases: unknown[] = [
      { script: texts[0] },
      { data: Object.fromEntries(texts.map((t, i) => [`f${i}.conf`, t])) },
      { items: texts },
      { spec: { groups: [{ name: 'g', rules: texts.map((expr) => ({ alert: 'A', expr, for: '5m' })) }] } },
      { deep: [[texts[3], { k: [texts[2]] }]] },
    ];
    for (const c of cases) {
      const emitted = emitPlainYaml(c, YAML_OPTIONS);
      expect(emitted, JSON.stringify(c)).toBeDefined(); // written here, not handed to yaml whole
      expect(emitted).toBe(reference(c));
    }
  });

  it('hands everything it does not write itself to yaml, and toYaml still equals yaml.stringify', () => {
    const cases: unknown[] = [
      { 'multi\nline key': 1 },
      { a: 'line 1\n--- a line that is a document marker' },
      { '---': 1 },
      { a: { '...': 1 } },
      { a: ['%x'] },
      { a: 'x', b: '--- not a document' },
      { ratio: 0.5 },
      { negZero: -0 },
      { huge: 2 ** 60 },
      { when: new Date(0) },
      { nested: new Map([['a', 1]]) },
      [1, 2],
      'scalar',
    ];
    for (const c of cases) {
      expect(emitPlainYaml(c, YAML_OPTIONS), String(c)).toBeUndefined();
      expect(toYaml(c)).toBe(reference(c));
    }
  });
});
