export * from './environment';
export * from './errors';
export * from './model';
export * from './objects';
export * from './settings';
export * from './graph';
export * from './validate-spec';
// Kubernetes value rules live in @gitops/validate (which imports no workspace library); platforms get them here.
export { cronScheduleProblem, timeZoneProblem, parseQuantity, envVarNameProblem, isCredentialEnvName, labelKeyProblem, labelValueProblem, PORTABLE_ENV_NAME } from '@gitops/validate/values';
export * from './compile';
export * from './kit';
export * from './releases';
