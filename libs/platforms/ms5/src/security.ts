/**
 * Security contexts. Every MS5 container is Pod Security "restricted"-compliant in every
 * environment (README decision 2): the compiler's container default (the kit's restricted
 * context), so what runs in dev is what prod admits, and the namespace's PSS label only decides
 * what *else* (debug pods, tools) may run there.
 */
import { nonRootPod, scratchVolume } from '@gitops/core';

/**
 * Pod context with the image's numeric user (runAsNonRoot needs a number to check) and fsGroup so
 * Azure Disks are writable. OnRootMismatch skips the recursive chown on every start (500 GiB MinIO).
 */
export function podSecurity(uid: number, gid: number = uid): Record<string, unknown> {
  return nonRootPod(uid, { gid, seccomp: true });
}

/** Numeric users of the images (their Dockerfiles' USER). */
export const UID = {
  backend: 1000, // ms5-backend image contract (README "App contract")
  postgres: 70, // postgres:*-alpine / timescale alpine images
  redis: 999, // redis:*-alpine
  minio: 1000, // MinIO runs as any user
  prometheus: 65534, // nobody
  alertmanager: 65534, // nobody
  grafana: 472, // grafana/grafana
  postgresExporter: 65534, // nobody
  redisExporter: 59000, // oliver006/redis_exporter
  busybox: 65534,
} as const;

/** A writable emptyDir for a read-only-root container, 256Mi unless told otherwise. */
export function scratch(name: string, mountPath: string, sizeLimit = '256Mi') {
  return scratchVolume(name, mountPath, { sizeLimit });
}
