/**
 * RabbitMQ (seed): StatefulSet `rabbitmq`, volumeClaimTemplate `rabbitmq-vct` (30Gi) at
 * /var/lib/rabbitmq, so PVC `rabbitmq-vct-rabbitmq-0` survives pod restarts. Apps use
 * `amqp://rabbitmq-service:5672/`.
 */
import type { ComponentSpec } from '@gitops/core';
import { IMAGES, plainLabels, RABBITMQ, runAs } from '../constants';
import { RABBITMQ_CONFIG } from '../config';
import { SECRETS } from '../secrets';
import { datastoreSettings } from '../profiles';
import { tmpVolume } from './common';

/** UID/GID of the `rabbitmq` user in the Debian/Ubuntu-based image. */
const RABBITMQ_UID = 999;

export const rabbitmq: ComponentSpec = {
  name: RABBITMQ.component,
  kind: 'StatefulSet',
  description: 'RabbitMQ 3.13 with the management plugin',
  ...IMAGES.rabbitmq,
  ports: [
    { name: 'amqp', containerPort: RABBITMQ.port },
    { name: 'management', containerPort: RABBITMQ.managementPort },
  ],
  envFrom: [{ configMap: RABBITMQ_CONFIG }],
  env: [
    { name: 'RABBITMQ_DEFAULT_PASS', secret: SECRETS.rabbitmq.name, key: SECRETS.rabbitmq.password },
    // Node name from the pod's own headless DNS name: the seed hard-coded rabbitmq-0 for every
    // replica. The name must stay stable: the data directory is keyed by it.
    { name: 'POD_NAME', fieldPath: 'metadata.name' },
    { name: 'POD_NAMESPACE', fieldPath: 'metadata.namespace' },
    { name: 'RABBITMQ_USE_LONGNAME', value: 'true' },
    { name: 'RABBITMQ_NODENAME', value: `rabbit@$(POD_NAME).${RABBITMQ.stem}-headless.$(POD_NAMESPACE).svc.cluster.local` },
  ],
  probes: {
    liveness: { exec: ['rabbitmq-diagnostics', '-q', 'ping'], initialDelaySeconds: 60, periodSeconds: 30, timeoutSeconds: 20 },
    readiness: { tcp: { port: 'amqp' }, initialDelaySeconds: 20, periodSeconds: 10 },
  },
  service: { name: RABBITMQ.stem, client: false },
  podSecurityContext: runAs(RABBITMQ_UID),
  labels: plainLabels(RABBITMQ.component, 'database'),
  terminationGracePeriodSeconds: 60,
  volumes: [
    { name: 'rabbitmq-vct', source: { persistent: { size: '30Gi', accessModes: ['ReadWriteOnce'] } }, mounts: [{ mountPath: '/var/lib/rabbitmq' }] },
    tmpVolume(),
  ],
  settings: datastoreSettings('rabbitmq-vct', { dev: '30Gi', staging: '30Gi', prod: '50Gi' }),
};
