#!/usr/bin/env node
/**
 * Builds the pinned real components (tools/toolchain/versions.json) that are missing into .tools/bin/.
 *
 *   node tools/toolchain/build.mjs [tool…] [--check] [--json]
 *
 * Each Go tool is built from its own small module under tools/toolchain/go/<module> (go.mod and go.sum
 * committed, so the build is reproducible). A tool is up to date when .tools/bin/<tool> exists and its
 * stamp (.tools/bin/.<tool>.stamp) names the same package, version and go.sum hash; then nothing runs
 * and the script returns in well under a second. Go's module and build caches stay where Go keeps
 * them by default, so a second machine build (or Argo CD's, which shares k8s.io modules) reuses them.
 *
 * --check: build nothing; exit 1 if a buildable tool is missing or stale.
 * Progress goes to stderr; the result (tool → path, or why it is unavailable) to stdout.
 * Exit: 0 ok, 1 a build failed (or --check found something missing), 2 bad arguments.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const binDir = join(root, '.tools', 'bin');
const versions = JSON.parse(readFileSync(join(here, 'versions.json'), 'utf8'));

/** Version variables the Kubernetes release build sets (hack/lib/version.sh), so `--version` and /version tell the truth. */
function ldflagsFor(tool, spec) {
  if (spec.module !== 'kubernetes') return [];
  const m = /^v(\d+)\.(\d+)\./.exec(spec.version);
  const vars = { gitVersion: spec.version, gitMajor: m?.[1] ?? '', gitMinor: m?.[2] ?? '', gitTreeState: 'clean', buildDate: '1970-01-01T00:00:00Z' };
  const flags = [];
  for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
    for (const [k, v] of Object.entries(vars)) flags.push(`-X ${pkg}.${k}=${v}`);
  }
  return ['-ldflags', flags.join(' ')];
}

function stampFor(spec) {
  const modDir = join(here, 'go', spec.module);
  const sum = createHash('sha256').update(readFileSync(join(modDir, 'go.mod'))).update(readFileSync(join(modDir, 'go.sum'))).digest('hex').slice(0, 16);
  return `${spec.package}@${spec.version} ${sum}\n`;
}

function upToDate(tool, spec) {
  const bin = join(binDir, tool);
  const stamp = join(binDir, `.${tool}.stamp`);
  return existsSync(bin) && existsSync(stamp) && readFileSync(stamp, 'utf8') === stampFor(spec);
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

function build(tool, spec) {
  const modDir = join(here, 'go', spec.module);
  const out = join(binDir, tool);
  const tmp = `${out}.partial`;
  const args = ['build', '-trimpath', ...ldflagsFor(tool, spec), '-o', tmp, spec.package];
  process.stderr.write(`toolchain: building ${tool} ${spec.version} (go ${args.join(' ')}) in tools/toolchain/go/${spec.module}\n`);
  const started = Date.now();
  // GOFLAGS -mod=readonly: the committed go.mod/go.sum are the pin; a build never rewrites them.
  const env = { ...process.env, GOFLAGS: `${process.env.GOFLAGS ?? ''} -mod=readonly -buildvcs=false`.trim(), GOTOOLCHAIN: 'local' };
  const r = spawnSync('go', args, { cwd: modDir, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error || r.status !== 0) {
    rmSync(tmp, { force: true });
    const why = r.error ? r.error.message : `go build exited with ${r.status}`;
    process.stderr.write(`toolchain: FAILED to build ${tool} ${spec.version}: ${why}\n`);
    return { ok: false, error: why };
  }
  renameSync(tmp, out);
  writeFileSync(join(binDir, `.${tool}.stamp`), stampFor(spec));
  const took = Date.now() - started;
  process.stderr.write(`toolchain: built ${tool} in ${seconds(took)}\n`);
  return { ok: true, ms: took };
}

function main(argv) {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const wanted = argv.filter((a) => !a.startsWith('--'));
  for (const f of flags) {
    if (!['--check', '--json'].includes(f)) {
      process.stderr.write(`usage: node tools/toolchain/build.mjs [tool…] [--check] [--json] (unknown option ${f})\n`);
      return 2;
    }
  }
  for (const t of wanted) {
    if (!versions.tools[t]) {
      process.stderr.write(`toolchain: unknown tool "${t}" (known: ${Object.keys(versions.tools).join(', ')})\n`);
      return 2;
    }
  }
  mkdirSync(binDir, { recursive: true });
  const results = {};
  let status = 0;
  const started = Date.now();
  for (const [tool, spec] of Object.entries(versions.tools)) {
    if (wanted.length && !wanted.includes(tool)) continue;
    if (!spec.module) {
      results[tool] = { status: 'unavailable', version: spec.version, reason: spec.unavailable ?? 'no module to build from' };
      process.stderr.write(`toolchain: ${tool} ${spec.version} not built: ${results[tool].reason}\n`);
      continue;
    }
    if (upToDate(tool, spec)) {
      results[tool] = { status: 'ok', version: spec.version, path: join(binDir, tool) };
      continue;
    }
    if (flags.has('--check')) {
      results[tool] = { status: 'missing', version: spec.version };
      process.stderr.write(`toolchain: ${tool} ${spec.version} is missing or stale in .tools/bin\n`);
      status = 1;
      continue;
    }
    const r = build(tool, spec);
    results[tool] = r.ok ? { status: 'built', version: spec.version, path: join(binDir, tool), ms: r.ms } : { status: 'failed', version: spec.version, error: r.error };
    if (!r.ok) status = 1;
  }
  const totalMs = Date.now() - started;
  process.stderr.write(`toolchain: done in ${seconds(totalMs)}\n`);
  const built = Object.entries(results).filter(([, r]) => r.status === 'built');
  if (built.length) {
    // The last real build's timings, for `npm run bench` (a cold build cannot be re-run cheaply).
    const file = join(binDir, '.build-times.json');
    const previous = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
    const tools = { ...(previous.tools ?? {}), ...Object.fromEntries(built.map(([t, r]) => [t, r.ms])) };
    writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), lastRunMs: totalMs, tools }, null, 2));
  }
  if (flags.has('--json')) process.stdout.write(`${JSON.stringify({ binDir, tools: results }, null, 2)}\n`);
  else for (const [tool, r] of Object.entries(results)) process.stdout.write(`${tool}\t${r.version}\t${r.status}\t${r.path ?? r.reason ?? r.error ?? ''}\n`);
  return status;
}

process.exitCode = main(process.argv.slice(2));
