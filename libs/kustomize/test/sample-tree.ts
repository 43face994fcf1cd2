/** The sample platform (core's test fixture) emitted as a Kustomize tree, for the emitter tests. */
import { compileApp, type PlatformSpec } from '@gitops/core';
import { environments, envNames } from '@gitops/environments';
import { emitAppTree, type FileTree } from '../src';
import { samplePlatform } from '../../core/test/fixtures';

export function sampleTree(p: PlatformSpec = samplePlatform(), secretFiles?: string[]): FileTree {
  const app = p.apps[0];
  return emitAppTree({
    platform: p.name,
    source: 'libs/platforms/sample',
    app: app.name,
    nested: false,
    envs: envNames.map((env) => ({ env, compiled: compileApp(p, app, environments[env]), ...(secretFiles ? { secretFiles } : {}) })),
  });
}
