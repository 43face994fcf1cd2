/**
 * Finding age identities the way sops does (`loadIdentities`, age/keysource.go):
 * every configured source is loaded and all identities are tried together.
 *   SOPS_AGE_KEY        identities in the variable (several per line allowed since 3.13)
 *   SOPS_AGE_KEY_FILE   path to a keys file
 *   SOPS_AGE_KEY_CMD    command whose stdout is a keys file; gets SOPS_AGE_RECIPIENT
 *   default file        <UserConfigDir>/sops/age/keys.txt
 * SSH keys (~/.ssh/id_ed25519, SOPS_AGE_SSH_PRIVATE_KEY_FILE) are not supported by
 * the age-encryption library and are ignored.
 * Error messages name sources, never key material.
 */
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SopsError } from './errors';

export interface IdentityOptions {
  /** Explicit identities: when given, nothing is discovered. */
  identities?: string[];
  /** Environment to read (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

export interface LoadedIdentities {
  identities: string[];
  /** Human-readable names of the sources that were read (env var names, file paths). */
  sources: string[];
}

/** `<UserConfigDir>/sops/age/keys.txt` per platform (`getUserConfigDir`). */
export function defaultKeysFilePath(opts: IdentityOptions = {}): string | undefined {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const home = opts.home ?? env.HOME ?? homedir();
  let dir: string | undefined;
  if (platform === 'win32') dir = env.AppData ?? env.APPDATA;
  else if (platform === 'darwin') dir = env.XDG_CONFIG_HOME || (home ? join(home, 'Library', 'Application Support') : undefined);
  else dir = env.XDG_CONFIG_HOME || (home ? join(home, '.config') : undefined);
  return dir ? join(dir, 'sops', 'age', 'keys.txt') : undefined;
}

/**
 * Parse a keys file (`parseIdentities`): one identity per line, `#` lines and empty
 * lines skipped. `multiPerLine` splits lines on whitespace (SOPS_AGE_KEY since 3.13).
 */
export function parseIdentities(text: string, source: string, multiPerLine = false): string[] {
  if (text.startsWith('age-encryption.org/') || text.trimStart().startsWith('-----BEGIN AGE ENCRYPTED FILE-----')) {
    throw new SopsError('UNSUPPORTED', `${source} is a passphrase-protected (age-encrypted) keys file, which is not supported`);
  }
  const out: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line === '' || line.startsWith('#')) return;
    const parts = multiPerLine ? line.split(/\s+/).filter(Boolean) : [line];
    for (const p of parts) {
      if (p.startsWith('AGE-SECRET-KEY-1') || p.startsWith('AGE-SECRET-KEY-PQ-1')) out.push(p);
      else if (p.startsWith('AGE-PLUGIN-')) continue; // age plugins cannot run here; skipped
      else throw new SopsError('CONFIG', `failed to parse ${source} age identities: malformed identity at line ${i + 1}`);
    }
  });
  return out;
}

/** Minimal `shlex.Split` (google/shlex): whitespace splitting with quotes and backslash escapes. */
export function shlexSplit(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let q: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q === "'") {
      if (c === "'") q = undefined;
      else cur += c;
    } else if (q === '"') {
      if (c === '"') q = undefined;
      else if (c === '\\' && i + 1 < s.length && '"\\$`\n'.includes(s[i + 1])) cur += s[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      q = c;
      has = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else if (c === '#' && !has && !cur) {
      break; // comment
    } else {
      cur += c;
      has = true;
    }
  }
  if (q) throw new Error('unclosed quote');
  if (has || cur) out.push(cur);
  return out;
}

/**
 * `parseIdentities` for a configured key source: a malformed one is that source not working
 * (IDENTITY_SOURCE_FAILED, exit 1, never blamed on the file being opened), not bad input of the
 * command (CONFIG, which a malformed `--identity` file given on the command line stays).
 */
function parseSource(text: string, source: string, multiPerLine = false): string[] {
  try {
    return parseIdentities(text, source, multiPerLine);
  } catch (e) {
    if (e instanceof SopsError && e.code === 'CONFIG') throw new SopsError('IDENTITY_SOURCE_FAILED', e.message);
    throw e;
  }
}

/**
 * Load identities for decrypting the data key of `recipient` (passed to SOPS_AGE_KEY_CMD).
 * Throws like sops when a configured source is unreadable or no source exists at all.
 */
export function loadAgeIdentities(opts: IdentityOptions = {}, recipient?: string): LoadedIdentities {
  if (opts.identities) return { identities: [...opts.identities], sources: ['explicit identities'] };
  const env = opts.env ?? process.env;
  const identities: string[] = [];
  const sources: string[] = [];

  if (env.SOPS_AGE_KEY !== undefined) {
    identities.push(...parseSource(env.SOPS_AGE_KEY, 'SOPS_AGE_KEY', true));
    sources.push('SOPS_AGE_KEY');
  }
  if (env.SOPS_AGE_KEY_FILE !== undefined) {
    // `SOPS_AGE_KEY_FILE=` (a blank path) would read as "failed to open  : ENOENT", naming nothing.
    if (env.SOPS_AGE_KEY_FILE === '') throw new SopsError('IDENTITY_SOURCE_FAILED', 'SOPS_AGE_KEY_FILE is set but empty (give the path of an age keys file, or unset it)');
    let text: string;
    try {
      text = readFileSync(env.SOPS_AGE_KEY_FILE, 'utf8');
    } catch (e) {
      throw new SopsError('IDENTITY_SOURCE_FAILED', `failed to open SOPS_AGE_KEY_FILE file ${env.SOPS_AGE_KEY_FILE}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    identities.push(...parseSource(text, `SOPS_AGE_KEY_FILE (${env.SOPS_AGE_KEY_FILE})`));
    sources.push(`SOPS_AGE_KEY_FILE (${env.SOPS_AGE_KEY_FILE})`);
  }
  if (env.SOPS_AGE_KEY_CMD !== undefined) {
    let args: string[];
    try {
      args = shlexSplit(env.SOPS_AGE_KEY_CMD);
    } catch {
      throw new SopsError('IDENTITY_SOURCE_FAILED', 'failed to parse the SOPS_AGE_KEY_CMD command');
    }
    if (args.length === 0) throw new SopsError('IDENTITY_SOURCE_FAILED', 'SOPS_AGE_KEY_CMD is empty');
    let out: string;
    try {
      out = execFileSync(args[0], args.slice(1), {
        env: { ...env, ...(recipient ? { SOPS_AGE_RECIPIENT: recipient } : {}) },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch {
      throw new SopsError('IDENTITY_SOURCE_FAILED', `failed to execute the SOPS_AGE_KEY_CMD command (${args[0]})`);
    }
    identities.push(...parseSource(out, 'SOPS_AGE_KEY_CMD'));
    sources.push('SOPS_AGE_KEY_CMD');
  }
  const def = defaultKeysFilePath(opts);
  if (def && existsSync(def)) {
    let text: string;
    try {
      text = readFileSync(def, 'utf8');
    } catch (e) {
      throw new SopsError('IDENTITY_SOURCE_FAILED', `failed to open the age keys file ${def}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    identities.push(...parseSource(text, def));
    sources.push(def);
  } else if (sources.length === 0) {
    throw new SopsError('NO_DECRYPTION_KEY', `no age identities: set SOPS_AGE_KEY_FILE, SOPS_AGE_KEY or SOPS_AGE_KEY_CMD, or create ${def ?? '<config dir>/sops/age/keys.txt'}`);
  }
  return { identities, sources };
}
