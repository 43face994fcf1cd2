/**
 * The repository URL the generated Argo CD objects use is overridable for one run (GITOPS_REPO_URL)
 * without changing anything committed: a working copy of this checkout, generated with the URL of a
 * local bare repository, points every Application and AppProject there, and pushes to it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_REPO_URL, REPO_URL_ENV, assertRepoUrl, repoUrlFrom } from '@gitops/argocd';
import { commitAndPush, createRemote, generateIn, git, type GitRemote } from '../src';

const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'apps', 'gitops', 'bin', 'gitops.mjs');

describe('GITOPS_REPO_URL', () => {
  it('is the default unless set; a value that is no git URL is a usage error naming the variable', () => {
    expect(repoUrlFrom({})).toBe(DEFAULT_REPO_URL);
    expect(repoUrlFrom({ [REPO_URL_ENV]: '' })).toBe(DEFAULT_REPO_URL);
    expect(repoUrlFrom({ [REPO_URL_ENV]: 'file:///srv/git/repo.git' })).toBe('file:///srv/git/repo.git');
    for (const ok of ['https://git.example.com/a/b.git', 'ssh://git@host/a.git', 'git@github.com:org/repo.git', 'file:///tmp/r.git']) {
      expect(() => assertRepoUrl({ [REPO_URL_ENV]: ok })).not.toThrow();
    }
    for (const bad of ['not a url', '/tmp/plain/path', 'ftp://host/repo']) {
      expect(() => assertRepoUrl({ [REPO_URL_ENV]: bad })).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringContaining(`${REPO_URL_ENV}=`) }));
    }
  });

  it('the CLI exits 2 on a bad value with one clear line, and --check reports drift with a good one', async () => {
    const bad = await execa(process.execPath, [CLI, 'argocd', 'generate', '--check'], { cwd: ROOT, env: { [REPO_URL_ENV]: 'not a url' }, reject: false });
    expect(bad.exitCode).toBe(2);
    expect(String(bad.stderr)).toContain(`${REPO_URL_ENV}="not a url" is not a git repository URL`);
    expect(String(bad.stderr)).not.toMatch(/\n\s+at /); // no stack trace
    const drift = await execa(process.execPath, [CLI, 'argocd', 'generate', '--check'], { cwd: ROOT, env: { [REPO_URL_ENV]: 'file:///tmp/elsewhere.git' }, reject: false });
    expect(drift.exitCode).toBe(1);
    expect(String(drift.stdout) + String(drift.stderr)).toContain('argocd/projects/hyperpage.yaml');
  });

  describe('a working copy generated for a local bare repository', () => {
    let base: string;
    let remote: GitRemote;
    let pushed: string;
    beforeAll(async () => {
      base = mkdtempSync(join(tmpdir(), 'gitops-repo-url-'));
      remote = await createRemote(ROOT, base);
      await generateIn(ROOT, remote.work, remote.url);
      pushed = await commitAndPush(remote, 'generated for the local remote');
    }, 240_000);
    afterAll(() => base && rmSync(base, { recursive: true, force: true }));

    it('points every Application and AppProject at the remote', () => {
      expect(remote.url).toMatch(/^file:\/\/\/.*\/remote\.git$/);
      const objects: any[] = [];
      const walk = (dir: string) => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          const p = join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.name.endsWith('.yaml')) objects.push(...parseAllDocuments(readFileSync(p, 'utf8')).map((d) => d.toJS()));
        }
      };
      walk(join(remote.work, 'argocd', 'apps'));
      walk(join(remote.work, 'argocd', 'projects'));
      walk(join(remote.work, 'argocd', 'bootstrap'));
      const apps = objects.filter((o) => o?.kind === 'Application');
      const projects = objects.filter((o) => o?.kind === 'AppProject');
      expect(apps.length).toBeGreaterThanOrEqual(15);
      expect(projects.length).toBeGreaterThanOrEqual(6);
      expect([...new Set(apps.map((a) => a.spec.source.repoURL))]).toEqual([remote.url]);
      expect([...new Set(projects.flatMap((p) => p.spec.sourceRepos))]).toEqual([remote.url]);
    });

    it('the bare repository holds the pushed commit with the generated tree; this checkout is untouched', async () => {
      expect(await git(base, ['--git-dir', remote.bare, 'rev-parse', `refs/heads/${remote.branch}`])).toBe(pushed);
      const listed = await git(base, ['--git-dir', remote.bare, 'ls-tree', '-r', '--name-only', pushed]);
      expect(listed.split('\n')).toEqual(expect.arrayContaining(['argocd/apps/dev/hyperpage.yaml', 'environments/dev/hyperpage/kustomization.yaml', 'libs/argocd/src/config.ts']));
      expect(listed).not.toMatch(/^node_modules/m);
      // Nothing of this checkout names the remote (other work may be changing the tree meanwhile, so no git status here).
      const grep = await execa('grep', ['-rl', remote.url, join(ROOT, 'argocd'), join(ROOT, 'environments')], { reject: false });
      expect(grep.stdout).toBe('');
      expect(readFileSync(join(ROOT, 'argocd', 'apps', 'dev', 'hyperpage.yaml'), 'utf8')).toContain(DEFAULT_REPO_URL);
    });
  });
});
