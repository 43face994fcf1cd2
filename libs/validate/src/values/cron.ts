/**
 * CronJob schedules exactly as the Kubernetes API server checks them (pkg/apis/batch/validation):
 * `cron.ParseStandard` of github.com/robfig/cron/v3 — five fields (minute hour day-of-month month
 * day-of-week; names jan-dec and sun-sat; `*`, `?`, ranges, lists, steps; day-of-week 0-6) or a
 * descriptor (@yearly @annually @monthly @weekly @daily @midnight @hourly, `@every <duration>`) —
 * plus its TZ rules: `TZ=`/`CRON_TZ=` in the schedule is rejected on create (use `spec.timeZone`),
 * and `spec.timeZone` must be an explicit IANA zone (not `Local`).
 *
 * A port, not a library: every JavaScript cron parser accepts what robfig rejects (a seconds or
 * year field, `L`, `W`, `#`, `H`, 7 for Sunday), so none gives the API server's verdict.
 */

interface Field {
  name: string;
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS = Object.fromEntries(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, i + 1]));
const DAYS = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d, i) => [d, i]));
const FIELDS: Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: DAYS },
];
const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
/** Go's time.ParseDuration grammar. */
const GO_DURATION = /^[-+]?(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$/;
/** The characters Kubernetes allows in each `/`-separated part of a time zone name. */
const TZ_PART = /^[A-Za-z._\-0-9+]{1,14}$/;

function parseNumber(expr: string, f: Field): number {
  const named = f.names?.[expr.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^[+-]?[0-9]+$/.test(expr)) throw new Error(`${f.name}: "${expr}" is not a number${f.names ? ' or a name' : ''}`);
  const n = Number(expr);
  if (n < 0) throw new Error(`${f.name}: (${expr}) must be non-negative`);
  return n;
}

/** One comma-separated part: `*`, `?`, `a`, `a-b`, each optionally `/step` (robfig getRange). */
function checkRange(expr: string, f: Field): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = f.min;
    end = f.max;
  } else {
    start = parseNumber(lowAndHigh[0], f);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseNumber(lowAndHigh[1], f);
    else throw new Error(`${f.name}: too many hyphens in "${expr}"`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseNumber(rangeAndStep[1], { ...f, names: undefined });
    if (lowAndHigh.length === 1) end = f.max; // `N/step` means N-max/step
  } else if (rangeAndStep.length > 2) throw new Error(`${f.name}: too many slashes in "${expr}"`);
  if (start < f.min) throw new Error(`${f.name}: ${start} is below the minimum ${f.min}`);
  if (end > f.max) throw new Error(`${f.name}: ${end} is above the maximum ${f.max}`);
  if (start > end) throw new Error(`${f.name}: range start ${start} is beyond its end ${end}`);
  if (step === 0) throw new Error(`${f.name}: the step must be a positive number`);
}

/** Why the API server would reject `schedule` (and `timeZone`) of a new CronJob, or undefined if it accepts them. */
export function cronScheduleProblem(schedule: unknown, timeZone?: unknown): string | undefined {
  if (typeof schedule !== 'string' || schedule.length === 0) return 'schedule is empty';
  if (schedule.includes('TZ')) return `"${schedule}": TZ or CRON_TZ in the schedule is rejected, use the timeZone field`;
  const spec = schedule.trim();
  if (spec.startsWith('@')) {
    if (spec.startsWith('@every ')) {
      const d = spec.slice('@every '.length);
      if (!GO_DURATION.test(d)) return `"${schedule}": "${d}" is not a duration such as 90s, 15m or 1h30m`;
    } else if (!DESCRIPTORS.has(spec)) return `"${schedule}": unknown descriptor (known: ${[...DESCRIPTORS].join(' ')} @every <duration>)`;
  } else {
    const fields = spec.split(/\s+/);
    if (fields.length !== 5) return `"${schedule}": expected exactly 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}`;
    try {
      fields.forEach((field, i) => field.split(',').forEach((part) => checkRange(part, FIELDS[i])));
    } catch (err) {
      return `"${schedule}": ${(err as Error).message}`;
    }
  }
  return timeZone === undefined ? undefined : timeZoneProblem(timeZone);
}

/** Kubernetes validateTimeZone: an explicit IANA zone name (the API server loads it with time.LoadLocation). */
export function timeZoneProblem(tz: unknown): string | undefined {
  if (typeof tz !== 'string' || tz === '') return 'timeZone must be unset or a non-empty IANA time zone name';
  if (tz.toLowerCase() === 'local') return 'timeZone must be an explicit IANA time zone, not Local';
  if (tz.split('/').some((p) => p === '.' || p === '..' || p.startsWith('-') || !TZ_PART.test(p))) return `timeZone "${tz}" is not a valid time zone name`;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    return `timeZone "${tz}" is not a known IANA time zone`;
  }
  return undefined;
}
