/**
 * Declared Secrets. The secrets tool creates and encrypts them per environment; the overlays list
 * them in the KSOPS generator. Only names and keys live here, never values.
 */
import type { SecretDecl } from '@gitops/core';

export const SECRETS = {
  /** One Secret, one key for the PostgreSQL password: the seed's four spellings resolved to `password` (README D6). */
  postgres: { name: 'postgresql-secrets', password: 'password' },
  mongodb: { name: 'mongodb-secrets', password: 'root-password' },
  rabbitmq: { name: 'rabbitmq-secrets', password: 'password' },
  /** Static AWS keys of the dedicated ECR-pull IAM user: a human supplies them. */
  aws: { name: 'aws-ecr-credentials', accessKeyId: 'aws-access-key-id', secretAccessKey: 'aws-secret-access-key' },
  /** subfinder provider API keys: a Secret, not the seed's ConfigMap key (README D34). */
  subfinder: { name: 'asmm8-subfinder-providers', file: 'subfinderprovider-config.yaml' },
} as const;

const password = { kind: 'password', length: 32 } as const;

export const secrets: SecretDecl[] = [
  {
    name: SECRETS.postgres.name,
    description: 'PostgreSQL superuser password (postgresqlm8 POSTGRES_PASSWORD, Go services POSTGRESQL_PASSWORD)',
    keys: [{ name: SECRETS.postgres.password, generate: password }],
  },
  {
    name: SECRETS.mongodb.name,
    description: 'MongoDB root password (MONGO_INITDB_ROOT_PASSWORD, Go services MONGODB_PASSWORD)',
    keys: [{ name: SECRETS.mongodb.password, generate: password }],
  },
  {
    name: SECRETS.rabbitmq.name,
    description: 'RabbitMQ default user password (RABBITMQ_DEFAULT_PASS, Go services RABBITMQ_PASSWORD)',
    keys: [{ name: SECRETS.rabbitmq.password, generate: password }],
  },
  {
    name: SECRETS.aws.name,
    description: 'Access key of the IAM user allowed ecr:GetAuthorizationToken and image pulls from repository/cptm8/*',
    keys: [
      { name: SECRETS.aws.accessKeyId, description: 'AWS_ACCESS_KEY_ID (supplied by a human)' },
      { name: SECRETS.aws.secretAccessKey, description: 'AWS_SECRET_ACCESS_KEY (supplied by a human)' },
    ],
  },
  {
    name: SECRETS.subfinder.name,
    description: 'subfinder provider-config.yaml with the passive-source API keys, copied into asmm8 at start',
    keys: [{ name: SECRETS.subfinder.file, description: 'provider-config.yaml content (supplied by a human)' }],
  },
];
