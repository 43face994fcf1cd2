/**
 * `-o, --output`: only the formats the commands print (json, text) are offered; `-o yaml` used to be
 * accepted and print text, and `--json -o text` printed JSON. Both are bad input now (exit 2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/main';
import { sampleRepo, type SampleRepo } from './sample-repo';

let s: SampleRepo;
beforeAll(() => {
  s = sampleRepo('gitops-output-');
});
afterAll(() => s.cleanup());

describe('-o, --output', () => {
  it('no command offers a format it does not print', async () => {
    const offered = new Set<string>();
    const walk = (cmd: Awaited<ReturnType<typeof buildProgram>>): void => {
      for (const o of cmd.options) if (o.long === '--output' && o.argChoices) o.argChoices.forEach((c) => offered.add(c));
      cmd.commands.forEach(walk);
    };
    walk(await buildProgram());
    expect([...offered].sort()).toEqual(['json', 'text']);
  });

  it('-o yaml is refused (exit 2) instead of printing text', async () => {
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
