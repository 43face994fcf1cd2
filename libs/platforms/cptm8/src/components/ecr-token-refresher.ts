/**
 * ECR pull-secret rotation (seed). ECR tokens live 12 h; the CronJob renews
 * `ecr-registry-secret` every 8 h. The seed bootstraps by hand (`kubectl create job --from=...
 * ecr-token-initial`); here the same script also runs as an Argo CD Sync hook Job so the Secret
 * exists before the ECR workloads (a later sync wave) pull their images (README D22).
 */
import type { ComponentSpec, ContainerSpec } from '@gitops/core';
import { APP_UID, ECR_PULL_SECRET, ECR_REGION, ECR_REGISTRY, IMAGES, KUBECTL_VERSION, plainLabels, runAs } from '../constants';
import { SECRETS } from '../secrets';
import { SMALL_RESOURCES } from '../profiles';

export const ECR_SERVICE_ACCOUNT = 'ecr-token-refresher';
export const ECR_CRONJOB = 'ecr-token-refresher';
export const ECR_BOOTSTRAP_JOB = 'ecr-token-initial';
export const ECR_SCHEDULE = '0 */8 * * *';
/** Upper bound of one token refresh (download kubectl, one ECR call, one apply). */
export const ECR_JOB_DEADLINE_SECONDS = 600;

/**
 * The seed's script, made to run non-root on a read-only root file system: kubectl goes to the
 * /work emptyDir instead of /usr/local/bin, its version is pinned instead of `stable.txt`, the
 * architecture is detected instead of hard-coded amd64, and the namespace comes from the pod
 * instead of a literal `cptm8-dev`.
 */
export const ECR_SCRIPT = [
  'set -eu',
  'case "$(uname -m)" in aarch64|arm64) ARCH=arm64 ;; *) ARCH=amd64 ;; esac',
  'curl -fsSLo /work/kubectl "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${ARCH}/kubectl"',
  'chmod +x /work/kubectl',
  'TOKEN=$(aws ecr get-login-password --region "$AWS_DEFAULT_REGION")',
  `/work/kubectl create secret docker-registry ${ECR_PULL_SECRET} \\`,
  '  --docker-server="$ECR_REGISTRY" \\',
  '  --docker-username=AWS \\',
  '  --docker-password="$TOKEN" \\',
  '  --namespace="$POD_NAMESPACE" \\',
  '  --dry-run=client -o yaml | /work/kubectl apply -f -',
  'echo "ECR token refreshed at $(date)"',
  '',
].join('\n');

const container: Omit<ContainerSpec, 'name'> = {
  ...IMAGES.awsCli,
  command: ['/bin/sh', '-c', ECR_SCRIPT],
  env: [
    { name: 'AWS_ACCESS_KEY_ID', secret: SECRETS.aws.name, key: SECRETS.aws.accessKeyId },
    { name: 'AWS_SECRET_ACCESS_KEY', secret: SECRETS.aws.name, key: SECRETS.aws.secretAccessKey },
    { name: 'AWS_DEFAULT_REGION', value: ECR_REGION },
    { name: 'ECR_REGISTRY', value: ECR_REGISTRY },
    { name: 'KUBECTL_VERSION', value: KUBECTL_VERSION },
    { name: 'POD_NAMESPACE', fieldPath: 'metadata.namespace' },
    { name: 'HOME', value: '/work' },
  ],
};

const common = (name: string) => ({
  ...container,
  name,
  serviceAccount: ECR_SERVICE_ACCOUNT,
  restartPolicy: 'OnFailure' as const,
  podSecurityContext: runAs(APP_UID),
  labels: plainLabels(name, 'ops'),
  volumes: [{ name: 'work', source: { emptyDir: {} }, mounts: [{ mountPath: '/work' }] }],
  // With concurrencyPolicy Forbid a hung run would block every later rotation until tokens
  // expire (12 h); a run normally takes seconds (README D22).
  activeDeadlineSeconds: ECR_JOB_DEADLINE_SECONDS,
  settings: { default: { resources: SMALL_RESOURCES } },
});

export const ecrTokenRefresher: ComponentSpec = {
  ...common(ECR_CRONJOB),
  kind: 'CronJob',
  description: 'Renews the ECR docker-registry Secret every 8 hours (tokens expire after 12)',
  schedule: ECR_SCHEDULE,
  concurrencyPolicy: 'Forbid',
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 3,
};

export const ecrTokenInitial: ComponentSpec = {
  ...common(ECR_BOOTSTRAP_JOB),
  kind: 'Job',
  description: 'First ECR token on every sync (replaces the manual `kubectl create job --from=cronjob/...`)',
  hook: 'Sync',
};
