/** Public types of @gitops/validate (the contract the CLI and pipeline call). */

export interface RenderedObject {
  object: Record<string, any>;
  /** File or overlay path the object was rendered from. */
  source?: string;
}

export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  rule: string;
  platform?: string;
  env?: string;
  source?: string;
  kind: string;
  name: string;
  namespace?: string;
  /** Field path like spec.template.spec.containers[0].ports[0].containerPort */
  path: string;
  message: string;
}

export interface Suppression {
  rule: string;
  reason: string;
  kind: string;
  name: string;
  namespace?: string;
}

export type PolicyLevel = 'restricted' | 'baseline' | 'privileged' | 'none';

export interface DeclaredSecret {
  name: string;
  /** Omitted: the declaration counts in every namespace. */
  namespace?: string;
  keys: string[];
}

export interface ValidateOptions {
  platform?: string;
  env?: string;
  /** Policy level; defaults to 'restricted' (fail closed). */
  policy?: PolicyLevel;
  declaredSecrets?: DeclaredSecret[];
  /** Storage class names the environment defines; when given, PVCs and volumeClaimTemplates must use one (`pvc-storage-class`). */
  storageClasses?: string[];
  /** The Git repository Argo CD pulls from; when given, Applications of that repoURL must name an existing path (`argocd-app-path`). */
  repo?: RepoPaths;
  /** The platform's release images (releases.yaml): checked with the promotion policy of `env`. */
  releases?: ReleasesInput;
}

/** One problem of an environment's release reference, as the promotion policy words it. */
export interface ReleaseProblem {
  rule: 'release-immutable' | 'release-lineage';
  severity: Severity;
  message: string;
}

/**
 * The platform's release images and the promotion policy that judges them. The policy is passed
 * in (pipeline passes @gitops/environments' `releasePolicyProblems`, the one `gitops promote` uses),
 * so validate imports no workspace library and the two can never disagree.
 */
export interface ReleasesInput {
  /** Image repository -> environment -> tag or digest (`sha256:…`). */
  images: Record<string, Partial<Record<string, string>>>;
  /** Method syntax on purpose: the policy may take a narrower environment-name type. */
  policy(repo: string, env: string, values: Partial<Record<string, string>>): ReleaseProblem[];
}

export interface RepoPaths {
  url: string;
  /** Whether a path (relative to the repository root) exists as a folder. */
  pathExists(path: string): boolean;
}

export interface ValidationResult {
  findings: Finding[];
  suppressions: Suppression[];
  objects: number;
}

export interface RuleInfo {
  id: string;
  /** Highest severity the rule reports (at the strictest level where it is active). */
  severity: Severity;
  description: string;
  rationale: string;
  /** Objects and policy levels the rule applies to, in words. */
  appliesTo: string;
  /** Severity per policy level; absent level = rule not active there. Schema and reference rules are active at every level. */
  levels: Partial<Record<PolicyLevel, Severity>>;
  /** Whether the `gitops.io/suppress` annotation may silence it. */
  suppressible: boolean;
}
