/** The GitHub workflows pass actionlint, the linter catches real mistakes, and the PR comment stays within GitHub's limit. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
// @ts-expect-error plain ESM scripts without type declarations
import { lintWorkflows } from '../.github/scripts/lint-workflows.mjs';
// @ts-expect-error plain ESM scripts without type declarations
import { commentBody, MARKER } from '../.github/scripts/pr-comment.mjs';

const repo = resolve(__dirname, '..');
const CI = join(repo, '.github/workflows/ci.yml');

describe('workflow lint', () => {
  it('npm run lint:workflows passes on the committed workflows', async () => {
    const res = await execa('npm', ['run', '--silent', 'lint:workflows'], { cwd: repo, reject: false });
    expect(res.stdout).toBe('');
    expect(res.exitCode).toBe(0);
  });

  it('reports a broken workflow: unknown context property, action without ref, undefined job output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitops-actionlint-'));
    try {
      const broken = readFileSync(CI, 'utf8')
        .replace('${{ steps.diff-artifact.outputs.artifact-url }}', '${{ steps.diff-artifact.outputs.artifact-url }}-${{ github.pull_request_number }}')
        .replace('uses: actions/download-artifact@v4.3.0', 'uses: actions/download-artifact')
        .replace('needs.affected.outputs.diff-url', 'needs.lint.outputs.diff-url');
      const file = join(dir, 'ci.yml');
      writeFileSync(file, broken);
      const kinds = ((await lintWorkflows([file])) as Array<{ kind: string; message: string }>).map((f) => f.kind).sort();
      expect(kinds).toEqual(['action', 'expression', 'expression']);
      const cli = await execa('node', [join(repo, '.github/scripts/lint-workflows.mjs'), file], { reject: false });
      expect(cli.exitCode).toBe(1);
      expect(cli.stdout).toMatch(/ci\.yml:\d+:\d+: .*\[action\]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pull-request comment', () => {
  const diff = (n: number) =>
    ['## Rendered changes against `origin/main`', '', '### environments/prod/x', '', '- changed `Deployment/x/api`', '', '```diff', ...Array.from({ length: n }, (_, i) => `-  replicas: ${i}`), '```', ''].join('\n');

  it('is the marker, the whole diff and the artifact link when it fits', () => {
    const body = commentBody(diff(3), { url: 'https://example.invalid/artifact/1', sha: '0123456789abcdef' });
    expect(body.startsWith(`${MARKER}\n## Rendered changes`)).toBe(true);
    expect(body).toContain('-  replicas: 2\n```');
    expect(body.endsWith('Full rendered diff for 0123456: [artifact](https://example.invalid/artifact/1).')).toBe(true);
  });

  it('cuts a long diff at a line, closes the open fence and stays under the limit', () => {
    const long = diff(20_000);
    const body = commentBody(long, { limit: 60_000, url: 'https://example.invalid/a' });
    expect(long.length).toBeGreaterThan(60_000);
    expect(body.length).toBeLessThanOrEqual(60_000);
    expect((body as string).split('\n').filter((l) => l.startsWith('```')).length % 2).toBe(0);
    expect(body).toMatch(/\n-  replicas: \d+\n```\n\n\*\*Truncated\*\*: the diff is [\d,]+ characters/);
    expect(body).toContain('[artifact](https://example.invalid/a)');
  });
});
