/**
 * Why `kubectl proxy` did not start decides whose fault it is: a kubeconfig kubectl cannot load is
 * bad input (exit 2, named); anything else (here: a socket path too long to bind) is a failure
 * (exit 1) and does not blame a kubeconfig that is fine. Real kubectl; no API server needed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlPath, openApiSession } from '../src';

const dir = mkdtempSync(join(tmpdir(), 'gitops-api-session-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:1' } }]
users: [{ name: u, user: { token: test-only } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;

async function failure(kubeconfig: string): Promise<{ message: string; exitCode: number }> {
  return openApiSession(kubectlPath(), kubeconfig, 15_000).then(
    (s) => {
      s.close();
      throw new Error('the session opened');
    },
    (e: { message: string; exitCode: number }) => e,
  );
}

describe('a kubectl proxy that does not start', () => {
  it('a file kubectl cannot load as a kubeconfig: exit 2 naming it, with kubectl\'s reason', async () => {
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'hello\n');
    const e = await failure(notes);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(new RegExp(`^kubeconfig ${notes}: not a kubeconfig kubectl can use \\(kubectl: error: error loading config file`));
  });

  it('a valid kubeconfig whose proxy cannot bind its socket: exit 1, the kubeconfig not blamed', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, KUBECONFIG);
    // A unix socket path is limited to 107 bytes: a TMPDIR this long makes the bind fail.
    const long = join(dir, 'x'.repeat(120));
    mkdirSync(long);
    const before = process.env.TMPDIR;
    process.env.TMPDIR = long;
    try {
      const e = await failure(kubeconfig);
      expect(e.exitCode).toBe(1);
      expect(e.message).toMatch(/^kubectl proxy exited before serving \(kubeconfig .*\): .*bind/);
      expect(e.message).not.toContain('not a kubeconfig');
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  });
});
