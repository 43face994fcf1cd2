/**
 * Which environment variables hold secrets. A variable is secret when one rule matches; the
 * rules are documented in README.md ("Secret detection") and each has a test.
 */
export interface SecretRule {
  id: string;
  description: string;
  test: (name: string, value: string) => boolean;
}

/** Names that point at a file or folder holding the secret (POSTGRES_PASSWORD_FILE) are paths, not secrets. */
const PATH_SUFFIX = /_(FILE|PATH|DIR|LOCATION)$/i;
/** Credentials inside a URL or DSN: scheme://user:password@host (a non-empty password). */
const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i;

export const SECRET_RULES: SecretRule[] = [
  {
    id: 'name-password',
    description: 'name contains PASSWORD, PASSWD, PASS or PWD (as a word)',
    test: (n) => !PATH_SUFFIX.test(n) && /(^|_)(PASSWORD|PASSWD|PASS|PWD)(_|$)|PASSWORD/i.test(n),
  },
  { id: 'name-secret', description: 'name contains SECRET', test: (n) => !PATH_SUFFIX.test(n) && /SECRET/i.test(n) },
  { id: 'name-token', description: 'name contains TOKEN', test: (n) => !PATH_SUFFIX.test(n) && /TOKEN/i.test(n) },
  {
    id: 'name-key',
    description: 'name ends in KEY or contains API_KEY, APIKEY, ACCESS_KEY, PRIVATE_KEY, SIGNING_KEY, FERNET_KEY, ENCRYPTION_KEY',
    test: (n) => !PATH_SUFFIX.test(n) && /(KEY$|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|SIGNING_?KEY|FERNET_?KEY|ENCRYPTION_?KEY)/i.test(n),
  },
  { id: 'name-credential', description: 'name contains CREDENTIAL, AUTH_KEY or SALT', test: (n) => !PATH_SUFFIX.test(n) && /(CREDENTIAL|SALT)/i.test(n) },
  {
    id: 'value-url-credentials',
    description: 'value is a URL or DSN with a password (scheme://user:password@host), whatever the name',
    test: (_n, v) => URL_CREDENTIALS.test(v),
  },
];

/** The id of the first rule that calls the variable secret, or undefined. */
export function secretRule(name: string, value: string): string | undefined {
  return SECRET_RULES.find((r) => r.test(name, value))?.id;
}
