#!/usr/bin/env node
/**
 * Measures how readable the overlays of one revision are (libs/kustomize/README.md, "Measured"):
 *   (a) which generated files a one-line, dev-only source edit changes: CPTM8's dev CPU limit for its
 *       services, 500m -> 400m (libs/platforms/cptm8/src/profiles.ts);
 *   (b) patch lines per overlay, per environment and platform (lines of
 *       environments/<env>/<p>/**\/patches/*.yaml that are not comments), and generated files per platform.
 *
 *   node libs/kustomize/scripts/measure-overlays.mjs <git revision> [--json]
 *
 * It never touches the work tree: the revision is unpacked with `git archive` into a temporary folder
 * (whose node_modules links to this checkout's packages, workspace packages to the copy's own
 * folders), generated there with that revision's CLI, edited, generated again and compared.
 * Progress on stderr, the result on stdout.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const EDIT = {
  file: 'libs/platforms/cptm8/src/profiles.ts',
  from: "dev: res('100m', '128Mi', '500m', '512Mi')",
  to: "dev: res('100m', '128Mi', '400m', '512Mi')",
};

const args = process.argv.slice(2);
const json = args.includes('--json');
const rev = args.find((a) => !a.startsWith('--'));
if (!rev) {
  process.stderr.write('usage: measure-overlays.mjs <git revision> [--json]\n');
  process.exit(2);
}
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const log = (m) => process.stderr.write(`measure-overlays: ${m}\n`);

function unpack(dir) {
  const tar = execFileSync('git', ['-C', repo, 'archive', '--format=tar', rev], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  // Third-party packages come from this checkout; workspace packages (relative links) from the copy.
  const nm = join(dir, 'node_modules');
  mkdirSync(nm);
  for (const entry of readdirSync(join(repo, 'node_modules'), { withFileTypes: true })) {
    if (entry.name === '@gitops') {
      mkdirSync(join(nm, '@gitops'));
      for (const pkg of readdirSync(join(repo, 'node_modules/@gitops'))) {
        symlinkSync(readlinkSync(join(repo, 'node_modules/@gitops', pkg)), join(nm, '@gitops', pkg));
      }
    } else symlinkSync(join(repo, 'node_modules', entry.name), join(nm, entry.name));
  }
}

function generate(dir) {
  // GITOPS_TSX=1: run the copy's sources (a bundle built in the copy would follow the links out of it).
  const env = { ...process.env, GITOPS_TSX: '1' };
  execFileSync(process.execPath, ['apps/gitops/bin/gitops.mjs', 'generate'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'inherit'] });
}

function files(dir, sub = 'environments') {
  const out = new Map();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(join(dir, sub));
  return out;
}

function patchLines(dir) {
  const perEnv = {};
  for (const [file] of files(dir)) {
    const m = /^environments\/([^/]+)\/([^/]+)\/(?:.*\/)?patches\/[^/]+\.yaml$/.exec(file);
    if (!m) continue;
    const lines = readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('#'));
    perEnv[m[1]] ??= {};
    perEnv[m[1]][m[2]] = (perEnv[m[1]][m[2]] ?? 0) + lines.length;
  }
  return perEnv;
}

function filesPerPlatform(tree) {
  const out = {};
  for (const file of tree.keys()) {
    const p = file.split('/')[2];
    if (file.split('/').includes('secrets')) continue;
    out[p] = (out[p] ?? 0) + 1;
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'gitops-measure-'));
try {
  const commit = execFileSync('git', ['-C', repo, 'rev-parse', '--short', rev], { encoding: 'utf8' }).trim();
  log(`unpacking ${rev} (${commit})`);
  unpack(dir);
  log('generate (before the edit)');
  generate(dir);
  const before = files(dir);
  const lines = patchLines(dir);
  const generated = filesPerPlatform(before);
  const source = readFileSync(join(dir, EDIT.file), 'utf8');
  if (source.split(EDIT.from).length !== 2) throw new Error(`${EDIT.file} at ${rev}: expected exactly one "${EDIT.from}" (the edit to measure)`);
  writeFileSync(join(dir, EDIT.file), source.replace(EDIT.from, EDIT.to));
  log(`generate (after ${EDIT.file}: ${EDIT.from} -> ${EDIT.to})`);
  generate(dir);
  const after = files(dir);
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f)).sort();
  const byFolder = {};
  for (const f of changed) {
    const top = f.split('/').slice(0, 3).join('/');
    byFolder[top] = (byFolder[top] ?? 0) + 1;
  }
  const result = { revision: commit, edit: EDIT, changedFiles: changed.length, changedByFolder: byFolder, changed, patchLines: lines, generatedFiles: generated };
  if (json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else {
    process.stdout.write(`revision ${commit}\n(a) ${EDIT.file}: ${EDIT.from} -> ${EDIT.to} changes ${changed.length} generated files\n`);
    for (const [folder, n] of Object.entries(byFolder)) process.stdout.write(`    ${folder}: ${n}\n`);
    const order = ['dev', 'staging', 'prod'];
    const rank = (e) => (order.includes(e) ? order.indexOf(e) : order.length);
    const envs = Object.keys(lines).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    process.stdout.write(`(b) patch lines per overlay (${envs.join(' / ')}), generated files (secrets/ excluded)\n`);
    for (const p of Object.keys(generated).sort()) {
      process.stdout.write(`    ${p}: ${envs.map((e) => lines[e][p] ?? 0).join(' / ')}, ${generated[p]} files\n`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
