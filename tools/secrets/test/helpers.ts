/** Test helpers: the committed TEST keys, temp dirs, and small file utilities. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseIdentities } from '../src/identities';

/** Real sops-written files, vendored in third_party/sops-fixtures (each folder's NOTE.md names its source). */
export const FIXTURES = resolve(__dirname, '../../../third_party/sops-fixtures');
export const TEST_KEYS_DIR = join(__dirname, 'fixtures');

export interface TestKey {
  name: string;
  file: string;
  identity: string;
  recipient: string;
}

/** One of the committed TEST keys (public, never use for real secrets). */
export function testKey(name: 'alice' | 'bob' | 'carol'): TestKey {
  const file = join(TEST_KEYS_DIR, `test-key-${name}.txt`);
  const text = readFileSync(file, 'utf8');
  const recipient = /# public key: (age1\S+)/.exec(text)![1];
  return { name, file, identity: parseIdentities(text, file)[0], recipient };
}

export function tempDir(prefix = 'sops-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

export function hasBinary(bin: string): boolean {
  return spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** An environment with no ambient age identities (HOME and XDG point to an empty dir). */
export function isolatedEnv(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg'), ...extra };
}
