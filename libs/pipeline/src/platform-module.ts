/**
 * Imports platform libraries' `src/index.ts`. Under a TypeScript runtime (tsx, vitest) each is
 * imported as is. The prebuilt CLI (apps/gitops/bin/build.mjs) runs plain Node, so there the
 * platforms of one run are compiled together with esbuild into `<root>/.cache/platforms/<content
 * hash>/<platform>.mjs`: a new or changed platform needs no build step, an unchanged set is not
 * compiled again. Their `@gitops/*` imports point at the CLI's own library entries (one instance of
 * each class, e.g. SpecError); third-party code (kubernetes-models) is bundled into chunks the
 * platforms share, because Node loading it file by file from node_modules was a third of
 * `gitops generate`; their validators are left out until called (lazy-validators.ts). An inline source map keeps stack frames in the platform's TypeScript
 * (platformFrame names file:line).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lazyValidators } from './lazy-validators';

/** Set by the prebuilt CLI's bin: `@gitops/core` → absolute path of that library's built entry. */
const builtLibraries = (): Record<string, string> | undefined => (globalThis as { __GITOPS_LIBRARIES__?: Record<string, string> }).__GITOPS_LIBRARIES__;
/** Set by the bin too: packages loaded from node_modules at run time (re2-wasm reads its .wasm beside it), never bundled. */
const runtimePackages = (): string[] => (globalThis as { __GITOPS_EXTERNAL__?: string[] }).__GITOPS_EXTERNAL__ ?? [];

/**
 * One module per source (`libs/platforms/<p>`), in order; each promise fails on its own (a platform
 * that does not load names its own file:line, the others still load). Compiled as one build when
 * they all compile, one by one otherwise, so a compile error is reported for its platform only.
 */
export async function importPlatformModules(root: string, sources: string[]): Promise<Array<Promise<unknown>>> {
  const libraries = builtLibraries();
  // The content key in the URL: a platform changed since it was imported in this process (tests
  // that edit a spec or its releases.yaml between in-process CLI runs) is imported again, an
  // unchanged one is not. The whole library folder: a platform reads files beside src/ when loaded.
  if (!libraries) return sources.map((s) => import(`${pathToFileURL(join(root, s, 'src', 'index.ts')).href}?v=${sourceKey(join(root, s))}`));
  if (sources.length > 1) {
    const together = await compiledPlatforms(root, sources, libraries).catch(() => undefined);
    if (together) return together.map((file) => import(pathToFileURL(file).href));
  }
  return sources.map(async (s) => import(pathToFileURL((await compiledPlatforms(root, [s], libraries))[0]).href));
}

const sha = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

/** Every file below `dir`, sorted; never node_modules or .cache, and at its top level not `test/` (a library's tests are not its source). */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !/(^|\/)(node_modules|\.cache)(\/|$)|^test(\/|$)/.test(relative(dir, e.parentPath)))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Hash of `files` (paths and contents). */
function filesKey(files: string[]): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update('\0').update(readFileSync(f)).update('\0');
  return hash.digest('hex').slice(0, 24);
}

/** Hash of every file below a library folder (see filesBelow). */
const sourceKey = (dir: string): string => filesKey(filesBelow(dir));

/**
 * What esbuild compiles a platform from: every file below its src/ (src/test/ included: src may
 * import it) and the package.json and tsconfig.json that steer resolution (`imports`, paths). Other
 * files a build imported are checked through the sidecar; files a platform only reads when it runs
 * (releases.yaml, sql/) need no new build.
 */
function compileKey(libDir: string): string {
  const src = join(libDir, 'src');
  const all = readdirSync(src, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return filesKey([...all.sort(), ...['package.json', 'tsconfig.json'].map((f) => join(libDir, f)).filter((f) => existsSync(f))]);
}

/**
 * Inputs the last compile read outside the platforms' src/ and node_modules (a platform may import a
 * file beside it), with their hashes. node_modules needs no entry: the CLI's build id, part of the
 * key, changes with every npm install (build.mjs stamps node_modules/.package-lock.json).
 */
interface Sidecar {
  inputs: Record<string, string>;
}

const CACHE = ['.cache', 'platforms'];
/** Builds unused for this long are removed when a new one is written. */
const PRUNE_AFTER_MS = 7 * 24 * 3600_000;

/** The compiled entry of each source, in order: from the cache, or one esbuild build of them all. */
async function compiledPlatforms(root: string, sources: string[], libraries: Record<string, string>): Promise<string[]> {
  const srcDirs = sources.map((s) => join(root, s, 'src'));
  const key = sha(JSON.stringify([libraries, sources.map((s) => [join(root, s), compileKey(join(root, s))])])).slice(0, 24);
  const cache = join(root, ...CACHE);
  const dir = join(cache, key);
  const entries = sources.map((s) => join(dir, `${basename(s)}.mjs`));
  const sidecarFile = join(dir, 'inputs.json');
  if (fresh(sidecarFile)) {
    try {
      utimesSync(dir, new Date(), new Date()); // last use, for pruning
    } catch {
      // a read-only cache, or pruned this instant: the build is still there or found missing on import
    }
    return entries;
  }

  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: Object.fromEntries(sources.map((s, i) => [basename(s), join(srcDirs[i], 'index.ts')])),
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    write: false,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
    define: { 'import.meta.url': '__gitopsSourceUrl' },
    // Bundled CommonJS packages call require() for Node built-ins.
    banner: { js: "import { createRequire as __gitopsCreateRequire } from 'node:module'; const require = __gitopsCreateRequire(import.meta.url);" },
    plugins: [
      lazyValidators,
      {
        name: 'gitops-platform',
        setup(b) {
          b.onResolve({ filter: /^@gitops\// }, (args) => {
            const entry = libraries[args.path];
            if (!entry) return { errors: [{ text: `"${args.path}" is not a library of this repository (known: ${Object.keys(libraries).join(', ')})` }] };
            return { path: entry, external: true };
          });
          const external = runtimePackages();
          b.onResolve({ filter: /^[^./]/ }, (args) => (external.some((e) => args.path === e || args.path.startsWith(`${e}/`)) ? { external: true } : undefined));
          // `import.meta.url` keeps naming the source file (platforms read releases.yaml beside it): the
          // expression becomes a constant declared at the start of line 1 (lines unchanged), as in
          // apps/gitops/bin/build.mjs; text in strings is left alone.
          b.onLoad({ filter: /\.(ts|js|mjs|cjs)$/ }, (args) => {
            const text = readFileSync(args.path, 'utf8');
            return {
              contents: text.includes('import.meta') ? `const __gitopsSourceUrl = ${JSON.stringify(pathToFileURL(args.path).href)};${text}` : text,
              loader: args.path.endsWith('.ts') ? 'ts' : 'js',
            };
          });
        },
      },
    ],
  }).catch((err: { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } }> }) => {
    // A platform that does not compile: report its file:line like an exception thrown while loading it.
    const first = err.errors?.[0];
    if (!first?.location) throw err;
    const e = new SyntaxError(first.text);
    e.stack = `SyntaxError: ${first.text}\n    at ${resolve(first.location.file)}:${first.location.line}:${first.location.column + 1}`;
    throw e;
  });
  const inputs: Record<string, string> = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const abs = resolve(input);
    const inside = srcDirs.some((d) => !relative(d, abs).startsWith('..'));
    if (!inside && !abs.split(sep).includes('node_modules')) inputs[abs] = sha(readFileSync(abs));
  }
  // Whole or absent: another process may be compiling the same platforms at the same moment.
  mkdirSync(cache, { recursive: true });
  const tmp = join(cache, `.tmp-${process.pid}-${key}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  for (const f of result.outputFiles) writeFileSync(join(tmp, relative(dir, f.path)), f.contents);
  writeFileSync(join(tmp, 'inputs.json'), JSON.stringify({ inputs } satisfies Sidecar));
  if (fresh(sidecarFile)) {
    // Another process wrote the same build meanwhile and may be importing it: keep it.
    rmSync(tmp, { recursive: true, force: true });
    return entries;
  }
  try {
    // A build whose outside inputs changed: moved aside first, so `dir` is never half there.
    if (existsSync(dir)) renameSync(dir, `${tmp}-old`);
    renameSync(tmp, dir);
  } catch (err) {
    if (!fresh(sidecarFile)) throw err; // else: the other process's copy is as good as ours
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(`${tmp}-old`, { recursive: true, force: true });
  }
  prune(cache, key);
  return entries;
}

/** The build's sidecar exists and every outside input it lists is unchanged. */
function fresh(sidecarFile: string): boolean {
  try {
    const sidecar = JSON.parse(readFileSync(sidecarFile, 'utf8')) as Sidecar;
    return Object.entries(sidecar.inputs).every(([file, was]) => existsSync(file) && sha(readFileSync(file)) === was);
  } catch {
    return false;
  }
}

/** Removes builds (and files of the earlier one-file layout) not used for PRUNE_AFTER_MS. */
function prune(cache: string, keep: string): void {
  for (const name of readdirSync(cache)) {
    const path = join(cache, name);
    try {
      if (name !== keep && Date.now() - statSync(path).mtimeMs > PRUNE_AFTER_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed by another process meanwhile
    }
  }
}
