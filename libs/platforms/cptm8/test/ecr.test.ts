/** ECR token refresher: CronJob, bootstrap hook Job and least-privilege RBAC. */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForTest, type RenderedPlatform } from '@gitops/pipeline';
import { ENVS, envVar, mainContainer, podSpec, volume } from './helpers';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('cptm8');
});

describe.each(ENVS)('ECR token refresher in %s', (env) => {
  const ns = `cptm8-${env}`;

  it('CronJob runs every 8 hours as ecr-token-refresher with AWS keys from aws-ecr-credentials', () => {
    const cj = r.get(env, 'CronJob', 'ecr-token-refresher');
    expect(cj.spec.schedule).toBe('0 */8 * * *');
    expect(cj.spec.concurrencyPolicy).toBe('Forbid');
    const spec = podSpec(cj);
    expect(spec.serviceAccountName).toBe('ecr-token-refresher');
    expect(spec.restartPolicy).toBe('OnFailure');
    const c = mainContainer(cj);
    expect(c.image).toBe('amazon/aws-cli:2.15.0');
    expect(envVar(c, 'AWS_ACCESS_KEY_ID').valueFrom.secretKeyRef).toEqual({ name: 'aws-ecr-credentials', key: 'aws-access-key-id' });
    expect(envVar(c, 'AWS_SECRET_ACCESS_KEY').valueFrom.secretKeyRef).toEqual({ name: 'aws-ecr-credentials', key: 'aws-secret-access-key' });
    expect(envVar(c, 'AWS_DEFAULT_REGION').value).toBe('us-east-1');
    expect(envVar(c, 'ECR_REGISTRY').value).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com');
    // The namespace comes from the pod, not the seed's literal cptm8-dev.
    expect(envVar(c, 'POD_NAMESPACE').valueFrom.fieldRef.fieldPath).toBe('metadata.namespace');
    const script = c.command[2];
    expect(script).toContain('kubectl create secret docker-registry ecr-registry-secret');
    expect(script).toContain('--namespace="$POD_NAMESPACE"');
    expect(script).not.toContain('cptm8-dev');
    expect(script).not.toContain('stable.txt');
    expect(volume(cj, 'work').emptyDir).toEqual({});
  });

  it('a Sync hook Job creates the first token before the ECR workloads', () => {
    const job = r.get(env, 'Job', 'ecr-token-initial');
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('Sync');
    expect(mainContainer(job).command).toEqual(mainContainer(r.get(env, 'CronJob', 'ecr-token-refresher')).command);
    expect(podSpec(job).serviceAccountName).toBe('ecr-token-refresher');
  });

  it('both jobs are bounded: a hung run cannot block later rotations (concurrencyPolicy Forbid)', () => {
    expect(podSpec(r.get(env, 'CronJob', 'ecr-token-refresher')).activeDeadlineSeconds).toBe(600);
    expect(podSpec(r.get(env, 'Job', 'ecr-token-initial')).activeDeadlineSeconds).toBe(600);
  });

  it('Role ecr-secret-manager: create unrestricted (Kubernetes cannot name it), the rest only on ecr-registry-secret', () => {
    const role = r.get(env, 'Role', 'ecr-secret-manager');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'patch', 'delete'], resourceNames: ['ecr-registry-secret'] },
    ]);
    // No rule may pair `create` with resourceNames: the API server would never authorise it.
    expect(role.rules.some((rule: any) => rule.verbs.includes('create') && rule.resourceNames)).toBe(false);
  });

  it('RoleBinding ecr-token-refresher-binding binds the role to the ServiceAccount of this namespace', () => {
    expect(r.get(env, 'ServiceAccount', 'ecr-token-refresher').metadata.namespace).toBe(ns);
    expect(r.get(env, 'RoleBinding', 'ecr-token-refresher-binding')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ecr-secret-manager' },
      subjects: [{ kind: 'ServiceAccount', name: 'ecr-token-refresher', namespace: ns }],
    });
  });

  it('vector-sa exists without an API token, and no other Role or any ClusterRole is granted', () => {
    expect(r.get(env, 'ServiceAccount', 'vector-sa').automountServiceAccountToken).toBe(false);
    const rbac = r.objects(env).filter((o) => ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind));
    expect(rbac.map((o) => `${o.kind}/${o.metadata!.name}`).sort()).toEqual(['Role/ecr-secret-manager', 'RoleBinding/ecr-token-refresher-binding']);
  });

  it('the pull secret is not declared: the job owns it (Argo CD would revert a refreshed token)', () => {
    const declared = r.platform.spec.apps[0].secrets!.map((s) => s.name);
    expect(declared).not.toContain('ecr-registry-secret');
    expect(r.objects(env).find((o) => o.kind === 'Secret' && o.metadata?.name === 'ecr-registry-secret')).toBeUndefined();
  });
});
