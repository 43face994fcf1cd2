/**
 * Backups (seed): one Velero Schedule per app that holds persistent data. Velero only
 * reads Schedules from its own namespace, so they form this small app in `velero`. Velero itself
 * (server, node agent, BackupStorageLocation `default`) is a cluster add-on installed outside it.
 */
import type { CompileContext, EnvName, KubeObject } from '@gitops/core';
import type { ByEnv } from '../env';
import { labelsFor } from '../kit';
import { nsOf } from '../network';
import type { SevensaApp } from '../types';

const NS = 'velero';

/** Retention per environment; dev keeps its schedules paused (a Kind cluster has no snapshot support). */
const TTL: ByEnv<string> = { dev: '72h0m0s', staging: '168h0m0s', prod: '720h0m0s' };

/** Whether an app keeps data on persistent volumes. */
export function isStateful(app: SevensaApp): boolean {
  return (app.volumes?.length ?? 0) > 0 || app.components.some((c) => (c.volumes ?? []).some((v) => 'persistent' in v.source));
}

/** Daily at 01:00 UTC, staggered five minutes per app so the snapshots do not all start together. */
export function schedules(apps: SevensaApp[], ctx: CompileContext): KubeObject[] {
  return apps.filter(isStateful).map((app, i) => ({
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    metadata: { name: `${app.name}-daily`, labels: labelsFor('backups') },
    spec: {
      schedule: `${i * 5} 1 * * *`,
      paused: ctx.env.name === 'dev',
      useOwnerReferencesInBackup: false,
      template: {
        includedNamespaces: [nsOf(app)],
        // PersistentVolume snapshots for the databases; RWX volumes opt into file backup per pod.
        snapshotVolumes: true,
        storageLocation: 'default',
        ttl: TTL[ctx.env.name as EnvName],
      },
    },
  }));
}

export const backups: SevensaApp = {
  name: 'backups',
  namespace: NS,
  description: 'Velero backup schedules for the stateful apps (seed)',
  // Velero's namespace hosts its node agent (hostPath), which restricted/baseline admission refuses.
  namespaceLabels: { 'pod-security.kubernetes.io/enforce': 'privileged' },
  components: [],
  // No workloads of ours here, and a default-deny would cut Velero off from the API and object storage.
  networkPolicies: false,
  extraObjects: (ctx, all) => schedules(all, ctx),
};
