import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest test files (control planes, Nx workspaces, child tsc/vitest), slowest first, as
 * measured in CI. Vitest orders by the durations of the last run when it has them, and on a fresh
 * clone (CI) by file size, which put these small files last: the run ended with one worker idle
 * while the other applied an environment. Listed files start first, in this order; the rest keep
 * Vitest's order. Only the order depends on this list.
 */
const SLOW_FIRST = [
  'libs/cluster/test/validate-agreement.test.ts',
  'libs/cluster/test/apply-prod.test.ts',
  'libs/cluster/test/apply-staging.test.ts',
  'tools/nx-plugin/test/affected.test.ts',
  'libs/compose-import/test/cli.test.ts',
  'libs/cluster/test/apply-dev.test.ts',
  'tools/nx-plugin/test/generator.test.ts',
  'tools/nx-plugin/test/cache.test.ts',
  'apps/gitops/test/diff-secrets.test.ts',
  'libs/promote/test/promote.test.ts',
  'libs/cluster/test/faults.test.ts',
  'libs/compose-import/test/fixtures.test.ts',
  'apps/gitops/test/build.test.ts',
  'libs/cluster/test/argocd.test.ts',
];
for (const f of SLOW_FIRST) if (!existsSync(join(__dirname, f))) throw new Error(`vitest.config.ts: SLOW_FIRST lists ${f}, which does not exist`);

class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = SLOW_FIRST.indexOf(relative(__dirname, f.moduleId));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    return (await super.sort(files)).map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map((x) => x.f);
  }
}

export default defineConfig({
  test: {
    include: ['{apps,libs,tools}/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default in run mode is one worker per core minus one: a single worker on a 2-core
    // machine. Most test time is spent waiting on child processes (kustomize, nx, kube-apiserver,
    // sops), so two workers keep both cores busy.
    maxWorkers: 2,
    // Test files share a worker's module graph instead of importing it again per file: imports were
    // 74 of 350 s. Tests that change process state (env, cwd, stderr spies) restore it themselves.
    isolate: false,
    // As the CLI's bin sets it: in-process generate/validate runs churn through short-lived objects.
    execArgv: ['--max-semi-space-size=32'],
    sequence: { sequencer: SlowFirst },
  },
});
