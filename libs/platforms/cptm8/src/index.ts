import { fileURLToPath } from 'node:url';
import { loadReleases, type PlatformSpec } from '@gitops/core';

const releases = loadReleases(fileURLToPath(new URL('../releases.yaml', import.meta.url)));

export const platform: PlatformSpec = {
  name: 'cptm8',
  description: 'CPTM8 security scanning platform',
  releases,
  apps: [
    {
      name: 'cptm8',
      namespace: { default: 'cptm8-dev', staging: 'cptm8-staging', prod: 'cptm8-prod' },
      configMaps: [{ name: 'asmm8-config', data: { LOG_LEVEL: 'info' } }],
      secrets: [{ name: 'postgresql-credentials', keys: [{ name: 'POSTGRESQL_PASSWORD', generate: { kind: 'password' } }] }],
      components: [
        {
          name: 'postgresql',
          kind: 'StatefulSet',
          image: 'postgres',
          tag: '16-alpine',
          ports: [{ name: 'postgres', containerPort: 5432 }],
          env: [{ name: 'POSTGRES_PASSWORD', secret: 'postgresql-credentials', key: 'POSTGRESQL_PASSWORD' }],
          volumes: [{ name: 'data', source: { persistent: { size: '10Gi' } }, mounts: [{ mountPath: '/var/lib/postgresql/data' }] }],
          settings: { default: { replicas: 1 }, prod: { storage: { data: { size: '50Gi', storage: 'fast' } } } },
        },
        {
          name: 'asmm8',
          kind: 'Deployment',
          image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/cptm8/asmm8',
          ports: [{ name: 'http', containerPort: 8000 }],
          envFrom: [{ configMap: 'asmm8-config' }],
          dependsOn: ['postgresql'],
          waitForDependencies: true,
          probes: { liveness: { http: { path: '/health', port: 'http' } } },
          settings: {
            default: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' } } },
            prod: { replicas: 3, spread: 'zone', exposure: { type: 'ClusterIP' }, disruptionBudget: { minAvailable: 2 } },
            dev: { exposure: { type: 'NodePort', nodePorts: { http: 30080 } } },
          },
        },
      ],
    },
  ],
};
