/**
 * @gitops/validate: offline validation of rendered Kubernetes objects (strict schemas, references
 * between objects, policy per environment level). See README.md.
 */
export type {
  DeclaredSecret,
  Finding,
  PolicyLevel,
  ReleaseProblem,
  ReleasesInput,
  RenderedObject,
  RepoPaths,
  RuleInfo,
  Severity,
  Suppression,
  ValidateOptions,
  ValidationResult,
} from './types';
export { validateObjects } from './validate';
export { findForeignNamespaces, findSharedObjects, type Overlay } from './cross';
export { formatReport } from './report';
export { RULES } from './rules';
export { SUPPRESS_ANNOTATION, parseSuppressions, type ParsedSuppression } from './suppress';
export { supportedKinds } from './schema/registry';
// What Kubernetes accepts as a value (kube-apiserver's own rules): the one home; core's spec checks use them too.
// (also `@gitops/validate/values`, which loads none of the schema engine: what core imports).
export * from './values/index';
