#!/usr/bin/env node
// Entry of the `gitops` bin: runs the prebuilt CLI (apps/gitops/dist, see build.mjs) after a cheap
// check that no source changed since it was built; a stale build is rebuilt first. When no build
// can be made (esbuild missing, a source that does not compile) or GITOPS_TSX=1, the TypeScript
// sources run through tsx as before, with a warning.
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { pathToFileURL } from 'node:url';
import { freshBuild, DIST, EXTERNAL } from './build.mjs';

// A larger young generation: validate parses and checks megabytes of short-lived objects, and with
// V8's default semi-space its scavenges took 430-600 ms of the main thread per run (240 with this).
setFlagsFromString('--max-semi-space-size=32');

let entry;
let stamp;
if (process.env.GITOPS_TSX !== '1') {
  try {
    stamp = await freshBuild({ quiet: false });
    entry = pathToFileURL(join(DIST, stamp.id, 'main.mjs'));
  } catch (err) {
    const first = err?.errors?.[0];
    const why = first ? `${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}` : String(err?.message ?? err).split('\n')[0];
    process.stderr.write(`gitops: warning: could not build the CLI (${why}); running the sources through tsx\n`);
  }
}
let main;
if (entry) {
  // No process.setSourceMapsEnabled: it indexes every module's map at load (30-60 ms a command).
  // Error locations (platformFrame, sourceLocation, GITOPS_DEBUG stacks) map their frames on the
  // error path instead (libs/core/src/source-frames.ts).
  // Platform sources are compiled against these entries (libs/pipeline/src/platform-module.ts).
  globalThis.__GITOPS_LIBRARIES__ = Object.fromEntries(Object.entries(stamp.libraries).map(([name, file]) => [name, join(DIST, file)]));
  // Packages that must load from node_modules (native binaries, files beside __dirname): left out of platform bundles too.
  globalThis.__GITOPS_EXTERNAL__ = EXTERNAL;
  ({ main } = await import(entry.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/main.ts'));
}
process.exitCode = await main(process.argv);
