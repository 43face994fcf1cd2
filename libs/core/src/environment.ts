/** The environment model: everything a platform may vary on, and where Argo CD deploys it. */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** Storage class roles a platform asks for; each environment maps them to a real class. */
export type StorageRole = 'standard' | 'fast' | 'cheap' | 'shared';

export interface SyncPolicy {
  /** Argo CD automated sync; when false a person presses Sync. */
  automated: boolean;
  prune: boolean;
  selfHeal: boolean;
}

export interface Environment {
  name: string;
  description: string;
  /** Argo CD destination: a cluster API server URL or a registered cluster name. */
  destination: { server?: string; name?: string };
  /** Base DNS domain for Ingress hosts, e.g. `dev.example.internal`. */
  baseDomain: string;
  ingressClass: string;
  /** cert-manager ClusterIssuer used for TLS in this environment. */
  clusterIssuer: string;
  storageClasses: Record<StorageRole, string>;
  podSecurity: PodSecurityLevel;
  sync: SyncPolicy;
  /** age recipients that can decrypt this environment's secrets. */
  ageRecipients: string[];
}

export const ENVIRONMENT_ORDER = ['dev', 'staging', 'prod'] as const;
export type EnvName = (typeof ENVIRONMENT_ORDER)[number];
