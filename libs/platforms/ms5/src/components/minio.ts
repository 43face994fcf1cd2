/**
 * MinIO object storage (seed): single-node single-drive StatefulSet on the database pool
 * with a 500 GiB Premium SSD (distributed MinIO needs at least four drives; the seed sizes one).
 * Buckets, the application's least-privilege user and lifecycle rules are applied by an idempotent
 * Argo CD PostSync Job, so "bucket policies and access control" are in Git too.
 */
import type { ComponentSpec, ConfigMapSpec } from '@gitops/core';
import { IMAGES, PORTS } from '../constants';
import { placement } from '../node-pools';
import { SECRETS, fromSecret } from '../secrets';
import { UID, scratch } from '../security';
import { checksumAnnotation, perEnv } from '../settings';
import { SEED, diskClaim, helperResources, seedResources, STORAGE } from '../sizing';
import { workloadBase } from './common';

export const MINIO_SETUP = 'minio-setup';
export const BUCKETS = ['uploads', 'reports'] as const;

const appPolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
      Resource: BUCKETS.map((b) => `arn:aws:s3:::${b}`),
    },
    {
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: BUCKETS.map((b) => `arn:aws:s3:::${b}/*`),
    },
  ],
};

/** Uploads are versioned; old versions expire after 30 days, finished reports after a year. */
const lifecycle = {
  uploads: { Rules: [{ ID: 'expire-noncurrent', Status: 'Enabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }] },
  reports: { Rules: [{ ID: 'expire-reports', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 365 } }] },
};

export const SETUP_SCRIPT = `#!/bin/sh
# Idempotent: safe on every sync.
set -eu
mc alias set ms5 "http://minio:${PORTS.minio}" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD"
for bucket in ${BUCKETS.join(' ')}; do
  mc mb --ignore-existing "ms5/$bucket"
  mc anonymous set none "ms5/$bucket"
  mc ilm import "ms5/$bucket" < "/setup/lifecycle-$bucket.json"
done
mc version enable ms5/uploads
mc admin policy create ms5 ms5-app /setup/app-policy.json
mc admin user add ms5 "$MINIO_ACCESS_KEY" "$MINIO_SECRET_KEY"
mc admin policy attach ms5 ms5-app --user "$MINIO_ACCESS_KEY" || echo "policy ms5-app already attached"
`;

export const minioSetupConfig: ConfigMapSpec = {
  name: MINIO_SETUP,
  data: {
    'setup.sh': SETUP_SCRIPT,
    'app-policy.json': JSON.stringify(appPolicy, null, 2),
    'lifecycle-uploads.json': JSON.stringify(lifecycle.uploads, null, 2),
    'lifecycle-reports.json': JSON.stringify(lifecycle.reports, null, 2),
  },
};

const rootCredentials = [fromSecret('MINIO_ROOT_USER', SECRETS.minio), fromSecret('MINIO_ROOT_PASSWORD', SECRETS.minio)];

export const minio: ComponentSpec = {
  name: 'minio',
  kind: 'StatefulSet',
  description: 'MinIO S3-compatible object storage (uploads, reports)',
  image: IMAGES.minio,
  ...workloadBase('minio', UID.minio),
  args: ['server', '/data', '--address', `:${PORTS.minio}`, '--console-address', `:${PORTS.minioConsole}`, '--certs-dir', '/tmp/certs'],
  ports: [
    { name: 'api', containerPort: PORTS.minio },
    { name: 'console', containerPort: PORTS.minioConsole },
  ],
  env: [
    ...rootCredentials,
    // Metrics without a bearer token: only Prometheus may reach port 9000 besides the app (network-policies.ts).
    { name: 'MINIO_PROMETHEUS_AUTH_TYPE', value: 'public' },
    { name: 'MINIO_BROWSER', value: 'on' },
  ],
  probes: {
    startup: { http: { path: '/minio/health/live', port: 'api' }, periodSeconds: 5, failureThreshold: 60 },
    liveness: { http: { path: '/minio/health/live', port: 'api' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    readiness: { http: { path: '/minio/health/ready', port: 'api' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  },
  volumes: [
    { name: 'data', source: { persistent: { storage: 'fast', size: STORAGE.minio.prod } }, mounts: [{ mountPath: '/data' }] },
    scratch('tmp', '/tmp', '256Mi'),
  ],
  settings: perEnv((env) => ({
    replicas: 1,
    resources: seedResources(SEED.minio, env),
    storage: { data: diskClaim('minio', env) },
    ...placement('database', env),
  })),
};

export const minioSetup: ComponentSpec = {
  name: MINIO_SETUP,
  kind: 'Job',
  description: 'Creates buckets, lifecycle rules and the application user (Argo CD PostSync hook)',
  image: IMAGES.minio,
  ...workloadBase(MINIO_SETUP, UID.minio),
  command: ['/bin/sh', '/setup/setup.sh'],
  env: [
    ...rootCredentials,
    fromSecret('MINIO_ACCESS_KEY', SECRETS.minio),
    fromSecret('MINIO_SECRET_KEY', SECRETS.minio),
    { name: 'MC_CONFIG_DIR', value: '/tmp/.mc' },
  ],
  volumes: [{ name: 'setup', source: { configMap: MINIO_SETUP }, mounts: [{ mountPath: '/setup', readOnly: true }] }, scratch('tmp', '/tmp', '64Mi')],
  dependsOn: ['minio'],
  hook: 'PostSync',
  backoffLimit: 6,
  restartPolicy: 'OnFailure',
  settings: perEnv((env) => ({
    resources: helperResources('200m', '50m', '128Mi'),
    ...placement('compute', env),
    podAnnotations: checksumAnnotation([minioSetupConfig], env),
  })),
};
