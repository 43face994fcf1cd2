/**
 * Issue 19 items 1 and 2: every rewrite of a SOPS file is locked, re-read under the lock and
 * replaced atomically. Child processes run one operation each and are SIGKILLed at a named step
 * (GITOPS_TEST_CRASH_AT) or paused there (GITOPS_TEST_PAUSE_AT): no timing sleeps. The child
 * script is bundled once (test/support/bundle-child.ts): ~50 children, each without tsx's startup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hostname, tmpdir } from 'node:os';
import { decryptFile, encryptDocument, K8S_SECRET_ENCRYPTED_REGEX, lockPathOf, readMetadata, sopsExitCode, withFileLock, writeFileAtomic } from '../src';
import { bundleChild } from '../../../test/support/bundle-child';
import { tempDir, testKey } from './helpers';

const CHILD_SOURCE = resolve(__dirname, 'support/write-child.ts');
let childDir: string;
let childScript: string;
const alice = testKey('alice');
const bob = testKey('bob');
const PLAIN = 'apiVersion: v1\nkind: Secret\nmetadata:\n    name: app\nstringData:\n    a: one\n    b: two\n    edited: before\n';
let dir: string;
let cleanup: () => void;
let original: string;

interface Child {
  proc: ChildProcess;
  /** Resolves when stderr contains `text`. */
  waitFor(text: string): Promise<void>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function child(args: string[], env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, [childScript, ...args], {
    env: { ...process.env, SOPS_AGE_KEY_FILE: alice.file, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  proc.stderr!.on('data', (d) => {
    stderr += d.toString();
    for (const w of waiters.filter((x) => stderr.includes(x.text))) w.resolve();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((res) =>
    proc.on('close', (code, signal) => res({ code, signal, stderr })),
  );
  return {
    proc,
    done,
    waitFor: (text) =>
      new Promise<void>((res, rej) => {
        if (stderr.includes(text)) return res();
        waiters.push({ text, resolve: res });
        done.then(() => (stderr.includes(text) ? res() : rej(new Error(`child exited before printing "${text}": ${stderr}`))));
      }),
  };
}

const decrypt = (f: string) => decryptFile(f, { identities: [alice.identity], config: false });
const fresh = (name: string) => {
  const f = join(dir, name);
  writeFileSync(f, original);
  return f;
};

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('safe-write-'));
  // Outside `dir`: the tests list it for leftover temp files.
  childDir = mkdtempSync(join(tmpdir(), 'gitops-safe-write-child-'));
  childScript = await bundleChild(CHILD_SOURCE, childDir, 'write-child');
  original = await encryptDocument(PLAIN, { format: 'yaml', recipients: [alice.recipient], encryptedRegex: K8S_SECRET_ENCRYPTED_REGEX });
});
afterAll(() => {
  cleanup();
  rmSync(childDir, { recursive: true, force: true });
});

describe.concurrent('a kill at any step leaves the old file or the new one, and the next writer recovers', () => {
  const ops: Array<{ op: string; args: string[]; plaintextInput?: boolean; changed: (plain: string) => boolean }> = [
    { op: 'set', args: ['a', 'NEW'], changed: (p) => p.includes('a: NEW') },
    { op: 'rotate', args: [], changed: () => false },
    { op: 'updatekeys', args: [alice.recipient, bob.recipient], changed: () => false },
    { op: 'edit', args: ['after'], changed: (p) => p.includes('edited: after') },
    { op: 'encrypt', args: [alice.recipient], plaintextInput: true, changed: () => false },
  ];
  const steps = ['locked', 'temp-written', 'synced', 'renamed'];
  const cases = ops.flatMap((o) => steps.map((step) => ({ ...o, step })));

  it.each(cases)('$op killed at $step', async ({ op, args, step, plaintextInput, changed }) => {
    const f = join(dir, `${op}-${step}.enc.yaml`);
    writeFileSync(f, plaintextInput ? PLAIN : original);
    const before = readFileSync(f);
    const res = await child([op, f, ...args], { GITOPS_TEST_CRASH_AT: step }).done;
    expect(res.signal, res.stderr).toBe('SIGKILL');
    expect(statSync(f).size).toBeGreaterThan(0);
    const after = readFileSync(f);
    if (step === 'renamed') {
      expect(after.equals(before)).toBe(false); // the new file is complete
      const plain = await decrypt(f);
      if (op === 'set' || op === 'edit') expect(changed(plain)).toBe(true);
      if (op === 'updatekeys') expect((await readMetadata(f)).recipients).toEqual([alice.recipient, bob.recipient]);
    } else {
      expect(after.equals(before)).toBe(true); // the old file, untouched
    }
    if (!plaintextInput) expect(await decrypt(f)).toContain('b: two'); // opens, MAC valid
    // The dead writer's lock (and temp file) do not block or litter: the next writer takes over.
    expect(existsSync(lockPathOf(f))).toBe(true);
    const next = await child(['set', f, 'b', 'next'], { GITOPS_LOCK_TIMEOUT: '5' }).done;
    if (plaintextInput && step !== 'renamed') {
      expect(next.code).toBe(1); // still plaintext: set refuses, clearly
      expect(next.stderr).toMatch(/sops metadata not found|METADATA|not.*encrypted/i);
    } else {
      expect(next.code, next.stderr).toBe(0);
      expect(await decrypt(f)).toContain('b: next');
    }
    expect(existsSync(lockPathOf(f))).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith(`.${op}-${step}.`) && n.endsWith('.gitops-tmp'))).toEqual([]);
  });

  it('a created file (init) is complete or absent, never empty, and never overwrites', async () => {
    for (const step of ['temp-written', 'synced']) {
      const f = join(dir, `create-${step}.enc.yaml`);
      const res = await child(['create', f, original], { GITOPS_TEST_CRASH_AT: step }).done;
      expect(res.signal).toBe('SIGKILL');
      expect(existsSync(f)).toBe(false);
    }
    const f = join(dir, 'create-linked.enc.yaml');
    const res = await child(['create', f, original], { GITOPS_TEST_CRASH_AT: 'linked' }).done;
    expect(res.signal).toBe('SIGKILL');
    expect(readFileSync(f, 'utf8')).toBe(original);
    const again = await child(['create', f, 'other']).done;
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('EEXIST');
    expect(readFileSync(f, 'utf8')).toBe(original);
  });
});

describe('two writers on one file', () => {
  it('the second waits for the first and re-reads: both updates are kept, MAC valid', async () => {
    const f = fresh('race.enc.yaml');
    const first = child(['set', f, 'a', 'from-first'], { GITOPS_TEST_PAUSE_AT: 'locked' });
    await first.waitFor('paused at locked');
    const second = child(['set', f, 'b', 'from-second']);
    await second.waitFor(`waiting for ${f}: locked by pid ${first.proc.pid}`);
    first.proc.stdin!.end('\n');
    const [r1, r2] = await Promise.all([first.done, second.done]);
    expect([r1.code, r2.code], r1.stderr + r2.stderr).toEqual([0, 0]);
    const plain = await decrypt(f);
    expect(plain).toContain('a: from-first');
    expect(plain).toContain('b: from-second');
  });

  it('a writer that cannot get the lock in time fails clearly and writes nothing', async () => {
    const f = fresh('timeout.enc.yaml');
    const first = child(['set', f, 'a', 'held'], { GITOPS_TEST_PAUSE_AT: 'locked' });
    await first.waitFor('paused at locked');
    const before = readFileSync(f, 'utf8');
    const second = await child(['set', f, 'b', 'late'], { GITOPS_LOCK_TIMEOUT: '0' }).done;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`is being changed by pid ${first.proc.pid}`);
    expect(second.stderr).toContain('Nothing was written');
    expect(readFileSync(f, 'utf8')).toBe(before);
    first.proc.stdin!.end('\n');
    expect((await first.done).code).toBe(0);
  });

  it("a lock or temp file naming our own pid from an earlier run (pid 1 in every container run) is stale, not ours", async () => {
    const f = fresh('reused-pid.enc.yaml');
    const holder = { pid: process.pid, host: hostname(), command: 'gitops secrets set (killed earlier run)', since: '2026-01-01T00:00:00.000Z' };
    writeFileSync(lockPathOf(f), JSON.stringify(holder) + '\n');
    const temp = join(resolve(f, '..'), `.reused-pid.enc.yaml.${process.pid}.0badc0de.gitops-tmp`);
    writeFileSync(temp, 'half-written by the earlier run');
    const ran = await withFileLock(f, () => 'ran', { timeoutMs: 0, onWait: () => undefined });
    expect(ran).toBe('ran');
    expect(existsSync(temp)).toBe(false);
    expect(existsSync(lockPathOf(f))).toBe(false);
    // While this process holds the lock, a second call from it still waits (and here times out).
    await expect(withFileLock(f, () => withFileLock(f, () => 'nested', { timeoutMs: 0, onWait: () => undefined }))).rejects.toThrow(/is being changed by/);
  });

  it('six concurrent writers of different keys: every update is kept', async () => {
    const f = fresh('many.enc.yaml');
    const keys = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'];
    const res = await Promise.all(keys.map((k) => child(['set', f, k, `v-${k}`]).done));
    for (const r of res) expect(r.code, r.stderr).toBe(0);
    const plain = await decrypt(f);
    for (const k of keys) expect(plain).toContain(`${k}: v-${k}`);
  });
});

it('the atomic replace keeps the file mode (permissions are not loosened)', async () => {
  const f = fresh('mode.enc.yaml');
  chmodSync(f, 0o600);
  const r = await child(['set', f, 'a', 'x']).done;
  expect(r.code, r.stderr).toBe(0);
  expect(statSync(f).mode & 0o777).toBe(0o600);
});

describe('a write the filesystem refuses is WRITE_FAILED (a failure, exit 1); a file in the way NOT_A_FOLDER (bad input, 2): fsErrorExitCode', () => {
  const code = async (fn: () => unknown) => {
    try {
      await fn();
    } catch (e) {
      return { code: (e as { code?: string }).code, exit: sopsExitCode(e) };
    }
    return undefined;
  };

  it('replacing a folder is a refusal (1); writing or locking below a file is a file in the way (2)', async () => {
    const folder = join(dir, 'a-folder.enc.yaml');
    mkdirSync(folder, { recursive: true });
    expect(await code(() => writeFileAtomic(folder, 'x'))).toEqual({ code: 'WRITE_FAILED', exit: 1 });
    const file = fresh('a-file.enc.yaml');
    expect(await code(() => writeFileAtomic(join(file, 'below.yaml'), 'x'))).toEqual({ code: 'NOT_A_FOLDER', exit: 2 });
    expect(await code(() => withFileLock(join(file, 'below.yaml'), () => undefined))).toEqual({ code: 'NOT_A_FOLDER', exit: 2 });
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('a folder that does not exist stays bad input (CONFIG); /proc refusing a lock in a folder that exists is a refusal (1)', async () => {
    expect(await code(() => withFileLock(join(dir, 'no-such-folder', 'x.enc.yaml'), () => undefined))).toEqual({ code: 'CONFIG', exit: 2 });
    if (existsSync('/proc/self')) expect(await code(() => withFileLock('/proc/self/x.enc.yaml', () => undefined))).toEqual({ code: 'WRITE_FAILED', exit: 1 });
  });
});
