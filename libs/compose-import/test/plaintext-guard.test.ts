/** A secret value interpolated outside `environment:` is refused before anything is written, and never printed. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planImport } from '../src/import';

const dir = mkdtempSync(join(tmpdir(), 'gitops-compose-guard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PASSWORD = 'Xk93-not-a-real-password';

function compose(command: string): string {
  const file = join(dir, 'compose.yaml');
  writeFileSync(
    file,
    `services:\n  cache:\n    image: redis:7.2\n    command: ${command}\n    environment:\n      REDIS_PASSWORD: \${REDIS_PASSWORD}\n`,
  );
  writeFileSync(join(dir, '.env'), `REDIS_PASSWORD=${PASSWORD}\n`);
  return file;
}

describe('plaintext guard', () => {
  it('refuses a password interpolated into a command (exit 2, file and secret key named, value never shown)', () => {
    const file = compose('redis-server --requirepass ${REDIS_PASSWORD}');
    let err: (Error & { exitCode?: number }) | undefined;
    try {
      planImport({ platform: 'guard', files: [file], shellEnv: {} });
    } catch (e) {
      err = e as Error & { exitCode?: number };
    }
    expect(err?.exitCode).toBe(2);
    expect(err?.message).toMatch(/src\/components\/cache\.ts: the value of secret .*REDIS_PASSWORD would be written in plain text/);
    expect(err?.message).not.toContain(PASSWORD);
  });

  it('accepts the same command when it reads the variable from the container environment', () => {
    const file = compose("sh -c 'redis-server --requirepass $$REDIS_PASSWORD'");
    const planned = planImport({ platform: 'guard', files: [file], shellEnv: {} });
    for (const text of planned.files.values()) expect(text).not.toContain(PASSWORD);
  });
});
