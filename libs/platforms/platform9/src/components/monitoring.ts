/** Monitoring service with the Redis-backed metrics cache (seed, HPA). */
import type { ComponentSpec } from '@gitops/core';
import { IMAGES, PORTS, SA } from '../constants';
import { PF9_POD_SECURITY, tmpVolume } from './security';
import { highlyAvailable } from './scaling';

export const monitoring: ComponentSpec = {
  name: 'pf9-monitoring',
  kind: 'Deployment',
  description: 'FastAPI metrics service: reads the host metrics cache from redis-cache, exposes /metrics',
  image: IMAGES.monitoring,
  labels: { app: 'pf9-monitoring' },
  serviceAccount: SA.app,
  dependsOn: ['pf9-api', 'redis-cache'],
  waitForDependencies: true,
  ports: [{ name: 'http', containerPort: PORTS.monitoring }],
  // REDIS_HOST/REDIS_PORT come from monitoring-config (shared with the collector CronJob).
  envFrom: [{ configMap: 'monitoring-config' }, { secret: 'api-secrets' }],
  probes: {
    liveness: { http: { path: '/health', port: 'http' }, initialDelaySeconds: 10, periodSeconds: 15 },
    readiness: { http: { path: '/health/ready', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 5 },
  },
  podSecurityContext: PF9_POD_SECURITY,
  volumes: [tmpVolume()],
  settings: {
    default: { replicas: 1, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
    // The seed has no monitoring PDB; the prod policy requires one for every Deployment (decision 26).
    ...highlyAvailable({ autoscaling: { name: 'pf9-monitoring-hpa', min: 2, max: 4, cpu: 75 }, disruptionBudget: { name: 'pf9-monitoring-pdb', minAvailable: 1 } }),
  },
};
