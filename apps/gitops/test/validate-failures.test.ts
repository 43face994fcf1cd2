/**
 * What a first-time user meets when something in the repository is wrong (review of generate and
 * validate): a spec mistake is bad input (exit 2, the field named, nothing written) in `generate` and
 * in `validate`; one overlay that does not render (a SOPS file whose MAC or ciphertext was changed,
 * a kustomization kustomize refuses) is an error finding of that overlay while every other overlay
 * is still rendered and validated and the report is printed (exit 1); no message shows our own
 * source location for it. Real files: `secrets init` with the example TEST key of dev, the real kustomize.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initSecrets, repo, SAMPLE_SPEC, sampleRepo, snapshot, type SampleRepo } from './sample-repo';
import { runMain } from './run-main';

const SECRET = 'environments/dev/sample/secrets/db-credentials.enc.yaml';
const KEY = { SOPS_AGE_KEY_FILE: join(repo, 'test-keys/example-dev.agekey') };
/** An internal source location such as `libs/kustomize/src/render.ts:30:11` or `tools/secrets/src/errors.ts:59:12`. */
const OUR_LOCATION = /(libs|tools|apps)\/[\w./-]+\.ts:\d+:\d+/;

let s: SampleRepo;
let baseline: ReturnType<typeof results>;
const run = (...args: string[]) => runMain(args, { cwd: s.root, env: { GITOPS_ROOT: s.root, ...KEY } });

/** Runs `body` with `path` changed by `edit`, restoring the file afterwards. */
async function withEdited(path: string, edit: (text: string) => string, body: () => Promise<void>): Promise<void> {
  const abs = join(s.root, path);
  const before = readFileSync(abs, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(abs, after);
  try {
    await body();
  } finally {
    writeFileSync(abs, before);
  }
}

beforeAll(async () => {
  s = sampleRepo('gitops-validate-failures-');
  expect((await run('generate', 'sample')).exitCode).toBe(0);
  const init = await run('secrets', 'init', '--env', 'dev', 'sample');
  expect(init.exitCode, init.stderr).toBe(0);
  await initSecrets(s.root, 'sample');
  // The sample platform has findings of its own (prod's policy): the untouched results to compare with.
  baseline = results((await run('validate', 'sample', '--json')).stdout);
  expect(baseline.map((x) => x.objects).every((n) => n > 0)).toBe(true);
}, 120_000);
afterAll(() => s?.cleanup());

/** The overlay results of `validate --json` (parseable, one per overlay). */
function results(stdout: string): Array<{ dir: string; objects: number; findings: Array<{ rule: string; severity: string; source: string; message: string }> }> {
  return JSON.parse(stdout);
}

describe('one overlay that does not render', () => {
  it.each([
    ['its MAC', (t: string) => t.replace(/(mac: ENC\[AES256_GCM,data:)(.)/, (_, a: string, c: string) => a + (c === 'A' ? 'B' : 'A')), /^MAC mismatch: the file was modified after it was encrypted/],
    ['one ciphertext character', (t: string) => t.replace(/(password: ENC\[AES256_GCM,data:)(.)/, (_, a: string, c: string) => a + (c === 'A' ? 'B' : 'A')), /^could not decrypt value at .*password.*: AES-GCM authentication failed/],
  ])('a SOPS file with %s changed: validate reports it as an error of that overlay, validates the others, exit 1', async (_, tamper, reason) => {
    await withEdited(SECRET, tamper, async () => {
      const json = await run('validate', 'sample', '--json');
      expect(json.exitCode, json.stderr).toBe(1);
      const r = results(json.stdout);
      expect(r.map((x) => x.dir)).toEqual(['environments/dev/sample', 'environments/staging/sample', 'environments/prod/sample']);
      const [dev, ...others] = r;
      expect(dev.findings).toHaveLength(1);
      expect(dev.findings[0]).toMatchObject({ severity: 'error', rule: 'render-failed', source: SECRET });
      expect(dev.findings[0].message).toMatch(reason);
      expect(others).toEqual(baseline.slice(1));
      expect(json.stderr).not.toMatch(OUR_LOCATION);
      expect(json.stderr).toMatch(/^render [1-3]\/3 environments\/dev\/sample \(failed\)$/m);
      expect(json.stderr).toMatch(/^render 3\/3 /m);

      const text = await run('validate', 'sample');
      expect(text.exitCode).toBe(1);
      expect(text.stdout).toContain(`error   ${SECRET} Overlay/environments/dev/sample - render-failed: `);
      expect(text.stdout).toMatch(/\n  prod: [1-9]\d* objects/);
      expect(text.stderr + text.stdout).not.toMatch(OUR_LOCATION);

      const all = await run('all', 'sample', '--json');
      expect(all.exitCode, all.stderr).toBe(1);
      expect(results(all.stdout)[0].findings[0]).toMatchObject({ rule: 'render-failed', source: SECRET });
      expect(all.stderr).not.toMatch(OUR_LOCATION);

      const render = await run('render', 'sample', '--env', 'dev');
      expect(render.exitCode).toBe(1);
      expect(render.stdout).toBe('');
      expect(render.stderr).toMatch(new RegExp(`^error: ${SECRET}: ${reason.source.slice(1)}`));
      expect(render.stderr).not.toMatch(OUR_LOCATION);
      expect(render.stderr).not.toContain(s.root);
    });
  });

  it('a kustomization kustomize refuses: kustomize’s own message as an error of that overlay, the others validated, exit 1', async () => {
    await withEdited('environments/staging/sample/kustomization.yaml', (t) => t.replace('resources:\n', 'resources:\n  - no-such-file.yaml\n'), async () => {
      const json = await run('validate', 'sample', '--json');
      expect(json.exitCode, json.stderr).toBe(1);
      const r = results(json.stdout);
      const staging = r.find((x) => x.dir === 'environments/staging/sample')!;
      // The hand edit is also drift from what the source generates (out-of-date, first).
      expect(staging.findings).toEqual([
        expect.objectContaining({ severity: 'error', rule: 'out-of-date', source: 'environments/staging/sample/kustomization.yaml' }),
        expect.objectContaining({ severity: 'error', rule: 'render-failed', source: 'environments/staging/sample', message: expect.stringMatching(/^kustomize build failed:\n.*no-such-file\.yaml/s) }),
      ]);
      expect(staging.findings[0].message).not.toContain(s.root);
      expect(r.filter((x) => x !== staging)).toEqual(baseline.filter((x) => x.dir !== staging.dir));
      expect(json.stderr).not.toMatch(OUR_LOCATION);
      // The render counter counts the failed overlay too, so it reaches the total.
      expect(json.stderr).toMatch(/^render [1-3]\/3 environments\/staging\/sample \(failed\)$/m);
      expect(json.stderr).toMatch(/^render 3\/3 /m);

      const render = await run('render', 'sample', '--env', 'staging');
      expect(render.exitCode).toBe(1);
      expect(render.stderr).toMatch(/^error: environments\/staging\/sample: kustomize build failed:\n.*no-such-file\.yaml/s);
      expect(render.stderr).not.toMatch(OUR_LOCATION);
    });
  });
});

describe('spec mistakes are bad input in generate and validate (exit 2, the field named, nothing written)', () => {
  it.each([
    ['a component kind typo', "kind: 'Deployment'", "kind: 'Deploymnt'", 'component "api", field "kind": unknown kind "Deploymnt" (known: Deployment, StatefulSet, DaemonSet, CronJob, Job)'],
    ['a quoted grace period', "kind: 'Deployment',", "kind: 'Deployment', terminationGracePeriodSeconds: '30' as unknown as number,", 'component "api", field "terminationGracePeriodSeconds": must be a number, got string "30"'],
    ['a probe period that is not a number', "port: 'http' } } }", "port: 'http' }, periodSeconds: 'five' as unknown as number } }", 'component "api", field "probes.readiness.periodSeconds": must be a number, got string "five"'],
    ['a secret key typo', "secret: 'db-credentials', key: 'password'", "secret: 'db-credentials', key: 'pasword'", 'references key "pasword" of secret "db-credentials"'],
    // Found by compiling each environment, not by validatePlatform: validate must compile as generate does.
    ['a missing staging tag', "staging: '1.0.0', ", '', 'platform "sample", app "sample", field "releases["registry.example/sample/api"].staging": no image tag for environment "staging"'],
    ['an image no component uses', "prod: '0.9.0' } },", "prod: '0.9.0' }, 'registry.example/sample/unused': { dev: '1', staging: '1', prod: '1' } },", 'field "releases["registry.example/sample/unused"]": libs/platforms/sample/releases.yaml: images["registry.example/sample/unused"] is used by no component in any environment'],
  ])('%s', async (_, from, to, message) => {
    expect(SAMPLE_SPEC).toContain(from);
    s.setSpec(SAMPLE_SPEC.replace(from, to));
    try {
      const before = snapshot(join(s.root, 'environments'));
      const generate = await run('generate', 'sample');
      expect(generate.exitCode, generate.stderr).toBe(2);
      expect(generate.stderr).toContain(message);
      expect(snapshot(join(s.root, 'environments'))).toEqual(before);
      const validate = await run('validate', 'sample', '--json');
      expect(validate.exitCode, validate.stderr).toBe(2);
      expect(validate.stderr).toContain(message);
      // Under --json the error is the document on stdout (nothing else is printed there).
      expect(JSON.parse(validate.stdout)).toEqual({ error: { message: expect.stringContaining(message), exitCode: 2 } });
    } finally {
      s.setSpec(SAMPLE_SPEC);
    }
  });
});

describe('releases.yaml', () => {
  it('an unquoted number is bad input (exit 2) named as written, with the file, line and key', async () => {
    const from = "releases: { 'registry.example/sample/api': { dev: '1.0.0', staging: '1.0.0', prod: '0.9.0' } },";
    expect(SAMPLE_SPEC).toContain(from);
    s.setSpec(
      "import { fileURLToPath } from 'node:url';\nimport { loadReleases } from '@gitops/core';\n" +
        SAMPLE_SPEC.replace(from, "releases: loadReleases(fileURLToPath(new URL('../releases.yaml', import.meta.url))),"),
    );
    s.writeFile('libs/platforms/sample/releases.yaml', 'images:\n  registry.example/sample/api:\n    dev: "1.0.0"\n    staging: 1.0\n    prod: "0.9.0"\n');
    try {
      const res = await run('generate', 'sample');
      expect(res.exitCode, res.stderr).toBe(2);
      expect(res.stderr).toContain('error: libs/platforms/sample/releases.yaml:4: images["registry.example/sample/api"].staging is 1.0, which YAML reads as the number 1, not a tag: quote it (staging: "1.0")');
      expect(res.stderr).not.toContain(s.root);
    } finally {
      s.setSpec(SAMPLE_SPEC);
    }
  });
});

describe('a generated tree that is not what the source generates now', () => {
  it('is an error of the overlays it touches (out-of-date, naming the files and `gitops generate`), gone once generated', async () => {
    const from = 'default: { replicas: 1 }, prod: { replicas: 3,';
    expect(SAMPLE_SPEC).toContain(from);
    s.setSpec(SAMPLE_SPEC.replace(from, 'default: { replicas: 1 }, dev: { replicas: 2 }, prod: { replicas: 3,'));
    try {
      const res = await run('validate', 'sample', '--json');
      expect(res.exitCode, res.stderr).toBe(1);
      const r = results(res.stdout);
      const stale = r.flatMap((x) => x.findings.filter((f) => f.rule === 'out-of-date').map((f) => ({ dir: x.dir, ...f })));
      // Only dev's replicas changed (the base holds prod's): dev's overlay, not staging's or prod's.
      expect(stale.map((f) => f.dir)).toEqual(['environments/dev/sample']);
      expect(stale[0]).toMatchObject({ severity: 'error', source: expect.stringMatching(/^environments\/dev\/sample\//) });
      expect(stale[0].message).toMatch(/^the generated files are not what libs\/platforms\/sample generates now \(environments\/dev\/sample\/.*\): run `gitops generate sample`$/);
      expect((await run('generate', 'sample')).exitCode).toBe(0);
      const after = await run('validate', 'sample', '--json');
      expect(results(after.stdout).flatMap((x) => x.findings).filter((f) => f.rule === 'out-of-date')).toEqual([]);
    } finally {
      s.setSpec(SAMPLE_SPEC);
      expect((await run('generate', 'sample')).exitCode).toBe(0);
    }
  });

  it('an overlay never generated: render-failed saying so, not kustomize\'s lstat error', async () => {
    const dir = join(s.root, 'environments/staging/sample');
    const saved = snapshot(dir);
    rmSync(dir, { recursive: true, force: true });
    try {
      const res = await run('validate', 'sample', '--json');
      expect(res.exitCode).toBe(1);
      const staging = results(res.stdout).find((x) => x.dir === 'environments/staging/sample')!;
      expect(staging.findings.map((f) => [f.rule, f.message])).toEqual([
        ['out-of-date', expect.stringContaining('run `gitops generate sample`')],
        ['render-failed', 'not generated yet: run `gitops generate sample`'],
      ]);
    } finally {
      for (const [f, text] of Object.entries(saved)) s.writeFile(join('environments/staging/sample', f), text);
    }
  });
});
