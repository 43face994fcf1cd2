/**
 * RentGuy (seed): property management SaaS. The only app the seed gives full YAML for;
 * every seed field is kept unless the README's decision list says why not.
 */
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { SIZE, ha, res, scaled, single } from '../env';
import { frontend, key, labelsFor, postgres, runAs, secret, tmp, web } from '../kit';
import { middlewareRef } from '../routing';
import type { SevensaApp } from '../types';
import { KEYCLOAK, KEYCLOAK_URL, OPENBAO, OPENBAO_URL, REALM } from './infra';

const NS = 'rentguy';

/** The seed's `values.yaml` facts the containers need, as configuration. */
const CONFIG = {
  DATABASE_HOST: 'rentguy-db',
  DATABASE_PORT: '5432',
  DATABASE_NAME: 'rentguy',
  DATABASE_USER: 'rentguy',
  REDIS_HOST: 'rentguy-redis',
  REDIS_PORT: '6379',
  KEYCLOAK_URL,
  KEYCLOAK_REALM: REALM,
  KEYCLOAK_CLIENT_ID: 'rentguy-api',
  OPENBAO_ADDR: OPENBAO_URL,
  OPENBAO_ROLE: 'rentguy',
};

export const rentguy: SevensaApp = {
  name: NS,
  description: 'RentGuy services: frontend, API, database (seed namespace table) and Redis (seed values)',
  configMaps: [{ name: 'rentguy-config', data: CONFIG }],
  secrets: [
    secret(
      'rentguy-db-credentials',
      'PostgreSQL credentials (seed)',
      key.fixed('username', 'rentguy'),
      key.hex('password'),
      key.external('url', 'postgresql://rentguy:<password>@rentguy-db:5432/rentguy, composed from the password above when the secret is created'),
    ),
    secret('rentguy-jwt', 'JWT signing secret (seed)', key.base64('secret', 64)),
    secret('rentguy-redis-credentials', 'Redis password (seed values)', key.hex('password')),
    secret('rentguy-keycloak-credentials', 'Keycloak client secret of client rentguy-api (seed values)', key.hex('client-secret')),
    secret(
      'rentguy-openbao-credentials',
      'OpenBao AppRole login for role rentguy (seed values)',
      key.external('role-id', 'AppRole role_id of role "rentguy" (bao read auth/approle/role/rentguy/role-id)'),
      key.external('secret-id', 'AppRole secret_id of role "rentguy" (bao write -f auth/approle/role/rentguy/secret-id)'),
    ),
  ],
  components: [
    postgres({
      name: 'rentguy-db',
      database: 'rentguy',
      secret: 'rentguy-db-credentials',
      size: { dev: '2Gi', staging: '10Gi', prod: '10Gi' },
      // Seed in staging and prod; dev requests less and keeps the limits.
      resources: { dev: res('100m', '256Mi', '500m', '1Gi'), staging: res('250m', '512Mi', '500m', '1Gi'), prod: res('250m', '512Mi', '500m', '1Gi') },
      description: 'RentGuy PostgreSQL 14 (seed)',
    }),
    {
      name: 'rentguy-redis',
      kind: 'StatefulSet',
      description: 'RentGuy Redis (values redis.*; the seed names only host, port and secret)',
      image: 'redis',
      tag: '7.2-alpine',
      labels: { component: 'redis' },
      ports: [{ name: 'redis', containerPort: 6379 }],
      env: [{ name: 'REDIS_PASSWORD', secret: 'rentguy-redis-credentials', key: 'password' }],
      command: ['redis-server'],
      args: ['--appendonly', 'yes', '--dir', '/data', '--requirepass', '$(REDIS_PASSWORD)'],
      probes: {
        liveness: { tcp: { port: 'redis' }, initialDelaySeconds: 15, periodSeconds: 10 },
        readiness: { exec: ['sh', '-c', 'redis-cli -a "$REDIS_PASSWORD" --no-auth-warning ping | grep -q PONG'], initialDelaySeconds: 5, periodSeconds: 5 },
      },
      podSecurityContext: runAs(999, 1000),
      service: {},
      volumes: [{ name: 'data', source: { persistent: { storage: 'standard', size: '2Gi' } }, mounts: [{ mountPath: '/data' }] }, tmp()],
      settings: single({ dev: SIZE.s, staging: res('50m', '128Mi', '250m', '256Mi'), prod: res('100m', '256Mi', '500m', '512Mi') }, { data: { dev: '1Gi', staging: '2Gi', prod: '2Gi' } }),
    },
    web({
      name: 'rentguy-api',
      description: 'RentGuy API (seed Deployment, Service)',
      image: 'sevensa/rentguy-api',
      role: 'api',
      port: 3000,
      serviceAccount: 'rentguy-api',
      dependsOn: ['rentguy-db'],
      // The seed's init-db: same name and command, on a pinned busybox rather than the API
      // image (which need not ship `nc`), with resources and a non-root user.
      initContainers: [
        {
          name: 'init-db',
          image: 'busybox',
          tag: '1.36.1',
          command: ['sh', '-c', 'until nc -z rentguy-db 5432; do echo waiting for db; sleep 2; done;'],
          securityContext: { runAsUser: 65534, runAsGroup: 65534 },
          resources: SIZE.xs,
        },
      ],
      env: [
        { name: 'DATABASE_URL', secret: 'rentguy-db-credentials', key: 'url' },
        { name: 'JWT_SECRET', secret: 'rentguy-jwt', key: 'secret' },
        { name: 'REDIS_PASSWORD', secret: 'rentguy-redis-credentials', key: 'password' },
        { name: 'KEYCLOAK_CLIENT_SECRET', secret: 'rentguy-keycloak-credentials', key: 'client-secret' },
        { name: 'OPENBAO_ROLE_ID', secret: 'rentguy-openbao-credentials', key: 'role-id' },
        { name: 'OPENBAO_SECRET_ID', secret: 'rentguy-openbao-credentials', key: 'secret-id' },
      ],
      envFrom: [{ configMap: 'rentguy-config' }],
      // Seed: 3 replicas, requests 100m/256Mi, limits 500m/512Mi.
      settings: scaled({ dev: 1, staging: 2, prod: 3 }, { dev: res('50m', '128Mi', '500m', '512Mi'), staging: SIZE.m, prod: SIZE.m }),
    }),
    frontend({
      name: 'rentguy-frontend',
      description: 'RentGuy frontend (only named by the seed Ingress backend)',
      image: 'sevensa/rentguy-frontend',
      settings: ha(2, SIZE.s),
    }),
  ],
  ingresses: [
    {
      name: 'rentguy-ingress',
      tls: 'rentguy-tls',
      routes: [
        { host: 'rentguy', component: 'rentguy-frontend' },
        { host: 'api.rentguy', component: 'rentguy-api' },
      ],
      middlewares: [middlewareRef(NS, 'auth')],
    },
  ],
  middlewares: [
    {
      // `rentguy-auth@kubernetescrd` (seed) is Traefik's name for Middleware `auth` in namespace `rentguy`.
      // Forward auth: Traefik asks Keycloak's userinfo endpoint of realm `sevensa` with the request's
      // Authorization header; 2xx lets the request through, 401 is returned to the client.
      name: 'auth',
      spec: {
        forwardAuth: {
          address: `${KEYCLOAK_URL}/realms/${REALM}/protocol/openid-connect/userinfo`,
          authRequestHeaders: ['Authorization'],
          trustForwardHeader: false,
        },
      },
    },
  ],
  calls: [OPENBAO, KEYCLOAK],
  extraObjects: () => [
    // Seed names the account; AppRole login needs no Kubernetes API token in the pod.
    new ServiceAccount({ metadata: { name: 'rentguy-api', labels: labelsFor(NS, 'rentguy-api') }, automountServiceAccountToken: false }),
  ],
};

