/**
 * `gitops secrets …`: SOPS/age secrets of every platform and environment (see tools/secrets/README.md).
 * Values are only ever printed by `get` and `view` (to stdout, because the user asked); everything
 * else names files, platforms, environments, secrets and keys.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Command, Option } from 'commander';
import { UserError } from '@gitops/core';
import { envNames } from '@gitops/environments';
import {
  checkSecrets,
  EditorFailed,
  editInEditor,
  editTempRoot,
  formatProblem,
  identitiesFromFiles,
  initSecrets,
  loadPlatforms,
  readYamlFile,
  repoRoot,
  SCAN_EXCLUDES,
  scanPaths,
  scanStaged,
  SECRET_PLACEHOLDER,
  sopsConfigStaleMessage,
  sopsConfigState,
  takeOwnership,
  updateAllKeys,
  writeSopsConfig,
} from '@gitops/pipeline';
import { createFileExclusive, decryptFile, formatKeysFile, generateAgeKey, getValue, parseValuePath, rotate, setValue, SopsError } from '@gitops/secrets';
import { ARGV_VALUE_WARNING, readStdin, secretValue } from '../secret-input';
import { findingsError, requireEnv, usageError } from '../args';
import { printJson, progress } from '../output';

const collect = (v: string, prev: string[]) => [...prev, v];

function checkEnv(env: string): void {
  requireEnv(env);
}

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

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function keygenCommand(): Command {
  return new Command('keygen')
    .description('Create a new age identity (keys file) and print its public recipient to stderr')
    .option('-o, --output <file>', 'write the keys file here with mode 0600, never over an existing file (like age-keygen -o)')
    .option('--post-quantum', 'hybrid ML-KEM-768 + X25519 key (age1pq1…, needs age >= 1.3 / sops >= 3.11 to use)')
    .addHelpText('after', '\nExample:\n  gitops secrets keygen -o ~/.config/sops/age/keys.txt   # keep it safe, never commit it\n')
    .action(async (opts: { output?: string; postQuantum?: boolean }) => {
      const key = await generateAgeKey({ postQuantum: !!opts.postQuantum });
      const text = formatKeysFile(key);
      if (opts.output && opts.output !== '-') {
        try {
          mkdirSync(dirname(opts.output), { recursive: true, mode: 0o700 });
          // Whole or absent (temp file + link(2)), mode 0600, and an existing key is never overwritten.
          createFileExclusive(opts.output, text, { mode: 0o600 });
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          throw usageError(`cannot write ${opts.output}: ${code === 'EEXIST' ? 'the file exists (a key is never overwritten)' : code ?? 'error'}`);
        }
      } else {
        if (process.stdout.isTTY) process.stderr.write('warning: writing the secret key to a terminal (use -o <file> to write it to a 0600 file)\n');
        process.stdout.write(text);
      }
      process.stderr.write(`Public key: ${key.recipient}\n`);
    });
}

function configCommand(): Command {
  return new Command('config')
    .summary('Write .sops.yaml from the environment recipients')
    .description('Write .sops.yaml (one creation rule per environment) from libs/environments/recipients.yaml')
    .option('--check', 'only check that .sops.yaml is current (exit 1 if not)')
    .action(async (opts: { check?: boolean }) => {
      const root = repoRoot();
      const state = sopsConfigState(root);
      if (opts.check) {
        if (state.actual === undefined) throw findingsError('.sops.yaml is missing (run: gitops secrets config)');
        if (!state.upToDate) throw findingsError(sopsConfigStaleMessage(root));
        progress('.sops.yaml is current');
        return;
      }
      progress((await writeSopsConfig(root)) ? 'wrote .sops.yaml' : '.sops.yaml is current');
    });
}

function initCommand(): Command {
  return new Command('init')
    .summary('Create missing secret files of an environment (never overwrites)')
    .description(
      'Create every declared secret file that is missing for an environment (never overwrites a file); ' +
        'add declared keys missing from existing files (needs a key that opens them)',
    )
    .argument('[platforms...]', 'platforms (default: all)')
    .requiredOption('--env <env>', `environment (${envNames.join(', ')})`)
    .option('--set <secret.key=value>', 'value of a key that is not generated (repeatable; visible in shell history: prefer --from-env-file -)', collect, [])
    .option('--from-env-file <file>', 'values from a dotenv file with SECRET__KEY=value lines ("-" = stdin)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Values: keys with \`generate\` get fresh random values; other keys take --set / --from-env-file values,
else the placeholder ${SECRET_PLACEHOLDER} (reported; replace it with \`gitops secrets set <file> <key> -\`).
Example:
  gitops secrets init --env dev
  printf 'aws-ecr-credentials__aws-access-key-id=AKIA...\\n' | gitops secrets init --env prod cptm8 --from-env-file -
`,
    )
    .action(async (names: string[], opts: { env: string; set: string[]; fromEnvFile?: string; json?: boolean }) => {
      checkEnv(opts.env);
      if (opts.set.length) process.stderr.write(ARGV_VALUE_WARNING.replace('a secret value', '--set') + '\n');
      const root = repoRoot();
      const platforms = await loadPlatforms(root, names);
      let envFileText: string | undefined;
      if (opts.fromEnvFile === '-') envFileText = readStdin();
      else if (opts.fromEnvFile) {
        try {
          envFileText = readFileSync(opts.fromEnvFile, 'utf8');
        } catch (e) {
          throw usageError(`cannot read ${opts.fromEnvFile}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
        }
      }
      let res;
      try {
        res = await initSecrets(root, platforms, opts.env, { sets: opts.set, envFileText });
      } catch (e) {
        throw usageError((e as Error).message);
      }
      if (opts.json) printJson(res);
      if (res.sopsConfigUpdated) progress('wrote .sops.yaml');
      for (const f of res.files) {
        const parts = [
          f.generated.length && `generated ${f.generated.join(', ')}`,
          f.given.length && `given ${f.given.join(', ')}`,
          f.placeholders.length && `${SECRET_PLACEHOLDER} ${f.placeholders.join(', ')}`,
        ].filter(Boolean);
        if (f.action === 'created') progress(`created ${f.file} (${parts.join('; ') || 'no keys'})${f.replacedEmpty ? ' in place of an empty file' : ''}`);
        if (f.action === 'keys-added') progress(`added keys to ${f.file} (${parts.join('; ')})`);
        if (f.undeclared.length) progress(`note: ${f.file} has keys the platform no longer declares: ${f.undeclared.join(', ')} (left as they are)`);
        if (f.ignored.length) progress(`note: ${f.file} already has ${f.ignored.join(', ')}: given value not applied (use gitops secrets set)`);
        if (f.error) progress(`error: ${f.error}`);
      }
      const created = res.files.filter((f) => f.action === 'created').length;
      const updated = res.files.filter((f) => f.action === 'keys-added').length;
      const failed = res.files.filter((f) => f.error);
      const unchanged = res.files.filter((f) => f.action === 'unchanged').length;
      const need = res.files.filter((f) => f.placeholders.length);
      progress(
        `init ${opts.env}: ${plural(created, 'file')} created, ${plural(updated, 'file')} given missing keys, ${unchanged} unchanged` +
          (failed.length ? `, ${failed.length} failed` : ''),
      );
      if (need.length) {
        progress(`${plural(need.length, 'file')} need values (placeholder ${SECRET_PLACEHOLDER}):`);
        for (const f of need) progress(`  ${f.platform} ${f.env} secret ${f.secret}: ${f.placeholders.join(', ')}  [gitops secrets set ${f.file} <key> -]`);
      }
      if (failed.length) throw findingsError(`init ${opts.env}: ${plural(failed.length, 'file')} could not be completed`);
    });
}

function setCommand(): Command {
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

function getCommand(): Command {
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

function viewCommand(): Command {
  return new Command('view')
    .description('Decrypt any SOPS file to stdout in its own format (like sops -d)')
    .argument('<file>', 'encrypted file')
    .action(sopsErrors(async (file: string) => {
      process.stdout.write(await decryptFile(file));
    }));
}

function editCommand(): Command {
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

function rotateCommand(): Command {
  return new Command('rotate')
    .description('New data key for each file: every value re-encrypted, same recipients')
    .argument('<files...>', 'encrypted files')
    .action(sopsErrors(async (files: string[]) => {
      for (const f of files) {
        await rotate(f);
        progress(`rotated ${f}`);
      }
    }));
}

function updatekeysCommand(): Command {
  return new Command('updatekeys')
    .summary('Re-wrap data keys for the recipients in .sops.yaml')
    .description('Re-wrap data keys for the recipients in .sops.yaml (values untouched); default: every SOPS file in the repository')
    .argument('[paths...]', 'files or folders (default: the repository)')
    .option('--dry-run', 'only report what would change')
    .option('--json', 'print the result as JSON')
    .action(async (paths: string[], opts: { dryRun?: boolean; json?: boolean }) => {
      const root = repoRoot();
      const res = await updateAllKeys(root, paths, { dryRun: opts.dryRun });
      if (opts.json) printJson(res);
      else {
        for (const r of res) {
          if (r.error) process.stdout.write(`error ${r.file}: ${r.error}\n`);
          else if (r.changed) {
            const what = [r.added.length && `added ${r.added.join(', ')}`, r.removed.length && `removed ${r.removed.join(', ')}`].filter(Boolean).join('; ');
            process.stdout.write(`${opts.dryRun ? 'would update' : 'updated'} ${r.file}: ${what}\n`);
          }
        }
      }
      const changed = res.filter((r) => r.changed).length;
      const errors = res.filter((r) => r.error).length;
      progress(`updatekeys: ${plural(res.length, 'file')}, ${changed} ${opts.dryRun ? 'to update' : 'updated'}, ${res.length - changed - errors} already current${errors ? `, ${errors} failed` : ''}`);
      if (errors) throw findingsError(`updatekeys: ${plural(errors, 'file')} failed`);
    });
}

function checkCommand(): Command {
  return new Command('check')
    .summary('Every declared secret exists with its keys, valid SOPS, right recipients (no key needed)')
    .description(
      'Without any key: every declared secret exists for every environment with exactly the declared keys, ' +
        'every file is valid SOPS with a MAC, recipients match .sops.yaml',
    )
    .argument('[platforms...]', 'platforms (default: all)')
    .option('--values', 'also decrypt (needs a key): verify MAC and values (a file that does not decrypt is an error) and warn about placeholders')
    .option('--json', 'print the result as JSON')
    .action(async (names: string[], opts: { values?: boolean; json?: boolean }) => {
      const root = repoRoot();
      const platforms = await loadPlatforms(root, names);
      const res = await checkSecrets(root, platforms, { values: opts.values });
      if (opts.json) printJson(res);
      else for (const p of res.problems) process.stdout.write(formatProblem(p) + '\n');
      const errors = res.problems.filter((p) => p.severity === 'error').length;
      const warnings = res.problems.length - errors;
      progress(`secrets check: ${plural(platforms.length, 'platform')}, ${plural(res.files, 'file')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
      if (!opts.values) {
        progress(
          `not verified (no key used): the MAC and ${plural(res.unverified.values, 'encrypted value')} of ${plural(res.unverified.files, 'file')}; ` +
            'checked: structure, keys, recipients, age entries. Verify with a key: gitops secrets check --values',
        );
      } else {
        progress(
          `verified MAC and values: ${plural(res.verified.files, 'file')} (${plural(res.verified.values, 'value')})` +
            (res.unverified.files ? `; NOT verified: ${plural(res.unverified.files, 'file')} (${plural(res.unverified.values, 'value')}), see above` : ''),
        );
      }
      if (errors) throw findingsError(`secrets check failed: ${plural(errors, 'error')}`);
    });
}

function scanCommand(): Command {
  return new Command('scan')
    .summary('Leak guard for plaintext secrets (work tree, or --staged for the pre-commit hook)')
    .description('Leak guard: plaintext Secrets (YAML/JSON/List/broken), fake ENC[], kustomize literals and files, kubeconfig and docker credentials, dotenv and literal secret assignments, private keys and tokens (secretlint), age keys outside test-keys/')
    .argument('[paths...]', 'files or folders (default: the repository)')
    .option('--staged', 'scan the git index (what would be committed) instead of the work tree')
    .option('--exclude <prefix>', 'also skip this repository-relative path prefix (repeatable)', collect, [])
    .addOption(new Option('--no-default-excludes', `do not skip the deliberate test corpora (${SCAN_EXCLUDES.join(', ')})`))
    .option('--json', 'print the findings as JSON')
    .action(async (paths: string[], opts: { staged?: boolean; exclude: string[]; defaultExcludes: boolean; json?: boolean }) => {
      const root = repoRoot();
      const excludes = [...(opts.defaultExcludes ? SCAN_EXCLUDES : []), ...opts.exclude];
      if (opts.staged && paths.length) throw usageError('--staged scans the git index; give no paths');
      const findings = opts.staged ? await scanStaged(root, excludes) : await scanPaths(root, paths, excludes);
      if (opts.json) printJson(findings);
      else for (const f of findings) process.stdout.write(`${f.file}:${f.line}: ${f.kind}: ${f.detail}\n`);
      progress(`secrets scan${opts.staged ? ' (staged)' : ''}: ${plural(findings.length, 'finding')}`);
      if (findings.length) {
        throw findingsError(
          `possible plaintext secret${findings.length === 1 ? '' : 's'}: encrypt with gitops secrets (init/set/edit); ` +
            "TEST keys belong in test-keys/ or a file marked '# TEST KEY'; deliberate test corpora go in SCAN_EXCLUDES (libs/pipeline/src/secrets-ops.ts)",
        );
      }
    });
}

function takeOwnershipCommand(): Command {
  return new Command('take-ownership')
    .summary('Re-encrypt an environment to your own age recipients, dropping the example key')
    .description(
      "Make your age recipients the only ones of an environment: rewrites its entry in libs/environments/recipients.yaml " +
        '(dropping the public example recipient), regenerates .sops.yaml and re-encrypts every file of the environment',
    )
    .requiredOption('--env <env>', `environment (${envNames.join(', ')})`)
    .requiredOption('--age <recipient>', 'age recipient (age1…) to encrypt to (repeatable)', collect, [])
    .option('--identity <file>', 'keys file that opens the current files (repeatable; default: SOPS_AGE_KEY_FILE etc. plus test-keys/example-<env>.agekey)', collect, [])
    .option('--regenerate', 'also give every generated key a fresh value (the old ones were readable with the public example key)')
    .addHelpText('after', '\nExample:\n  gitops secrets keygen -o ~/.config/sops/age/keys.txt\n  gitops secrets take-ownership --env prod --age age1… --regenerate\n')
    .action(async (opts: { env: string; age: string[]; identity: string[]; regenerate?: boolean }) => {
      checkEnv(opts.env);
      const root = repoRoot();
      let res;
      try {
        const identities = identitiesFromFiles(opts.identity);
        res = await takeOwnership(root, opts.env, opts.age, { identities, regenerate: opts.regenerate ? await loadPlatforms(root) : undefined });
      } catch (e) {
        if (e instanceof UserError) throw e;
        throw findingsError((e as Error).message);
      }
      progress(`take-ownership ${opts.env}: recipients ${res.previous.join(', ')} -> ${res.recipients.join(', ')}`);
      progress(`  re-encrypted ${plural(res.files.length, 'file')} with new data keys; rewrote ${relative(root, join(root, 'libs/environments/recipients.yaml'))} and .sops.yaml`);
      if (res.alreadyDone.length) progress(`  ${plural(res.alreadyDone.length, 'file')} already on the new recipients (an earlier run was interrupted; now finished)`);
      for (const r of res.regenerated) progress(`  regenerated ${r.keys.join(', ')} in ${r.file}`);
      if (!opts.regenerate && res.files.length) {
        progress('  note: the current values were readable with the public example key; give them new values (--regenerate for generated keys, gitops secrets set for the others)');
      }
    });
}

/**
 * Exit codes for the library's errors: a file that is not SOPS, cannot be read or is given a bad
 * path is bad input (2); a file that does not decrypt, a missing key or a held lock is a failure (1).
 */
function sopsErrors<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (e) {
      if (!(e instanceof SopsError)) throw e;
      const input = ['METADATA_NOT_FOUND', 'INVALID_METADATA', 'INVALID_FORMAT', 'ALREADY_ENCRYPTED', 'UNSUPPORTED', 'CONFIG'].includes(e.code);
      throw input ? usageError(e.message) : findingsError(e.message);
    }
  };
}

export function command(): Command {
  const cmd = new Command('secrets')
    .description('SOPS/age secrets of every platform and environment: create, edit, check, scan, re-key')
    .showHelpAfterError()
    .exitOverride();
  for (const c of [
    keygenCommand(),
    configCommand(),
    initCommand(),
    setCommand(),
    getCommand(),
    viewCommand(),
    editCommand(),
    rotateCommand(),
    updatekeysCommand(),
    checkCommand(),
    scanCommand(),
    takeOwnershipCommand(),
  ]) {
    cmd.addCommand(c.showHelpAfterError().exitOverride());
  }
  return cmd;
}
