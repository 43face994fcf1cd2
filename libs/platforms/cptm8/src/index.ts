/**
 * CPTM8: six Go security-scanning services, two front ends, PostgreSQL, MongoDB, RabbitMQ, a
 * 3-node OpenSearch cluster fed by Vector, and the ECR pull-secret rotation. One app, namespaces
 * cptm8-{dev,staging,prod}. See README.md for the seed coverage and every decision.
 */
import { fileURLToPath } from 'node:url';
import { loadReleases, type PlatformSpec } from '@gitops/core';
import { namespaceFor, PLATFORM } from './constants';
import { configMaps } from './config';
import { secrets } from './secrets';
import { volumes } from './storage';
import { rbac } from './rbac';
import { clientServices } from './services';
import { networkPoliciesFeature } from './network-policies';
import { ingressFeature } from './ingress';
import { monitoringFeature } from './monitoring';
import { postgresql } from './components/postgresql';
import { mongodb } from './components/mongodb';
import { rabbitmq } from './components/rabbitmq';
import { opensearch } from './components/opensearch';
import { vector } from './components/vector';
import { ecrTokenInitial, ecrTokenRefresher } from './components/ecr-token-refresher';
import { goServices } from './components/go-services';
import { frontends } from './components/frontends';

const releases = loadReleases(fileURLToPath(new URL('../releases.yaml', import.meta.url)));

export const platform: PlatformSpec = {
  name: PLATFORM,
  description: 'CPTM8 security scanning platform (Go microservices, data stores, OpenSearch logging)',
  team: PLATFORM,
  releases,
  apps: [
    {
      name: PLATFORM,
      description: 'The whole platform in one namespace per environment',
      namespace: { default: namespaceFor('dev'), staging: namespaceFor('staging'), prod: namespaceFor('prod') },
      configMaps,
      secrets,
      volumes,
      components: [
        // Data stores and search first (wave 2), then the services that use them.
        postgresql,
        mongodb,
        rabbitmq,
        opensearch,
        ecrTokenInitial,
        ecrTokenRefresher,
        ...goServices,
        vector,
        ...frontends,
      ],
      features: [ingressFeature, networkPoliciesFeature, monitoringFeature],
      objects: (ctx) => [...rbac(ctx), ...clientServices(ctx)],
    },
  ],
};
