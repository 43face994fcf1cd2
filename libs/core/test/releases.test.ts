import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseReleases } from '../src';

const FILE = 'libs/platforms/demo/releases.yaml';
const releases = (staging: string) => `images:\n  registry.example/demo/api:\n    dev: "1.1.0"\n    staging: ${staging}\n    prod: "1.0.0"\n`;

describe('parseReleases', () => {
  it('reads quoted tags and digests', () => {
    expect(parseReleases(releases('"1.0"'), FILE)).toEqual({ 'registry.example/demo/api': { dev: '1.1.0', staging: '1.0', prod: '1.0.0' } });
  });

  it('an unquoted number is named as written, with file, line and key, and how to quote it (not as the parsed 1)', () => {
    expect(() => parseReleases(releases('1.0'), FILE)).toThrowError(
      `${FILE}:4: images["registry.example/demo/api"].staging is 1.0, which YAML reads as the number 1, not a tag: quote it (staging: "1.0")`,
    );
    expect(() => parseReleases(releases('1.10'), FILE)).toThrowError(/is 1\.10, which YAML reads as the number 1\.1, not a tag: quote it \(staging: "1\.10"\)/);
    expect(() => parseReleases(releases('true'), FILE)).toThrowError(/is true, which YAML reads as the boolean true/);
    expect(() => parseReleases(releases('~'), FILE)).toThrowError(/is ~, which YAML reads as null/);
    expect(() => parseReleases(releases(''), FILE)).toThrowError(`${FILE}:4: images["registry.example/demo/api"].staging is empty, which YAML reads as null: give a tag or digest`);
  });

  it('an invalid string tag keeps its message', () => {
    expect(() => parseReleases(releases('"v 1"'), FILE)).toThrowError(`${FILE}: images["registry.example/demo/api"].staging is not a valid image tag or sha256 digest: "v 1"`);
  });

  it('every committed releases file reads as `yaml` reads it (the fast reader is the common path), and a problem still names its line', () => {
    const platforms = join(import.meta.dirname, '../../platforms');
    const files = readdirSync(platforms).map((p) => join(platforms, p, 'releases.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(parseReleases(text, f)).toEqual(parse(text).images);
    }
    // Unquoted and quoted YAML 1.2 core scalars: a string only when `yaml` reads a string.
    for (const [written, tag] of [['v1', 'v1'], ['"1.0"', '1.0'], ["'0755'", '0755'], ['1_000', '1_000'], ['0b101', '0b101'], ['2026-01-01', '2026-01-01'], ['sha256:' + 'a'.repeat(64), 'sha256:' + 'a'.repeat(64)]] as const) {
      expect(parseReleases(releases(written), FILE)['registry.example/demo/api'].staging).toBe(tag);
    }
    expect(() => parseReleases(releases('0x1F'), FILE)).toThrowError(`${FILE}:4: images["registry.example/demo/api"].staging is 0x1F, which YAML reads as the number 31, not a tag: quote it (staging: "0x1F")`);
    expect(() => parseReleases(`${releases('"1.0"')}images: {}\n`, FILE)).toThrowError(/cannot read releases file: Map keys must be unique/);
  });

  it('what the fast reader would read differently goes through yaml: a YAML 1.1 directive, an extra document, and alias errors name the file', () => {
    expect(() => parseReleases(`%YAML 1.1\n---\n${releases('yes')}`, FILE)).toThrowError(
      `${FILE}:6: images["registry.example/demo/api"].staging is yes, which YAML reads as the boolean true, not a tag: quote it (staging: "yes")`,
    );
    expect(() => parseReleases(`${releases('"1.0"')}---\n`, FILE)).toThrowError(/^libs\/platforms\/demo\/releases\.yaml: cannot read releases file: Source contains multiple documents/);
    expect(() => parseReleases('images:\n  r:\n    dev: *nope\n', FILE)).toThrowError(/^libs\/platforms\/demo\/releases\.yaml: cannot read releases file: Unresolved alias/);
  });
});

