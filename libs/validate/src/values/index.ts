/**
 * `@gitops/validate/values`: what Kubernetes accepts as a value (kube-apiserver's own rules) and the
 * suppression annotation's name, without the schema engine. @gitops/core checks specs with these at
 * generate time; importing the package root would load every kubernetes-models schema, ajv and CEL
 * (a 4 MB chunk, about 150 ms of `gitops generate`) that only validation needs.
 */
export { cronScheduleProblem, timeZoneProblem } from './cron';
export { parseQuantity, requestLimitProblems, type RequestLimitPair } from './quantity';
export { CLUSTER_SCOPED_KINDS, DNS1123_LABEL, DNS1123_SUBDOMAIN, isDns1123Label, isDns1123Subdomain } from './names';
export { envVarNameProblem, isCredentialEnvName, labelKeyProblem, labelValueProblem, PORTABLE_ENV_NAME } from './k8s-values';
export { SUPPRESS_ANNOTATION } from '../suppress';
