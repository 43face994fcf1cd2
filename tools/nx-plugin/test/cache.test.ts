/**
 * The cached `generate` target in a real temporary workspace: Nx stores and restores the generated
 * files but never a `secrets/` file, and a no-op `nx run-many -t generate validate` is served
 * entirely from the cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { commitAll, nx, tempWorkspace } from './workspace';

let dir: string;
const project = '@gitops/platform-cptm8';

beforeAll(() => {
  dir = tempWorkspace();
  // Nx 23 keeps its cache in ~/.nx/<workspace hash>/cache by default; keep this one inspectable and removable.
  process.env.NX_CACHE_DIRECTORY = join(dir, '.nx/cache');
});
afterAll(() => {
  delete process.env.NX_CACHE_DIRECTORY;
  rmSync(dir, { recursive: true, force: true });
});

/** Every file under `root`, relative to it. */
function files(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

describe('cached generate', () => {
  it('stores the generated files and no secrets/ file; a restore keeps secrets files as edited (or deleted)', async () => {
    const first = await nx(dir, 'run', `${project}:generate`, '--outputStyle=static');
    expect(first.exitCode, first.all).toBe(0);
    const cached = files(join(dir, '.nx/cache'));
    expect(cached.some((f) => f.includes('environments/dev/cptm8/kustomization.yaml')), cached.join('\n')).toBe(true);
    expect(cached.filter((f) => /\/secrets(\/|$)/.test(f))).toEqual([]);

    const secretsDir = join(dir, 'environments/dev/cptm8/secrets');
    const secret = join(secretsDir, readdirSync(secretsDir).sort()[0]);
    appendFileSync(secret, '# edited after the last generate\n');
    commitAll(dir, 'edit a secret');
    const edited = readFileSync(secret, 'utf8');
    // A secrets file deleted after the run must stay deleted: the cache holds none to bring back.
    const prodSecrets = join(dir, 'environments/prod/cptm8/secrets');
    const deleted = join(prodSecrets, readdirSync(prodSecrets).sort()[0]);
    rmSync(deleted);
    // Damage a generated file and delete another, so the outputs differ from the cache and Nx must restore them.
    const kustomization = join(dir, 'environments/dev/cptm8/kustomization.yaml');
    const original = readFileSync(kustomization, 'utf8');
    appendFileSync(kustomization, '# hand edit\n');
    const other = join(dir, 'environments/prod/cptm8', files(join(dir, 'environments/prod/cptm8')).find((f) => !f.includes('secrets/'))!);
    const otherText = readFileSync(other, 'utf8');
    rmSync(other);

    const restored = await nx(dir, 'run', `${project}:generate`, '--outputStyle=static');
    expect(restored.exitCode, restored.all).toBe(0);
    expect(restored.all).toMatch(/\[local cache\]/);
    expect(readFileSync(secret, 'utf8')).toBe(edited);
    expect(existsSync(deleted)).toBe(false);
    expect(readFileSync(kustomization, 'utf8')).toBe(original);
    expect(readFileSync(other, 'utf8')).toBe(otherText);
  }, 300_000);

  it('a no-op `nx run-many -t generate validate` runs no task', async () => {
    const warm = await nx(dir, 'run-many', '-t', 'generate', 'validate', '--outputStyle=static');
    expect(warm.exitCode, warm.all).toBe(0);
    const noop = await nx(dir, 'run-many', '-t', 'generate', 'validate', '--outputStyle=static');
    expect(noop.exitCode, noop.all).toBe(0);
    const [, hits, total] = /read the output from the cache instead of running the command for (\d+) out of (\d+) tasks/.exec(noop.all) ?? [];
    expect(Number(total), noop.all).toBeGreaterThanOrEqual(12); // generate + validate of 5 platforms and argocd
    expect(hits, noop.all).toBe(total);
  }, 600_000);
});
