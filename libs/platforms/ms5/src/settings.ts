/** Small helpers for per-environment settings and config checksums. */
import { createHash } from 'node:crypto';
import { ENVIRONMENT_ORDER, type ComponentSettings, type ConfigMapSpec, type EnvName, type PerEnv } from '@gitops/core';
import { environments } from '@gitops/environments';

export const ENVS: readonly EnvName[] = ENVIRONMENT_ORDER;

/**
 * Settings written as one function of the environment: each environment's value is exactly what
 * the function returns (an empty default merges with nothing), so reading the function is reading
 * the manifest.
 */
export function perEnv(fn: (env: EnvName) => ComponentSettings): PerEnv<ComponentSettings> {
  return { default: {}, dev: fn('dev'), staging: fn('staging'), prod: fn('prod') };
}

/** Content hash of ConfigMaps as rendered for an environment. */
export function configChecksum(maps: ConfigMapSpec[], env: EnvName): string {
  const e = environments[env];
  const text = maps.map((m) => JSON.stringify([m.name, typeof m.data === 'function' ? m.data(e) : m.data])).join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Pod annotation that changes whenever a mounted ConfigMap changes, so Argo CD's sync rolls the
 * pods (Kubernetes never restarts pods for a ConfigMap edit by itself).
 */
export function checksumAnnotation(maps: ConfigMapSpec[], env: EnvName): Record<string, string> {
  return { 'checksum/config': configChecksum(maps, env) };
}
