/**
 * Imports a platform library's `src/index.ts`. Under a TypeScript runtime (tsx, vitest) it is
 * imported as is. The prebuilt CLI (apps/gitops/bin/build.mjs) runs plain Node, so there the platform
 * is compiled with esbuild into `<root>/.cache/platforms/<content hash>.mjs`: a new or changed
 * platform needs no build step, an unchanged one is not compiled again. Its `@gitops/*` imports
 * point at the CLI's own library entries (one instance of each class, e.g. SpecError), and an inline
 * source map keeps stack frames in the platform's TypeScript (platformFrame names file:line).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Set by the prebuilt CLI's bin: `@gitops/core` → absolute path of that library's built entry. */
const builtLibraries = (): Record<string, string> | undefined => (globalThis as { __GITOPS_LIBRARIES__?: Record<string, string> }).__GITOPS_LIBRARIES__;

export async function importPlatformModule(root: string, source: string): Promise<unknown> {
  const file = join(root, source, 'src', 'index.ts');
  const libraries = builtLibraries();
  // The content key in the URL: a platform changed since it was imported in this process (tests
  // that edit a spec or its releases.yaml between in-process CLI runs) is imported again, an
  // unchanged one is not. The whole library folder: a platform reads files beside src/ when loaded.
  if (!libraries) return import(`${pathToFileURL(file).href}?v=${sourceKey(join(root, source))}`);
  return import(pathToFileURL(await compiledPlatform(root, source, libraries)).href);
}

const sha = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !/(^|\/)(node_modules|test|\.cache)(\/|$)/.test(relative(dir, e.parentPath)))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Hash of every file below `dir` (paths and contents; not test/) and `extra`. */
function sourceKey(dir: string, extra = ''): string {
  const hash = createHash('sha256').update(extra).update(dir);
  for (const f of filesBelow(dir)) hash.update(f).update('\0').update(readFileSync(f)).update('\0');
  return hash.digest('hex').slice(0, 24);
}

/** Inputs outside src/ that the last compile read (a platform may import a file beside it), with their hashes. */
interface Sidecar {
  inputs: Record<string, string>;
}

async function compiledPlatform(root: string, source: string, libraries: Record<string, string>): Promise<string> {
  const srcDir = join(root, source, 'src');
  const key = sourceKey(srcDir, JSON.stringify(libraries));
  const dir = join(root, '.cache', 'platforms');
  const out = join(dir, `${key}.mjs`);
  const sidecarFile = join(dir, `${key}.json`);
  if (existsSync(out) && existsSync(sidecarFile) && sidecarFresh(JSON.parse(readFileSync(sidecarFile, 'utf8')) as Sidecar)) return out;

  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(srcDir, 'index.ts')],
    outfile: out,
    write: false,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    metafile: true,
    logLevel: 'silent',
    define: { 'import.meta.url': '__gitopsSourceUrl' },
    plugins: [
      {
        name: 'gitops-platform',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            if (!args.path.startsWith('@gitops/')) return { external: true };
            const entry = libraries[args.path];
            if (!entry) return { errors: [{ text: `"${args.path}" is not a library of this repository (known: ${Object.keys(libraries).join(', ')})` }] };
            return { path: entry, external: true };
          });
          // `import.meta.url` keeps naming the source file (platforms read releases.yaml beside it): the
          // expression becomes a constant declared at the start of line 1 (lines unchanged), as in
          // apps/gitops/bin/build.mjs; text in strings is left alone.
          b.onLoad({ filter: /\.(ts|js|mjs|cjs)$/ }, (args) => ({
            contents: `const __gitopsSourceUrl = ${JSON.stringify(pathToFileURL(args.path).href)};${readFileSync(args.path, 'utf8')}`,
            loader: args.path.endsWith('.ts') ? 'ts' : 'js',
          }));
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
    if (relative(srcDir, abs).startsWith('..')) inputs[abs] = sha(readFileSync(abs));
  }
  mkdirSync(dir, { recursive: true });
  // Whole or absent: another process may be compiling the same platform at the same moment.
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, out);
  writeFileSync(`${sidecarFile}.${process.pid}.tmp`, JSON.stringify({ inputs } satisfies Sidecar));
  renameSync(`${sidecarFile}.${process.pid}.tmp`, sidecarFile);
  return out;
}

function sidecarFresh(sidecar: Sidecar): boolean {
  return Object.entries(sidecar.inputs).every(([file, was]) => existsSync(file) && sha(readFileSync(file)) === was);
}
