/**
 * The CLI's startup: the light registry lists exactly what the full command tree has, and the
 * prebuilt bundle (bin/build.mjs) is never stale: a changed source is detected by the stamp and
 * rebuilt before it runs, a platform is compiled from its current source, and its errors still name
 * the TypeScript file and line. The process tests run in a copy of the repository, so they can edit
 * sources without touching this work tree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { buildProgram } from '../src/main';
import { COMMANDS, commandsToLoad } from '../src/registry';
import { copyRepo, type RepoCopy } from '../src/bench/repo-copy';

const repo = resolve(__dirname, '../../..');

describe('command registry', () => {
  it('`gitops --help` from the registry alone is the help of the full command tree', async () => {
    const light = await buildProgram([]);
    const full = await buildProgram();
    expect(light.helpInformation()).toBe(full.helpInformation());
    expect(full.commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
  });

  it('loads only the command that runs', () => {
    expect(commandsToLoad(['--help'])).toEqual([]);
    expect(commandsToLoad(['-V'])).toEqual([]);
    expect(commandsToLoad(['generate', 'hyperpage', '--check'])).toEqual(['generate']);
    expect(commandsToLoad(['help', 'secrets'])).toEqual(['secrets']);
    expect(commandsToLoad(['no-such-command'])).toEqual([]);
  });
});

describe('prebuilt CLI (real processes, in a copy of the repository)', () => {
  let copy: RepoCopy;
  const node = (args: string[]) => execa('node', args, { cwd: copy.root, reject: false, env: { GITOPS_ROOT: copy.root } });
  const bin = () => join(copy.root, 'apps/gitops/bin/gitops.mjs');
  const check = () => node([join(copy.root, 'apps/gitops/bin/build.mjs'), '--check']);

  beforeAll(() => {
    copy = copyRepo(repo, 'gitops-build-');
  });
  afterAll(() => copy?.cleanup());

  it('builds, is fresh, and detects a changed source (content, not mtime) until the bin rebuilds it', async () => {
    const build = await node([join(copy.root, 'apps/gitops/bin/build.mjs')]);
    expect(build.exitCode, build.stderr).toBe(0);
    expect((await check()).exitCode).toBe(0);

    const errors = join(copy.root, 'libs/core/src/errors.ts');
    utimesSync(errors, new Date(), new Date(Date.now() + 5000)); // touched, same content: still fresh
    expect((await check()).exitCode).toBe(0);

    appendFileSync(errors, '\nexport const STAMP_TEST = 1;\n');
    const stale = await check();
    expect(stale.exitCode).toBe(1);
    expect(stale.stderr).toContain('libs/core/src/errors.ts');

    const run = await node([bin(), '--version']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('rebuilding the CLI (libs/core/src/errors.ts changed)');
    expect((await check()).exitCode).toBe(0);
  });

  it('a source that does not compile: the bin says so (file:line) and runs the sources through tsx', async () => {
    const diff = join(copy.root, 'apps/gitops/src/commands/diff.ts');
    const original = readFileSync(diff, 'utf8');
    writeFileSync(diff, `${original}\nexport const broken = ;\n`);
    try {
      const run = await node([bin(), '--version']);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/warning: could not build the CLI \(apps\/gitops\/src\/commands\/diff\.ts:\d+: .*\); running the sources through tsx/);
      expect((await check()).exitCode).toBe(1);
    } finally {
      writeFileSync(diff, original);
    }
    expect((await node([bin(), '--version'])).stderr).not.toContain('warning');
    expect((await check()).exitCode).toBe(0);
  });

  it('--help loads no command module: main.mjs and its static imports hold main.ts, the registry and commander only', async () => {
    const stamp = JSON.parse(readFileSync(join(copy.root, 'apps/gitops/dist/stamp.json'), 'utf8')) as { id: string };
    const dist = join(copy.root, 'apps/gitops/dist', stamp.id);
    // esbuild starts every bundled module with a `// <source path>` comment; follow static imports only.
    const sources = new Set<string>();
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(join(dist, file), 'utf8');
      for (const m of text.matchAll(/^\/\/ (\S+\.(?:ts|js|mjs|cjs))$/gm)) sources.add(m[1].replace(/^(\.\.\/)+/, '').replace(/.*node_modules\//, 'node_modules/'));
      for (const m of text.matchAll(/^import\s[^;]*?from\s+"(\.\/chunk-[^"]+)"|^import "(\.\/chunk-[^"]+)"/gm)) visit((m[1] ?? m[2]).slice(2));
    };
    visit('main.mjs');
    const allowed = /^(apps\/gitops\/src\/(main|registry|exit)\.ts|libs\/core\/src\/(errors|source-frames)\.ts|node_modules\/commander\/.*)$/;
    expect([...sources].filter((s) => !allowed.test(s))).toEqual([]);
    expect([...sources]).toContain('apps/gitops/src/registry.ts');
    const help = await node([bin(), '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('generate [options] [platforms...]');
  });

  it('`--help` and `generate` start no child process machinery: node:child_process is loaded by the commands that run processes only', async () => {
    // Node lists every built-in module a process loaded; commander's and execa's loads were 4-9 ms of each start.
    const probe = join(copy.root, 'tmp-module-probe.mjs');
    writeFileSync(
      probe,
      [
        "process.on('exit', () => process.stderr.write(`LOADED ${process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).join(',')}\\n`));",
        "process.argv = [process.argv[0], process.argv[2], ...process.argv.slice(3)];",
        'await import(process.argv[1]);',
      ].join('\n'),
    );
    try {
      // Built and compiled first: esbuild runs its service in a child process, once.
      expect((await node([bin(), 'generate', '--check'])).exitCode).toBe(0);
      const loaded = async (...args: string[]) => {
        const res = await node([probe, bin(), ...args]);
        expect(res.exitCode, res.stderr).toBe(0);
        return /^LOADED (.*)$/m.exec(res.stderr)?.[1].split(',') ?? [];
      };
      expect(await loaded('--help')).not.toContain('NativeModule child_process');
      const generate = await loaded('generate', '--check');
      expect(generate).toContain('NativeModule fs'); // the probe reads the list
      expect(generate).not.toContain('NativeModule child_process');
    } finally {
      rmSync(probe, { force: true });
    }
  });

  it('compiles a platform from its current source (by content hash) and names its file:line on an error', async () => {
    const index = join(copy.root, 'libs/platforms/hyperpage/src/index.ts');
    const original = readFileSync(index, 'utf8');
    const first = await node([bin(), 'generate', 'hyperpage', '--check', '--json']);
    expect(first.stderr).not.toContain('warning');
    expect(existsSync(join(copy.root, '.cache/platforms'))).toBe(true);

    writeFileSync(index, `${original}\nthrow new Error('platform broke here');\n`);
    const line = original.split('\n').length + 1;
    const broken = await node([bin(), 'generate', 'hyperpage', '--check']);
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toContain(`libs/platforms/hyperpage/src/index.ts:${line}:`);
    expect(broken.stderr).toContain('platform broke here');

    writeFileSync(index, original.replace('export const platform', 'export const platform = ;\nconst unused'));
    const syntax = await node([bin(), 'generate', 'hyperpage', '--check']);
    expect(syntax.exitCode).toBe(2);
    expect(syntax.stderr).toMatch(/libs\/platforms\/hyperpage\/src\/index\.ts:\d+:\d+: /);
    // All platforms are compiled as one build; one that does not compile is still named alone.
    const all = await node([bin(), 'generate', '--check']);
    expect(all.exitCode).toBe(2);
    expect(all.stderr).toMatch(/libs\/platforms\/hyperpage\/src\/index\.ts:\d+:\d+: .*\(loading platform "hyperpage"\)/);
    writeFileSync(index, original);
    // Third-party code is bundled into chunks the platforms share (no file-by-file node_modules load).
    const fine = await node([bin(), 'generate', '--check']);
    expect(fine.exitCode).toBe(0);
    const cache = join(copy.root, '.cache/platforms');
    const together = readdirSync(cache)
      .map((d) => join(cache, d))
      .find((d) => existsSync(join(d, 'sevensa.mjs')) && existsSync(join(d, 'cptm8.mjs')));
    expect(together).toBeDefined();
    const shared = readdirSync(together!).filter((f) => f.startsWith('chunk-')).map((f) => readFileSync(join(together!, f), 'utf8'));
    expect(shared.some((text) => /^\/\/ \S*node_modules\/kubernetes-models\//m.test(text))).toBe(true);
    // YAML text comes from @gitops/core (toYamlText): the CLI's loaded copy, not one bundled again.
    const bundled = [...shared, ...readdirSync(together!).filter((f) => !f.startsWith('chunk-')).map((f) => readFileSync(join(together!, f), 'utf8'))];
    expect(bundled.filter((text) => /^\/\/ \S*node_modules\/yaml\//m.test(text))).toEqual([]);
  });

  it('compiles a platform again when a module under src/test/ it imports or its package.json imports change', async () => {
    const lib = join(copy.root, 'libs/platforms/hyperpage');
    const index = join(lib, 'src/index.ts');
    const pkg = join(lib, 'package.json');
    const [original, originalPkg] = [readFileSync(index, 'utf8'), readFileSync(pkg, 'utf8')];
    const ran = async () => (await node([bin(), 'generate', 'hyperpage', '--check'])).stderr.match(/marker (\w+)/)?.[1];
    try {
      mkdirSync(join(lib, 'src/test'), { recursive: true });
      writeFileSync(join(lib, 'src/test/marker.ts'), "export const MARK = 'one';\n");
      writeFileSync(join(lib, 'src/mark-a.ts'), "export const VIA = 'a';\n");
      writeFileSync(join(lib, 'src/mark-b.ts'), "export const VIA = 'b';\n");
      writeFileSync(pkg, JSON.stringify({ ...JSON.parse(originalPkg), imports: { '#mark': './src/mark-a.ts' } }, null, 2));
      writeFileSync(index, `${original}\nimport { MARK } from './test/marker';\nimport { VIA } from '#mark';\nthrow new Error(\`marker \${MARK}\${VIA}\`);\n`);
      expect(await ran()).toBe('onea');
      writeFileSync(join(lib, 'src/test/marker.ts'), "export const MARK = 'two';\n");
      expect(await ran()).toBe('twoa');
      writeFileSync(pkg, JSON.stringify({ ...JSON.parse(originalPkg), imports: { '#mark': './src/mark-b.ts' } }, null, 2));
      expect(await ran()).toBe('twob');
    } finally {
      writeFileSync(index, original);
      writeFileSync(pkg, originalPkg);
      rmSync(join(lib, 'src/test'), { recursive: true, force: true });
      rmSync(join(lib, 'src/mark-a.ts'), { force: true });
      rmSync(join(lib, 'src/mark-b.ts'), { force: true });
    }
  });
});
