/**
 * `nx affected` in a real temporary git repository: a change marks exactly the platforms it touches.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { affected, commitAll, git, NX_ENV, nx, tempWorkspace, workspace } from './workspace';

let dir: string;
const platforms = ['cptm8', 'hyperpage', 'ms5', 'platform9', 'sevensa'];
const platformProject = (p: string) => `@gitops/platform-${p}`;

beforeAll(() => {
  dir = tempWorkspace();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function change(file: string, text = '\n// touched\n'): void {
  mkdirSync(join(dir, file, '..'), { recursive: true });
  appendFileSync(join(dir, file), text);
  commitAll(dir, `touch ${file}`);
}

describe('nx affected', () => {
  it('a change in one platform\'s sources marks exactly that platform (and the Argo CD output that reads it)', async () => {
    change('libs/platforms/cptm8/src/index.ts');
    const marked = await affected(dir, 'generate');
    expect(marked).toEqual(['@gitops/argocd', platformProject('cptm8')]);
    const all = await affected(dir);
    expect(all.filter((p) => p.startsWith('@gitops/platform-'))).toEqual([platformProject('cptm8')]);
    // argocd/ is generated from every platform's app list, so it is re-checked too.
    expect(all).toContain('@gitops/argocd');
  });

  it('a change in libs/core marks every platform', async () => {
    change('libs/core/src/objects.ts');
    expect(await affected(dir, 'generate')).toEqual(['@gitops/argocd', ...platforms.map(platformProject)].sort());
  });

  it('a change in the environment definitions marks every platform', async () => {
    change('libs/environments/src/index.ts');
    expect(await affected(dir, 'generate')).toEqual(['@gitops/argocd', ...platforms.map(platformProject)].sort());
  });

  it('a change in one platform\'s secrets folder marks that platform\'s checks', async () => {
    change('environments/staging/hyperpage/secrets/new.enc.yaml', 'sops: {}\n');
    // Argo CD's generate-paths include the secrets folders, so its drift check runs too.
    expect(await affected(dir, 'validate')).toEqual(['@gitops/argocd', platformProject('hyperpage')]);
    expect(await affected(dir, 'secrets-check')).toEqual([platformProject('hyperpage')]);
  });

  // Affected is decided per project: their generate is listed too, and is a cache hit (its inputs leave these files out).
  it('a change to a vendored CRD or the pinned toolchain marks every platform\'s validate', async () => {
    change('third_party/crds/monitoring.coreos.com_servicemonitors.yaml', '\n# touched\n');
    expect(await affected(dir, 'validate')).toEqual(expect.arrayContaining(platforms.map(platformProject)));
    change('tools/toolchain/versions.json', ' ');
    expect(await affected(dir, 'validate')).toEqual(expect.arrayContaining(platforms.map(platformProject)));
  });

  it('a change to a README or an unrelated file marks nothing that generates', async () => {
    change('libs/platforms/ms5/README.md', '\nmore words\n');
    expect(await affected(dir, 'generate')).toEqual([]);
    writeFileSync(join(dir, 'NOTES.txt'), 'unrelated\n');
    commitAll(dir, 'unrelated file');
    expect(await affected(dir, 'generate')).toEqual([]);
  });

  it('a second identical run is served from the cache', async () => {
    git(dir, 'status', '--porcelain');
    const first = await nx(dir, 'run', `${platformProject('cptm8')}:render`, '--outputStyle=static');
    expect(first.exitCode, first.all).toBe(0);
    const second = await nx(dir, 'run', `${platformProject('cptm8')}:render`, '--outputStyle=static');
    expect(second.exitCode, second.all).toBe(0);
    expect(second.all).toMatch(/local cache|existing outputs match the cache/);
  });

  it('running generate through Nx (twice) never rewrites a secrets/ file', async () => {
    const secretsDir = join(dir, 'environments/dev/cptm8/secrets');
    const file = join(secretsDir, readdirSync(secretsDir).sort()[0]);
    appendFileSync(file, '# changed after the last generate\n');
    commitAll(dir, 'edit a secret');
    const edited = readFileSync(file, 'utf8');
    for (let i = 0; i < 2; i++) {
      const res = await nx(dir, 'run', `${platformProject('cptm8')}:generate`, '--outputStyle=static');
      expect(res.exitCode, res.all).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(edited);
    }
  });

  it('a file a platform reads beside src/ is an input of its generate: edited, the cached result is not reused (platform9 loads sql/init.sql)', async () => {
    const target = `${platformProject('platform9')}:generate`;
    expect((await nx(dir, 'run', target, '--outputStyle=static')).exitCode).toBe(0);
    change('libs/platforms/platform9/sql/init.sql', '\n-- input marker\n');
    const again = await nx(dir, 'run', target, '--outputStyle=static');
    expect(again.exitCode, again.all).toBe(0);
    expect(again.all).not.toMatch(/local cache|existing outputs match the cache/);
    expect(readFileSync(join(dir, 'environments/base/platform9/config.yaml'), 'utf8')).toContain('-- input marker');
    commitAll(dir, 'regenerated platform9');
  });

  it('Nx keeps its cache and workspace data in the copy (NX_ENV), so removing the copy leaves nothing in ~/.nx', async () => {
    // A HOME of the test's own: Nx 23's default is ~/.nx/<workspace id>/, a new id for every copy.
    const home = mkdtempSync(join(tmpdir(), 'gitops-nx-home-'));
    try {
      const res = await execa('node', [join(workspace, 'node_modules/nx/dist/bin/nx.js'), 'run', `${platformProject('ms5')}:generate`, '--outputStyle=static'], { cwd: dir, env: { ...NX_ENV, HOME: home }, reject: false, all: true });
      expect(res.exitCode, res.all).toBe(0);
      expect(readdirSync(join(dir, '.nx'))).toEqual(expect.arrayContaining(['cache', 'workspace-data']));
      expect(existsSync(join(home, '.nx')) ? readdirSync(join(home, '.nx')) : []).toEqual([]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

