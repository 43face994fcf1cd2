/** The lookup order of the real components: $<TOOL>_BIN, then PATH, then .tools/bin (like kustomize). */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envVarOf, findTool, lookupTool, ToolNotFoundError } from '../src';
import { tempDir } from './support';

const work = tempDir('tools');
const exe = (dir: string, name: string) => {
  mkdirSync(dir, { recursive: true });
  const f = join(dir, name);
  writeFileSync(f, '#!/bin/sh\nexit 0\n');
  chmodSync(f, 0o755);
  return f;
};
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tool lookup', () => {
  const root = join(work, 'repo');
  const cached = exe(join(root, '.tools', 'bin'), 'etcd');
  const onPath = exe(join(work, 'path'), 'etcd');
  const fromEnv = exe(join(work, 'env'), 'my-etcd');

  it('names the env var after the tool', () => {
    expect(envVarOf('kube-apiserver')).toBe('KUBE_APISERVER_BIN');
    expect(envVarOf('ksops')).toBe('KSOPS_BIN');
  });

  it('prefers the env var, then PATH, then the cache', () => {
    expect(lookupTool('etcd', root, { ETCD_BIN: fromEnv, PATH: join(work, 'path') })).toEqual({ name: 'etcd', path: fromEnv, source: 'env' });
    expect(lookupTool('etcd', root, { PATH: join(work, 'path') })).toEqual({ name: 'etcd', path: onPath, source: 'path' });
    expect(lookupTool('etcd', root, { PATH: join(work, 'nothing') })).toEqual({ name: 'etcd', path: cached, source: 'cache' });
  });

  it('a missing tool names every place tried and the build command', () => {
    expect(lookupTool('sops', root, { PATH: '' })).toBeUndefined();
    expect(() => findTool('sops', root, { PATH: '' })).toThrow(ToolNotFoundError);
    expect(() => findTool('sops', root, { PATH: '' })).toThrow(/SOPS_BIN, PATH, .*\.tools\/bin.*node tools\/toolchain\/build\.mjs/);
  });

  it('an env var that points at nothing runnable is an input error (exit 2), not a silent fallback', () => {
    expect(() => lookupTool('etcd', root, { ETCD_BIN: join(work, 'no-such-file'), PATH: join(work, 'path') })).toThrow(/ETCD_BIN=.* is not an executable file/);
    expect(() => lookupTool('etcd', root, { ETCD_BIN: join(work, 'no-such-file') })).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});
