import { describe, expect, it } from 'vitest';
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
});
