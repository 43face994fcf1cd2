/** Exit codes of every command: 0 ok, 1 findings or a failed operation, 2 usage or bad input. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/**
 * Whether this run printed its JSON document (output.ts printJson): a failing `--json` run that
 * printed none gets an error document instead (main's reportError), so its stdout always parses.
 */
export const jsonOutput = { printed: false };
