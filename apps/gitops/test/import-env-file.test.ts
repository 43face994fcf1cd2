/**
 * `import compose`'s env file through the real bin: Node (20 … 26, nodejs/node#54232) reads
 * `--env-file <f>` even after the script name and exits 9 with its own "node: <f>: not found" when
 * the file is missing, before gitops runs. `--compose-env-file` is the spelling Node does not claim;
 * `--env-file` (Docker Compose's name) still works for a file that exists. Only --dry-run: nothing
 * is written.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { bin, repo } from './sample-repo';

const dir = mkdtempSync(join(tmpdir(), 'gitops-env-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A required variable: the import fails (exit 2, naming it) unless the env file was read.
writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx:${WEB_TAG:?set WEB_TAG}\n');
writeFileSync(join(dir, 'tags.env'), 'WEB_TAG=1.27.3\n');
const missing = join(dir, 'missing.env');

const importDry = (...args: string[]) =>
  execa('node', [bin, 'import', 'compose', join(dir, 'compose.yaml'), '--platform', 'envfile-demo', '--dry-run', ...args], { cwd: repo, reject: false, env: { GITOPS_ROOT: repo } });

describe('import compose: the env file through the bin', () => {
  it('without an env file the required variable is missing (exit 2)', async () => {
    const res = await importDry();
    expect(res.exitCode, res.stderr).toBe(2);
    expect(res.stderr).toMatch(/WEB_TAG/);
  });

  it.each([
    ['--compose-env-file', join(dir, 'tags.env')],
    ['--env-file', join(dir, 'tags.env')],
    [`--compose-env-file=${join(dir, 'tags.env')}`],
    [`--env-file=${join(dir, 'tags.env')}`],
  ])('%s %s reads the file', async (...args) => {
    const res = await importDry(...args.filter(Boolean));
    expect(res.exitCode, res.stderr).toBe(0);
    expect(res.stdout).toContain('would write libs/platforms/envfile-demo/src/components/web.ts');
  });

  it('--compose-env-file with a missing file: our own message and exit 2', async () => {
    const res = await importDry('--compose-env-file', missing);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain(`error: ${missing}: no such env file`);
    expect(res.stderr).not.toMatch(/^node:/m);
  });

  it('--env-file with a missing file: the help and the README say what Node does and what to use', async () => {
    const res = await importDry('--env-file', missing);
    // Node's own check (exit 9) on the Node versions with the bug, ours (exit 2) on a fixed one.
    if (res.exitCode === 9) expect(res.stderr).toContain(`node: ${missing}: not found`);
    else {
      expect(res.exitCode, res.stderr).toBe(2);
      expect(res.stderr).toContain(`error: ${missing}: no such env file`);
    }
    const help = await execa('node', [bin, 'import', 'compose', '--help'], { cwd: repo, reject: false });
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('--env-file <file> the same (Docker Compose\'s name); a missing file is reported by Node itself ("node: <file>: not found", exit 9), use --compose-env-file in scripts');
  });
});
