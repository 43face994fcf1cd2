/**
 * Values a person gives `gitops secrets init`: `--set secret.key=value` and dotenv lines
 * `SECRET__KEY=value`, matched against the declared secrets. Malformed input is a UserError (exit 2)
 * that names the option or line, never the value.
 */
import { UserError } from '@gitops/core';
import type { DeclaredSecretFile } from './declared';

export interface GivenValues {
  /** `secret` -> `key` -> value. */
  bySecret: Map<string, Map<string, string>>;
  /** Which --set / env-file names were used (to report those that matched nothing). */
  unused: string[];
}

/** Parse a dotenv text: NAME=value lines, `#` comments, optional `export `, '…' and "…" quoting. */
export function parseDotenv(text: string, source = 'env file'): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/^\s*export\s+/, '');
    if (!line.trim() || line.trim().startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new UserError(`${source} line ${i + 1}: expected NAME=value`, 2);
    const name = line.slice(0, eq).trim();
    let value = line.slice(eq + 1);
    const t = value.trim();
    if (t.startsWith('"') && t.length >= 2 && t.endsWith('"')) {
      value = t.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c));
    } else if (t.startsWith("'") && t.length >= 2 && t.endsWith("'")) {
      value = t.slice(1, -1);
    } else {
      value = t;
    }
    out.push([name, value]);
  });
  return out;
}

/**
 * Resolve `secret.key=value` (--set) and `SECRET__KEY=value` (env file) against the declared
 * secrets; names may contain dots, so every split is tried against the declarations.
 */
export function resolveGivenValues(files: DeclaredSecretFile[], sets: string[], envEntries: Array<[string, string]>): GivenValues {
  const pairs = new Set<string>();
  for (const f of files) for (const k of f.secret.keys) pairs.add(JSON.stringify([f.secret.name, k.name]));
  const bySecret = new Map<string, Map<string, string>>();
  const unused: string[] = [];
  const put = (name: string, sepr: string, value: string, label: string) => {
    let at = name.indexOf(sepr);
    while (at > 0) {
      const secret = name.slice(0, at);
      const key = name.slice(at + sepr.length);
      if (pairs.has(JSON.stringify([secret, key]))) {
        if (!bySecret.has(secret)) bySecret.set(secret, new Map());
        bySecret.get(secret)!.set(key, value);
        return;
      }
      at = name.indexOf(sepr, at + 1);
    }
    unused.push(label);
  };
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UserError(`--set ${s.slice(0, Math.max(eq, 0)) || '(empty)'}: expected secret.key=value`, 2);
    put(s.slice(0, eq), '.', s.slice(eq + 1), `--set ${s.slice(0, eq)}`);
  }
  for (const [name, value] of envEntries) put(name, '__', value, `env file ${name}`);
  return { bySecret, unused };
}
