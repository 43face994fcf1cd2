/**
 * The six Go microservices (seed): Deployments with /health (liveness) and /ready
 * (readiness) on 8000, config from `<svc>-config`, passwords from Secrets, logs on a shared
 * volume Vector reads. Only asmm8 is described in detail; the other five follow its pattern
 * (README D28-D30).
 */
import type { ComponentSpec, ContainerSpec, EnvVarSpec, VolumeSpec } from '@gitops/core';
import {
  APP_UID, ECR_PULL_SECRET, ecrImage, GO_PORT, GO_SERVICES, IMAGES, MONGODB, POSTGRES, RABBITMQ, plainLabels, runAs, serviceName, type GoService,
} from '../constants';
import { ASMM8_TEMPLATE_CONFIG, goConfigName, logDir, SUBFINDER_CONFIG_FILE } from '../config';
import { SECRETS } from '../secrets';
import { INIT_RESOURCES, statelessSettings } from '../profiles';
import { logClaim, logVolume } from '../storage';
import { ECR_BOOTSTRAP_JOB } from './ecr-token-refresher';
import { ecrPullSecretSuppression, tmpVolume } from './common';

const credentials: EnvVarSpec[] = [
  { name: 'POSTGRESQL_PASSWORD', secret: SECRETS.postgres.name, key: SECRETS.postgres.password },
  { name: 'RABBITMQ_PASSWORD', secret: SECRETS.rabbitmq.name, key: SECRETS.rabbitmq.password },
  { name: 'MONGODB_PASSWORD', secret: SECRETS.mongodb.name, key: SECRETS.mongodb.password },
];

/** The emptyDir + ConfigMap pattern (seed): templates are copied into a writable emptyDir at start. */
const ASMM8_INIT = 'fix-app-ownership';
const asmm8ConfigVolumes: VolumeSpec[] = [
  { name: 'config-volume', source: { configMap: ASMM8_TEMPLATE_CONFIG }, mounts: [{ mountPath: '/config-templates', readOnly: true, container: ASMM8_INIT }] },
  { name: 'provider-secret', source: { secret: SECRETS.subfinder.name }, mounts: [{ mountPath: '/secret-templates', readOnly: true, container: ASMM8_INIT }] },
  {
    name: 'config-writable',
    source: { emptyDir: {} },
    mounts: [
      { mountPath: '/config-writable', container: ASMM8_INIT },
      // One subPath mount per file: mounting /app/configs whole would hide the image's wordlists.
      { mountPath: `/app/configs/${SUBFINDER_CONFIG_FILE}`, subPath: SUBFINDER_CONFIG_FILE },
      { mountPath: `/app/configs/${SECRETS.subfinder.file}`, subPath: SECRETS.subfinder.file },
    ],
  },
];

const asmm8Init: ContainerSpec = {
  name: ASMM8_INIT,
  ...IMAGES.busybox,
  // The pod runs as the app user, so the copies are already owned by it: no chown, no root.
  // `cp -L`: ConfigMap/Secret files are symlinks into ..data, a plain `cp -r` would copy dangling links.
  command: [
    'sh',
    '-c',
    [
      'set -e',
      'cp -L /config-templates/* /config-writable/',
      'cp -L /secret-templates/* /config-writable/',
      `chmod 0600 /config-writable/${SECRETS.subfinder.file}`,
    ].join('\n'),
  ],
  resources: INIT_RESOURCES,
};

export function goService(svc: GoService): ComponentSpec {
  const isAsmm8 = svc === 'asmm8';
  return {
    name: svc,
    kind: 'Deployment',
    description: `Go microservice ${svc}`,
    image: ecrImage(svc),
    imagePullSecrets: [ECR_PULL_SECRET],
    ports: [{ name: 'http', containerPort: GO_PORT }],
    envFrom: [{ configMap: goConfigName(svc) }],
    env: credentials,
    probes: {
      readiness: { http: { path: '/ready', port: 'http' }, initialDelaySeconds: 10, periodSeconds: 5 },
      liveness: { http: { path: '/health', port: 'http' }, initialDelaySeconds: 30, periodSeconds: 10 },
    },
    service: { name: serviceName(svc) },
    podSecurityContext: runAs(APP_UID),
    labels: plainLabels(svc, 'application'),
    // Ordering only (sync waves): readiness on /ready replaces Compose's depends_on.
    dependsOn: [POSTGRES.component, RABBITMQ.component, MONGODB.component, ECR_BOOTSTRAP_JOB],
    annotations: ecrPullSecretSuppression,
    ...(isAsmm8 ? { initContainers: [asmm8Init] } : {}),
    volumes: [
      ...(isAsmm8 ? asmm8ConfigVolumes : []),
      { name: logVolume(svc), source: { claim: logClaim(svc) }, mounts: [{ mountPath: logDir(svc) }] },
      tmpVolume(),
    ],
    settings: statelessSettings({ metricsPort: GO_PORT }),
  };
}

export const goServices: ComponentSpec[] = GO_SERVICES.map(goService);
