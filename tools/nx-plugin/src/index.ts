/**
 * Local Nx plugin: infers the targets of every platform library under libs/platforms/, so a new
 * platform needs no project.json, and maps each platform's generated/secrets folders to Nx projects
 * that the platform depends on, so `nx affected` sees a secrets change as a change to the platform.
 */
import type { CreateNodesV2, ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import { dirname, basename } from 'node:path';
import { platformBaseDir, platformEnvDir, SECRETS_DIR } from '@gitops/environments/layout';
import { ENVIRONMENT_NAMES } from '@gitops/environments/names';

/** The environments, in promotion order (from @gitops/environments; a new one needs no edit here). */
export const ENVIRONMENTS = ENVIRONMENT_NAMES;

/** Libraries every platform's generated output depends on (besides its own package.json deps). */
export const TOOLING_PROJECTS = ['@gitops/core', '@gitops/environments', '@gitops/kustomize', '@gitops/pipeline', '@gitops/validate', '@gitops/secrets', '@gitops/secrets-workflow', '@gitops/yaml-read'];

const CLI = 'node apps/gitops/bin/gitops.mjs';

/**
 * What `gitops generate <name>` writes, as Nx outputs: the platform's base folder and the YAML files
 * of its overlays (the emitter writes nothing else) outside the `secrets/` folders, which belong to
 * the secrets tool. File globs only: a glob that matches a folder makes Nx store and restore that
 * folder whole, and the glob of every path below an overlay matched the per-app folders
 * (environments/<env>/sevensa/<app>), secrets included, which the negated globs did not take out again.
 */
export function generateOutputs(name: string): string[] {
  return [
    `{workspaceRoot}/${platformBaseDir(name)}`,
    ...ENVIRONMENTS.flatMap((env) => {
      const dir = `{workspaceRoot}/${platformEnvDir(env, name)}`;
      return [`${dir}/**/*.yaml`, `!${dir}/**/${SECRETS_DIR}/**`];
    }),
  ];
}

export function platformTargets(name: string): Record<string, TargetConfiguration> {
  const secretsInputs = ['{workspaceRoot}/.sops.yaml', '{workspaceRoot}/libs/environments/recipients.yaml', ...ENVIRONMENTS.map((env) => `{workspaceRoot}/${platformEnvDir(env, name)}/**/${SECRETS_DIR}/**`)];
  const run = (command: string) => ({ command, cwd: '{workspaceRoot}' });
  // The generated files reach render/validate/test as `generate`'s outputs, not as file inputs: Nx
  // then hashes those tasks after generate ran, from the files on disk. As plain file inputs they
  // were hashed from the file list Nx read at startup, before generate rewrote them, so the first
  // run after a change cached its result under a stale hash and the next no-op ran it again.
  const afterGenerate = { dependentTasksOutputFiles: '**/*', transitive: false };
  return {
    // Cached, with outputs that exclude secrets/: Nx stores and restores only files matching these
    // globs (a restore removes exactly the cached paths, then copies them back), so an overlay's
    // secrets/ folder is never stored, removed or overwritten (tools/nx-plugin/test/cache.test.ts).
    generate: {
      executor: 'nx:run-commands',
      options: run(`${CLI} generate ${name}`),
      cache: true,
      inputs: ['platformSource', '^platformSource', 'tooling'],
      outputs: generateOutputs(name),
    },
    render: {
      executor: 'nx:run-commands',
      options: run(ENVIRONMENTS.map((env) => `${CLI} render ${name} --env ${env} > /dev/null`).join(' && ')),
      cache: true,
      dependsOn: ['generate'],
      inputs: ['tooling', 'validationData', ...secretsInputs, afterGenerate],
    },
    validate: {
      executor: 'nx:run-commands',
      options: run(`${CLI} validate ${name}`),
      cache: true,
      dependsOn: ['generate'],
      // validationData: the vendored CRDs (schemas, CEL rules) and the pinned kustomize it renders with.
      inputs: ['platformSource', '^platformSource', 'tooling', 'validationData', ...secretsInputs, afterGenerate],
    },
    'secrets-check': {
      executor: 'nx:run-commands',
      options: run(`${CLI} secrets check ${name}`),
      cache: true,
      inputs: ['platformSource', '^platformSource', 'tooling', ...secretsInputs],
    },
    test: {
      executor: 'nx:run-commands',
      options: run(`npx vitest run libs/platforms/${name}/`),
      cache: true,
      dependsOn: ['generate'],
      inputs: ['platformSource', '{projectRoot}/test/**', '^platformSource', 'tooling', 'validationData', ...secretsInputs, afterGenerate],
    },
    typecheck: {
      executor: 'nx:run-commands',
      options: run(`npx tsc -p libs/platforms/${name}/tsconfig.json --noEmit`),
      cache: true,
      inputs: ['platformSource', '{projectRoot}/test/**', '{projectRoot}/tsconfig.json', '^platformSource', 'tooling'],
    },
  };
}

/**
 * Nx projects standing for a platform's folders under environments/ (generated trees and secrets).
 * They are the platform's dependencies only so that `nx affected` marks it; their files are never
 * its `^platformSource` (nx.json's is every file of a project): that would make generate's own
 * outputs, and the secrets, inputs of generate, so no run would ever be a cache hit.
 */
export function environmentProjects(name: string): Record<string, Partial<ProjectConfiguration>> {
  const namedInputs = { platformSource: [] };
  const out: Record<string, Partial<ProjectConfiguration>> = {
    [platformBaseDir(name)]: { name: `${name}-base`, tags: ['type:environment', `platform:${name}`], namedInputs },
  };
  for (const env of ENVIRONMENTS) {
    out[platformEnvDir(env, name)] = { name: `${name}-${env}`, tags: ['type:environment', `platform:${name}`, `env:${env}`], namedInputs };
  }
  return out;
}

/** Every other workspace library: its own tests and a typecheck, so `nx affected` runs them. */
export function libraryTargets(root: string): Record<string, TargetConfiguration> {
  const run = (command: string) => ({ command, cwd: '{workspaceRoot}' });
  return {
    test: {
      executor: 'nx:run-commands',
      options: run(`npx vitest run ${root}/ --passWithNoTests`),
      cache: true,
      // vendored: upstream files the libraries read (CRDs, the Compose schema, sops fixtures, Argo CD's install.yaml).
      inputs: ['default', '^default', 'vendored', { externalDependencies: ['vitest'] }],
    },
    typecheck: {
      executor: 'nx:run-commands',
      options: run(`npx tsc -p ${root}/tsconfig.json --noEmit`),
      cache: true,
      inputs: ['default', '^default', '{workspaceRoot}/tsconfig.base.json', { externalDependencies: ['typescript'] }],
    },
  };
}

const PLATFORM_PACKAGE = /^libs\/platforms\/[^/]+\/package\.json$/;

export const createNodesV2: CreateNodesV2 = [
  '{apps,libs,tools}/**/package.json',
  (files) =>
    files.map((file) => {
      const root = dirname(file);
      if (!PLATFORM_PACKAGE.test(file)) {
        return [file, { projects: { [root]: { targets: libraryTargets(root) } } }] as const;
      }
      const name = basename(root);
      const envProjects = environmentProjects(name);
      return [
        file,
        {
          projects: {
            [root]: {
              tags: ['type:platform', `platform:${name}`],
              implicitDependencies: [...TOOLING_PROJECTS, ...Object.values(envProjects).map((p) => p.name!)],
              targets: platformTargets(name),
            },
            ...envProjects,
          },
        },
      ] as const;
    }),
];
