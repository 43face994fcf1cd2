/** A throwaway repository holding core's sample platform (under any name) for pipeline tests. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll } from 'vitest';
import type { ArgoCdStep, PlatformBuild } from '../src';

export const REPO = resolve(__dirname, '../../..');

/** core's sample platform (libs/core/test/fixtures.ts) as a platform library named `name`. */
export function sampleSource(name: string): string {
  return readFileSync(join(REPO, 'libs/core/test/fixtures.ts'), 'utf8')
    .replace("import type { PlatformSpec } from '../src';", "import type { PlatformSpec } from '@gitops/core';")
    .replace('export function samplePlatform(): PlatformSpec {', 'export const platform: PlatformSpec = (() => {')
    .replace(/\n}\n$/, '\n})();\n')
    .replaceAll("'sample'", `'${name}'`)
    .replaceAll('sample-', `${name}-`);
}

export interface TempRepo {
  root: string;
  addPlatform(name: string, source?: string): void;
  git(...args: string[]): Promise<string>;
  cleanup(): void;
}

export function tempRepo(): TempRepo {
  const root = mkdtempSync(join(tmpdir(), 'gitops-pipeline-test-'));
  writeFileSync(join(root, 'nx.json'), '{}\n');
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(root, '.gitignore'), 'node_modules\n');
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  return {
    root,
    addPlatform(name, source = sampleSource(name)) {
      mkdirSync(join(root, 'libs/platforms', name, 'src'), { recursive: true });
      writeFileSync(join(root, 'libs/platforms', name, 'src/index.ts'), source);
    },
    async git(...args) {
      return (await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: root })).stdout;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * The argocd step for pipeline's own tests: records the builds it is given and writes one file
 * listing their overlays. Pipeline must not import libs/argocd (see src/argocd.ts); the real step is
 * exercised by libs/argocd's tests and the CLI tests.
 */
export function recordingArgoCd(): { step: ArgoCdStep; seen: PlatformBuild[][] } {
  const seen: PlatformBuild[][] = [];
  const step: ArgoCdStep = {
    root: 'argocd',
    generate: (builds) => {
      seen.push(builds);
      return new Map([['argocd/overlays.txt', builds.flatMap((b) => b.overlays.map((o) => `${o.dir} ${o.reads.join(';')}`)).join('\n') + '\n']]);
    },
    plan: () => ({ applications: [] }),
    committedObjects: () => [],
    repoPaths: () => ({ url: 'file:///nowhere', pathExists: () => true }),
  };
  return { step, seen };
}

/**
 * A describe block's temporary repository holding `platforms` (core's sample platform under each
 * name), made in beforeAll (then `setup`, e.g. a first generate) and removed in afterAll.
 */
export function useTempRepo(platforms: string[], setup?: (repo: TempRepo) => Promise<void> | void): () => TempRepo {
  let repo: TempRepo | undefined;
  beforeAll(async () => {
    repo = tempRepo();
    for (const name of platforms) repo.addPlatform(name);
    await setup?.(repo);
  });
  afterAll(() => repo?.cleanup());
  return () => repo!;
}
