/**
 * How a secret value reaches the CLI without landing in shell history, `ps` output or npm's debug
 * log (`npx` writes its whole command line to ~/.npm/_logs): standard input when it is piped, a
 * prompt with hidden input on a terminal. A value given as an argument is an explicit opt-in
 * (`--value`) and draws a warning.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '@gitops/core';

export const ARGV_VALUE_WARNING =
  'warning: a secret value given on the command line is visible in shell history, in the process list and in ' +
  "npm's debug log (~/.npm/_logs) when run through npx; treat it as exposed. Prefer stdin or the prompt.";

/** Standard input, whole. */
export function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    throw new UserError('cannot read standard input', 2);
  }
}

/** One line typed on the terminal with echo off (Ctrl-C aborts with exit 130). */
export async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  // Echo off before the question appears: what is typed right after it must never be shown.
  stdin.setRawMode(true);
  stdin.resume();
  process.stderr.write(question);
  let value = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      const onData = (buf: Buffer) => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') {
            stdin.removeListener('data', onData);
            return resolve(value);
          }
          if (ch === '\u0003') {
            stdin.removeListener('data', onData);
            return reject(new UserError('aborted', 130));
          }
          if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
          else value += ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}

/**
 * The value for `gitops secrets set`: `--value` (warned), else stdin when piped (one trailing
 * newline dropped unless `raw`), else a hidden prompt. An empty value is refused from every source
 * unless `allowEmpty`: empty stdin is what a failed `pass show … |` feeds, and it would blank the secret.
 */
export async function secretValue(opts: { value?: string; raw?: boolean; allowEmpty?: boolean; label: string }): Promise<string> {
  const v = await rawSecretValue(opts);
  if (v === '' && !opts.allowEmpty) {
    const what = opts.value !== undefined ? '--value is empty' : !process.stdin.isTTY ? 'standard input is empty' : 'no value entered';
    throw new UserError(`${what}; nothing changed (pass --allow-empty to set an empty value)`, 2);
  }
  return v;
}

async function rawSecretValue(opts: { value?: string; raw?: boolean; label: string }): Promise<string> {
  if (opts.value !== undefined) {
    process.stderr.write(ARGV_VALUE_WARNING + '\n');
    return opts.value;
  }
  if (!process.stdin.isTTY) {
    const v = readStdin();
    return opts.raw ? v : v.replace(/\r?\n$/, '');
  }
  return promptHidden(`value for ${opts.label} (input hidden): `);
}
