/**
 * Resources and storage per environment, derived from the seed's figures.
 *
 * Rule (README decision 5): the seed's CPU and memory are the *limits* in staging and prod; the
 * *request* is half the CPU (CPU is compressible, bursting is safe) and all of the memory (memory
 * is not: a pod that can use more than it reserved is the first one the kernel OOM-kills).
 * Dev runs the whole stack on one Kind node, so it gets a quarter of each figure.
 */
import type { ClaimSpec, EnvName, Resources } from '@gitops/core';

export interface SeedFigures {
  cpu: number;
  memoryGi: number;
}

/** The seed's per-service figures, verbatim (CPU cores, GB of RAM). */
export const SEED: Record<string, SeedFigures> = {
  postgres: { cpu: 2, memoryGi: 4 },
  redis: { cpu: 1, memoryGi: 2 },
  backend: { cpu: 2, memoryGi: 4 },
  celeryWorker: { cpu: 1, memoryGi: 2 },
  celeryBeat: { cpu: 0.5, memoryGi: 1 },
  flower: { cpu: 0.5, memoryGi: 1 },
  minio: { cpu: 2, memoryGi: 4 },
  prometheus: { cpu: 2, memoryGi: 4 },
  grafana: { cpu: 1, memoryGi: 2 },
  alertmanager: { cpu: 1, memoryGi: 2 },
};

const SCALE: Record<EnvName, number> = { dev: 0.25, staging: 1, prod: 1 };

export const cpu = (cores: number): string => `${Math.round(cores * 1000)}m`;
export const mem = (gi: number): string => (Number.isInteger(gi) ? `${gi}Gi` : `${Math.round(gi * 1024)}Mi`);

/** Limits = seed figure (scaled for dev); requests = half the CPU, all the memory. */
export function seedResources(f: SeedFigures, env: EnvName): Resources {
  const s = SCALE[env];
  return {
    requests: { cpu: cpu((f.cpu * s) / 2), memory: mem(f.memoryGi * s) },
    limits: { cpu: cpu(f.cpu * s), memory: mem(f.memoryGi * s) },
  };
}

/** Memory limit in MiB (Redis maxmemory and PostgreSQL buffers are sized from it). */
export function memoryLimitMi(f: SeedFigures, env: EnvName): number {
  return Math.round(f.memoryGi * SCALE[env] * 1024);
}

/** Small helpers the seed does not size (Sentinels, exporters, setup jobs): same request/limit rule. */
export function helperResources(cpuLimit: string, cpuRequest: string, memory: string): Resources {
  return { requests: { cpu: cpuRequest, memory }, limits: { cpu: cpuLimit, memory } };
}

/**
 * Azure Premium SSD through the AKS built-in class (seed, "Azure Premium SSD").
 * Set explicitly because the shared environment definitions map the `fast` role to gp3-iops,
 * a class AKS does not have (README decision 7).
 */
export const PREMIUM_SSD = 'managed-premium';
/** Azure Files Premium (ReadWriteMany) for the uploads shared by backend and workers. */
export const PREMIUM_FILES = 'azurefile-csi-premium';

/** Per-replica volume sizes. Prod = the seed; staging smaller; dev a laptop's worth. */
export const STORAGE: Record<string, Record<EnvName, string>> = {
  postgres: { dev: '10Gi', staging: '50Gi', prod: '100Gi' },
  redis: { dev: '1Gi', staging: '10Gi', prod: '10Gi' },
  minio: { dev: '10Gi', staging: '100Gi', prod: '500Gi' },
  prometheus: { dev: '10Gi', staging: '50Gi', prod: '200Gi' },
  grafana: { dev: '1Gi', staging: '10Gi', prod: '10Gi' },
  alertmanager: { dev: '1Gi', staging: '5Gi', prod: '5Gi' },
  // Not in the seed: Azure Files Premium provisions at least 100 GiB per share.
  uploads: { dev: '5Gi', staging: '100Gi', prod: '100Gi' },
};

/** Claim for a per-replica disk: the env's `fast` class in dev (local-path), Premium SSD on AKS. */
export function diskClaim(volume: string, env: EnvName): Partial<ClaimSpec> {
  return env === 'dev' ? { size: STORAGE[volume][env] } : { size: STORAGE[volume][env], storageClass: PREMIUM_SSD };
}

/** Prometheus TSDB retention by size: 90 % of the volume so compaction never fills the disk. */
export function retentionSize(env: EnvName): string {
  const gi = parseInt(STORAGE.prometheus[env], 10);
  return `${Math.floor(gi * 0.9)}GB`;
}
