/**
 * Child scripts that tests start as real processes (to kill, signal or race them) are bundled once
 * per test file with esbuild and run with plain `node`. `node --import tsx child.ts` starts tsx's
 * loader and transpiles every module again in each child (~0.6 s CPU); the bundle starts in
 * ~0.08 s, and the crash tests start dozens of children. Same sources, transpiled by esbuild like
 * the shipped CLI (apps/gitops/bin/build.mjs).
 *
 * Everything is bundled, third-party packages included, so the file runs from a temp folder.
 * Bundled sources must not locate files through `import.meta.url` (the bundle lives elsewhere):
 * the build fails if one does.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Bundles `entry` (a .ts file) to `<outDir>/<name>.mjs` and returns that path. */
export async function bundleChild(entry: string, outDir: string, name = 'child'): Promise<string> {
  const outfile = join(outDir, `${name}.mjs`);
  // Rejects with esbuild's messages (file:line) when a source does not compile.
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    // Bundled CommonJS packages call require() for Node built-ins.
    banner: { js: "import { createRequire as __childRequire } from 'node:module'; const require = __childRequire(import.meta.url);" },
    plugins: [
      {
        name: 'no-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
            const text = await readFile(args.path, 'utf8');
            if (/import\.meta\.(url|dirname|filename)/.test(text) && !args.path.includes('/node_modules/'))
              return { errors: [{ text: `${args.path} uses import.meta: it cannot run from a bundle in another folder; start it with tsx instead` }] };
            return { contents: text, loader: args.path.endsWith('ts') ? 'ts' : 'js' };
          });
        },
      },
    ],
  });
  return outfile;
}
