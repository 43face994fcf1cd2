/** Wall-clock timing of real processes for the bench: medians of a few runs, progress on stderr. */
import { execa, type Options } from 'execa';
import { progress } from '../output';

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Runs `cmd args` once; its wall time in ms. A non-zero exit is reported on stderr with the output's
 * tail (the time still counts: a bench prints, it does not judge), a command that cannot start throws.
 */
export async function timeOnce(cmd: string, args: string[], opts: Options = {}): Promise<number> {
  const t = process.hrtime.bigint();
  const res = await execa(cmd, args, { reject: false, all: true, ...opts });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (res.failed && res.exitCode === undefined) throw new Error(`\`${[cmd, ...args].join(' ')}\` did not run: ${res.message}`);
  if (res.exitCode !== 0) {
    const tail = String(res.all ?? '').trim().split('\n').slice(-5).join('\n');
    progress(`bench: warning: \`${[cmd, ...args].join(' ')}\` exited ${res.exitCode}:\n${tail}`);
  }
  return ms;
}

/** The median of `runs` timed runs (after `warmup` untimed ones), with a progress line per run. */
export async function timeMedian(label: string, cmd: string, args: string[], opts: Options & { runs?: number; warmup?: number } = {}): Promise<number> {
  const { runs = 3, warmup = 0, ...execOpts } = opts;
  for (let i = 0; i < warmup; i++) {
    progress(`bench: ${label} (warm-up)`);
    await timeOnce(cmd, args, execOpts);
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    times.push(await timeOnce(cmd, args, execOpts));
    progress(`bench: ${label} ${i + 1}/${runs}: ${times[i].toFixed(0)} ms`);
  }
  return median(times);
}
