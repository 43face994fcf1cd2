/**
 * RBAC (seed): one ServiceAccount per workload with no API token except Prometheus,
 * whose Role can only list pods in this namespace (its backend discovery). No ClusterRole is
 * needed. People get namespaced Roles bound to the Phase-1 Azure AD groups (seed): developers
 * operate dev, read staging and prod; operators operate staging and prod.
 */
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IPolicyRule } from 'kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule';
import type { CompileContext } from '@gitops/core';
import { PLATFORM_LABELS } from './constants';

/**
 * Azure AD groups. With AKS-managed Azure AD a Group subject is the group's object ID: replace
 * these names with the tenant's object IDs before the first prod sync (README "Deploy inputs").
 */
export const AAD_GROUPS = { developers: 'ms5-developers', operators: 'ms5-operators' } as const;

/** ServiceAccounts that need an API token (everything else: automountServiceAccountToken false). */
export const TOKEN_ACCOUNTS = new Set(['prometheus']);

const labels = { ...PLATFORM_LABELS };

const READ: IPolicyRule[] = [
  { apiGroups: [''], resources: ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'persistentvolumeclaims', 'events', 'serviceaccounts'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'replicasets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: ['get', 'list', 'watch'] },
];
/** Day-2 operations: restart, scale, port-forward, delete a stuck pod. Never secrets, never exec into prod. */
const OPERATE: IPolicyRule[] = [
  ...READ,
  { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
  { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['patch'] },
  { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['patch', 'update'] },
];

export function serviceAccounts(names: string[]): ServiceAccount[] {
  return names.map(
    (name) =>
      new ServiceAccount({
        metadata: { name, labels: { ...labels, 'app.kubernetes.io/name': name } },
        automountServiceAccountToken: TOKEN_ACCOUNTS.has(name),
      }),
  );
}

export function rbac(ctx: CompileContext): Array<Role | RoleBinding> {
  const role = (name: string, rules: IPolicyRule[]) => new Role({ metadata: { name, labels }, rules });
  const bind = (name: string, roleName: string, subjects: Array<{ kind: 'Group' | 'ServiceAccount'; name: string }>) =>
    new RoleBinding({
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects: subjects.map((s) => (s.kind === 'Group' ? { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: s.name } : { kind: 'ServiceAccount', name: s.name, namespace: ctx.namespace })),
    });
  const devRole = ctx.env.name === 'dev' ? 'ms5-operator' : 'ms5-reader';
  return [
    role('prometheus-discovery', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]),
    bind('prometheus-discovery', 'prometheus-discovery', [{ kind: 'ServiceAccount', name: 'prometheus' }]),
    role('ms5-reader', READ),
    role('ms5-operator', OPERATE),
    bind('ms5-developers', devRole, [{ kind: 'Group', name: AAD_GROUPS.developers }]),
    bind('ms5-operators', 'ms5-operator', [{ kind: 'Group', name: AAD_GROUPS.operators }]),
  ];
}
