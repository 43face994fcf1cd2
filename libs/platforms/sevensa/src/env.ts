/**
 * Per-environment facts of the Sevensa platform that the shared Environment model does not hold:
 * the public DNS zone (the shared `baseDomain` is not a Sevensa domain) and size tiers.
 */
import type { ComponentSettings, EnvName, PerEnv, Resources } from '@gitops/core';

/** Public zone per environment: prod is the seed's `sevensa.nl`, dev and staging are subdomains of it. */
export const DOMAINS: Record<EnvName, string> = {
  dev: 'dev.sevensa.nl',
  staging: 'staging.sevensa.nl',
  prod: 'sevensa.nl',
};

/** `rentguy` -> `rentguy.sevensa.nl` in prod, `rentguy.dev.sevensa.nl` in dev. */
export function host(env: string, sub: string): string {
  return `${sub}.${DOMAINS[env as EnvName]}`;
}

export function res(cpuReq: string, memReq: string, cpuLim: string, memLim: string): Resources {
  return { requests: { cpu: cpuReq, memory: memReq }, limits: { cpu: cpuLim, memory: memLim } };
}

/** Resource profiles (requests / limits). */
export const SIZE = {
  xs: res('10m', '16Mi', '50m', '32Mi'),
  s: res('50m', '64Mi', '200m', '128Mi'),
  m: res('100m', '256Mi', '500m', '512Mi'),
  l: res('250m', '512Mi', '1', '1Gi'),
  xl: res('500m', '1Gi', '2', '2Gi'),
} as const;

export type ByEnv<T> = Record<EnvName, T>;

/**
 * Settings for a replicated, stateless component: replicas and resources per environment, a
 * PodDisruptionBudget wherever it runs two or more replicas, and node spreading in prod.
 * `extra` may vary per environment.
 */
export function scaled(
  replicas: ByEnv<number>,
  resources: ByEnv<Resources>,
  extra: Partial<ComponentSettings> | ((env: EnvName) => Partial<ComponentSettings>) = {},
): PerEnv<ComponentSettings> {
  const at = (env: EnvName): ComponentSettings => ({
    replicas: replicas[env],
    resources: resources[env],
    ...(replicas[env] >= 2 ? { disruptionBudget: { maxUnavailable: 1 } } : {}),
    ...(env === 'prod' && replicas[env] >= 2 ? { spread: 'node' as const } : {}),
    ...(typeof extra === 'function' ? extra(env) : extra),
  });
  return { default: at('dev'), staging: at('staging'), prod: at('prod') };
}

/** The usual shape: one replica in dev, `n` in staging and prod, one size everywhere but dev. */
export function ha(prodReplicas: number, size: Resources, devSize: Resources = size): PerEnv<ComponentSettings> {
  return scaled({ dev: 1, staging: 2, prod: prodReplicas }, { dev: devSize, staging: size, prod: size });
}

/** A stateful component (one replica unless `extra` says otherwise): resources and storage size per environment. */
export function single(
  resources: ByEnv<Resources>,
  storage?: Record<string, ByEnv<string>>,
  extra: Partial<ComponentSettings> | ((env: EnvName) => Partial<ComponentSettings>) = {},
): PerEnv<ComponentSettings> {
  const at = (env: EnvName): ComponentSettings => ({
    replicas: 1,
    resources: resources[env],
    ...(storage ? { storage: Object.fromEntries(Object.entries(storage).map(([v, size]) => [v, { size: size[env] }])) } : {}),
    ...(typeof extra === 'function' ? extra(env) : extra),
  });
  return { default: at('dev'), staging: at('staging'), prod: at('prod') };
}

export const same = <T>(v: T): ByEnv<T> => ({ dev: v, staging: v, prod: v });
