// The prebuilt CLI: bundles apps/gitops/src/main.ts and every workspace library with esbuild into
// apps/gitops/dist/<build id>/ (ESM, code splitting: each command is its own chunk), and records a
// stamp of every source file it read (and npm's record of node_modules), so the bin can tell in a
// few milliseconds whether it is stale.
// Plain JavaScript on purpose: the bin runs it without tsx. Run by `npm install` (prepare) and
// `nx run @gitops/cli:build`; `node apps/gitops/bin/build.mjs` by hand.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const DIST = join(ROOT, 'apps/gitops/dist');
const STAMP = join(DIST, 'stamp.json');
/** Bumped when the build's own shape changes, so an old stamp is never taken for a fresh one. */
const FORMAT = 1;

const sha = (text) => createHash('sha256').update(text).digest('hex');

/** `@gitops/core` → its package folder, for every workspace library (libs/*, tools/secrets). */
export function workspaceLibraries(root = ROOT) {
  const dirs = [
    ...readdirSync(join(root, 'libs'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(root, 'libs', d.name)),
    join(root, 'tools/secrets'),
  ];
  const out = [];
  for (const dir of dirs) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    if (!pkg.name?.startsWith('@gitops/')) continue;
    for (const [sub, target] of Object.entries(pkg.exports ?? { '.': pkg.main })) {
      if (typeof target !== 'string' || !target.endsWith('.ts') || !existsSync(join(dir, target))) continue;
      out.push({ specifier: sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`, file: join(dir, target), packageJson: file });
    }
  }
  // Code-unit order: localeCompare would load ICU's collator, 5 ms of every command's start.
  return out.sort((a, b) => (a.specifier < b.specifier ? -1 : a.specifier > b.specifier ? 1 : 0));
}

/**
 * Packages Node loads from node_modules at run time: tools with native binaries or their own module
 * loading, re2-wasm (reads its .wasm beside __dirname), and the bench-only references. Everything else is bundled: one file per chunk instead of
 * hundreds (kubernetes-models, execa) is most of the startup time saved.
 */
export const EXTERNAL = ['esbuild', 'tsx', 'typescript', 'vitest', 'vite', 'nx', '@nx', '@swc', 'playwright-core', 'cdk8s', 'constructs', 're2-wasm'];

/** Entry name in dist of a library specifier: `@gitops/core/environment` → `lib/core/environment`. */
export const libraryEntry = (specifier) => `lib/${specifier.slice('@gitops/'.length)}`;

/** Namespace of the plugin's lazy `child_process` module for commander (no file). */
const LAZY_CHILD_PROCESS = 'gitops-lazy-child-process';

/**
 * esbuild plugin: third-party packages stay external (Node loads them from node_modules), workspace
 * libraries are bundled from their TypeScript with their own `import.meta.url` (withSourceUrl).
 */
export function sourcePlugin() {
  return {
    name: 'gitops-sources',
    setup(build) {
      // commander requires node:child_process at load for executable subcommands, which gitops has
      // none of: 4-5 ms of every command (`--help` included) for a module no command needs to load.
      build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
        /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: LAZY_CHILD_PROCESS } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: LAZY_CHILD_PROCESS }, () => ({
        contents: "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
        loader: 'js',
      }));
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:')) return { external: true };
        if (args.path.startsWith('@gitops/')) return undefined; // the workspace package's TypeScript
        return EXTERNAL.some((e) => args.path === e || args.path.startsWith(`${e}/`)) ? { external: true } : undefined;
      });
      // Every bundled module, ours and third-party: `define` below rewrites import.meta.url in all of them.
      build.onLoad({ filter: /\.(ts|js|mjs|cjs)$/ }, (args) => ({ contents: withSourceUrl(args.path), loader: args.path.endsWith('.ts') ? 'ts' : 'js' }));
    },
  };
}

/**
 * `import.meta.url` of a source, kept through bundling: esbuild's `define` (SOURCE_URL_DEFINE)
 * turns the expression, and only the expression (never text in a string: code generators write
 * `import.meta.url` into the files they emit), into a module-local constant declared at the start
 * of line 1, so line numbers and source maps are unchanged. esbuild renames the constants apart.
 */
export const SOURCE_URL_DEFINE = { 'import.meta.url': '__gitopsSourceUrl' };
export function withSourceUrl(file) {
  const text = readFileSync(file, 'utf8');
  return text.includes('import.meta') ? `const __gitopsSourceUrl = ${JSON.stringify(pathToFileURL(file).href)};${text}` : text;
}

/** Builds the CLI into dist/<id>/ and points the stamp at it; returns the stamp. */
export async function buildCli({ quiet = false } = {}) {
  const started = Date.now();
  const { build } = await import('esbuild');
  const libs = workspaceLibraries();
  const entryPoints = { main: join(ROOT, 'apps/gitops/src/main.ts') };
  for (const l of libs) entryPoints[libraryEntry(l.specifier)] = l.file;
  mkdirSync(DIST, { recursive: true });
  const tmp = join(DIST, `.tmp-${process.pid}-${Date.now()}`);
  try {
    const result = await build({
      entryPoints,
      outdir: tmp,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'linked',
      sourcesContent: false,
      metafile: true,
      logLevel: 'silent',
      define: SOURCE_URL_DEFINE,
      // Bundled CommonJS packages call require() for Node built-ins.
      banner: { js: "import { createRequire as __gitopsCreateRequire } from 'node:module'; const require = __gitopsCreateRequire(import.meta.url);" },
      plugins: [sourcePlugin()],
    });
    // Bundled packages change only through npm, which rewrites node_modules/.package-lock.json: that
    // one file stands for all of them (a stat per package file would cost more than the rest).
    const sources = Object.keys(result.metafile.inputs)
      .filter((p) => !p.startsWith(`${LAZY_CHILD_PROCESS}:`)) // a module of the plugin's, no file
      .map((p) => resolve(ROOT, p))
      .filter((p) => !p.includes('/node_modules/'));
    const npmState = join(ROOT, 'node_modules/.package-lock.json');
    const inputs = [...sources, ...libs.map((l) => l.packageJson), fileURLToPath(import.meta.url), ...(existsSync(npmState) ? [npmState] : [])];
    const files = {};
    for (const file of [...new Set(inputs)].sort()) {
      const st = statSync(file);
      // A file saved while esbuild ran may differ from what it bundled: recorded as unknown, so the
      // next start sees it as changed and rebuilds (the id still names this build's content).
      const during = st.mtimeMs >= started && st.mtimeMs <= Date.now();
      files[relative(ROOT, file)] = during ? { sha: 'changed-during-build', mtimeMs: -1, size: -1 } : { sha: sha(readFileSync(file)), mtimeMs: st.mtimeMs, size: st.size };
    }
    const id = sha(JSON.stringify({ FORMAT, ROOT, files: Object.entries(files).map(([f, v]) => [f, v.sha]) })).slice(0, 16);
    const dir = join(DIST, id);
    try {
      if (!existsSync(dir)) renameSync(tmp, dir);
    } catch (err) {
      // Another process built the same sources at the same moment: its copy is as good as ours.
      if (!existsSync(join(dir, 'main.mjs'))) throw err;
    }
    const stamp = { format: FORMAT, root: ROOT, id, libraries: Object.fromEntries(libs.map((l) => [l.specifier, `${id}/${libraryEntry(l.specifier)}.mjs`])), files };
    writeFileSync(`${STAMP}.${process.pid}`, `${JSON.stringify(stamp, null, 1)}\n`);
    renameSync(`${STAMP}.${process.pid}`, STAMP);
    pruneOldBuilds(id);
    if (!quiet) process.stderr.write(`gitops: built the CLI into ${relative(ROOT, dir)} (${Object.keys(files).length} sources, ${Date.now() - started} ms)\n`);
    return stamp;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Older builds may still be running in another process: remove only those unused for an hour (freshBuild touches the one it runs). */
function pruneOldBuilds(keep) {
  for (const name of readdirSync(DIST)) {
    const path = join(DIST, name);
    if (name === keep || name === 'stamp.json' || !statSync(path).isDirectory()) continue;
    if (Date.now() - statSync(path).mtimeMs > 3600_000) rmSync(path, { recursive: true, force: true });
  }
}

function touch(dir) {
  try {
    const now = new Date();
    utimesSync(dir, now, now);
  } catch {
    // pruned meanwhile: the next start rebuilds
  }
}

export function readStamp() {
  try {
    const stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
    return stamp.format === FORMAT && stamp.root === ROOT ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The source files that changed since the build (empty: the build is fresh). Cheap: a stat per file;
 * only a file whose mtime or size differs is read and hashed (a checkout touches mtimes, not content).
 */
export function staleSources(stamp) {
  const changed = [];
  for (const [file, was] of Object.entries(stamp.files)) {
    let st;
    try {
      st = statSync(join(ROOT, file));
    } catch {
      changed.push(file);
      continue;
    }
    if (st.mtimeMs === was.mtimeMs && st.size === was.size) continue;
    if (sha(readFileSync(join(ROOT, file))) !== was.sha) changed.push(file);
  }
  // A new workspace library (or export) is a new entry point.
  const libs = workspaceLibraries().map((l) => l.specifier);
  if (libs.join() !== Object.keys(stamp.libraries).join()) changed.push('libs/*/package.json (exports)');
  return changed;
}

/** The fresh build's stamp: the current one, or a new build when sources changed. */
export async function freshBuild({ quiet = true } = {}) {
  const stamp = readStamp();
  const changed = stamp ? staleSources(stamp) : ['(no build)'];
  if (!changed.length && existsSync(join(DIST, stamp.id, 'main.mjs'))) {
    touch(join(DIST, stamp.id)); // last use, for pruneOldBuilds
    return stamp;
  }
  if (!quiet) process.stderr.write(`gitops: rebuilding the CLI (${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ', …' : ''} changed)\n`);
  return buildCli({ quiet: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  if (check) {
    const stamp = readStamp();
    const changed = stamp ? staleSources(stamp) : ['(no build)'];
    if (changed.length) {
      process.stderr.write(`gitops: the built CLI is stale: ${changed.join(', ')}\n`);
      process.exit(1);
    }
  } else {
    try {
      await buildCli();
    } catch (err) {
      const first = err?.errors?.[0];
      process.stderr.write(`gitops: the CLI build failed: ${first ? `${first.location?.file}:${first.location?.line}: ${first.text}` : err?.message ?? err}\n`);
      // `npm install` (prepare) must not fail on a work-in-progress source: the bin runs it through tsx then.
      if (!process.argv.includes('--if-possible')) process.exit(1);
      process.stderr.write('gitops: continuing; the bin runs the sources through tsx until they compile\n');
    }
  }
}
