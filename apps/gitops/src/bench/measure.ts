/** Wall-clock timing of real processes for the bench: medians of a few runs, progress on stderr. */
import { execa, type Options } from 'execa';
import { progress } from '../output';

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export interface TimeOptions extends Options {
  /** Exit 1 (findings, e.g. `gitops validate` on a tree with policy errors) still counts as a run. */
  findingsOk?: boolean;
}

/** Runs `cmd args` once; its wall time in ms. A failed run is an error naming the command and the tail of its output. */
export async function timeOnce(cmd: string, args: string[], opts: TimeOptions = {}): Promise<number> {
  const { findingsOk, ...execOpts } = opts;
  const t = process.hrtime.bigint();
  const res = await execa(cmd, args, { reject: false, all: true, ...execOpts });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (res.exitCode === 0 || (findingsOk && res.exitCode === 1)) return ms;
  const tail = String(res.all ?? res.message).trim().split('\n').slice(-6).join('\n');
  throw new Error(`\`${[cmd, ...args].join(' ')}\` failed (exit ${res.exitCode ?? res.signal}):\n${tail}`);
}

export interface MedianOptions extends TimeOptions {
  runs?: number;
  warmup?: number;
  /** Called before each run, warm-ups included, with the run's number (0, 1, …): e.g. a fresh edit for each. */
  before?: (run: number) => void;
}

/** The median of `runs` timed runs (after `warmup` untimed ones), with a progress line per run. */
export async function timeMedian(label: string, cmd: string, args: string[], opts: MedianOptions = {}): Promise<number> {
  const { runs = 3, warmup = 0, before, ...execOpts } = opts;
  let run = 0;
  for (let i = 0; i < warmup; i++) {
    progress(`bench: ${label} (warm-up)`);
    before?.(run++);
    await timeOnce(cmd, args, execOpts);
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    before?.(run++);
    times.push(await timeOnce(cmd, args, execOpts));
    progress(`bench: ${label} ${i + 1}/${runs}: ${times[i].toFixed(0)} ms`);
  }
  return median(times);
}
