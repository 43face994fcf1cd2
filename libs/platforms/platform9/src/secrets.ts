/**
 * Declared Secrets (seed). Values never live in code: `gitops secrets`
 * generates the keys that have `generate` and asks a human for the rest (credentials issued by
 * Platform9, the SMTP relay, the Fernet key pair and the object store).
 */
import type { SecretDecl, SecretKeySpec } from '@gitops/core';

const human = (name: string, description: string): SecretKeySpec => ({ name, description });
const password = (name: string, length = 32): SecretKeySpec => ({ name, generate: { kind: 'password', length } });

export const secrets: SecretDecl[] = [
  {
    name: 'db-credentials',
    description: 'PostgreSQL superuser of the pf9 database',
    keys: [{ name: 'POSTGRES_USER', generate: { kind: 'fixed', value: 'pf9' }, description: 'compose default user (seed)' }, password('POSTGRES_PASSWORD')],
  },
  {
    name: 'jwt-secrets',
    description: 'API token signing key (JWT_ALGORITHM is configuration, in api-config)',
    // 32 random bytes, base64: what the runbook's `openssl rand -base64 32` produces.
    keys: [{ name: 'JWT_SECRET_KEY', generate: { kind: 'base64', length: 32 } }],
  },
  {
    name: 'ldap-secrets',
    description: 'OpenLDAP admin and cn=config passwords',
    keys: [password('LDAP_ADMIN_PASSWORD'), password('LDAP_CONFIG_PASSWORD')],
  },
  {
    name: 'api-secrets',
    description: 'Platform9 service credentials used by the API, monitoring, the snapshot worker and the host-script CronJobs',
    keys: [human('PF9_USERNAME', 'Platform9 service user'), human('PF9_PASSWORD', 'its password'), human('PF9_AUTH_URL', 'Keystone URL of the Platform9 region')],
  },
  {
    name: 'smtp-secrets',
    description: 'SMTP relay of the notification worker',
    keys: [human('SMTP_HOST', 'relay host'), human('SMTP_USERNAME', 'relay user'), human('SMTP_PASSWORD', 'relay password'), human('SMTP_FROM_ADDRESS', 'sender address')],
  },
  {
    name: 'snapshot-secrets',
    description: 'Snapshot service user; the encrypted password only decrypts with its Fernet key, so both come from the operator',
    keys: [
      human('SNAPSHOT_PASSWORD_KEY', 'Fernet key (url-safe base64)'),
      human('SNAPSHOT_USER_PASSWORD_ENCRYPTED', 'service user password encrypted with that key'),
      human('SNAPSHOT_SERVICE_USER_EMAIL', 'service user e-mail'),
      human('SNAPSHOT_SERVICE_USER_PASSWORD', 'service user password'),
    ],
  },
  {
    name: 'aws-backup-credentials',
    description: 'Object-store credentials of the postgres-backup CronJob (seed)',
    keys: [human('access-key', 'AWS access key id'), human('secret-key', 'AWS secret access key')],
  },
  {
    name: 'admin-tools-credentials',
    description: 'pgAdmin login (admin-tools feature, dev only; declared app-wide because the model has no per-feature secrets)',
    keys: [password('PGADMIN_DEFAULT_PASSWORD', 24)],
  },
];
