/**
 * The seed's facts, written out literally (not imported from src/) so a test compares the rendered
 * overlays with the document, not the code with itself. Line numbers point into
 * seed 000_5889908d140b9c4c.
 */
import { beforeAll } from 'vitest';
import { renderForTest, type RenderedPlatform } from '@gitops/pipeline';

export const ENVS = ['dev', 'staging', 'prod'] as const;
export type Env = (typeof ENVS)[number];

export const NS = 'pf9';
export const REGISTRY = 'pf9.azurecr.io';

/** name -> kind, image (repository), port, probes. */
export const WORKLOADS = {
  'pf9-ui': { kind: 'Deployment', image: `${REGISTRY}/pf9-ui`, port: 5173, liveness: '/', readiness: '/' },
  'pf9-api': { kind: 'Deployment', image: `${REGISTRY}/pf9-api`, port: 8000, liveness: '/health', readiness: '/health/ready' },
  'pf9-monitoring': { kind: 'Deployment', image: `${REGISTRY}/pf9-monitoring`, port: 8001, liveness: '/health', readiness: '/health/ready' },
  'snapshot-worker': { kind: 'Deployment', image: `${REGISTRY}/pf9-snapshot-worker` },
  'backup-worker': { kind: 'Deployment', image: `${REGISTRY}/pf9-backup-worker` },
  'metering-worker': { kind: 'Deployment', image: `${REGISTRY}/pf9-metering-worker` },
  'notification-worker': { kind: 'Deployment', image: `${REGISTRY}/pf9-notification-worker` },
  postgres: { kind: 'StatefulSet', image: 'postgres:16-alpine', port: 5432 },
  openldap: { kind: 'StatefulSet', image: 'osixia/openldap:1.5.0', port: 389 },
  'redis-cache': { kind: 'StatefulSet', image: 'redis:7-alpine', port: 6379 },
} as const;

export const WORKERS = ['snapshot-worker', 'backup-worker', 'metering-worker', 'notification-worker'] as const;

/** Release tag of the pf9 images per environment (releases.yaml). */
export const TAG: Record<Env, string> = { dev: '2026.02', staging: '2026.02', prod: '2026.02' };

/** values `resources.*`. */
export const RESOURCES: Record<string, { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } }> = {
  'pf9-api': { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1Gi' } },
  'pf9-ui': { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  'pf9-monitoring': { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  postgres: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2000m', memory: '2Gi' } },
  openldap: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  'redis-cache': { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '1Gi' } },
  'snapshot-worker': { requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '2Gi' } },
  'backup-worker': { requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '2Gi' } },
  'metering-worker': { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  'notification-worker': { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
};

/** One render of the three overlays per test file (real kustomize). */
export function rendered(): () => RenderedPlatform {
  let r: RenderedPlatform;
  beforeAll(async () => {
    r = await renderForTest('platform9');
  });
  return () => r;
}

/** The main container of a workload (Deployment/StatefulSet pod template, CronJob job template). */
export function podSpec(obj: any): any {
  if (obj.kind === 'CronJob') return obj.spec.jobTemplate.spec.template.spec;
  return obj.spec.template.spec;
}
export function mainContainer(obj: any): any {
  return podSpec(obj).containers.find((c: any) => c.name === obj.metadata.name) ?? podSpec(obj).containers[0];
}
