import type { Environment, EnvName } from '@gitops/core';
import { ENVIRONMENT_ORDER } from '@gitops/core';
import { loadRecipients } from './recipients';

export { EXAMPLE_RECIPIENTS } from './example-recipients';
export { RECIPIENTS_FILE, loadRecipients } from './recipients';
export * from './layout';
export { ENVIRONMENT_NAMES } from './names';
export { ADDON_NAMESPACES, MONITORING } from './cluster';
export { promotionPolicies, releasePolicyProblems, isImmutableRef, type PromotionPolicy, type PolicyProblem } from './promotion';

const recipients = loadRecipients();

/**
 * The three environments every platform deploys to. Changing anything here changes
 * every platform (Nx marks them all affected), which is the point: one place per fact.
 */
export const environments: Record<EnvName, Environment> = {
  dev: {
    name: 'dev',
    description: 'Single-node Kind cluster on a developer machine or CI runner',
    destination: { server: 'https://kubernetes.default.svc' },
    baseDomain: 'dev.gitops.internal',
    ingressClass: 'nginx',
    clusterIssuer: 'selfsigned',
    storageClasses: { standard: 'local-path', fast: 'local-path', cheap: 'local-path', shared: 'local-path' },
    podSecurity: 'privileged',
    sync: { automated: true, prune: true, selfHeal: true },
    ageRecipients: recipients.dev ?? [],
  },
  staging: {
    name: 'staging',
    description: 'Managed multi-node cluster, cross-AZ, production-like at smaller size',
    destination: { name: 'staging' },
    baseDomain: 'staging.gitops.example.com',
    ingressClass: 'nginx',
    clusterIssuer: 'letsencrypt-staging',
    storageClasses: { standard: 'gp3', fast: 'gp3-iops', cheap: 'sc1', shared: 'efs' },
    podSecurity: 'baseline',
    sync: { automated: true, prune: true, selfHeal: true },
    ageRecipients: recipients.staging ?? [],
  },
  prod: {
    name: 'prod',
    description: 'Managed HA cluster with backups, strict policy and manual sync',
    destination: { name: 'prod' },
    baseDomain: 'gitops.example.com',
    ingressClass: 'nginx',
    clusterIssuer: 'letsencrypt-prod',
    storageClasses: { standard: 'gp3', fast: 'gp3-iops', cheap: 'sc1', shared: 'efs' },
    podSecurity: 'restricted',
    sync: { automated: false, prune: false, selfHeal: false },
    ageRecipients: recipients.prod ?? [],
  },
};

export const envNames: readonly EnvName[] = ENVIRONMENT_ORDER;

export function getEnvironment(name: string): Environment {
  const env = (environments as Record<string, Environment>)[name];
  if (!env) throw new Error(`unknown environment "${name}" (known: ${envNames.join(', ')})`);
  return env;
}
