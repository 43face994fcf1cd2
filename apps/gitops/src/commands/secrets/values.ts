/** `gitops secrets` values group: one encrypted file's values (set, get, view, edit). */
import { Command } from 'commander';
import { getValue, decryptFile, isEncryptedPath, parseValuePath, readMetadata, setValue } from '@gitops/secrets';
import { EditorFailed, EditRefused, editInEditor, editTempRoot } from '@gitops/secrets-workflow';
import { secretValue } from '../../secret-input';
import { findingsError, usageError } from '../../args';
import { progress } from '../../output';

type ValuePath = Array<string | number>;
const startsWith = (path: ValuePath, prefix: ValuePath) => prefix.length <= path.length && prefix.every((c, i) => path[i] === c);

/**
 * Where `key` lives in a Secret file: `stringData.<key>`, or `data.<key>` (base64) when the file
 * keeps it there. A key starting with `[` is a sops path (`["a"]["b"]`). Read without a key from
 * the file's SOPS metadata (a missing or non-SOPS file is reported by the library, like every
 * other command); only the first document counts, as in `setValue`/`getValue`.
 */
async function keyPath(file: string, key: string) {
  const md = await readMetadata(file);
  const leaves = md.paths.filter((l) => l.document === 0).map((l) => l.path);
  const has = (p: ValuePath) => leaves.some((l) => startsWith(l, p));
  const base = { rule: md.rule };
  if (key.startsWith('[')) {
    const path = parseValuePath(key);
    return { ...base, path, base64: false, exists: has(path) };
  }
  if (has(['data', key])) return { ...base, path: ['data', key], base64: true, exists: true };
  return { ...base, path: ['stringData', key], base64: false, exists: has(['stringData', key]) };
}

export function setCommand(): Command {
  return new Command('set')
    .description('Set one key of an encrypted Secret file (only that value gets new ciphertext); the value comes from stdin or a hidden prompt')
    .argument('<file>', 'encrypted file')
    .argument('<key>', 'key in stringData/data, or a sops path like \'["stringData"]["x"]\'')
    .argument('[-]', '"-" (optional): read the value from stdin')
    .option('--value <value>', 'take the value from the command line (explicit opt-in: it lands in shell history and npm logs)')
    .option('--add', 'allow adding a key (or sops path) the file does not have yet')
    .option('--raw', 'stdin: keep it exactly (default: one trailing newline is removed)')
    .option('--allow-empty', 'accept an empty value (default: empty stdin, prompt or --value is refused, so a failed command feeding the pipe cannot blank a secret)')
    .addHelpText(
      'after',
      `
The value is read from standard input when it is piped, else asked for with a hidden prompt. An empty
value is refused (exit 2, nothing written) unless --allow-empty is given. Only keys under data or
stringData can be set: those are the values the file keeps encrypted.
Examples:
  gitops secrets set environments/prod/cptm8/secrets/db.enc.yaml password            # prompts
  pass show prod/db | gitops secrets set environments/prod/cptm8/secrets/db.enc.yaml password
`,
    )
    .action(async (file: string, key: string, dash: string | undefined, opts: { value?: string; add?: boolean; raw?: boolean; allowEmpty?: boolean }) => {
      if (dash !== undefined && dash !== '-') {
        throw usageError(
          'refusing a secret value as a command-line argument: it is in your shell history now (and in ~/.npm/_logs with npx), so treat it as exposed. ' +
            'Pipe the value on stdin, answer the prompt, or pass --value <value> to accept the exposure',
        );
      }
      if (dash === '-' && opts.value !== undefined) throw usageError('give the value either on stdin ("-") or with --value, not both');
      const kp = await keyPath(file, key);
      // The file's own rule (from .sops.yaml at creation: encrypted_regex ^(data|stringData)$) decides what is encrypted.
      if (!isEncryptedPath(kp.rule, kp.path.filter((c): c is string => typeof c === 'string'))) {
        throw usageError(
          `${file}: ${key} is outside the encrypted part of the file (${kp.rule.kind} "${kp.rule.value}"): a value set there would be stored in plaintext. ` +
            'Secret values belong under data or stringData; edit other fields with gitops secrets edit',
        );
      }
      if (!kp.exists && !opts.add) throw usageError(`${file}: has no key "${key}" (check the name, or pass --add to add it)`);
      const v = await secretValue({ value: opts.value, raw: opts.raw, allowEmpty: opts.allowEmpty, label: `${key} in ${file}` });
      const r = await setValue(file, kp.path, kp.base64 ? Buffer.from(v, 'utf8').toString('base64') : v);
      progress(r.changed ? `set ${key} in ${file}` : `${key} in ${file} already has that value`);
    });
}

export function getCommand(): Command {
  return new Command('get')
    .description('Print the decrypted value of one key to stdout')
    .argument('<file>', 'encrypted file')
    .argument('<key>', 'key in stringData/data, or a sops path like \'["stringData"]["x"]\'')
    .action(async (file: string, key: string) => {
      const kp = await keyPath(file, key);
      if (!kp.exists) throw usageError(`${file}: has no key "${key}"`);
      const v = await getValue(file, kp.path);
      const text = kp.base64 && typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : typeof v === 'string' ? v : JSON.stringify(v);
      process.stdout.write(text + (process.stdout.isTTY ? '\n' : ''));
    });
}

export function viewCommand(): Command {
  return new Command('view')
    .description('Decrypt any SOPS file to stdout in its own format (like sops -d)')
    .argument('<file>', 'encrypted file')
    .action(async (file: string) => {
      process.stdout.write(await decryptFile(file));
    });
}

export function editCommand(): Command {
  return new Command('edit')
    .description('Edit an encrypted file in $VISUAL/$EDITOR (unchanged values keep their ciphertext)')
    .argument('<file>', 'encrypted file')
    .addHelpText(
      'after',
      `
The decrypted copy is a 0600 file in a 0700 folder under ${editTempRoot().dir}, removed when the editor exits and on
SIGINT/SIGTERM/SIGHUP. A SIGKILL leaves it (in RAM when /dev/shm exists); the next edit removes it.
`,
    )
    .action(async (file: string) => {
      const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
      let r;
      try {
        r = await editInEditor(file, editor);
      } catch (e) {
        if (e instanceof EditorFailed) throw findingsError(e.message);
        if (e instanceof EditRefused) throw usageError(e.message);
        throw e;
      }
      progress(r.changed ? `saved ${file}` : `${file}: no changes`);
    });
}
