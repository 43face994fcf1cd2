/**
 * The CLI's exit-code convention and argument checks shared by commands. Every command reports
 * problems by throwing: `usageError` (bad input: unknown flag/platform/environment, invalid spec,
 * malformed value → exit 2) or `findingsError` (the input was fine, the check found problems → exit 1).
 * `main` maps commander's own errors (unknown option, missing argument, invalid choice) to 2 as well.
 */
import { UserError } from '@gitops/core';
import { envNames } from '@gitops/environments';

import { EXIT } from './exit';

export { EXIT };

/** Bad input (exit 2): say which value and what is allowed. */
export const usageError = (message: string): UserError => new UserError(message, EXIT.usage);

/** Findings or a failed operation (exit 1). */
export const findingsError = (message: string): UserError => new UserError(message, EXIT.findings);

export function requireEnv(env: string): string {
  if (!envNames.includes(env as never)) throw usageError(`unknown environment "${env}" (known: ${envNames.join(', ')})`);
  return env;
}

/** Commander collector for a repeatable single-value option (`--x a --x b`): never swallows the arguments after it, as a variadic `<x...>` would. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
