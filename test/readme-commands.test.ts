/**
 * Every documented command works as written, and every command that exists is documented: the
 * README is read against the CLI's real command tree (buildProgram) and package.json's scripts.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import type { Command } from 'commander';
import { buildProgram } from '../apps/gitops/src/main';

const root = resolve(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const lines = readme.split('\n');
const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;

/** [path, command] of every command that runs something (groups such as `secrets` excluded). */
function leaves(cmd: Command, path: string[] = []): Array<[string[], Command]> {
  return cmd.commands.flatMap((c) => (c.commands.length ? leaves(c, [...path, c.name()]) : [[[...path, c.name()], c] as [string[], Command]]));
}

describe('README commands', () => {
  it('the quick start is two commands: the main job, then the tests', () => {
    const block = /## Quick start[^\n]*\n+```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = block.split('\n').filter(Boolean).map((l) => l.replace(/\s+#.*$/, '').trim());
    expect(commands).toEqual(['npm install && npx gitops all', 'npm test']);
  });

  it('documents every command the CLI has', async () => {
    const undocumented = leaves(await buildProgram())
      .map(([path]) => path)
      .filter(([first, ...rest]) => {
        const mention = new RegExp(`gitops ${first}(?![\\w-])`);
        return !lines.some((l) => mention.test(l) && rest.every((w) => new RegExp(`(?<![\\w-])${w}(?![\\w-])`).test(l.slice(l.search(mention)))));
      })
      .map((p) => `gitops ${p.join(' ')}`);
    expect(undocumented).toEqual([]);
  });

  it('each command table row lists the options and arguments of its --help', async () => {
    const program = await buildProgram();
    const rows = lines.filter((l) => l.startsWith('| `npx gitops '));
    const missing: string[] = [];
    for (const [path, cmd] of leaves(program)) {
      const name = `npx gitops ${path.join(' ')}`;
      // The row of this command (a row may name several, `get` / `view` / `edit`): skip commands documented elsewhere.
      const row = rows.find((r) => r.split('|')[1].includes(`\`${name} `) || r.split('|')[1].includes(`\`${name}\``));
      if (!row) continue;
      const usage = row.split(/(?<!\\)\|/)[1];
      // `-o json` is documented once for every command that has --json (the sentence under the table).
      const flags = cmd.options.map((o) => o.long!).filter((f) => f !== '--output' && f !== '--help');
      for (const f of flags) if (!new RegExp(`${f}(?![\\w-])`).test(row)) missing.push(`${name}: ${f}`);
      if (cmd.registeredArguments.length && !/[<[]\w/.test(usage.slice(usage.indexOf(name) + name.length))) missing.push(`${name}: arguments`);
    }
    expect(missing).toEqual([]);
  });

  it('every `gitops …` the README names exists', async () => {
    const program = await buildProgram();
    const unknown: string[] = [];
    for (const m of readme.matchAll(/\bnpx gitops ([a-z][\w-]*)(?: ([a-z][\w-]*))?/g)) {
      const top = program.commands.find((c) => c.name() === m[1]);
      if (!top) unknown.push(m[0]);
      else if (top.commands.length && m[2] && !top.commands.some((c) => c.name() === m[2])) unknown.push(m[0]);
    }
    expect(unknown).toEqual([]);
  });

  it('every `npm run` script it names exists and runs the CLI without needing it on PATH', async () => {
    const named = [...new Set([...readme.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]))];
    expect(named.filter((n) => !scripts[n])).toEqual([]);
    for (const name of ['all', 'bench']) {
      expect(named).toContain(name);
      const res = await execa('npm', ['run', '--silent', name, '--', '--help'], { cwd: root, reject: false, all: true });
      expect(res.exitCode, `npm run ${name} -- --help\n${res.all}`).toBe(0);
      expect(res.stdout).toContain(`Usage: gitops ${name}`);
    }
  });
});
