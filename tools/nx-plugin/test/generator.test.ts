/** The platform generator's output generates, renders and validates with no edits. */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { commitAll, git, nx, tempWorkspace, workspaceNpmRecord, NX_ENV } from './workspace';
import platformGenerator, { NEXT_COMMAND } from '../src/generators/platform/generator';
import { createTree } from '@nx/devkit/testing';
import { runMain } from '../../../apps/gitops/test/run-main';
import { releasePolicyProblems } from '@gitops/environments';

let dir: string;
beforeAll(() => {
  dir = tempWorkspace();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The CLI's main() in this process (apps/gitops/test/run-main.ts), in the temporary workspace: what
 * is tested here is the scaffold, not the bin (apps/gitops tests it); a process per call also built
 * the CLI in the copy first. `all` is both streams, as execa's `all` was.
 */
const gitops = async (...args: string[]) => {
  const res = await runMain(args, { cwd: dir, env: { ...NX_ENV, GITOPS_ROOT: dir } });
  return { ...res, all: `${res.stdout}\n${res.stderr}` };
};

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

  it('prints the next steps, and the one documented command leaves a repository that passes CI\'s checks', async () => {
    const gen = await nx(dir, 'g', '@gitops/nx-plugin:platform', 'demo2', '--no-interactive');
    expect(gen.exitCode, gen.all).toBe(0);
    expect(gen.all).toContain(NEXT_COMMAND);
    expect(gen.all).toContain('git add libs/platforms/demo2 environments argocd package-lock.json');
    // NEXT_COMMAND is `npm install && npx gitops all`. Its npm part is run lockfile-only here, because
    // this temporary repository borrows the workspace's node_modules (a full install would relink it);
    // without scripts too: `prepare` only builds the bin's bundle (ignored by git), which the in-process
    // gitops below does not use.
    const npm = () => execa('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: dir, reject: false, all: true });
    const record = workspaceNpmRecord();
    expect((await npm()).exitCode).toBe(0);
    expect(readFileSync(join(dir, 'package-lock.json'), 'utf8')).toContain('"libs/platforms/demo2"');
    // The copy's npm writes its own record, never the workspace's (which the workspace's CLI is stamped with).
    expect(workspaceNpmRecord() === record, 'the workspace node_modules/.package-lock.json was rewritten').toBe(true);
    const all = await gitops('all');
    expect(all.exitCode, all.all).toBe(0);
    expect(existsSync(join(dir, 'argocd/projects/demo2.yaml'))).toBe(true);
    // The scaffolded tags pass every environment's release policy (the repository's other platforms may warn).
    expect(all.all).toMatch(/^ {2}prod: \d+ objects/m);
    expect(all.all).not.toMatch(/environments\/\w+\/demo2 .*release-/);
    // What CI checks: the lockfile is the one npm writes, generated files match the code, every overlay validates.
    commitAll(dir, 'platform demo2');
    expect((await npm()).exitCode).toBe(0);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    const check = await gitops('all', '--check');
    expect(check.exitCode, check.all).toBe(0);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('--help describes the generator (schema.json description, not "undefined")', async () => {
    const res = await nx(dir, 'g', '@gitops/nx-plugin:platform', '--help');
    expect(res.exitCode, res.all).toBe(0);
    expect(res.all).toContain('Scaffold libs/platforms/<name>');
    expect(res.all).not.toContain('undefined');
  });

  it('is picked up by Nx with inferred targets', async () => {
    const res = await nx(dir, 'show', 'project', '@gitops/platform-demo', '--json');
    expect(res.exitCode, res.all).toBe(0);
    const project = JSON.parse(res.stdout) as { targets: Record<string, unknown> };
    expect(Object.keys(project.targets)).toEqual(expect.arrayContaining(['generate', 'render', 'validate', 'test', 'typecheck', 'secrets-check']));
  });

  it('starts every environment on a full semantic version tag; a custom --image on a placeholder the comment says to replace', async () => {
    const tags = (text: string) => [...text.matchAll(/^ {4}(dev|staging|prod): "([^"]+)"$/gm)].map((m) => [m[1], m[2]] as const);
    const scaffold = async (image?: string) => {
      const tree = createTree();
      await platformGenerator(tree, { name: 'shop', ...(image ? { image } : {}) });
      return tree.read('libs/platforms/shop/releases.yaml', 'utf8')!;
    };
    const plain = await scaffold();
    expect(tags(plain)).toEqual([['dev', '1.27.3'], ['staging', '1.27.3'], ['prod', '1.27.3']]);
    expect(plain).not.toContain('placeholder');
    expect(plain).toContain('npx gitops promote shop --from dev --to staging');
    const custom = await scaffold('ghcr.io/acme/shop');
    expect(custom).toContain('  ghcr.io/acme/shop:\n');
    expect(tags(custom)).toEqual([['dev', '0.1.0'], ['staging', '0.1.0'], ['prod', '0.1.0']]);
    expect(custom).toContain('0.1.0 is a placeholder: replace it with a real tag (or sha256:… digest) of ghcr.io/acme/shop');
    for (const text of [plain, custom]) {
      const values = Object.fromEntries(tags(text));
      for (const env of ['dev', 'staging', 'prod'] as const) expect(releasePolicyProblems('r', env, values)).toEqual([]);
    }
  });

  // The name rule runs before the generator touches the tree: tested in this process on an empty
  // tree (an `nx g` process per case cost 3 s each); the scaffold itself is tested through nx above.
  it('refuses a name that is not a DNS-1123 label, and one Argo CD or Kubernetes already own', async () => {
    await expect(platformGenerator(createTree(), { name: 'Bad_Name' })).rejects.toThrow('must be a DNS-1123 label');
    await expect(platformGenerator(createTree(), { name: 'default' })).rejects.toThrow('platform name "default" is reserved');
  });
});
