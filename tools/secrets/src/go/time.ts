/**
 * The few Go `time` behaviours SOPS relies on: go-yaml's timestamp resolution,
 * RFC 3339 parsing of `lastmodified`, and the RFC3339 / RFC3339Nano renderings.
 */

export interface GoTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fractional seconds as up to 9 digits (Go keeps nanoseconds). */
  nanos: string;
  /** Offset from UTC in minutes. */
  offsetMinutes: number;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function valid(t: GoTime): boolean {
  return (
    t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= daysIn(t.month, t.year) &&
    t.hour < 24 && t.minute < 60 && t.second < 60
  );
}

function parseZone(z: string | undefined): number | undefined {
  if (z === undefined || z === '') return 0;
  if (z === 'Z') return 0;
  const m = /^([+-])(\d\d):(\d\d)$/.exec(z);
  if (!m) return undefined;
  const hh = Number(m[2]);
  const mm = Number(m[3]);
  if (hh > 24 || mm > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hh * 60 + mm);
}

function fraction(f: string | undefined): string {
  // Go reads all fractional digits but keeps nanosecond precision.
  return (f ?? '').slice(0, 9);
}

/**
 * go-yaml v3 `parseTimestamp`: the formats `2006-1-2T15:4:5.999999999Z07:00`
 * (also with lower-case `t`), `2006-1-2 15:4:5.999999999` and `2006-1-2`.
 */
export function parseYamlTimestamp(s: string): GoTime | undefined {
  if (!/^\d{4}-/.test(s)) return undefined;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  let zone: string | undefined;
  if (m) zone = m[8];
  else m = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?$/.exec(s);
  if (!m) {
    const d = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
    if (!d) return undefined;
    const t: GoTime = { year: +d[1], month: +d[2], day: +d[3], hour: 0, minute: 0, second: 0, nanos: '', offsetMinutes: 0 };
    return valid(t) ? t : undefined;
  }
  const off = parseZone(zone);
  if (off === undefined) return undefined;
  const t: GoTime = {
    year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +m[6],
    nanos: fraction(m[7]), offsetMinutes: off,
  };
  return valid(t) ? t : undefined;
}

/** `time.Parse(time.RFC3339, s)` (fractional seconds accepted). */
export function parseRFC3339(s: string): GoTime | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return undefined;
  const off = parseZone(m[8]);
  if (off === undefined) return undefined;
  const t: GoTime = {
    year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +m[6],
    nanos: fraction(m[7]), offsetMinutes: off,
  };
  return valid(t) ? t : undefined;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function zoneText(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'Z';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const a = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

function base(t: GoTime): string {
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
}

/** `t.Format(time.RFC3339)`: what sops writes to and re-derives from `lastmodified`. */
export function formatRFC3339(t: GoTime): string {
  return base(t) + zoneText(t.offsetMinutes);
}

/** `t.Format(time.RFC3339Nano)` = `time.MarshalText`: trailing zeros of the fraction are dropped. */
export function formatRFC3339Nano(t: GoTime): string {
  const frac = t.nanos.padEnd(9, '0').replace(/0+$/, '');
  return base(t) + (frac ? '.' + frac : '') + zoneText(t.offsetMinutes);
}

/** `time.Now().UTC().Format(time.RFC3339)` for a given instant. */
export function rfc3339UtcSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
