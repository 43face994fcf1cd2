/**
 * The exit-code convention, per command: 2 for usage or input errors (commander's own errors
 * included), 1 for findings; error messages a person can act on; --version; -o json; | head.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { initSecrets, SAMPLE_SPEC, bin, repo, sampleRepo, type SampleRepo } from './sample-repo';
import { runMain } from './run-main';

let s: SampleRepo;
beforeAll(async () => {
  s = sampleRepo('gitops-exit-');
  expect((await s.gitops('generate', 'sample')).exitCode).toBe(0);
  await initSecrets(s.root, 'sample');
});
afterAll(() => s.cleanup());

/** Each row: a command line and the exit code it must give. */
const USAGE: string[][] = [
  ['--bogus'],
  ['nosuchcommand'],
  ['generate', '--bogus'],
  ['generate', 'nope'],
  ['render', 'sample'], // missing required --env
  ['render', 'sample', '--env', 'qa'],
  ['render', 'sample', '--env', 'dev', '--app', 'nope'],
  ['render', 'sample', '--env', 'dev', '-o', 'xml'],
  ['render'], // missing argument
  ['validate', '--env', 'qa'],
  ['validate', '--bogus'],
  ['all', '--bogus'],
  ['all', 'nope'],
  ['bench', '--bogus'],
  ['diff', '--bogus'],
  ['diff', '--base', 'no-such-ref'],
  ['argocd', 'paths', 'sample'],
  ['argocd', 'paths', 'sample', '--env', 'qa'],
  ['argocd', 'bogus'],
  ['secrets', '--bogus'],
  ['secrets', 'check', '--bogus'],
  ['secrets', 'nosuchcommand'],
  ['secrets', 'take-ownership', '--env', 'dev', '--age', 'age1bogus'],
];

describe('exit codes', () => {
  it.each(USAGE.map((args) => [args.join(' '), args]))('`gitops %s` is a usage error: exit 2, a message, no stack', async (_, args) => {
    const res = await s.run(...(args as string[]));
    expect(res.exitCode, String(res.stderr)).toBe(2);
    expect(res.stderr).toMatch(/error/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('an --identity file that cannot be read is bad input (exit 2) naming the file, before anything is re-encrypted', async () => {
    const res = await s.run('secrets', 'take-ownership', '--env', 'dev', '--age', 'age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq', '--identity', '/nonexistent/keys.txt');
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('cannot read identity file /nonexistent/keys.txt: ENOENT');
  });

  it('a malformed --identity file is bad input by the SOPS table (CONFIG: exit 2) naming the file, not a failure (1)', async () => {
    s.writeFile('not-keys.txt', 'not an age identity\n');
    const res = await s.run('secrets', 'take-ownership', '--env', 'dev', '--age', 'age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq', '--identity', 'not-keys.txt');
    expect(res.exitCode, res.stderr).toBe(2);
    expect(res.stderr).toMatch(/^error: failed to parse not-keys\.txt age identities: malformed identity at line 1$/m);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('every command and subcommand the CLI has (including ones added later) rejects an unknown flag with exit 2', async () => {
    const { buildProgram, main } = await import('../src/main');
    type Cmd = Awaited<ReturnType<typeof buildProgram>>;
    const leaves = (c: Cmd, path: string[] = []): string[][] =>
      c.commands.flatMap((x) => (x.commands.length ? leaves(x, [...path, x.name()]) : [[...path, x.name()]]));
    const paths = leaves(await buildProgram());
    expect(paths.length).toBeGreaterThan(20);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (const path of paths) {
        stderr.mockClear();
        expect(await main(['node', 'gitops', ...path, '--no-such-flag']), path.join(' ')).toBe(2);
        // Commander names the first problem: the unknown flag, or a required option/argument missing before it.
        expect(stderr.mock.calls.map((c) => String(c[0])).join(''), path.join(' ')).toMatch(/^error: (unknown option '--no-such-flag'|required option|missing required argument)/m);
      }
    } finally {
      stderr.mockRestore();
    }
  });

  it('help and version exit 0', async () => {
    for (const args of [['--help'], ['generate', '--help'], ['argocd', 'paths', '--help'], ['secrets', 'check', '--help']]) {
      expect((await s.gitops(...args)).exitCode, args.join(' ')).toBe(0);
    }
    const version = await s.gitops('--version');
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version);
  });

  it('`help <command…>` at any level is that command\'s --help; an unknown word is named with exit 2', async () => {
    for (const [help, direct] of [
      [['help', 'secrets', 'set'], ['secrets', 'set', '--help']],
      [['secrets', 'help', 'set'], ['secrets', 'set', '--help']],
      [['help', 'generate'], ['generate', '--help']],
      [['help'], ['--help']],
    ]) {
      const a = await s.run(...help);
      expect(a.exitCode, help.join(' ')).toBe(0);
      expect(a.stdout, help.join(' ')).toBe((await s.run(...direct)).stdout);
    }
    for (const [args, at] of [[['help', 'nosuch'], 'gitops'], [['secrets', 'help', 'nosuch'], 'gitops secrets'], [['help', 'secrets', 'nosuch'], 'gitops secrets']] as const) {
      const res = await s.run(...args);
      expect(res.exitCode, args.join(' ')).toBe(2);
      expect(res.stderr).toMatch(new RegExp(`^error: unknown command 'nosuch' \\(${at} commands: `));
      expect(res.stdout).toBe('');
    }
  });

  it('findings exit 1: drift (generate --check, all --check, argocd generate --check)', async () => {
    const file = 'environments/base/sample/api.yaml';
    const original = readFileSync(join(s.root, file), 'utf8');
    s.writeFile(file, original + '# hand edit\n');
    for (const args of [['generate', 'sample', '--check'], ['all', 'sample', '--check']]) {
      const res = await s.run(...args);
      expect(res.exitCode, args.join(' ')).toBe(1);
      expect(res.stderr).toContain(file);
    }
    s.writeFile(file, original);
    expect((await s.run('generate', 'sample', '--check')).exitCode).toBe(0);
    // argocd/ was never generated in this repository: all of it is drift.
    const argocd = await s.run('argocd', 'generate', '--check');
    expect(argocd.exitCode, argocd.stderr).toBe(1);
    expect(argocd.stderr).toContain('argocd/ is out of date');
  });

  it('argocd generate --check with a stale extra file says it would be removed, and removes nothing', async () => {
    expect((await s.run('argocd', 'generate')).exitCode).toBe(0);
    s.writeFile('argocd/apps/dev/zzz.yaml', 'kind: Application\n');
    try {
      const res = await s.run('argocd', 'generate', '--check');
      expect(res.exitCode, res.stderr).toBe(1);
      expect(res.stderr).toMatch(/^argocd: \d+ files, 0 would change, 1 would be removed$/m);
      expect(res.stderr).toContain('drift: argocd/apps/dev/zzz.yaml');
      expect(readFileSync(join(s.root, 'argocd/apps/dev/zzz.yaml'), 'utf8')).toBe('kind: Application\n');
    } finally {
      rmSync(join(s.root, 'argocd'), { recursive: true, force: true });
    }
  });

  it('findings exit 1: validation errors (the sample breaks prod policy: no resources, no default-deny)', async () => {
    expect((await s.run('validate', 'sample', '--env', 'dev')).exitCode).toBe(0);
    for (const args of [['validate', 'sample'], ['all', 'sample']]) {
      const res = await s.run(...args);
      expect(res.exitCode, args.join(' ')).toBe(1);
      expect(res.stderr).toMatch(/validation failed: \d+ errors/);
    }
  });
});

describe('errors a person can act on', () => {
  it('a quoted port names the wrong type, not a range (exit 2, nothing written)', async () => {
    s.setSpec(SAMPLE_SPEC.replace('containerPort: 8080', "containerPort: '3000' as unknown as number"));
    const res = await s.run('generate', 'sample');
    s.setSpec(SAMPLE_SPEC);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('field "ports.http.containerPort": must be a number, got string "3000"');
    expect(res.stderr).not.toContain('out of range');
  });

  it('an exception in a platform source names file:line (no debug variable needed)', async () => {
    const broken = SAMPLE_SPEC.replace("description: 'unit-test platform',", "description: 'unit-test platform',\n    port: PORTZ,");
    const line = broken.split('\n').findIndex((l) => l.includes('PORTZ')) + 1;
    s.setSpec(`declare const PORTZ: number;\n${broken}`);
    const res = await s.run('render', 'sample', '--env', 'dev');
    s.setSpec(SAMPLE_SPEC);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toMatch(new RegExp(`error: libs/platforms/sample/src/index\\.ts:${line + 1}:\\d+: PORTZ is not defined`));
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('an image in releases.yaml that no component uses is an error naming the file and key', async () => {
    s.writeFile('libs/platforms/sample/releases.yaml', 'images:\n  registry.example/sample/api: { dev: 1.0.0, staging: 1.0.0, prod: 0.9.0 }\n  registry.example/sample/apii: { dev: 1.0.0, staging: 1.0.0, prod: 1.0.0 }\n');
    const fromFile = SAMPLE_SPEC.replace("import type { PlatformSpec } from '@gitops/core';", "import { loadReleases, type PlatformSpec } from '@gitops/core';")
      .replace(/releases: \{ 'registry\.example\/sample\/api': [^\n]*\n/, "releases: loadReleases(new URL('../releases.yaml', import.meta.url).pathname),\n");
    s.setSpec(fromFile);
    const before = readFileSync(join(s.root, 'environments/base/sample/api.yaml'), 'utf8');
    const res = await s.run('generate', 'sample');
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('libs/platforms/sample/releases.yaml: images["registry.example/sample/apii"] is used by no component');
    expect(readFileSync(join(s.root, 'environments/base/sample/api.yaml'), 'utf8')).toBe(before);
    // An invalid tag in the same file is bad input too, naming the key.
    s.writeFile('libs/platforms/sample/releases.yaml', 'images:\n  registry.example/sample/api: { dev: "1.0 0", staging: 1.0.0, prod: 0.9.0 }\n');
    const tag = await s.run('generate', 'sample');
    expect(tag.exitCode).toBe(2);
    expect(tag.stderr).toMatch(/releases\.yaml: images\["registry\.example\/sample\/api"\]\.dev is not a valid image tag/);
    s.writeFile('libs/platforms/sample/releases.yaml', 'images:\n  registry.example/sample/api: { dev: 1.0.0, staging: 1.0.0, prod: 0.9.0 }\n');
    expect((await s.run('generate', 'sample', '--check')).exitCode, 'the same releases from the file').toBe(0);
    s.setSpec(SAMPLE_SPEC);
  });
});

describe('output options', () => {
  it('-o json is --json', async () => {
    for (const args of [['render', 'sample', '--env', 'dev'], ['argocd', 'paths', 'sample', '--env', 'dev'], ['generate', 'sample', '--check']]) {
      const long = await s.run(...args, '--json');
      const short = await s.run(...args, '-o', 'json');
      expect(short.exitCode, args.join(' ')).toBe(0);
      expect(JSON.parse(short.stdout)).toEqual(JSON.parse(long.stdout));
    }
    const yaml = await s.run('render', 'sample', '--env', 'dev', '-o', 'yaml');
    expect(yaml.stdout).toMatch(/^apiVersion: /);
  });

  it('a --json run that fails before printing its document prints the error as one on stdout (and on stderr), with the exit code', async () => {
    for (const args of [
      ['validate', 'nope', '--json'],
      ['render', 'sample', '--env', 'nope', '-o', 'json'],
      ['render', 'sample', '--output=json'], // commander's own error: a required option
      ['generate', 'nope', '--check', '--json'],
    ]) {
      const res = await s.run(...args);
      expect(res.exitCode, args.join(' ')).toBe(2);
      const doc = JSON.parse(res.stdout) as { error: { message: string; exitCode: number } };
      expect(doc.error.exitCode).toBe(2);
      expect(res.stderr).toContain(doc.error.message);
    }
    // Without --json nothing is added to stdout; a run that printed its document prints no second one.
    expect((await s.run('validate', 'nope')).stdout).toBe('');
    const findings = await s.run('validate', 'sample', '--env', 'prod', '--json');
    expect(findings.exitCode).toBe(1);
    expect(Array.isArray(JSON.parse(findings.stdout))).toBe(true);
  });

  it('render and validate report progress on stderr while they run, results stay on stdout', async () => {
    const res = await s.run('validate', 'sample', '--env', 'dev', '--json');
    const err = String(res.stderr).split('\n');
    const tick = err.indexOf('render 1/1 environments/dev/sample');
    expect(tick, res.stderr).toBeGreaterThanOrEqual(0);
    expect(tick).toBeLessThan(err.findIndex((l) => l.startsWith('render: 1 overlays')));
    expect(err).toContain('validate 1/1 environments/dev/sample');
    expect(JSON.parse(res.stdout)).toHaveLength(1);
  });

  it('`gitops render … | head` prints no EPIPE stack trace', async () => {
    // ~280 kB of JSON: far more than a pipe holds, so the CLI writes after head has gone.
    const res = await execa('sh', ['-c', `node ${bin} render sevensa --env prod --json | head -c 20; echo " rc=$?"`], { cwd: repo, reject: false });
    expect(res.stdout).toMatch(/^\[/);
    expect(res.stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
  });
});

/**
 * A SOPS file that is missing, not SOPS, or tampered with: one table (SOPS_ERROR_CLASSES in
 * tools/secrets) decides. `secrets get` names the file given: missing or not SOPS is bad input (2),
 * a MAC mismatch a failure (1). In `validate` the repository is the input under check: the overlay
 * listing a file that does not open gets an error finding and the run exits 1, whatever the code
 * (a file not created yet is only a warning there: the loader names `secrets init`).
 */
describe('SOPS errors: one classification for secrets get and validate', () => {
  const SECRET = 'environments/dev/sample/secrets/db-credentials.enc.yaml';
  let t: SampleRepo;
  let original: string;
  // dev's public example TEST key.
  const run = (...args: string[]) => runMain(args, { cwd: t.root, env: { GITOPS_ROOT: t.root, SOPS_AGE_KEY_FILE: join(repo, 'test-keys/example-dev.agekey') } });
  beforeAll(async () => {
    t = sampleRepo('gitops-exit-sops-');
    expect((await t.run('generate', 'sample')).exitCode).toBe(0);
    const init = await run('secrets', 'init', '--env', 'dev', 'sample');
    expect(init.exitCode, init.stderr).toBe(0);
    original = readFileSync(join(t.root, SECRET), 'utf8');
    expect((await run('secrets', 'get', SECRET, 'password')).exitCode).toBe(0);
  }, 120_000);
  afterAll(() => t?.cleanup());

  it.each([
    ['missing (FILE_NOT_FOUND)', 2, 'the file does not exist', () => rmSync(join(t.root, SECRET))],
    ['not YAML (INVALID_FORMAT)', 2, 'Error unmarshaling input YAML: .+ at line 2, column 1$', () => writeFileSync(join(t.root, SECRET), 'stringData: [unclosed\n')],
    ['with its MAC changed (MAC_MISMATCH)', 1, 'MAC', () => writeFileSync(join(t.root, SECRET), original.replace(/(mac: ENC\[AES256_GCM,data:)(.)/, (_, a: string, c: string) => a + (c === 'A' ? 'B' : 'A')))],
  ] as const)('a file %s: secrets get exits %i naming it; validate: an error of its overlay (exit 1)', async (name, getExit, reason, damage) => {
    damage();
    try {
      const get = await run('secrets', 'get', SECRET, 'password');
      expect(get.exitCode, get.stderr).toBe(getExit);
      expect(get.stderr).toMatch(new RegExp(`^error: ${SECRET}: .*${reason}`, 'm'));
      expect(get.stdout).toBe('');

      const validate = await run('validate', 'sample', '--env', 'dev', '--json');
      const [dev] = JSON.parse(validate.stdout) as Array<{ findings: Array<{ rule: string; severity: string; source: string; message: string }> }>;
      // Missing too: KSOPS fails on a listed file that is not there, so Argo CD could not render the overlay.
      expect(validate.exitCode, validate.stderr).toBe(1);
      expect(dev.findings).toEqual([expect.objectContaining({ rule: 'render-failed', severity: 'error', source: SECRET })]);
      if (name.startsWith('missing')) expect(dev.findings[0]).toMatchObject({ message: expect.stringContaining('does not exist (create it: gitops secrets init)') });
    } finally {
      writeFileSync(join(t.root, SECRET), original);
    }
  }, 120_000);
});
