/** Human progress goes to stderr, results to stdout, so `--json` output stays parseable. */
export const progress = (msg: string): void => {
  if (!process.env.GITOPS_QUIET) process.stderr.write(`${msg}\n`);
};

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function elapsed(start: bigint): string {
  return `${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(0)} ms`;
}
