/**
 * loadSimpleYamlDocument is a shortcut past `yaml`'s document API for hand-written files
 * (releases.yaml, recipients.yaml): whenever it answers, the answer is exactly what `yaml`'s parse
 * gives; for anything it cannot read that way it answers undefined and the caller reads with `yaml`.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadSimpleYamlDocument } from '../src';

const plain = 'images:\n  registry.example/api:\n    dev: "1.1.0"\n    prod: v1\n';

describe('loadSimpleYamlDocument', () => {
  it('reads the plain block subset exactly as yaml does (quotes, comments, a leading ---, CRLF, a BOM, YAML 1.2 scalars)', () => {
    const texts = [
      plain,
      `---\n${plain}`,
      `# releases\n${plain}# end\n`,
      plain.replaceAll('\n', '\r\n'),
      `\uFEFF${plain}`,
      'a: 1_000\nb: 0b101\nc: 2026-01-01\nd: on\ne: yes\nf: 0o17\ng: 0x1F\nh: .inf\ni: "1.0"\nj: 1.0\nk: null\nl: true\n',
      'envs:\n  dev:\n    - age1abc\n    - age1def\n',
      // Flow collections as values, and full-line comments holding characters the subset excludes.
      'images:\n  r: { dev: "2026.02", prod: v1 }\n  s: [a, "b", 1]\n',
      '# mirror/* images (see `az acr import`) & more\n  # indented: [x]: y\nimages:\n  r:\n    dev: v1\n',
    ];
    for (const text of texts) {
      const fast = loadSimpleYamlDocument(text, 'f.yaml');
      expect(fast, JSON.stringify(text)).not.toBeUndefined();
      expect(fast, JSON.stringify(text)).toEqual(parse(text));
    }
  });

  it('leaves to yaml what js-yaml would read differently: directives, extra documents, anchors, tags, flow and complex or null keys, long keys, errors', () => {
    const texts = [
      `%YAML 1.1\n---\nimages:\n  r:\n    dev: yes\n`, // yaml reads YAML 1.1 here (yes is true), js-yaml ignores the directive
      `${plain}---\n`, // a second, empty document: yaml refuses it
      `---\n---\n${plain}`,
      `...\n---\n${plain}`,
      `x: &m {dev: "1"}\ny: *m\n`,
      'a: !!str 1.0\n',
      '[a, b]: 1\n', // flow collections where a key can be: js-yaml reads "a,b", yaml "[ a, b ]"
      '{a: 1}: 1\n',
      '- [a]: 1\n',
      'x: { [a]: 1 }\n',
      'x: {b: 1, [a]: 1}\n',
      'a: 1 # trailing * comment\n',
      '? [a, b]\n: 1\n',
      '~: 1\n',
      'null: 1\n',
      `${'k'.repeat(1100)}: 1\n`,
      'a: 1\na: 2\n',
      'a: [1\n',
      '',
    ];
    for (const text of texts) expect(loadSimpleYamlDocument(text, 'f.yaml'), JSON.stringify(text.slice(0, 40))).toBeUndefined();
  });

  it('every committed releases.yaml and recipients.yaml is in the subset: every start takes the fast path', () => {
    const root = join(import.meta.dirname, '../../..');
    const files = [...readdirSync(join(root, 'libs/platforms')).map((p) => join(root, 'libs/platforms', p, 'releases.yaml')), join(root, 'libs/environments/recipients.yaml')];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(loadSimpleYamlDocument(text, f), f).toEqual(parse(text));
    }
  });
});

