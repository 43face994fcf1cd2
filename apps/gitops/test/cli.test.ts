/**
 * The CLI end to end in a throwaway repository: generate, drift check, and a broken spec that must
 * fail naming the field while leaving environments/ exactly as it was. The first test runs the bin as
 * a real process; the others call main() in-process (run-main.ts).
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { initSecrets, snapshot } from './sample-repo';
import { runMain } from './run-main';

const repo = resolve(__dirname, '../../..');
const bin = join(repo, 'apps/gitops/bin/gitops.mjs');
let root: string;

const SPEC = readFileSync(join(repo, 'libs/core/test/fixtures.ts'), 'utf8')
  .replace("import type { PlatformSpec } from '../src';", "import type { PlatformSpec } from '@gitops/core';")
  .replace('export function samplePlatform(): PlatformSpec {', 'export const platform: PlatformSpec = (() => {')
  .replace(/\n}\n$/, '\n})();\n');


const gitopsProcess = (...args: string[]) => execa('node', [bin, ...args], { cwd: root, reject: false, env: { GITOPS_ROOT: root } });
const gitops = (...args: string[]) => runMain(args, { cwd: root, env: { GITOPS_ROOT: root } });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'gitops-cli-'));
  writeFileSync(join(root, 'nx.json'), '{}\n');
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  mkdirSync(join(root, 'libs/platforms/sample/src'), { recursive: true });
  writeFileSync(join(root, 'libs/platforms/sample/src/index.ts'), SPEC);
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('gitops CLI', () => {
  it('generates, then finds no drift', async () => {
    const gen = await gitopsProcess('generate', 'sample');
    expect(gen.stderr).toContain('generate sample:');
    expect(gen.exitCode).toBe(0);
    const check = await gitopsProcess('generate', 'sample', '--check');
    expect(check.exitCode).toBe(0);
  });

  it('renders an overlay as YAML and as JSON', async () => {
    await initSecrets(root, 'sample');
    const json = await gitops('render', 'sample', '--env', 'prod', '--json');
    expect(json.exitCode).toBe(0);
    const objects = JSON.parse(json.stdout) as Array<{ kind: string; metadata: { name: string; namespace?: string }; spec?: any }>;
    expect(objects.find((o) => o.kind === 'Deployment')!.spec.replicas).toBe(3);
    expect(objects.every((o) => o.kind === 'Namespace' || o.metadata.namespace === 'sample-prod')).toBe(true);
    const yaml = await gitops('render', 'sample', '--env', 'dev');
    expect(yaml.stdout).toContain('kind: StatefulSet');
  });

  it('rejects an unknown environment or platform with exit code 2', async () => {
    expect((await gitops('render', 'sample', '--env', 'qa')).exitCode).toBe(2);
    const unknown = await gitops('generate', 'nope');
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown platform "nope" (known: sample)');
  });

  it('a broken spec fails naming the field and leaves environments/ unchanged', async () => {
    const before = snapshot(join(root, 'environments'));
    writeFileSync(join(root, 'libs/platforms/sample/src/index.ts'), SPEC.replace('containerPort: 8080', 'containerPort: 80800'));
    const res = await gitops('generate', 'sample');
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('platform "sample", app "sample", component "api", field "ports.http.containerPort": port 80800 is out of range 1-65535');
    expect(snapshot(join(root, 'environments'))).toEqual(before);
    writeFileSync(join(root, 'libs/platforms/sample/src/index.ts'), SPEC);
  });

  it('detects drift when a generated file was edited by hand', async () => {
    const file = join(root, 'environments/base/sample/api.yaml');
    writeFileSync(file, readFileSync(file, 'utf8') + '# hand edit\n');
    const res = await gitops('generate', 'sample', '--check');
    expect(res.exitCode).toBe(1);
    expect(res.stderr).toContain('drift: environments/base/sample/api.yaml');
    expect((await gitops('generate', 'sample')).exitCode).toBe(0);
  });

  it('has --help on every command', async () => {
    for (const cmd of ['generate', 'render', 'validate', 'all', 'bench', 'diff']) {
      const res = await gitops(cmd, '--help');
      expect(res.exitCode, cmd).toBe(0);
      expect(res.stdout, cmd).toContain('Usage: gitops ' + cmd);
    }
  });

  it('diff shows how rendered objects change against a git ref', async () => {
    const git = (...args: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: root });
    writeFileSync(join(root, '.gitignore'), 'node_modules\n');
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    await git('commit', '-qm', 'base');
    writeFileSync(join(root, 'libs/platforms/sample/src/index.ts'), SPEC.replace("prod: { replicas: 3,", "prod: { replicas: 4,"));
    expect((await gitops('generate', 'sample')).exitCode).toBe(0);
    const res = await gitops('diff', 'sample', '--base', 'HEAD', '--json');
    expect(res.exitCode, res.stderr).toBe(0);
    const diffs = JSON.parse(res.stdout) as Array<{ overlay: string; changed: Array<{ id: string; diff: string }> }>;
    expect(diffs.map((d) => d.overlay)).toEqual(['environments/prod/sample']);
    expect(diffs[0].changed.map((c) => c.id)).toEqual(['Deployment/sample-prod/api']);
    expect(diffs[0].changed[0].diff).toMatch(/-  replicas: 3\n\+  replicas: 4/);
    writeFileSync(join(root, 'libs/platforms/sample/src/index.ts'), SPEC);
  });
});
