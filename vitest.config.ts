import { defineConfig } from 'vitest/config';

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
  },
});
