/**
 * Compose's merge rules (compose-spec `merge.md`), used for several `-f` files, `extends` and
 * `<<` keys alike: mappings merge recursively, scalars and `command`/`entrypoint`/`healthcheck.test`
 * are replaced, `environment`/`labels`/`depends_on` merge by name, `volumes` by mount target,
 * `secrets`/`configs` by source, and the other sequences (ports, expose, cap_add …) append.
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `KEY=value` list or mapping → mapping (a bare `KEY` maps to null: taken from the environment). */
export function toMap(v: unknown): Record<string, string | null> {
  if (Array.isArray(v)) {
    const out: Record<string, string | null> = {};
    for (const item of v) {
      const s = String(item);
      const eq = s.indexOf('=');
      if (eq < 0) out[s] = null;
      else out[s.slice(0, eq)] = s.slice(eq + 1);
    }
    return out;
  }
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === null || x === undefined ? null : String(x)]));
  return {};
}

/** depends_on list or mapping → mapping of long syntax. */
export function dependsOnMap(v: unknown): Record<string, { condition: string; required?: boolean; restart?: boolean }> {
  if (Array.isArray(v)) return Object.fromEntries(v.map((s) => [String(s), { condition: 'service_started' }]));
  if (isObj(v)) {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, { condition: 'service_started', ...(isObj(x) ? (x as Obj) : {}) } as { condition: string }]),
    );
  }
  return {};
}

/** Mount target of a volume entry (short `src:dst[:mode]` or long syntax). */
export function volumeTarget(v: unknown): string {
  if (isObj(v)) return String(v.target ?? '');
  const parts = splitVolume(String(v));
  return parts.length === 1 ? parts[0] : parts[1];
}

/** Split a short volume spec on ':' while keeping Windows drive letters (C:\\…) together. */
export function splitVolume(s: string): string[] {
  const parts = s.split(':');
  const out: string[] = [];
  for (const p of parts) {
    if (out.length && /^[A-Za-z]$/.test(out[out.length - 1]) && /^[\\/]/.test(p)) out[out.length - 1] += `:${p}`;
    else out.push(p);
  }
  return out;
}

const sourceOf = (v: unknown): string => (isObj(v) ? String(v.source ?? '') : String(v));

function mergeKeyed(base: unknown[], over: unknown[], key: (v: unknown) => string): unknown[] {
  const out = new Map<string, unknown>();
  for (const v of base) out.set(key(v), v);
  for (const v of over) out.set(key(v), v);
  return [...out.values()];
}

function appendUnique(base: unknown[], over: unknown[]): unknown[] {
  const seen = new Set(base.map((v) => JSON.stringify(v)));
  return [...base, ...over.filter((v) => !seen.has(JSON.stringify(v)))];
}

const REPLACED = new Set(['command', 'entrypoint']);

/** Merge service definition `over` onto `base`. */
export function mergeService(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    if (b === undefined || v === null || REPLACED.has(k)) out[k] = v;
    else if (k === 'environment' || k === 'labels' || k === 'annotations' || k === 'extra_hosts' || k === 'sysctls') out[k] = { ...toMap(b), ...toMap(v) };
    else if (k === 'depends_on') out[k] = { ...dependsOnMap(b), ...dependsOnMap(v) };
    else if (k === 'volumes' && Array.isArray(b) && Array.isArray(v)) out[k] = mergeKeyed(b, v, volumeTarget);
    else if ((k === 'secrets' || k === 'configs') && Array.isArray(b) && Array.isArray(v)) out[k] = mergeKeyed(b, v, sourceOf);
    else if (k === 'healthcheck' && isObj(b) && isObj(v)) out[k] = { ...b, ...v };
    else if (Array.isArray(b) && Array.isArray(v)) out[k] = appendUnique(b, v);
    else if (isObj(b) && isObj(v)) out[k] = mergeMapping(b, v);
    else out[k] = v;
  }
  return out;
}

/** Plain recursive mapping merge (top-level volumes/secrets/configs, build, deploy …). */
export function mergeMapping(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isObj(b) && isObj(v) ? mergeMapping(b, v) : v;
  }
  return out;
}
