/**
 * Redis metrics cache (seed, values images.redis, resources.redis, persistence.redis).
 * A single-replica StatefulSet rather than the seed's Deployment + RWO PVC: a rolling Deployment
 * update would start a second pod that cannot attach the volume (decision 15).
 */
import { nonRootPod, type ComponentSpec } from '@gitops/core';
import { PORTS } from '../constants';

const ping = ['redis-cli', 'ping'];

export const redis: ComponentSpec = {
  name: 'redis-cache',
  kind: 'StatefulSet',
  description: 'Shared cache for host metrics (pf9:metrics:latest, TTL 300 s); AOF persistence on /data',
  image: 'redis',
  tag: '7-alpine',
  labels: { app: 'redis-cache' },
  service: { headless: true },
  ports: [{ name: 'redis', containerPort: PORTS.redis }],
  // Redis takes `--option value` pairs; the seed's `--maxmemory=1gb` form is rejected at start-up.
  // 768mb leaves headroom for AOF rewrites inside the 1Gi limit (decision 16).
  args: ['--maxmemory', '768mb', '--maxmemory-policy', 'allkeys-lru', '--save', '60 1000', '--appendonly', 'yes'],
  probes: {
    liveness: { exec: ping, initialDelaySeconds: 5, periodSeconds: 10 },
    readiness: { exec: ping, initialDelaySeconds: 5, periodSeconds: 5 },
  },
  // redis:7-alpine: user redis is UID 999, group redis GID 1000.
  podSecurityContext: nonRootPod(999, { gid: 1000, fsGroupChangePolicy: false }),
  volumes: [{ name: 'redis-data', source: { persistent: { size: '5Gi', storage: 'standard' } }, mounts: [{ mountPath: '/data' }] }],
  settings: {
    default: { replicas: 1, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '1Gi' } } },
    dev: { storage: { 'redis-data': { size: '1Gi' } } },
  },
};
