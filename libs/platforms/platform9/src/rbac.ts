/**
 * ServiceAccounts, the pod-reader Role and its bindings (seed). Sync wave 1: they
 * must exist before the first pod that names them (workloads start at wave 2).
 */
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { syncWave, toPlain, type CompileContext, type KubeObject } from '@gitops/core';
import { PLATFORM_LABELS, SA } from './constants';

export function rbac(ctx: CompileContext): KubeObject[] {
  const metadata = (name: string) => ({
    name,
    namespace: ctx.namespace,
    labels: { ...PLATFORM_LABELS },
    annotations: syncWave(1),
  });
  const binding = (name: string, sa: string) =>
    toPlain(new RoleBinding({
      metadata: metadata(name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
      subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ctx.namespace }],
    }));
  return [
    // Application pods: API, UI, monitoring and the four workers.
    toPlain(new ServiceAccount({ metadata: metadata(SA.app) })),
    // CronJobs (the PreSync migration uses `default`, see components/jobs.ts).
    toPlain(new ServiceAccount({ metadata: metadata(SA.jobs) })),
    toPlain(new Role({ metadata: metadata('pod-reader'), rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] }] })),
    binding('pf9-app-reader', SA.app),
    binding('pf9-jobs-reader', SA.jobs),
  ];
}
