/** `gitops secrets` values group: one encrypted file's values (set, get, view, edit). */
import { Command } from 'commander';
import { getValue, decryptFile, parseValuePath, setValue } from '@gitops/secrets';
import { EditorFailed, editInEditor, editTempRoot, readYamlFile } from '@gitops/secrets-workflow';
import { secretValue } from '../../secret-input';
import { findingsError, usageError } from '../../args';
import { progress } from '../../output';
import { sopsErrors } from './common';

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Where `key` lives in a Secret file: `stringData.<key>`, or `data.<key>` (base64) when the file
 * keeps it there. A key starting with `[` is a sops path (`["a"]["b"]`).
 */
function keyPath(file: string, key: string): { path: Array<string | number>; base64: boolean; exists: boolean } {
  if (key.startsWith('[')) return { path: parseValuePath(key), base64: false, exists: true };
  const doc = readYamlFile(file);
  if (doc === undefined) throw usageError(`${file}: cannot read the file as YAML`);
  if (isObj(doc) && isObj(doc.data) && key in doc.data) return { path: ['data', key], base64: true, exists: true };
  const exists = isObj(doc) && isObj(doc.stringData) && key in doc.stringData;
  return { path: ['stringData', key], base64: false, exists };
}

export function setCommand(): Command {
  return new Command('set')
    .description('Set one key of an encrypted Secret file (only that value gets new ciphertext); the value comes from stdin or a hidden prompt')
    .argument('<file>', 'encrypted file')
    .argument('<key>', 'key in stringData/data, or a sops path like \'["stringData"]["x"]\'')
    .argument('[-]', '"-" (optional): read the value from stdin')
    .option('--value <value>', 'take the value from the command line (explicit opt-in: it lands in shell history and npm logs)')
    .option('--add', 'allow adding a key the file does not have yet')
    .option('--raw', 'stdin: keep it exactly (default: one trailing newline is removed)')
    .addHelpText(
      'after',
      `
The value is read from standard input when it is piped, else asked for with a hidden prompt.
Examples:
  gitops secrets set environments/prod/cptm8/secrets/db.enc.yaml password            # prompts
  pass show prod/db | gitops secrets set environments/prod/cptm8/secrets/db.enc.yaml password
`,
    )
    .action(sopsErrors(async (file: string, key: string, dash: string | undefined, opts: { value?: string; add?: boolean; raw?: boolean }) => {
      if (dash !== undefined && dash !== '-') {
        throw usageError(
          'refusing a secret value as a command-line argument: it is in your shell history now (and in ~/.npm/_logs with npx), so treat it as exposed. ' +
            'Pipe the value on stdin, answer the prompt, or pass --value <value> to accept the exposure',
        );
      }
      if (dash === '-' && opts.value !== undefined) throw usageError('give the value either on stdin ("-") or with --value, not both');
      const kp = keyPath(file, key);
      if (!kp.exists && !opts.add) throw usageError(`${file}: has no key "${key}" (check the name, or pass --add to add it)`);
      const v = await secretValue({ value: opts.value, raw: opts.raw, label: `${key} in ${file}` });
      const r = await setValue(file, kp.path, kp.base64 ? Buffer.from(v, 'utf8').toString('base64') : v);
      progress(r.changed ? `set ${key} in ${file}` : `${key} in ${file} already has that value`);
    }));
}

export function getCommand(): Command {
  return new Command('get')
    .description('Print the decrypted value of one key to stdout')
    .argument('<file>', 'encrypted file')
    .argument('<key>', 'key in stringData/data, or a sops path like \'["stringData"]["x"]\'')
    .action(sopsErrors(async (file: string, key: string) => {
      const kp = keyPath(file, key);
      if (!kp.exists) throw usageError(`${file}: has no key "${key}"`);
      const v = await getValue(file, kp.path);
      const text = kp.base64 && typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : typeof v === 'string' ? v : JSON.stringify(v);
      process.stdout.write(text + (process.stdout.isTTY ? '\n' : ''));
    }));
}

export function viewCommand(): Command {
  return new Command('view')
    .description('Decrypt any SOPS file to stdout in its own format (like sops -d)')
    .argument('<file>', 'encrypted file')
    .action(sopsErrors(async (file: string) => {
      process.stdout.write(await decryptFile(file));
    }));
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
    .action(sopsErrors(async (file: string) => {
      const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
      let r;
      try {
        r = await editInEditor(file, editor);
      } catch (e) {
        if (e instanceof EditorFailed) throw findingsError(e.message);
        throw e;
      }
      progress(r.changed ? `saved ${file}` : `${file}: no changes`);
    }));
}
