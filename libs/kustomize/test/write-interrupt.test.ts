/**
 * Issue 19 item 3: `generate` interrupted between renames. A child process writes the tree and
 * signals itself at a named step (GITOPS_WRITE_FAULT); afterwards the tree must be whole (all old or
 * all new, never a mix), staging folders must not survive a rerun, and git must not see them.
 * The child script is bundled once (test/support/bundle-child.ts) and run by plain node.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundleChild } from '../../../test/support/bundle-child';
import { FAULT_ENV, listOwnedFiles, recoverStaging, STAGING_PREFIX, writeTree } from '../src/write';
import { ROOTS, version } from './fixtures/write-trees';

const CHILD_SOURCE = fileURLToPath(new URL('./fixtures/write-child.ts', import.meta.url));
const GITIGNORE = fileURLToPath(new URL('../../../.gitignore', import.meta.url));

let childDir: string;
let childScript: string;
beforeAll(async () => {
  childDir = mkdtempSync(join(tmpdir(), 'gitops-interrupt-child-'));
  childScript = await bundleChild(CHILD_SOURCE, childDir, 'write-child');
});
afterAll(() => rmSync(childDir, { recursive: true, force: true }));

let repo: string;
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'gitops-interrupt-'));
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

function child(which: 'old' | 'new', fault?: string) {
  const env = { ...process.env };
  if (fault) env[FAULT_ENV] = fault;
  else delete env[FAULT_ENV];
  return spawnSync(process.execPath, [childScript, repo, which], { env, encoding: 'utf8' });
}

/** The generated files on disk with their contents. */
function snapshot(): Record<string, string> {
  return Object.fromEntries(listOwnedFiles(repo, ROOTS).map((f) => [f, readFileSync(join(repo, f), 'utf8')]));
}
const expected = (which: 'old' | 'new') => Object.fromEntries([...version(which)].sort(([a], [b]) => (a < b ? -1 : 1)));
const stagingFolders = () => readdirSync(repo).filter((f) => f.startsWith(STAGING_PREFIX));

describe('writeTree interrupted', () => {
  beforeEach(async () => {
    await writeTree(repo, ROOTS, version('old'));
    expect(snapshot()).toEqual(expected('old'));
  });

  // 5 files are written (swap:1..5) and one removed (remove:1); 'swap:N' fires after the old file
  // was moved aside and before the new one is renamed in: the moment a plain rename loop leaves a hole.
  const cases = [
    ...['staged', 'swap:1', 'swap:4', 'swap:5', 'remove:1'].map((step) => ['SIGTERM', step] as const),
    ['SIGINT', 'swap:4'] as const,
    ['SIGHUP', 'swap:2'] as const,
  ];
  for (const [sig, step] of cases) {
    it(`${sig} at ${step}: rolled back, old tree whole, no staging folder, exit 128+signal`, () => {
      const r = child('new', `${step}:${sig}`);
      expect(r.stderr).toContain(`interrupted by ${sig}: the write was rolled back`);
      expect(r.status).toBe(128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[sig]);
      expect(snapshot()).toEqual(expected('old'));
      expect(stagingFolders()).toEqual([]);
    });
  }

  it('SIGTERM after the commit point: the new tree stays whole and the signal still ends the process', () => {
    const r = child('new', 'committed:SIGTERM');
    expect(r.signal).toBe('SIGTERM');
    expect(snapshot()).toEqual(expected('new'));
    expect(stagingFolders()).toEqual([]);
  });

  it('SIGKILL mid-swap: the staging folder holds the journal; git ignores it; a rerun restores and cleans up', () => {
    spawnSync('git', ['init', '-q', repo]);
    copyFileSync(GITIGNORE, join(repo, '.gitignore'));
    const r = child('new', 'swap:3:SIGKILL');
    expect(r.signal).toBe('SIGKILL');
    // What a SIGKILL leaves: two files new, the third missing (its old copy is in the staging folder).
    const left = snapshot();
    expect(left['environments/base/demo/api.yaml']).toContain('# new');
    expect(left['environments/dev/demo/kustomization.yaml']).toBeUndefined();
    const [staging] = stagingFolders();
    expect(staging).toMatch(/^\.gitops-staging-\d+-[0-9a-f]{12}$/);
    expect(existsSync(join(repo, staging, 'old/environments/dev/demo/kustomization.yaml'))).toBe(true);
    const status = spawnSync('git', ['-C', repo, 'status', '--porcelain', '--untracked-files=all'], { encoding: 'utf8' });
    expect(status.status).toBe(0);
    expect(status.stdout).toContain('environments/');
    expect(status.stdout).not.toContain(STAGING_PREFIX);

    const rerun = child('new');
    expect(rerun.status).toBe(0);
    expect(JSON.parse(rerun.stdout).recovered).toEqual([staging]);
    expect(snapshot()).toEqual(expected('new'));
    expect(stagingFolders()).toEqual([]);
  });

  it('recovery alone puts the old tree back after a SIGKILL at any step', () => {
    for (const step of ['staged', 'swap:1', 'swap:5', 'remove:1']) {
      expect(child('new', `${step}:SIGKILL`).signal).toBe('SIGKILL');
      expect(stagingFolders()).toHaveLength(1);
      expect(recoverStaging(repo)).toHaveLength(1);
      expect(snapshot(), step).toEqual(expected('old'));
      expect(stagingFolders()).toEqual([]);
    }
  });

  it('leaves the staging folder of a live writer alone and removes dead and pre-pid ones', async () => {
    const live = `${STAGING_PREFIX}${process.ppid}-abcdef123456`;
    const dead = `${STAGING_PREFIX}${spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout}-abcdef123456`;
    const legacy = `${STAGING_PREFIX}Ab12Cd`;
    const unrelated = '.gitops-staging-notes.txt';
    for (const d of [live, dead, legacy]) mkdirSync(join(repo, d, 'new'), { recursive: true });
    writeFileSync(join(repo, unrelated), 'not a staging folder\n');
    await writeTree(repo, ROOTS, version('new'));
    expect(readdirSync(repo).filter((f) => f.startsWith('.gitops')).sort()).toEqual([live, unrelated].sort());
    expect(snapshot()).toEqual(expected('new'));
  });

  it('treats a folder named with our own pid as stale unless this process made it (pid 1 in every container run)', async () => {
    const reused = `${STAGING_PREFIX}${process.pid}-0123456789ab`;
    mkdirSync(join(repo, reused, 'new'), { recursive: true });
    await writeTree(repo, ROOTS, version('new'));
    expect(stagingFolders()).toEqual([]);
    expect(snapshot()).toEqual(expected('new'));
  });

  it('check mode neither writes nor cleans up', async () => {
    expect(child('new', 'swap:2:SIGKILL').signal).toBe('SIGKILL');
    const r = await writeTree(repo, ROOTS, version('new'), { check: true });
    expect(r.written.length).toBeGreaterThan(0);
    expect(stagingFolders()).toHaveLength(1);
  });
});
