/** FastAPI backend (seed, values resources.api; HPA; PDB). */
import type { ComponentSpec, EnvVarSpec } from '@gitops/core';
import { IMAGES, PORTS, SA } from '../constants';
import { PF9_POD_SECURITY, tmpVolume } from './security';
import { highlyAvailable } from './scaling';

/**
 * db-credentials only has POSTGRES_USER/POSTGRES_PASSWORD, while the clients read PF9_DB_* or
 * DB_* (digest 5.1 #7): expose the same keys under the client's own names too (decision 4).
 */
export const dbCredentialsAs = (prefix: 'PF9_DB' | 'DB', optional = false): EnvVarSpec[] => [
  { name: `${prefix}_USER`, secret: 'db-credentials', key: 'POSTGRES_USER', ...(optional ? { optional } : {}) },
  { name: `${prefix}_PASSWORD`, secret: 'db-credentials', key: 'POSTGRES_PASSWORD', ...(optional ? { optional } : {}) },
];

export const api: ComponentSpec = {
  name: 'pf9-api',
  kind: 'Deployment',
  description: 'FastAPI backend (uvicorn); schema migrations run in the db-migration PreSync Job, not in an init container',
  image: IMAGES.api,
  labels: { app: 'pf9-api' },
  serviceAccount: SA.app,
  dependsOn: ['postgres', 'openldap'],
  waitForDependencies: true,
  ports: [{ name: 'http', containerPort: PORTS.api }],
  envFrom: [{ configMap: 'api-config' }, { configMap: 'ldap-config' }, { secret: 'db-credentials' }, { secret: 'jwt-secrets' }, { secret: 'api-secrets' }],
  env: dbCredentialsAs('PF9_DB'),
  probes: {
    liveness: { http: { path: '/health', port: 'http' }, initialDelaySeconds: 15, periodSeconds: 20 },
    readiness: { http: { path: '/health/ready', port: 'http' }, initialDelaySeconds: 10, periodSeconds: 5 },
  },
  // Zero-downtime rollouts (seed).
  strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
  podSecurityContext: PF9_POD_SECURITY,
  volumes: [tmpVolume()],
  settings: {
    default: {
      replicas: 1,
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1Gi' } },
    },
    dev: { resources: { requests: { cpu: '100m', memory: '256Mi' } } },
    ...highlyAvailable({
      autoscaling: {
        name: 'pf9-api-hpa',
        min: 3,
        max: 10,
        cpu: 70,
        memory: 80,
        behavior: {
          scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
          scaleUp: {
            stabilizationWindowSeconds: 0,
            policies: [
              { type: 'Percent', value: 100, periodSeconds: 30 },
              { type: 'Pods', value: 2, periodSeconds: 60 },
            ],
            selectPolicy: 'Max',
          },
        },
      },
      disruptionBudget: { minAvailable: 2, name: 'pf9-api-pdb' },
    }),
  },
};
