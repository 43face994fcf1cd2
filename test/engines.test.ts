/**
 * The Node versions the repository states (package.json `engines`, the README) are the ones every
 * installed package accepts, so `npm install` prints no EBADENGINE warning on any of them, and the
 * Node running the tests is one of them. CI (.github/workflows/ci.yml) runs the main job on each
 * major line of the range.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import semver from 'semver';
import { execa } from 'execa';

const root = resolve(__dirname, '..');
const read = (f: string) => JSON.parse(readFileSync(join(root, f), 'utf8'));
const range: string = read('package.json').engines.node;

describe('supported Node versions', () => {
  it('every package in the lockfile accepts the whole stated range', () => {
    const packages = read('package-lock.json').packages as Record<string, { version?: string; engines?: { node?: string } | string[] }>;
    const refusing = Object.entries(packages)
      .filter(([path, p]) => path && p.engines && !Array.isArray(p.engines) && p.engines.node && !semver.subset(range, p.engines.node))
      .map(([path, p]) => `${path}@${p.version} wants node ${(p.engines as { node: string }).node}`);
    expect(refusing).toEqual([]);
  });

  it('install scripts are reviewed: npm install prints no "not yet covered by allowScripts" list', async () => {
    const res = await execa('npm', ['install-scripts', 'ls', '--json'], { cwd: root, reject: false, all: true });
    expect(res.exitCode, res.all).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ allowScripts: [] });
  });

  it('the Node running the tests is in the range', () => {
    expect(semver.satisfies(process.version, range), `${process.version} vs ${range}`).toBe(true);
  });

  it('the README and the CI matrix state the same range', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(`\`${range}\``);
    const ci = readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8');
    for (const major of ['20', '22', '24']) {
      expect(semver.intersects(range, `${major}.x`), major).toBe(true);
      expect(ci).toMatch(new RegExp(`node:\\s*\\[[^\\]]*'?${major}(\\.\\d+)*'?`));
    }
  });
});
