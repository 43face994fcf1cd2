/**
 * The committed lockfile is the one npm writes, and a lockfile change marks only the projects whose
 * dependencies changed (nx.json: @nx/js projectsAffectedByDependencyUpdates "auto"), in a real
 * temporary git repository with the real npm and Nx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { affected, commitAll, git, nx, tempWorkspace } from './workspace';

let dir: string;
beforeAll(() => {
  dir = tempWorkspace();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('package-lock.json', () => {
  it('npm install leaves it unchanged: git status is clean and nothing is affected', async () => {
    // --package-lock-only computes the tree a fresh `npm install` writes, without touching node_modules
    // (--ignore-scripts: the prepare script would only build a CLI nothing here runs).
    const npm = await execa('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: dir, reject: false, all: true });
    expect(npm.exitCode, npm.all).toBe(0);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    const res = await nx(dir, 'show', 'projects', '--affected', '--base=HEAD', '--json');
    expect(res.exitCode, res.all).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual([]);
  });

  it('a dependency update in the lockfile marks only the projects that use it', async () => {
    const all = JSON.parse((await nx(dir, 'show', 'projects', '--json')).stdout) as string[];
    const file = join(dir, 'package-lock.json');
    const text = readFileSync(file, 'utf8');
    const entry = /("node_modules\/age-encryption": \{\n\s+"version": ")([^"]+)"/;
    expect(text).toMatch(entry);
    writeFileSync(file, text.replace(entry, (_, head: string, v: string) => `${head}${v}-test.1"`));
    commitAll(dir, 'bump age-encryption in the lockfile');
    const marked = await affected(dir);
    // tools/secrets imports age-encryption; the projects that depend on it follow, core does not.
    expect(marked).toContain('@gitops/secrets');
    expect(marked).not.toContain('@gitops/core');
    expect(marked).not.toContain('@gitops/environments');
    expect(marked.length).toBeLessThan(all.length);
  });
});
