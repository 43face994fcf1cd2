/** `gitops secrets` keys group: identities (keygen), recipients (config, take-ownership) and data keys (updatekeys, rotate). */
import { dirname, relative } from 'node:path';
import { Command } from 'commander';
import { UserError } from '@gitops/core';
import { makeDirs, MakeDirError } from '@gitops/core/fs';
import { envNames } from '@gitops/environments';
import { loadPlatforms, repoRoot } from '@gitops/pipeline';
import { createFileExclusive, formatKeysFile, generateAgeKey, rotate, sopsExitCode } from '@gitops/secrets';
import { identitiesFromFiles, recipientsFile, sopsConfigStaleMessage, sopsConfigState, takeOwnership, updateAllKeys, updatekeysStaleWarning, writeSopsConfig } from '@gitops/secrets-workflow';
import { collect, findingsError, requireEnv, usageError } from '../../args';
import { printJson, progress } from '../../output';
import { commandError, plural } from './common';

export function keygenCommand(): Command {
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
          makeDirs(dirname(opts.output), { mode: 0o700 }); // not mkdirSync({ recursive }): it loops forever on /proc
          // Whole or absent (temp file + link(2)), mode 0600, and an existing key is never overwritten.
          createFileExclusive(opts.output, text, { mode: 0o600 });
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          // Refusing to overwrite a key is about the path given (2); otherwise the one filesystem rule
          // (fsErrorExitCode, also MakeDirError.exitCode as for report --out): a file in the way 2, any other refusal 1.
          if (code === 'EEXIST') throw usageError(`cannot write ${opts.output}: the file exists (a key is never overwritten)`);
          if (e instanceof MakeDirError) throw new UserError(`cannot write ${opts.output}: ${e.message}`, e.exitCode);
          const exitCode = sopsExitCode(e);
          if (exitCode === undefined) throw e; // not the filesystem's: a bug
          throw new UserError(`cannot write ${opts.output}: ${code ?? 'error'}`, exitCode);
        }
      } else {
        if (process.stdout.isTTY) process.stderr.write('warning: writing the secret key to a terminal (use -o <file> to write it to a 0600 file)\n');
        process.stdout.write(text);
      }
      process.stderr.write(`Public key: ${key.recipient}\n`);
    });
}

export function configCommand(): Command {
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

export function rotateCommand(): Command {
  return new Command('rotate')
    .description('New data key for each file: every value re-encrypted, same recipients')
    .argument('<files...>', 'encrypted files')
    .action(async (files: string[]) => {
      for (const f of files) {
        await rotate(f);
        progress(`rotated ${f}`);
      }
    });
}

export function updatekeysCommand(): Command {
  return new Command('updatekeys')
    .summary('Re-wrap data keys for the recipients in .sops.yaml')
    .description('Re-wrap data keys for the recipients in .sops.yaml (values untouched); default: every SOPS file in the repository')
    .argument('[paths...]', 'files or folders (default: the repository)')
    .option('--dry-run', 'only report what would change')
    .option('--json', 'print the result as JSON')
    .action(async (paths: string[], opts: { dryRun?: boolean; json?: boolean }) => {
      const root = repoRoot();
      // A stale .sops.yaml makes "already current" misleading: recipients.yaml may want more recipients.
      const stale = updatekeysStaleWarning(root);
      if (stale) process.stderr.write(`${stale}\n`);
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

export function takeOwnershipCommand(): Command {
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
      requireEnv(opts.env);
      const root = repoRoot();
      let res;
      try {
        const identities = identitiesFromFiles(opts.identity);
        res = await takeOwnership(root, opts.env, opts.age, { identities, regenerate: opts.regenerate ? await loadPlatforms(root) : undefined });
      } catch (e) {
        throw commandError(e); // the SOPS table decides (a malformed --identity file is 2); a bug stays a bug
      }
      progress(`take-ownership ${opts.env}: recipients ${res.previous.join(', ')} -> ${res.recipients.join(', ')}`);
      progress(`  re-encrypted ${plural(res.files.length, 'file')} with new data keys; rewrote ${relative(root, recipientsFile(root))} and .sops.yaml`);
      if (res.alreadyDone.length) progress(`  ${plural(res.alreadyDone.length, 'file')} already on the new recipients (an earlier run was interrupted; now finished)`);
      for (const r of res.regenerated) progress(`  regenerated ${r.keys.join(', ')} in ${r.file}`);
      if (!opts.regenerate && res.files.length) {
        progress('  note: the current values were readable with the public example key; give them new values (--regenerate for generated keys, gitops secrets set for the others)');
      }
    });
}
