/** Compose value formats: durations, byte sizes, CPU counts, shell-split strings. */

/** Compose duration ("1m30s", "10s", "500ms", "2h") → whole seconds, rounded up (at least 1). */
export function durationSeconds(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Math.max(1, Math.ceil(v / 1e9)); // a bare number is nanoseconds
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g;
  const text = String(v).trim();
  let total = 0;
  let used = 0;
  for (const m of text.matchAll(re)) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : m[2] === 's' ? n : m[2] === 'ms' ? n / 1e3 : m[2] === 'ns' ? n / 1e9 : n / 1e6;
    used += m[0].length;
  }
  if (!used || used !== text.replace(/\s+/g, '').length) throw new Error(`"${text}" is not a duration (e.g. 30s, 1m30s)`);
  return Math.max(1, Math.ceil(total));
}

/** Compose byte size ("512m", "1g", "50M", "1.5gb", 1048576) → a Kubernetes quantity (Mi or Gi). */
export function memoryQuantity(v: unknown): string {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(String(v).trim());
  if (!m) throw new Error(`"${v}" is not a byte size (e.g. 512m, 1g)`);
  const mult: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
  const bytes = Number(m[1]) * mult[m[2].toLowerCase()];
  if (bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3}Gi`;
  return `${Math.max(1, Math.ceil(bytes / 1024 ** 2))}Mi`;
}

/** Bytes of a Kubernetes Mi/Gi quantity (only the forms memoryQuantity writes). */
export function quantityBytes(q: string): number {
  const m = /^(\d+)(Mi|Gi)$/.exec(q);
  if (!m) return Number.NaN;
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 ** 3 : 1024 ** 2);
}

/** Compose CPU count ("0.5", 2) → millicores ("500m"). */
export function cpuQuantity(v: unknown): string {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`"${v}" is not a CPU count (e.g. 0.5)`);
  return `${Math.max(1, Math.round(n * 1000))}m`;
}

/** Split a command string like compose does (POSIX shell words: quotes and backslashes, no expansion). */
export function shellSplit(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let q: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === q) q = undefined;
      else if (c === '\\' && q === '"' && i + 1 < s.length && '"\\$`'.includes(s[i + 1])) cur += s[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      q = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (q) throw new Error(`unterminated ${q} quote in ${JSON.stringify(s)}`);
  if (inWord) out.push(cur);
  return out;
}
