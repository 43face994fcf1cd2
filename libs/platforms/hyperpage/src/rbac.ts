/**
 * ServiceAccounts and RBAC. The seed's list is granted to the application's account,
 * scoped to its namespace except `nodes`, which only a ClusterRole can grant (D20). Every other
 * workload gets its own account, without an API token unless it calls the API.
 */
import { syncWave, type CompileContext, type TypedObject } from '@gitops/core';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { SA, backedUp } from './design';

const wave = syncWave(1);
const READ = ['get', 'list', 'watch'];

function account(name: string, automount: boolean): TypedObject {
  return new ServiceAccount({ metadata: { name, annotations: wave }, automountServiceAccountToken: automount });
}

/** Name of the cluster-scoped objects: per namespace, so two environments never share one. */
export const nodeReaderName = (namespace: string) => `${namespace}-node-reader`;

export function rbacObjects(ctx: CompileContext): TypedObject[] {
  const ns = ctx.namespace;
  const subject = (name: string) => [{ kind: 'ServiceAccount', name, namespace: ns }];
  return [
    account(SA.app, true),
    account(SA.db, false),
    account(SA.exporter, false),
    ...(backedUp(ctx.env.name) ? [account(SA.backup, false)] : []),
    account(SA.validator, true),

    // Seed: pods, services get/list/watch; deployments, replicasets get/list/watch/update/patch;
    // horizontalpodautoscalers get/list/watch.
    new Role({
      metadata: { name: SA.app, annotations: wave },
      rules: [
        { apiGroups: [''], resources: ['pods', 'services'], verbs: READ },
        { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: [...READ, 'update', 'patch'] },
        { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
      ],
    }),
    new RoleBinding({
      metadata: { name: SA.app, annotations: wave },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: SA.app },
      subjects: subject(SA.app),
    }),
    // Seed: nodes get/list/watch (cluster-scoped resource).
    new ClusterRole({
      metadata: { name: nodeReaderName(ns), annotations: wave },
      rules: [{ apiGroups: [''], resources: ['nodes'], verbs: READ }],
    }),
    new ClusterRoleBinding({
      metadata: { name: nodeReaderName(ns), annotations: wave },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: nodeReaderName(ns) },
      subjects: subject(SA.app),
    }),

    // Validation job: read-only, exactly what its checks fetch.
    new Role({
      metadata: { name: SA.validator, annotations: wave },
      rules: [
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list'] },
        { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['get', 'list'] },
        { apiGroups: ['monitoring.coreos.com'], resources: ['servicemonitors', 'prometheusrules'], verbs: ['get', 'list'] },
      ],
    }),
    new RoleBinding({
      metadata: { name: SA.validator, annotations: wave },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: SA.validator },
      subjects: subject(SA.validator),
    }),
  ];
}

