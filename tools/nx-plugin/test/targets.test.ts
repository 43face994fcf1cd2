/**
 * Each project's `test` target runs that project's tests only: vitest filters match file paths as
 * substrings, so `libs/argocd` also ran libs/argocd-e2e's tests (twice per affected run, and outside
 * argocd's cache inputs). The filters end with a slash.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { libraryTargets, platformTargets } from '../src/index';

const repo = join(import.meta.dirname, '../../..');
const command = (t: { options?: unknown }) => (t.options as { command: string }).command;

describe('test targets', () => {
  it('filter by the project folder with a trailing slash (libraries, platforms, and libs/argocd set by hand)', async () => {
    expect(command(libraryTargets('libs/argocd').test)).toBe('npx vitest run libs/argocd/ --passWithNoTests');
    expect(command(platformTargets('ms5').test)).toBe('npx vitest run libs/platforms/ms5/');
    const argocd = JSON.parse(readFileSync(join(repo, 'libs/argocd/package.json'), 'utf8')).nx.targets.test.options.command as string;
    const filter = argocd.split(' ').at(-1)!;
    expect(filter).toBe('libs/argocd/');
    const listed = (await execa('npx', ['vitest', 'list', '--filesOnly', filter], { cwd: repo })).stdout.split('\n').filter(Boolean);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((f) => !f.startsWith('libs/argocd/'))).toEqual([]);
  });
});
