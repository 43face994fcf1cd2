/**
 * MongoDB (seed): a StatefulSet behind `mongodb-primary-headless`, apps use
 * `mongodb-primary-service`. Everything else is unspecified; choices are README D31.
 */
import type { ComponentSpec } from '@gitops/core';
import { IMAGES, MONGODB, plainLabels, runAs } from '../constants';
import { MONGODB_CONFIG } from '../config';
import { SECRETS } from '../secrets';
import { datastoreSettings } from '../profiles';
import { tmpVolume } from './common';

/** UID/GID of the `mongodb` user in the official image. */
const MONGODB_UID = 999;

export const mongodb: ComponentSpec = {
  name: MONGODB.component,
  kind: 'StatefulSet',
  description: 'MongoDB 7 (single node)',
  ...IMAGES.mongodb,
  ports: [{ name: 'mongodb', containerPort: MONGODB.port }],
  envFrom: [{ configMap: MONGODB_CONFIG }],
  env: [{ name: 'MONGO_INITDB_ROOT_PASSWORD', secret: SECRETS.mongodb.name, key: SECRETS.mongodb.password }],
  probes: {
    liveness: { tcp: { port: 'mongodb' }, initialDelaySeconds: 30, periodSeconds: 10 },
    readiness: { exec: ['mongosh', '--quiet', '--eval', "db.adminCommand('ping').ok"], initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 10 },
  },
  service: { name: MONGODB.stem, client: false },
  podSecurityContext: runAs(MONGODB_UID),
  labels: plainLabels(MONGODB.component, 'database'),
  volumes: [
    { name: 'data', source: { persistent: { size: '5Gi', accessModes: ['ReadWriteOnce'] } }, mounts: [{ mountPath: '/data/db' }] },
    tmpVolume('/data/configdb', 'configdb'),
    tmpVolume(),
  ],
  settings: datastoreSettings('data', { dev: '5Gi', staging: '10Gi', prod: '20Gi' }),
};
