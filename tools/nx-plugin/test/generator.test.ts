/** The platform generator's output generates, renders and validates with no edits. */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { nx, tempWorkspace, NX_ENV } from './workspace';

let dir: string;
beforeAll(() => {
  dir = tempWorkspace();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gitops = (...args: string[]) => execa('node', ['apps/gitops/bin/gitops.mjs', ...args], { cwd: dir, reject: false, all: true, env: { ...NX_ENV, GITOPS_ROOT: dir } });

describe('nx g @gitops/nx-plugin:platform', () => {
  it('scaffolds a platform that generates, renders and validates at once', async () => {
    const gen = await nx(dir, 'g', '@gitops/nx-plugin:platform', 'demo', '--no-interactive');
    expect(gen.exitCode, gen.all).toBe(0);
    expect(existsSync(join(dir, 'libs/platforms/demo/src/index.ts'))).toBe(true);
    expect(readFileSync(join(dir, 'libs/platforms/demo/src/index.ts'), 'utf8')).toContain("name: 'demo'");

    const generated = await gitops('generate', 'demo');
    expect(generated.exitCode, generated.all).toBe(0);
    expect(existsSync(join(dir, 'environments/prod/demo/kustomization.yaml'))).toBe(true);

    const rendered = await gitops('render', 'demo', '--env', 'prod', '--json');
    expect(rendered.exitCode, rendered.all).toBe(0);
    expect(JSON.parse(rendered.stdout).map((o: { kind: string }) => o.kind)).toContain('Deployment');

    const validated = await gitops('validate', 'demo');
    expect(validated.exitCode, validated.all).toBe(0);
    expect(validated.stdout).toMatch(/0 errors/);

    // Picked up by Argo CD generation: a full generate writes its project and one Application per env.
    const all = await gitops('generate');
    expect(all.exitCode, all.all).toBe(0);
    expect(existsSync(join(dir, 'argocd/projects/demo.yaml'))).toBe(true);
    for (const env of ['dev', 'staging', 'prod']) {
      expect(readFileSync(join(dir, `argocd/apps/${env}/demo.yaml`), 'utf8')).toContain(`path: environments/${env}/demo`);
    }
  });

  it('is picked up by Nx with inferred targets', async () => {
    const res = await nx(dir, 'show', 'project', '@gitops/platform-demo', '--json');
    expect(res.exitCode, res.all).toBe(0);
    const project = JSON.parse(res.stdout) as { targets: Record<string, unknown> };
    expect(Object.keys(project.targets)).toEqual(expect.arrayContaining(['generate', 'render', 'validate', 'test', 'typecheck', 'secrets-check']));
  });

  it('refuses a name that is not a DNS-1123 label', async () => {
    const res = await nx(dir, 'g', '@gitops/nx-plugin:platform', 'Bad_Name', '--no-interactive');
    expect(res.exitCode).not.toBe(0);
    expect(res.all).toContain('must be a DNS-1123 label');
  });
});
