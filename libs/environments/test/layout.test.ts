import { describe, expect, it } from 'vitest';
import { platformNameProblem, RESERVED_FOLDER_NAMES } from '@gitops/core/platform-name';
import { ADDON_NAMESPACES } from '../src/cluster';
import { parse, stringify } from 'yaml';
import {
  appPaths,
  envOfPath,
  ENVIRONMENT_NAMES,
  envNames,
  isInSecretsDir,
  ksopsGenerator,
  ksopsGeneratorFiles,
  platformRoots,
  secretFileName,
  secretPathRegex,
  KUSTOMIZATION_FILE,
  SECRETS_DIR,
} from '@gitops/environments';
import { ENVIRONMENT_ORDER } from '@gitops/core';

describe('repository layout', () => {
  it('places flat and nested apps', () => {
    expect(appPaths('cptm8', 'cptm8', false, 'dev')).toEqual({
      base: 'environments/base/cptm8',
      components: 'environments/base/cptm8/components',
      overlay: 'environments/dev/cptm8',
      secrets: 'environments/dev/cptm8/secrets',
    });
    expect(appPaths('sevensa', 'api', true, 'prod').overlay).toBe('environments/prod/sevensa/api');
    expect(appPaths('sevensa', 'api', true).overlay).toBe('');
    expect(platformRoots('ms5', envNames)).toEqual(['environments/base/ms5', 'environments/dev/ms5', 'environments/staging/ms5', 'environments/prod/ms5']);
  });

  it('spells secrets files so the sops rule of their environment, and only it, matches', () => {
    const file = `${appPaths('p', 'a', true, 'staging').overlay}/${secretFileName('db')}`;
    expect(file).toBe('environments/staging/p/a/secrets/db.enc.yaml');
    expect(new RegExp(secretPathRegex('staging')).test(file)).toBe(true);
    expect(new RegExp(secretPathRegex('prod')).test(file)).toBe(false);
    expect(new RegExp(secretPathRegex('staging')).test('environments/staging/p/a/secrets/dbXenc.yaml')).toBe(false);
    expect(isInSecretsDir(file)).toBe(true);
    expect(isInSecretsDir('environments/staging/p/a/kustomization.yaml')).toBe(false);
    expect(envOfPath(file)).toBe('staging');
    expect(envOfPath('environments/base/p/kustomization.yaml')).toBeUndefined();
    expect(envOfPath('libs/platforms/p/src/index.ts')).toBeUndefined();
  });

  it('reads back the KSOPS generator it writes, through YAML', () => {
    const files = [secretFileName('a'), secretFileName('b')];
    const doc = parse(stringify(ksopsGenerator(files)));
    expect(ksopsGeneratorFiles(doc)).toEqual(['./secrets/a.enc.yaml', './secrets/b.enc.yaml']);
    expect(ksopsGeneratorFiles({ kind: 'ConfigMap', files: ['x'] })).toBeUndefined();
    expect(ksopsGeneratorFiles(null)).toBeUndefined();
  });

  it('has one environment list, core’s, reached through @gitops/environments', () => {
    expect(ENVIRONMENT_NAMES).toBe(ENVIRONMENT_ORDER);
    expect(envNames).toBe(ENVIRONMENT_ORDER);
  });

  it('the folder and file names of the layout are names no platform or app can take', () => {
    const stem = (f: string) => f.replace(/\.ya?ml$/, '');
    for (const name of [SECRETS_DIR, stem(KUSTOMIZATION_FILE)]) expect(RESERVED_FOLDER_NAMES, name).toContain(name);
  });

  it('no platform may take the name of a cluster add-on\'s namespace (it would deploy into it)', () => {
    for (const ns of ADDON_NAMESPACES) expect(platformNameProblem(ns), ns).toMatch(/reserved|cannot/);
  });
});

