import type { EnvName } from './environment';
import type { PerEnv } from './model';

/** The value for an environment: its override, else the default. */
export function forEnv<T>(value: T | PerEnv<T>, env: EnvName | string): T {
  if (value !== null && typeof value === 'object' && 'default' in (value as object)) {
    const per = value as PerEnv<T>;
    return (per as Record<string, T>)[env] ?? per.default;
  }
  return value as T;
}

/** Default settings deep-merged with the environment's override (objects merge, arrays replace). */
export function mergeForEnv<T extends object>(value: PerEnv<T>, env: EnvName | string): T {
  const override = (value as Record<string, T | undefined>)[env];
  return override ? deepMerge(value.default, override) : value.default;
}

export function deepMerge<T>(base: T, over: Partial<T>): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
    if (v === undefined) continue;
    out[k] = isPlainObject(out[k]) && isPlainObject(v) ? deepMerge(out[k], v) : v;
  }
  return out as T;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
