import { Command, CommanderError } from 'commander';
import { SpecError, UserError } from '@gitops/core';
import { generateCommand } from './commands/generate';
import { renderCommand } from './commands/render';
import { validateCommand } from './commands/validate';
import { allCommand } from './commands/all';
import { benchCommand } from './commands/bench';
import { diffCommand } from './commands/diff';

/** Exit codes: 0 ok, 1 findings/failure, 2 usage or bad input. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('gitops')
    .description('Generate, render and validate the Kustomize trees and Argo CD apps of every platform')
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(generateCommand());
  program.addCommand(renderCommand());
  program.addCommand(validateCommand());
  program.addCommand(allCommand());
  program.addCommand(benchCommand());
  program.addCommand(diffCommand());
  for (const extra of await optionalCommands()) program.addCommand(extra);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof SpecError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    if (err instanceof UserError) {
      process.stderr.write(`error: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`error: ${(err as Error).message}\n`);
    if (process.env.GITOPS_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return 1;
  }
}

/** Command groups owned by other parts of the repo (secrets, argocd), present once they land. */
async function optionalCommands(): Promise<Command[]> {
  const out: Command[] = [];
  for (const mod of ['./commands/secrets', './commands/argocd']) {
    try {
      const m = (await import(mod)) as { command?: () => Command };
      if (m.command) out.push(m.command());
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    }
  }
  return out;
}
