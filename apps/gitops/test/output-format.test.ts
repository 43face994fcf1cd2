/**
 * `-o, --output`: only the formats a command prints are offered (json and text; yaml only where the
 * text output is YAML: render). `-o yaml` used to be accepted everywhere and print text, and
 * `--json -o text` printed JSON. Both are bad input now (exit 2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/main';
import { initSecrets, sampleRepo, type SampleRepo } from './sample-repo';

let s: SampleRepo;
beforeAll(async () => {
  s = sampleRepo('gitops-output-');
  expect((await s.run('generate', 'sample')).exitCode).toBe(0);
  await initSecrets(s.root, 'sample');
});
afterAll(() => s.cleanup());

describe('-o, --output', () => {
  it('no command offers a format it does not print: yaml only where the text output is YAML', async () => {
    const offered = new Map<string, string[]>();
    const walk = (cmd: Awaited<ReturnType<typeof buildProgram>>, path: string[]): void => {
      for (const o of cmd.options) if (o.long === '--output' && o.argChoices) offered.set(path.join(' '), o.argChoices);
      cmd.commands.forEach((c) => walk(c, [...path, c.name()]));
    };
    walk(await buildProgram(), []);
    expect(offered.size).toBeGreaterThan(5);
    for (const [path, choices] of offered) expect(choices, path).toEqual(path === 'render' ? ['json', 'yaml', 'text'] : ['json', 'text']);
  });

  it('render -o yaml prints the YAML its text output is', async () => {
    const yaml = await s.run('render', 'sample', '--env', 'dev', '-o', 'yaml');
    expect(yaml.exitCode, yaml.stderr).toBe(0);
    expect(yaml.stdout).toMatch(/^apiVersion: /);
    expect(yaml.stdout).toBe((await s.run('render', 'sample', '--env', 'dev')).stdout);
    const both = await s.run('render', 'sample', '--env', 'dev', '-o', 'yaml', '--json');
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain('error: --json and -o yaml contradict each other');
  });

  it('-o yaml where the output is not YAML is refused (exit 2) instead of printing text', async () => {
    const res = await s.run('argocd', 'paths', 'sample', '--env', 'dev', '-o', 'yaml');
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toMatch(/argument 'yaml' is invalid\. Allowed choices are json, text/);
    expect(res.stdout).toBe('');
  });

  it('--json -o text contradict each other (exit 2, nothing printed)', async () => {
    for (const args of [['--json', '-o', 'text'], ['-o', 'text', '--json']]) {
      const res = await s.run('argocd', 'paths', 'sample', '--env', 'dev', ...args);
      expect(res.exitCode, args.join(' ')).toBe(2);
      expect(res.stderr).toContain('error: --json and -o text contradict each other: pass one of them');
      expect(res.stdout).toBe('');
    }
  });

  it('-o json is --json, -o text is the text output', async () => {
    const json = await s.run('argocd', 'paths', 'sample', '--env', 'dev', '-o', 'json');
    expect(json.exitCode, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse((await s.run('argocd', 'paths', 'sample', '--env', 'dev', '--json')).stdout));
    const text = await s.run('argocd', 'paths', 'sample', '--env', 'dev', '-o', 'text');
    expect(text.exitCode, text.stderr).toBe(0);
    expect(() => JSON.parse(text.stdout)).toThrow();
  });
});
