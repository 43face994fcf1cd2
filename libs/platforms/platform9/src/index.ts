/**
 * Platform9 Management System (pf9): the seed's Helm chart as a typed platform. One app,
 * namespace `pf9` in every environment (dev, staging and prod are separate clusters).
 * See README.md for the seed-to-object coverage and every decision.
 */
import { fileURLToPath } from 'node:url';
import { loadReleases, type PlatformSpec } from '@gitops/core';
import { NAMESPACE } from './constants';
import { configMaps } from './config';
import { secrets } from './secrets';
import { volumes } from './storage';
import { ui } from './components/ui';
import { api } from './components/api';
import { monitoring } from './components/monitoring';
import { redis } from './components/redis';
import { postgres } from './components/postgres';
import { openldap } from './components/openldap';
import { workers } from './components/workers';
import { dbMigration, cronJobs } from './components/jobs';
import { rbac } from './rbac';
import { networkPolicies } from './network-policies';
import { ingress } from './ingress';
import { prometheusFeature } from './monitoring';
import { adminToolsFeature } from './admin-tools';

const releases = loadReleases(fileURLToPath(new URL('../releases.yaml', import.meta.url)));

export const platform: PlatformSpec = {
  name: 'platform9',
  description: 'Platform9 Management System: UI, API, monitoring, workers, PostgreSQL, OpenLDAP and Redis',
  releases,
  apps: [
    {
      name: 'platform9',
      description: 'pf9 management stack',
      namespace: NAMESPACE,
      // osixia/openldap cannot start as non-root, and Pod Security admission has no per-pod exception:
      // prod admission enforces baseline instead of restricted, while warn/audit stay restricted and
      // the validator still holds every workload to it. dev (privileged) and staging (baseline)
      // keep the environment's level (README decision 19).
      namespaceLabels: { default: {}, prod: { 'pod-security.kubernetes.io/enforce': 'baseline' } },
      configMaps,
      secrets,
      volumes,
      components: [postgres, openldap, redis, api, ui, monitoring, ...workers, dbMigration, ...cronJobs],
      features: [prometheusFeature, adminToolsFeature],
      objects: (ctx) => [...rbac(ctx), ...networkPolicies(ctx), ...ingress(ctx)],
    },
  ],
};
