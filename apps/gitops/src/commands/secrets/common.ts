/**
 * What the `secrets` subcommands share: counted words, and how a workflow's error becomes the
 * command's. (A SopsError that reaches main.ts needs no wrapper: it prints the message with the exit
 * code of the library's one table, SOPS_ERROR_CLASSES, read from the error's `exitCode`.)
 */
import { UserError } from '@gitops/core';
import { sopsExitCode } from '@gitops/secrets';
import { findingsError, usageError } from '../../args';

/**
 * The error a command throws for `e` from a secrets workflow (init, take-ownership): a UserError as
 * it is; a SopsError or a Node system error as a UserError with the exit code the SOPS table and
 * its one filesystem rule give (a held lock 1, a missing file 2, a file in the way 2, any other
 * refusal 1); anything else is a bug and comes back unchanged, so main.ts reports it as an
 * internal error with its source location instead of calling it bad input.
 */
export function commandError(e: unknown): unknown {
  if (e instanceof UserError) return e;
  const exitCode = sopsExitCode(e);
  return exitCode === undefined ? e : new UserError((e as Error).message, exitCode);
}

/**
 * The error of an init whose files did not all get written: bad input (2) when every failure is
 * (a file in the way, an unknown key), else a failure (1). One rule for `secrets init` and
 * `import compose`, which writes the imported platform's secrets with the same init.
 */
export function initFailure(message: string, failed: ReadonlyArray<{ exitCode?: number }>): UserError {
  return failed.length && failed.every((f) => f.exitCode === 2) ? usageError(message) : findingsError(message);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
