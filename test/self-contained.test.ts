/**
 * A plain clone has nothing beside it: no tracked file (code, tests, scripts, configs) may read a path
 * above the repository root, such as a `../shared` folder, and no file names an absolute path to
 * something beside the repository. Vendored upstream files live in third_party/ instead.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { findOutsideRefs } from './support/outside-refs';

const root = resolve(__dirname, '..');

/** Tracked files plus new files git would pick up (so a violation fails before it is committed). */
function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  // third_party/ is upstream's text; this file's own examples are violations on purpose.
  return [...new Set(out.split('\0').filter(Boolean))].filter((f) => !f.startsWith('third_party/') && f !== 'test/self-contained.test.ts');
}

describe('the repository is self-contained', () => {
  it('no file reaches outside the repository', () => {
    const found = repositoryFiles().flatMap((file) => {
      const path = join(root, file);
      let st;
      try {
        st = statSync(path);
      } catch {
        return []; // deleted in the work tree
      }
      if (!st.isFile() || st.size > 2_000_000) return [];
      const text = readFileSync(path, 'utf8');
      if (text.includes('\0')) return [];
      return findOutsideRefs(root, file, text).map((r) => `${r.file}:${r.line}: ${r.ref} -> ${r.resolved}`);
    });
    expect(found).toEqual([]);
  });

  it('the check finds a relative path above the root, joined segments, and an absolute path beside the repository', () => {
    const refs = (file: string, text: string) => findOutsideRefs(root, file, text).map((r) => `${r.line}:${r.ref}`);
    expect(refs('libs/x/test/a.test.ts', "const U = resolve(__dirname, '../../../../shared/upstream/install.yaml');")).toEqual([
      '1:../../../../shared/upstream/install.yaml',
    ]);
    expect(refs('libs/x/test/a.test.ts', "\nconst U = join(__dirname, '..', '..', '..', '..', 'shared');")).toEqual(['2:../../../../shared']);
    expect(refs('libs/x/test/a.test.ts', "\nconst U = join(__dirname, '..', '..', '..', '..');")).toEqual(['2:../../../..']);
    expect(refs('.ci/run', 'cp -r ../../shared/x tmp/')).toEqual(['1:../../shared/x']);
    expect(refs('environments/dev/p/kustomization.yaml', 'resources:\n  - ../../base/p\n  - ../../../../outside\n')).toEqual(['3:../../../../outside']);
    expect(refs('a.test.ts', "k({ resources: ['../../outside'] }); // outside-ref: test data (a kustomization's root)")).toEqual([]);
    // Inside the repository: fine.
    expect(refs('libs/x/test/a.test.ts', "resolve(__dirname, '../../../third_party/crds')")).toEqual([]);
    // An absolute path beside the repository (a temporary parent holding repo/ and shared/).
    const parent = mkdtempSync(join(tmpdir(), 'gitops-outside-'));
    try {
      mkdirSync(join(parent, 'repo'));
      mkdirSync(join(parent, 'shared'));
      const abs = (text: string) => findOutsideRefs(join(parent, 'repo'), 'README.md', text).map((r) => r.resolved);
      expect(abs(`read ${parent}/shared/crds`)).toEqual(['../shared']);
      expect(abs(`read ${parent}/repo/README.md and ${parent}/absent`)).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
