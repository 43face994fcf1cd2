import { jsonOutput } from './exit';
/** Human progress goes to stderr, results to stdout, so `--json` output stays parseable. */
export const progress = (msg: string): void => {
  // On a terminal, first clear a counter line (see counter) that is being rewritten in place.
  if (!process.env.GITOPS_QUIET) process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}${msg}\n`);
};

export function printJson(value: unknown): void {
  jsonOutput.printed = true;
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function elapsed(start: bigint): string {
  return `${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(0)} ms`;
}

/**
 * Progress of a counted step (`render 12/39 environments/prod/cptm8`) on stderr while it runs: one
 * line rewritten in place on a terminal; in a log (CI) a line at each quarter, so logs stay short.
 */
export function counter(label: string): (done: number, total: number, detail: string) => void {
  const tty = Boolean(process.stderr.isTTY);
  return (done, total, detail) => {
    if (process.env.GITOPS_QUIET) return;
    if (tty) {
      process.stderr.write(done < total ? `\r\x1b[K${label} ${done}/${total} ${detail}` : '\r\x1b[K');
    } else if (done === total || done % Math.max(1, Math.ceil(total / 4)) === 0) {
      process.stderr.write(`${label} ${done}/${total} ${detail}\n`);
    }
  };
}
