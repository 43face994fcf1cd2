/**
 * `bench --detail` renders with the SOPS files like `render`: the notes about files the key did not
 * open are printed once on stderr (withRedactionSummary) and never left recorded for the next
 * command in the same process. A repository whose dev secret is encrypted to dev's example TEST key,
 * benchmarked with a fresh TEST key that opens nothing.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { formatKeysFile, generateAgeKey } from '@gitops/secrets';
import { redactionSummary } from '@gitops/secrets-workflow';
import { loadPlatforms } from '@gitops/pipeline';
import { benchPlatforms } from '../src/commands/bench';
import { initSecrets, repo, sampleRepo, type SampleRepo } from './sample-repo';
import { runMain } from './run-main';

let s: SampleRepo;
beforeAll(async () => {
  s = sampleRepo('gitops-bench-redaction-');
  expect((await s.run('generate', 'sample')).exitCode).toBe(0);
  const init = await runMain(['secrets', 'init', '--env', 'dev', 'sample'], { cwd: s.root, env: { GITOPS_ROOT: s.root, SOPS_AGE_KEY_FILE: join(repo, 'test-keys/example-dev.agekey') } });
  expect(init.exitCode, init.stderr).toBe(0);
  await initSecrets(s.root, 'sample');
}, 120_000);
afterAll(() => s?.cleanup());

describe('bench --detail and redaction notes', () => {
  it('prints the note on stderr once, nothing on stdout, and leaves no note recorded', async () => {
    const key = await generateAgeKey();
    s.writeFile('other-test-key.txt', formatKeysFile(key, { comment: 'TEST KEY - generated for this test, opens nothing' }));
    const saved = { ...process.env };
    Object.assign(process.env, { SOPS_AGE_KEY_FILE: join(s.root, 'other-test-key.txt'), HOME: s.root, XDG_CONFIG_HOME: join(s.root, '.config') });
    delete process.env.SOPS_AGE_KEY;
    delete process.env.SOPS_AGE_KEY_CMD;
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      redactionSummary(); // start from an empty record
      const rows = await benchPlatforms(s.root, await loadPlatforms(s.root, ['sample']));
      expect(rows.map((r) => r.platform)).toEqual(['sample']);
      expect(rows[0].objects).toBeGreaterThan(0);
      const err = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(err.match(/^note: the age key opens no SOPS file of dev \(1 file, /gm), err).toHaveLength(1);
      expect(stdout).not.toHaveBeenCalled();
      // Nothing is carried over to the next command of this process.
      expect(redactionSummary()).toEqual([]);
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  }, 120_000);
});
