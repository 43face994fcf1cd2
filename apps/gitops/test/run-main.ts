/**
 * Runs the CLI's `main()` in this test process instead of starting `node gitops.mjs` per call: the
 * same code path as the bin after startup, without ~1 s of process start and module loading per
 * call. stdout and stderr are captured, cwd, env and process.exitCode are set for the call and
 * restored after it; calls are serialized (they share those globals). Use a real process (execa on
 * the bin) where the process boundary is the thing under test: exit codes of the bin, EPIPE,
 * signals, stdin, the prebuilt bundle.
 */
import { main } from '../src/main';

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  /** Variables for the call; with `extendEnv: false` the only ones (like execa). */
  env?: Record<string, string | undefined>;
  extendEnv?: boolean;
  /** false: keep the final newline of stdout and stderr (like execa's option; default true strips one). */
  stripFinalNewline?: boolean;
}

let queue: Promise<unknown> = Promise.resolve();

export function runMain(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const run = queue.then(() => runNow(args, opts));
  queue = run.catch(() => undefined);
  return run;
}

async function runNow(args: string[], opts: RunOptions): Promise<RunResult> {
  const saved = { cwd: process.cwd(), env: { ...process.env }, exitCode: process.exitCode, out: process.stdout.write, err: process.stderr.write };
  let stdout = '';
  let stderr = '';
  const capture = (append: (s: string) => void) =>
    function write(chunk: string | Uint8Array, ...rest: unknown[]): boolean {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    };
  try {
    if (opts.extendEnv === false) for (const k of Object.keys(process.env)) delete process.env[k];
    for (const [k, v] of Object.entries(opts.env ?? {})) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (opts.cwd) process.chdir(opts.cwd);
    process.exitCode = undefined;
    process.stdout.write = capture((s) => (stdout += s)) as typeof process.stdout.write;
    process.stderr.write = capture((s) => (stderr += s)) as typeof process.stderr.write;
    const exitCode = await main(['node', 'gitops', ...args]);
    const strip = (s: string) => (opts.stripFinalNewline === false ? s : s.replace(/\n$/, ''));
    return { exitCode, stdout: strip(stdout), stderr: strip(stderr) };
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.chdir(saved.cwd);
    for (const k of Object.keys(process.env)) if (!(k in saved.env)) delete process.env[k];
    Object.assign(process.env, saved.env);
    process.exitCode = saved.exitCode;
  }
}
