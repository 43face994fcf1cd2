/**
 * The fast parser (js-yaml with `yaml`'s 1.2 core schema, @gitops/yaml-read) must read exactly what
 * `yaml`'s document API reads: over the real kustomize output of every committed kustomization and
 * over the plain scalars where YAML 1.1, js-yaml's own schemas and YAML 1.2 core disagree.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadYamlDocuments } from '@gitops/yaml-read';
import { kustomizeBuildText, parseYamlDocuments } from '../src';

const repo = resolve(__dirname, '../../..');

/** What the code read before: `yaml`'s document API, YAML 1.2 core, empty documents dropped. */
function parseWithYaml(text: string): unknown[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length) throw new Error(doc.errors[0].message);
      return doc.toJS({ maxAliasCount: -1 }) as unknown;
    })
    .filter((d) => d !== null && d !== undefined);
}

/**
 * Every folder under `dir` with a kustomization that builds on its own (not a Component, not
 * secrets/, not argocd/install, which fetches Argo CD's release from GitHub: its vendored copy is
 * compared below).
 */
function kustomizations(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    const file = join(d, 'kustomization.yaml');
    if (existsSync(file) && !/^kind:\s*Component\s*$/m.test(readFileSync(file, 'utf8'))) out.push(d);
    for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory() && e.name !== 'secrets' && join(d, e.name) !== join(repo, 'argocd/install')) walk(join(d, e.name));
  };
  walk(dir);
  return out.sort();
}

// Plain scalars whose type depends on the schema: YAML 1.1 (Go's sigs.k8s.io/yaml), js-yaml's
// DEFAULT/CORE schemas and YAML 1.2 core each read some of them differently.
const SCALARS = [
  '', '~', 'null', 'Null', 'NULL', 'nUll', 'true', 'True', 'TRUE', 'tRue', 'yes', 'No', 'on', 'off', 'y', 'n',
  '0755', '00', '0', '-0', '+5', '0o17', '0O17', '0o', '0x1F', '0X1F', '0x', '+0x1', '-0x1', '0b101', '1_000',
  '1e3', '1E+3', '+.5e-3', '.5', '5.', '1.0', '0.10', '1.2.3', '+.inf', '-.Inf', '.INF', 'inf', '.NaN', '.nan', 'NaN',
  '2026-01-01', '2026-01-01T00:00:00Z', '60:00', '1:30', '<<', '=', '123456789012345678901234', '9007199254740993',
];

describe('parseYamlDocuments reads what yaml reads', () => {
  it('every plain scalar, in block and flow context', () => {
    const body = SCALARS.map((s, i) => `k${i}: ${s}\nl${i}: [${s || '""'}]\n`).join('');
    const text = `---\n---\nempty:\nliteral: |\n  x\nfolded: >-\n  a\n  b\n---\n${body}<<: {a: 1}\n`;
    const fast = parseYamlDocuments(text, 'scalars');
    expect(fast).toEqual(parseWithYaml(text));
    expect(isDeepStrictEqual(fast, parseWithYaml(text))).toBe(true); // also NaN, -0 and key order
    const values = fast[1] as Record<string, unknown>;
    // The differences the custom schema exists for (js-yaml's DEFAULT_SCHEMA would give 5, 1000, a Date, a merge).
    expect(values[`k${SCALARS.indexOf('0b101')}`]).toBe('0b101');
    expect(values[`k${SCALARS.indexOf('1_000')}`]).toBe('1_000');
    expect(values[`k${SCALARS.indexOf('2026-01-01')}`]).toBe('2026-01-01');
    expect(values[`k${SCALARS.indexOf('0755')}`]).toBe(755);
    expect(values['<<']).toEqual({ a: 1 });
  });

  it('every committed kustomization: the real kustomize output parses to identical objects', async () => {
    const dirs = [...kustomizations(join(repo, 'environments')), ...kustomizations(join(repo, 'argocd'))];
    expect(dirs.length).toBeGreaterThan(39);
    let objects = 0;
    const queue = [...dirs];
    const worker = async () => {
      for (let dir = queue.shift(); dir; dir = queue.shift()) {
        const text = await kustomizeBuildText(dir);
        const fast = parseYamlDocuments(text, dir);
        const slow = parseWithYaml(text);
        expect(isDeepStrictEqual(fast, slow), dir).toBe(true);
        objects += fast.length;
      }
    };
    await Promise.all([worker(), worker()]);
    expect(objects).toBeGreaterThan(1000);
  }, 300_000);

  it('the vendored upstream YAML (CRDs, Argo CD install.yaml) parses to identical objects', () => {
    const crds = join(repo, 'third_party/crds');
    const files = [...readdirSync(crds).filter((f) => f.endsWith('.yaml')).map((f) => join(crds, f)), join(repo, 'third_party/argo-cd-v3.5.1/install.yaml')];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(isDeepStrictEqual(loadYamlDocuments(text, file), parseWithYaml(text)), file).toBe(true);
    }
  });

  it('a syntax error names the source, line and column, and never quotes the text', () => {
    expect(() => loadYamlDocuments('a: [1\nb: not-shown-value\n', 'kustomize build x')).toThrow(
      /^kustomize build x: YAML missed comma between flow collection entries at line 2, column 1$/,
    );
    expect(() => loadYamlDocuments('a: 1\na: 2\n', 'f')).toThrow(/^f: YAML duplicated mapping key at line 2, column 1$/);
  });
});
