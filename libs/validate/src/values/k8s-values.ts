/**
 * Value rules of the Kubernetes API server (k8s.io/apimachinery validation) that both the spec
 * check (`validate-spec.ts`) and `@gitops/validate` apply. The target is kube-apiserver 1.36
 * (`tools/toolchain/versions.json`).
 */
import { DNS1123_SUBDOMAIN } from './names';

/**
 * Env var names: since 1.34 (KEP-4369, RelaxedEnvironmentVariableValidation GA; beta and on by
 * default since 1.32) any printable ASCII character except '=' is accepted, and the name must not be
 * empty. Older API servers required a C-identifier-like name, `[-._a-zA-Z][-._a-zA-Z0-9]*`.
 */
export function envVarNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'an environment variable name must not be empty';
  if (name.includes('=')) return `environment variable name "${name}" contains '='`;
  if (!/^[\x20-\x7e]+$/.test(name)) return `environment variable name ${JSON.stringify(name)} may only contain printable ASCII characters`;
  return undefined;
}

/** Names API servers before 1.32 rejected and shells cannot expand (`$1BAD` is `$1` then "BAD"). */
export const PORTABLE_ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = LABEL_VALUE;

/** A label value: at most 63 characters, alphanumerics with `-`, `_`, `.` inside, or empty. */
export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `label value must be a string, got ${JSON.stringify(value)}`;
  if (value.length > 63) return `label value "${value}" is longer than 63 characters`;
  if (!LABEL_VALUE.test(value)) return `label value "${value}" must be empty or start and end with a letter or digit, with only letters, digits, '-', '_' and '.' between`;
  return undefined;
}

/** A label (or annotation) key: optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : [undefined, key];
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return `label key "${key}": the prefix must be a lowercase DNS subdomain`;
  if (!name || name.length > 63 || !LABEL_NAME.test(name)) return `label key "${key}": the name must be 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  return undefined;
}

/**
 * An env var name that says it holds a credential: it ENDS in a credential word (`DB_PASSWORD`,
 * `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`, `dbPassword`). Names that only mention one are settings
 * about it (`PASSWORD_MIN_LENGTH`, `TOKEN_TTL`) or point at it (`DB_PASSWORD_FILE`, `SECRET_NAME`).
 */
const CREDENTIAL_NAME = /(PASSWORD|PASSWD|PWD|PASSPHRASE|SECRET|TOKEN|CREDENTIALS?|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SECRET_?KEY|SIGNING_?KEY|ENCRYPTION_?KEY|SECRET_KEY_BASE)$/i;
export function isCredentialEnvName(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}
