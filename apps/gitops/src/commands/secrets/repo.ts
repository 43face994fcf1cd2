/** `gitops secrets` repository group: the declared secrets of every platform (init, check) and the leak guard (scan). */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { envNames } from '@gitops/environments';
import { loadPlatforms, repoRoot } from '@gitops/pipeline';
import { checkSecrets, type CheckResult, formatProblem, initSecrets, keySourcesHint, SCAN_EXCLUDES, scanPaths, scanStaged, SECRET_PLACEHOLDER } from '@gitops/secrets-workflow';
import { ARGV_VALUE_WARNING, readStdin } from '../../secret-input';
import { collect, findingsError, requireEnv, usageError } from '../../args';
import { printJson, progress } from '../../output';
import { commandError, initFailure, plural } from './common';

export function initCommand(): Command {
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
      requireEnv(opts.env);
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
        throw commandError(e); // the SOPS table decides; a bug stays a bug
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
      if (failed.length) {
        const message = `init ${opts.env}: ${plural(failed.length, 'file')} could not be completed`;
        throw initFailure(message, failed);
      }
    });
}

export function checkCommand(): Command {
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
      // Decided before anything is printed: the JSON says the run failed, and why, as the exit code does.
      const nothing = opts.values ? nothingVerified(res) : '';
      if (opts.json) printJson(nothing ? { ...res, ok: false, reason: nothing } : res);
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
      const failures = [errors && plural(errors, 'error'), nothing].filter(Boolean);
      if (failures.length) throw findingsError(`secrets check failed: ${failures.join('; ')}`);
    });
}

/**
 * Why `--values` verified nothing, or '' when it verified a file (or there was none): asked to verify
 * values, a run where no identity opened any file must not pass as if it had.
 */
function nothingVerified(res: CheckResult): string {
  // A key source that does not work is its own error (named once); "give the key" would send the user elsewhere.
  if (res.verified.files || !res.unverified.files || res.keySourceFailed !== undefined) return '';
  return (
    `--values verified nothing: no age identity opened any of the ${plural(res.unverified.files, 'file')} ` +
    `(${keySourcesHint()})`
  );
}

export function scanCommand(): Command {
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
            "TEST keys belong in test-keys/ or a file marked '# TEST KEY'; deliberate test corpora go in SCAN_EXCLUDES (libs/secrets-workflow/src/scan.ts)",
        );
      }
    });
}
