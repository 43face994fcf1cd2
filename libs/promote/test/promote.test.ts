/**
 * Promotion on a temporary copy of the repository (one platform library and its generated
 * folders): the releases file is edited in place, the tree regenerated, the target rendered with
 * the real kustomize, and the policy of the target environment enforced. Each test gets its own
 * copy because a platform module, once imported, keeps the releases it read.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { execa } from 'execa';
import { UserError } from '@gitops/core';
import { runMain } from '../../../apps/gitops/test/run-main';
import { promote, editReleases, parseImageArg } from '../src';

const repo = resolve(__dirname, '../../..');
const bin = join(repo, 'apps/gitops/bin/gitops.mjs');
const copies: string[] = [];
const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com/cptm8';
const DIGEST = 'sha256:' + 'ab12'.repeat(16);

/** A throw-away repository holding cptm8 (source + generated tree), its releases changed by `edit`. */
function copyRepo(edit: (releases: string) => string = (r) => r): string {
  const root = mkdtempSync(join(tmpdir(), 'gitops-promote-test-'));
  copies.push(root);
  writeFileSync(join(root, 'nx.json'), '{}\n');
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  cpSync(join(repo, 'tsconfig.base.json'), join(root, 'tsconfig.base.json'));
  cpSync(join(repo, 'libs/platforms/cptm8'), join(root, 'libs/platforms/cptm8'), { recursive: true, filter: (s) => !s.endsWith('/test') });
  for (const d of ['environments/base/cptm8', 'environments/dev/cptm8', 'environments/staging/cptm8', 'environments/prod/cptm8']) {
    cpSync(join(repo, d), join(root, d), { recursive: true });
  }
  const file = join(root, 'libs/platforms/cptm8/releases.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return root;
}

/** Sets one value in the releases text (the entries are `    <env>: "<tag>"` under each repository). */
function setRelease(text: string, image: string, env: string, value: string): string {
  const at = text.indexOf(`${ECR}/${image}:\n`);
  const line = text.indexOf(`    ${env}: `, at);
  const end = text.indexOf('\n', line);
  return text.slice(0, line) + `    ${env}: "${value}"` + text.slice(end);
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      if (e === 'node_modules') continue;
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** A removed (-) or added (+) line of a unified diff, whatever its indentation. */
const diffLine = (sign: '-' | '+', text: string) => new RegExp(`^\\${sign}\\s+${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm');

const refused = async (p: Promise<unknown>): Promise<UserError> => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
};

afterAll(() => copies.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('gitops promote', () => {
  it('--dry-run shows the rendered change of the target and writes nothing', async () => {
    const root = copyRepo((r) => setRelease(r, 'asmm8', 'dev', '1.5.0'));
    const before = snapshot(root);
    const res = await promote({ root, platform: 'cptm8', from: 'dev', to: 'staging', images: ['asmm8'], dryRun: true });
    expect(res.promoted).toEqual([{ repository: `${ECR}/asmm8`, previous: '1.4.0', value: '1.5.0' }]);
    expect(res.written).toEqual([]);
    expect(res.diff.map((d) => d.overlay)).toEqual(['environments/staging/cptm8']);
    const changed = res.diff[0].changed.find((c) => c.id.startsWith('Deployment/') && c.id.endsWith('/asmm8'));
    expect(changed?.diff).toMatch(diffLine('-', `image: ${ECR}/asmm8:1.4.0`));
    expect(changed?.diff).toMatch(diffLine('+', `image: ${ECR}/asmm8:1.5.0`));
    expect(snapshot(root)).toEqual(before);
  });

  it('writes releases.yaml (comments kept) and the regenerated tree, with no drift left', async () => {
    const root = copyRepo((r) => setRelease(r, 'asmm8', 'dev', '1.5.0'));
    const oldText = readFileSync(join(root, 'libs/platforms/cptm8/releases.yaml'), 'utf8');
    const res = await promote({ root, platform: 'cptm8', from: 'dev', to: 'staging' });
    // Everything else in staging already equals dev.
    expect(res.promoted.map((i) => i.repository)).toEqual([`${ECR}/asmm8`]);
    expect(res.unchanged).toHaveLength(7);
    const text = readFileSync(join(root, 'libs/platforms/cptm8/releases.yaml'), 'utf8');
    expect(text).toBe(setRelease(oldText, 'asmm8', 'staging', '1.5.0'));
    expect(res.written).toContain('libs/platforms/cptm8/releases.yaml');
    expect(res.written).toContain('environments/staging/cptm8/kustomization.yaml');
    expect(readFileSync(join(root, 'environments/staging/cptm8/kustomization.yaml'), 'utf8')).toMatch(/name: \S+\/cptm8\/asmm8\n\s+newTag: 1\.5\.0/);
    // A fresh process compiles from the new releases.yaml and finds the committed tree up to date.
    const check = await execa('node', [bin, 'generate', 'cptm8', '--check'], { cwd: root, reject: false, env: { GITOPS_ROOT: root } });
    expect(check.stderr).not.toContain('drift:');
    expect(check.exitCode).toBe(0);
  });

  it('promotes a digest; kustomize renders repository@sha256', async () => {
    const root = copyRepo((r) => setRelease(setRelease(r, 'num8', 'dev', DIGEST), 'num8', 'staging', DIGEST));
    const res = await promote({ root, platform: 'cptm8', from: 'staging', to: 'prod', images: [`num8@${DIGEST}`] });
    expect(res.promoted).toEqual([{ repository: `${ECR}/num8`, previous: '1.2.1', value: DIGEST }]);
    expect(res.warnings).toEqual([]);
    expect(readFileSync(join(root, 'environments/prod/cptm8/kustomization.yaml'), 'utf8')).toContain(`name: ${ECR}/num8\n    digest: ${DIGEST}`);
    const changed = res.diff[0].changed.find((c) => c.id.endsWith('/num8'));
    expect(changed?.diff).toMatch(diffLine('+', `image: ${ECR}/num8@${DIGEST}`));
  });

  it('refuses to promote onto a generated tree that is out of date, writing nothing', async () => {
    const root = copyRepo((r) => setRelease(r, 'asmm8', 'dev', '1.5.0'));
    const file = join(root, 'environments/staging/cptm8/poddisruptionbudgets.yaml');
    writeFileSync(file, readFileSync(file, 'utf8') + '# hand edit\n');
    const before = snapshot(root);
    const err = await refused(promote({ root, platform: 'cptm8', from: 'dev', to: 'staging' }));
    expect(err.message).toMatch(/^the generated tree of cptm8 is out of date \(environments\/staging\/cptm8\/poddisruptionbudgets\.yaml\): run `gitops generate cptm8`/);
    expect(err.exitCode).toBe(1);
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses an image the source does not run, naming it', async () => {
    const root = copyRepo();
    const err = await refused(promote({ root, platform: 'cptm8', from: 'dev', to: 'staging', images: ['asmm8:9.9.9'], dryRun: true }));
    expect(err.message).toBe(`dev does not run ${ECR}/asmm8:9.9.9; it runs ${ECR}/asmm8:1.4.0`);
    expect(err.exitCode).toBe(2);
    const unknown = await refused(promote({ root, platform: 'cptm8', from: 'dev', to: 'staging', images: ['nginx'], dryRun: true }));
    expect(unknown.message).toMatch(/^platform cptm8 has no release image "nginx" \(release images: .*cptm8\/asmm8/);
  });

  it('refuses when the source environment has no value for the image', async () => {
    const root = copyRepo((r) => r.replace(/(cptm8\/katanam8:\n)    dev: "1\.1\.0"\n/, '$1'));
    const err = await refused(promote({ root, platform: 'cptm8', from: 'dev', to: 'staging', images: ['katanam8'], dryRun: true }));
    expect(err.message).toBe(`dev does not run ${ECR}/katanam8: libs/platforms/cptm8/releases.yaml has no images["${ECR}/katanam8"].dev`);
  });

  it('enforces the target policy: prod takes promotions only from staging, and warns on mutable tags', async () => {
    const root = copyRepo((r) => setRelease(r, 'socketm8', 'staging', 'main-4f2a9c1'));
    const before = snapshot(root);
    const wrongSource = await refused(promote({ root, platform: 'cptm8', from: 'dev', to: 'prod', dryRun: true }));
    expect(wrongSource.message).toBe('prod accepts promotions only from staging (promotion policy, libs/environments), not from dev');
    expect(wrongSource.exitCode).toBe(1);
    const res = await promote({ root, platform: 'cptm8', from: 'staging', to: 'prod', images: ['socketm8'], dryRun: true });
    expect(res.warnings).toEqual([`prod runs ${ECR}/socketm8:main-4f2a9c1; prod requires a digest (sha256:…) or a full semantic version tag`]);
    expect(snapshot(root)).toEqual(before);
  });

  it('checks the environments that take promotions from the target too: staging never moves below what prod runs', async () => {
    const root = copyRepo((r) => setRelease(r, 'asmm8', 'dev', '1.3.0')); // prod runs 1.3.2
    const before = snapshot(root);
    const err = await refused(promote({ root, platform: 'cptm8', from: 'dev', to: 'staging', images: ['asmm8'] }));
    expect(err.exitCode).toBe(1);
    expect(err.message).toContain(`prod runs ${ECR}/asmm8:1.3.2, ahead of staging (1.3.0)`);
    expect(snapshot(root)).toEqual(before);
  });

  it('reports only the lineage of a downstream environment, not its other problems', async () => {
    const root = copyRepo((r) => setRelease(setRelease(r, 'socketm8', 'prod', 'main-4f2a9c1'), 'socketm8', 'dev', '9.9.9'));
    const res = await promote({ root, platform: 'cptm8', from: 'dev', to: 'staging', images: ['socketm8'], dryRun: true });
    expect(res.promoted.map((i) => i.value)).toEqual(['9.9.9']);
    expect(res.warnings).toEqual([]); // prod's mutable tag is prod's business, not this promotion's
  });

  it('refuses promotions into dev, which takes its images from builds', async () => {
    const root = copyRepo();
    const err = await refused(promote({ root, platform: 'cptm8', from: 'prod', to: 'dev', dryRun: true }));
    expect(err.exitCode).toBe(1);
    expect(err.message).toContain('dev takes its images from builds, not from promotions');
  });

  it('refuses an edit that a YAML anchor would carry into another environment, writing nothing', async () => {
    const root = copyRepo((r) => r.replace('    staging: "1.4.0"\n    prod: "1.3.2"', '    staging: &current "1.4.0"\n    prod: *current').replace(/(asmm8:\n    dev: )"1.4.0"/, '$1"1.5.0"'));
    const before = snapshot(root);
    const err = await refused(promote({ root, platform: 'cptm8', from: 'dev', to: 'staging', images: ['asmm8'] }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(`images["${ECR}/asmm8"].prod would change too (1.4.0 -> 1.5.0)`);
    expect(snapshot(root)).toEqual(before);
  });

  it('gitops validate reports the same policy problem on the promoted tree', async () => {
    const root = copyRepo((r) => setRelease(r, 'socketm8', 'staging', 'main-4f2a9c1'));
    const res = await promote({ root, platform: 'cptm8', from: 'staging', to: 'prod', images: ['socketm8'] });
    expect(res.warnings).toHaveLength(1);
    const v = await runMain(['validate', 'cptm8', '--env', 'prod', '--json'], { cwd: root, env: { GITOPS_ROOT: root } });
    const findings = (JSON.parse(v.stdout) as Array<{ findings: Array<{ rule: string; severity: string; name: string; message: string }> }>).flatMap((r) => r.findings);
    expect(findings.filter((f) => f.rule.startsWith('release-'))).toEqual([
      expect.objectContaining({ rule: 'release-immutable', severity: 'warning', name: 'socketm8', message: res.warnings[0] }),
    ]);
  });

  it('--app limits the promotion to the images the app runs; unknown names exit 2', async () => {
    const root = copyRepo();
    const res = await promote({ root, platform: 'cptm8', from: 'staging', to: 'prod', app: 'cptm8', dryRun: true });
    expect(res.promoted.length).toBe(8);
    const app = await refused(promote({ root, platform: 'cptm8', from: 'staging', to: 'prod', app: 'nope', dryRun: true }));
    expect(app.exitCode).toBe(2);
    expect(app.message).toContain('platform cptm8 has no app "nope" (apps: cptm8)');
    const env = await refused(promote({ root, platform: 'cptm8', from: 'dev', to: 'qa' }));
    expect(env.message).toBe('--to: unknown environment "qa" (known: dev, staging, prod)');
  });

  it('the CLI prints Markdown, JSON with --json, and exits 2 on bad input', async () => {
    const root = copyRepo((r) => setRelease(r, 'asmm8', 'dev', '1.5.0'));
    // main() in this process (run-main.ts): the bin's own exit codes are tested in apps/gitops.
    const gitops = (...args: string[]) => runMain(args, { cwd: root, env: { GITOPS_ROOT: root } });
    const md = await gitops('promote', 'cptm8', '--from', 'dev', '--to', 'staging', '--dry-run');
    expect(md.exitCode).toBe(0);
    expect(md.stdout).toContain('# Promote cptm8: dev → staging (dry run, nothing written)');
    expect(md.stdout).toContain(`- \`${ECR}/asmm8:1.5.0\` (was \`1.4.0\`)`);
    expect(md.stdout).toContain('### environments/staging/cptm8');
    const json = await gitops('promote', 'cptm8', '--from', 'dev', '--to', 'staging', '--dry-run', '--json');
    expect(JSON.parse(json.stdout).promoted).toHaveLength(1);
    // --image is repeatable, not variadic: the platform argument after it stays the platform.
    const one = await gitops('promote', '--image', 'asmm8', 'cptm8', '--from', 'dev', '--to', 'staging', '--dry-run', '-o', 'json');
    expect(one.exitCode, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout).promoted).toHaveLength(1);
    const bad = await gitops('promote', 'cptm8', '--from', 'dev', '--to', 'qa');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('unknown environment "qa"');
  });
});

describe('releases file editing', () => {
  it('keeps comments and flow style, quotes new values, and rejects what the reader rejects', () => {
    const text = '# keep me\nimages:\n  a/b: { dev: "2026.03", staging: "2026.02" } # flow\n';
    const out = editReleases(text, 'r.yaml', [{ repository: 'a/b', env: 'staging', value: '2026.03' }, { repository: 'a/b', env: 'prod', value: '2026.03' }]);
    expect(out.text).toBe('# keep me\nimages:\n  a/b: { dev: "2026.03", staging: "2026.03", prod: "2026.03" } # flow\n');
    expect(out.releases['a/b'].prod).toBe('2026.03');
    expect(() => editReleases(text, 'r.yaml', [{ repository: 'a/b', env: 'prod', value: 'latest' }])).toThrow('r.yaml: images["a/b"].prod is "latest"');
  });

  it('parses image arguments with a tag, a digest or neither', () => {
    expect(parseImageArg('registry:5000/a/b')).toEqual({ name: 'registry:5000/a/b' });
    expect(parseImageArg('a/b:1.2.3')).toEqual({ name: 'a/b', ref: '1.2.3' });
    expect(parseImageArg(`b@${DIGEST}`)).toEqual({ name: 'b', ref: DIGEST });
    expect(existsSync(bin)).toBe(true);
  });
});
