/**
 * The cached `generate` target in a real temporary workspace: Nx stores and restores the generated
 * files but never a `secrets/` file, and a no-op `nx run-many -t generate validate` is served
 * entirely from the cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { commitAll, nx, tempWorkspace } from './workspace';

let dir: string;

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
  // cptm8 has one overlay per environment; sevensa one per app (environments/<env>/sevensa/<app>/secrets/),
  // where a folder glob once stored the app folder whole, secrets included.
  it.each([
    ['cptm8', ''],
    ['sevensa', '/ai'],
  ])('stores the generated files of %s and no secrets/ file; a restore keeps secrets files as edited, deleted or added', async (platform, app) => {
    const project = `@gitops/platform-${platform}`;
    const overlay = (env: string) => join(dir, `environments/${env}/${platform}${app}`);
    const first = await nx(dir, 'run', `${project}:generate`, '--outputStyle=static');
    expect(first.exitCode, first.all).toBe(0);
    const cached = files(join(dir, '.nx/cache'));
    expect(cached.some((f) => f.includes(`environments/dev/${platform}${app}/kustomization.yaml`)), cached.join('\n')).toBe(true);
    expect(cached.filter((f) => /\/secrets(\/|$)/.test(f))).toEqual([]);
    // Every generated file is an output (the globs name YAML files only: nothing else may be generated).
    for (const env of ['dev', 'staging', 'prod']) {
      const generated = files(join(dir, 'environments', env, platform)).filter((f) => !/(^|\/)secrets\//.test(f));
      const missing = generated.filter((f) => !cached.some((c) => c.endsWith(`environments/${env}/${platform}/${f}`)));
      expect(missing, env).toEqual([]);
    }

    const secretsDir = join(overlay('dev'), 'secrets');
    const secret = join(secretsDir, readdirSync(secretsDir).sort()[0]);
    appendFileSync(secret, '# edited after the last generate\n');
    commitAll(dir, 'edit a secret');
    const edited = readFileSync(secret, 'utf8');
    // A secrets file deleted after the run must stay deleted: the cache holds none to bring back.
    const prodSecrets = join(overlay('prod'), 'secrets');
    const deleted = join(prodSecrets, readdirSync(prodSecrets).sort()[0]);
    const deletedText = readFileSync(deleted, 'utf8');
    rmSync(deleted);
    // And one added after the run must stay: a restore removes only cached paths.
    const added = join(overlay('staging'), 'secrets', 'added-after-generate.enc.yaml');
    writeFileSync(added, 'sops: {}\n');
    // Damage a generated file and delete another, so the outputs differ from the cache and Nx must restore them.
    const kustomization = join(overlay('dev'), 'kustomization.yaml');
    const original = readFileSync(kustomization, 'utf8');
    appendFileSync(kustomization, '# hand edit\n');
    const other = join(overlay('prod'), files(overlay('prod')).find((f) => !f.includes('secrets/'))!);
    const otherText = readFileSync(other, 'utf8');
    rmSync(other);

    const restored = await nx(dir, 'run', `${project}:generate`, '--outputStyle=static');
    expect(restored.exitCode, restored.all).toBe(0);
    expect(restored.all).toMatch(/\[local cache\]/);
    expect(readFileSync(secret, 'utf8')).toBe(edited);
    expect(existsSync(deleted)).toBe(false);
    expect(readFileSync(added, 'utf8')).toBe('sops: {}\n');
    expect(readFileSync(kustomization, 'utf8')).toBe(original);
    expect(readFileSync(other, 'utf8')).toBe(otherText);
    // Put the secrets back as they were: an overlay whose listed SOPS file is missing does not validate.
    writeFileSync(deleted, deletedText);
    rmSync(added);
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
