/**
 * Hyperpage platform: the PostgreSQL-backed Hyperpage application on Kubernetes
 * (seed 001_180701ee7d8f01c2; decisions D1-Dn in ../README.md).
 * One app, one namespace per environment; optional mesh and monitoring as Kustomize Components.
 */
import { fileURLToPath } from 'node:url';
import { loadReleases, type CompileContext, type TypedObject, type PlatformSpec } from '@gitops/core';
import { appComponent, appConfig, appIngress, appSecret, appVolumes } from './app';
import { backupComponent, dbConfig, dbInit, dbSecret, exporterComponent, postgresComponent } from './database';
import { capacityObjects, priorityClasses } from './capacity';
import { networkPolicies } from './network-policies';
import { rbacObjects } from './rbac';
import { meshFeature } from './mesh';
import { monitoringFeature } from './monitoring';
import { validatorComponent, validatorConfig } from './validation';
import { MESH_ENVS, NAMESPACE } from './design';

const releases = loadReleases(fileURLToPath(new URL('../releases.yaml', import.meta.url)));

/** Objects the component model has no word for (escape hatch). */
function objects(ctx: CompileContext): TypedObject[] {
  return [...priorityClasses(), ...capacityObjects(ctx), ...rbacObjects(ctx), ...networkPolicies(ctx), appIngress(ctx)];
}

export const platform: PlatformSpec = {
  name: 'hyperpage',
  description: 'Hyperpage: PostgreSQL-backed web application with autoscaling, Istio mesh and Prometheus monitoring',
  team: 'hyperpage',
  releases,
  apps: [
    {
      name: 'hyperpage',
      description: 'Hyperpage application, PostgreSQL 15, backups and validation',
      namespace: { default: NAMESPACE.dev, staging: NAMESPACE.staging, prod: NAMESPACE.prod },
      // D13: sidecar injection is namespace-wide, so the label is set only where the mesh runs.
      namespaceLabels: { default: {}, ...Object.fromEntries(MESH_ENVS.map((env) => [env, { 'istio-injection': 'enabled' }])) },
      configMaps: [appConfig, dbConfig, dbInit, validatorConfig],
      secrets: [appSecret, dbSecret],
      volumes: appVolumes,
      components: [postgresComponent, exporterComponent, appComponent, backupComponent, validatorComponent],
      features: [meshFeature, monitoringFeature],
      objects,
    },
  ],
};

