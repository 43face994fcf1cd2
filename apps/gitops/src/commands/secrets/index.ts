/**
 * `gitops secrets …`: SOPS/age secrets of every platform and environment (see tools/secrets/README.md
 * for the format, libs/secrets-workflow/README.md for the workflow). One file per subcommand group:
 * keys.ts (identities, recipients, data keys), values.ts (one file's values), repo.ts (the declared
 * secrets of the repository). Values are only ever printed by `get` and `view` (to stdout, because
 * the user asked); everything else names files, platforms, environments, secrets and keys.
 */
import { Command } from 'commander';
import { configCommand, keygenCommand, rotateCommand, takeOwnershipCommand, updatekeysCommand } from './keys';
import { checkCommand, initCommand, scanCommand } from './repo';
import { editCommand, getCommand, setCommand, viewCommand } from './values';

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
