/**
 * Every real sops-written file in third_party/sops-fixtures decrypts with the
 * fixture's keys.txt, its MAC verifies, and the plaintext equals the
 * `*.decrypted.json` beside it (YAML/JSON: the data tree; dotenv: key → value;
 * binary: {"data": <text>}).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decryptFile, readMetadata } from '../src';
import { openFile } from '../src/operations/context';
import { formatForPath } from '../src/stores';
import { loadYamlBranches } from '../src/yaml/load';
import { dumpYamlBranches } from '../src/yaml/dump';
import { parseIdentities } from '../src/identities';
import { toPlain } from '../src/tree';
import { FIXTURES } from './helpers';

const NOT_ENCRYPTED = /(^keys\.txt$|^NOTE\.md$|^README\.md$|^\.sops\.yaml$|\.decrypted\.json$|^expected-plaintext\.json$)/;

const dirs = readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const cases = dirs.flatMap((d) =>
  readdirSync(join(FIXTURES, d))
    .filter((f) => !NOT_ENCRYPTED.test(f))
    .map((f) => ({ dir: d, file: f })),
);

/** `name.enc.ext` → `name.ext.decrypted.json` */
function expectedJsonPath(dir: string, file: string): string {
  return join(FIXTURES, dir, file.replace('.enc.', '.') + '.decrypted.json');
}

/** Parse `sops -d` output back into the representation the *.decrypted.json files use. */
function plainView(format: string, text: string): unknown {
  switch (format) {
    case 'yaml':
      return toPlain(loadYamlBranches(text)[0]);
    case 'json':
      return JSON.parse(text);
    case 'dotenv': {
      const o: Record<string, string> = {};
      for (const l of text.split('\n')) {
        if (!l || l.startsWith('#')) continue;
        const i = l.indexOf('=');
        o[l.slice(0, i)] = l.slice(i + 1).replace(/\\n/g, '\n');
      }
      return o;
    }
    default:
      return { data: text };
  }
}

describe('real sops fixtures', () => {
  it('finds encrypted files in every fixture folder', () => {
    expect(dirs.length).toBeGreaterThanOrEqual(7);
    for (const d of dirs) expect(cases.some((c) => c.dir === d), d).toBe(true);
  });

  for (const { dir, file } of cases) {
    const path = join(FIXTURES, dir, file);
    describe(`${dir}/${file}`, () => {
      const identities = parseIdentities(readFileSync(join(FIXTURES, dir, 'keys.txt'), 'utf8'), 'keys.txt');
      const format = formatForPath(path);

      it('has an expected plaintext beside it', () => {
        expect(existsSync(expectedJsonPath(dir, file))).toBe(true);
      });

      it('decrypts with keys.txt, verifies the MAC and matches *.decrypted.json', async () => {
        const expected = JSON.parse(readFileSync(expectedJsonPath(dir, file), 'utf8'));
        // openFile throws MAC_MISMATCH unless the recomputed MAC equals the stored one.
        const doc = await openFile(path, { identities, config: false });
        expect(toPlain(doc.branches[0])).toEqual(expected);
        const text = await decryptFile(path, { identities, config: false });
        expect(plainView(format, text)).toEqual(expected);
      });

      it('works with the key found through SOPS_AGE_KEY_FILE', async () => {
        const env = { PATH: process.env.PATH, HOME: '/nonexistent', SOPS_AGE_KEY_FILE: join(FIXTURES, dir, 'keys.txt') };
        await expect(decryptFile(path, { env, config: false })).resolves.toBeTypeOf('string');
      });

      it('exposes metadata and key paths without a key', async () => {
        const md = await readMetadata(path);
        expect(md.macPresent).toBe(true);
        expect(md.version).toMatch(/^\d+\.\d+\.\d+$/);
        expect(md.recipients.every((r) => r.startsWith('age1'))).toBe(true);
        expect(md.paths.length).toBeGreaterThan(0);
        expect(md.paths.some((p) => p.encrypted)).toBe(true);
      });

      if (format === 'yaml') {
        it('re-emits byte-identically through the go-yaml emitter port', () => {
          const src = readFileSync(path, 'utf8');
          const indent = /^( +)\S/m.exec(src)![1].length; // the file's indentation unit (stores.yaml.indent)
          expect(dumpYamlBranches(loadYamlBranches(src), indent)).toBe(src);
        });
      }
    });
  }
});
