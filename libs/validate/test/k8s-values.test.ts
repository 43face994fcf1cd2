/** Value rules shared by the spec check and @gitops/validate. */
import { describe, expect, it } from 'vitest';
import { envVarNameProblem, isCredentialEnvName, labelKeyProblem, labelValueProblem, parseQuantity } from '../src';

describe('k8s values', () => {
  it('env var names as kube-apiserver 1.34+ accepts them (KEP-4369)', () => {
    for (const ok of ['PATH', '1BAD', 'log.level', 'MY VAR', 'a-b', '$weird']) expect(envVarNameProblem(ok), ok).toBeUndefined();
    expect(envVarNameProblem('FOO=BAR')).toMatch(/contains '='/);
    expect(envVarNameProblem('')).toMatch(/must not be empty/);
    expect(envVarNameProblem('GRÖSSE')).toMatch(/printable ASCII/);
    expect(envVarNameProblem('TAB\tX')).toMatch(/printable ASCII/);
  });

  it('credential names end in a credential word; settings about them and file pointers do not', () => {
    for (const yes of ['DB_PASSWORD', 'POSTGRES_PASSWORD', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'STRIPE_API_KEY', 'dbPassword', 'JWT_SECRET', 'SECRET_KEY_BASE', 'SMTP_CREDENTIALS']) {
      expect(isCredentialEnvName(yes), yes).toBe(true);
    }
    for (const no of ['DB_PASSWORD_FILE', 'PASSWORD_MIN_LENGTH', 'TOKEN_TTL', 'SECRET_NAME', 'LOG_LEVEL', 'KEYCLOAK_URL', 'SECRETS_DIR']) {
      expect(isCredentialEnvName(no), no).toBe(false);
    }
  });

  it('label values and keys', () => {
    for (const ok of ['', 'a', 'A.b-c_1', 'x'.repeat(63)]) expect(labelValueProblem(ok), ok).toBeUndefined();
    expect(labelValueProblem('x'.repeat(64))).toMatch(/longer than 63/);
    expect(labelValueProblem('-a')).toMatch(/start and end/);
    expect(labelValueProblem('a b')).toMatch(/start and end/);
    expect(labelKeyProblem('app.kubernetes.io/name')).toBeUndefined();
    expect(labelKeyProblem('Example.com/x')).toMatch(/prefix/);
    expect(labelKeyProblem('a/b/c')).toMatch(/name/);
  });

  it('quantities compare by value across units', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('1.5')).toBe(1.5);
    expect(parseQuantity('1000Mi')! < parseQuantity('1Gi')!).toBe(true);
    expect(parseQuantity('lots')).toBeUndefined();
    expect(parseQuantity('1GB')).toBeUndefined();
  });
});
