/**
 * RBAC (seed). The ECR job may manage only its docker-registry Secret.
 * Kubernetes cannot restrict `create` by resourceNames (the name is not known when the request
 * is authorised), so the seed's single rule is split in two: `create` on secrets, and
 * get/patch/delete on `ecr-registry-secret` alone (README D2).
 */
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { objectMeta, type CompileContext } from '@gitops/core';
import { ECR_PULL_SECRET } from './constants';
import { ECR_SERVICE_ACCOUNT } from './components/ecr-token-refresher';
import { VECTOR_SERVICE_ACCOUNT } from './components/vector';

export const ECR_ROLE = 'ecr-secret-manager';
export const ECR_ROLE_BINDING = 'ecr-token-refresher-binding';

export const ECR_ROLE_RULES = [
  { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'patch', 'delete'], resourceNames: [ECR_PULL_SECRET] },
];

export function rbac(ctx: CompileContext) {
  return [
    new ServiceAccount({ metadata: objectMeta(ctx, ECR_SERVICE_ACCOUNT) }),
    new Role({ metadata: objectMeta(ctx, ECR_ROLE), rules: ECR_ROLE_RULES }),
    new RoleBinding({
      metadata: objectMeta(ctx, ECR_ROLE_BINDING),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: ECR_ROLE },
      subjects: [{ kind: 'ServiceAccount', name: ECR_SERVICE_ACCOUNT, namespace: ctx.namespace }],
    }),
    // Vector's identity. It reads logs through volume mounts and needs no API access:
    // no Role, and no token in the pod.
    new ServiceAccount({ metadata: objectMeta(ctx, VECTOR_SERVICE_ACCOUNT), automountServiceAccountToken: false }),
  ];
}
