/**
 * Vector (seed): a single Deployment that tails every service's log volume
 * (mounted read-only) and ships to OpenSearch. Its init container waits for cluster health
 * green/yellow, not just an open port. Single replica: README D37.
 */
import { suppress, type ComponentSpec, type ContainerSpec } from '@gitops/core';
import { APP_UID, GO_SERVICES, IMAGES, OPENSEARCH, plainLabels, runAs } from '../constants';
import { logDir, VECTOR_CONFIG } from '../config';
import { logClaim, logVolume, VECTOR_DATA_CLAIM } from '../storage';
import { INIT_RESOURCES } from '../profiles';

export const VECTOR_SERVICE_ACCOUNT = 'vector-sa';
const INIT = 'wait-for-opensearch';

const waitForOpenSearch: ContainerSpec = {
  name: INIT,
  ...IMAGES.curl,
  command: [
    'sh',
    '-c',
    [
      `until curl -s "http://${OPENSEARCH.client}:${OPENSEARCH.port}/_cluster/health" | grep -q "green\\|yellow"; do`,
      '  echo "Waiting for OpenSearch cluster to be ready..."',
      '  sleep 10',
      'done',
      'echo "OpenSearch cluster is ready!"',
    ].join('\n'),
  ],
  resources: INIT_RESOURCES,
};

export const vector: ComponentSpec = {
  name: 'vector',
  kind: 'Deployment',
  description: 'Vector log shipper: service log volumes -> OpenSearch',
  ...IMAGES.vector,
  args: ['--config', '/etc/vector/vector.yaml'],
  ports: [{ name: 'api', containerPort: 8686 }],
  probes: {
    readiness: { http: { path: '/health', port: 'api' }, initialDelaySeconds: 5, periodSeconds: 10 },
    liveness: { http: { path: '/health', port: 'api' }, initialDelaySeconds: 15, periodSeconds: 20 },
  },
  // Nothing connects to Vector; the API port only serves its probes.
  service: false,
  serviceAccount: VECTOR_SERVICE_ACCOUNT,
  initContainers: [waitForOpenSearch],
  podSecurityContext: runAs(APP_UID),
  labels: plainLabels('vector', 'logging'),
  dependsOn: [OPENSEARCH.component],
  // One file tailer: a second replica would ship every line twice; Recreate frees the RWO checkpoint volume.
  strategy: { type: 'Recreate' },
  annotations: suppress({
    'ha-replicas': 'a single file tailer by design, two replicas would ship every log line twice',
    'ha-pdb': 'single replica by design, a PodDisruptionBudget would block node drains',
  }),
  volumes: [
    { name: 'config', source: { configMap: VECTOR_CONFIG }, mounts: [{ mountPath: '/etc/vector', readOnly: true }] },
    // File checkpoints survive pod rescheduling, so a restart does not re-ship old lines.
    { name: 'data', source: { claim: VECTOR_DATA_CLAIM }, mounts: [{ mountPath: '/var/lib/vector' }] },
    ...GO_SERVICES.map((svc) => ({ name: logVolume(svc), source: { claim: logClaim(svc) }, mounts: [{ mountPath: logDir(svc), readOnly: true }] })),
  ],
  settings: {
    default: { replicas: 1, resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
  },
};
