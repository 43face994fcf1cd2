/**
 * ConfigMaps: non-sensitive settings only (credentials are in `secrets.ts`). Values that name a
 * Service use the client Service FQDN in the environment's namespace (seed, never pod DNS).
 */
import type { ConfigMapSpec } from '@gitops/core';
import { fqdn, GO_SERVICES, MONGODB, OPENSEARCH, POSTGRES, RABBITMQ, type GoService } from './constants';

export const goConfigName = (svc: GoService): string => `${svc}-config`;
export const ASMM8_TEMPLATE_CONFIG = 'configuration-template-asmm8';
export const SUBFINDER_CONFIG_FILE = 'subfinderconfig.yaml';
export const MONGODB_CONFIG = 'mongodb-config';
export const RABBITMQ_CONFIG = 'rabbitmq-config';
export const VECTOR_CONFIG = 'vector-config';

/** Where each Go service writes its log files (Compose bind mount `./services/<svc>/app/log`). */
export const logDir = (svc: GoService): string => `/var/log/${svc}`;

/**
 * `<svc>-config`, loaded with envFrom. asmm8's two keys are the seed's; the database
 * name and the broker/document-store endpoints follow the same pattern for every service.
 * Only `env.name` may be used here: spec validation calls this with a bare `{ name }`.
 */
const goConfig = (svc: GoService): ConfigMapSpec => ({
  name: goConfigName(svc),
  data: (env) => ({
    POSTGRESQL_HOSTNAME: fqdn(POSTGRES.client, env.name),
    POSTGRESQL_PORT: String(POSTGRES.port),
    POSTGRESQL_DB: POSTGRES.db,
    RABBITMQ_HOSTNAME: fqdn(RABBITMQ.client, env.name),
    RABBITMQ_PORT: String(RABBITMQ.port),
    RABBITMQ_USERNAME: RABBITMQ.user,
    MONGODB_HOSTNAME: fqdn(MONGODB.client, env.name),
    MONGODB_PORT: String(MONGODB.port),
    MONGODB_USERNAME: MONGODB.user,
    LOG_DIR: logDir(svc),
  }),
});

/**
 * Vector: tail every service's log directory (mounted read-only from the shared volumes) and ship
 * to the OpenSearch client Service. `api_version: v8` because OpenSearch 2.x rejects the `_type`
 * field Vector sends in v7 mode; the API on 8686 backs Vector's probes.
 */
const vectorConfig = (envName: string): string =>
  [
    'data_dir: /var/lib/vector',
    'api:',
    '  enabled: true',
    '  address: 0.0.0.0:8686',
    'sources:',
    '  cptm8_service_logs:',
    '    type: file',
    '    read_from: beginning',
    '    include:',
    ...GO_SERVICES.map((s) => `      - ${logDir(s)}/**/*.log`),
    'transforms:',
    '  cptm8_tagged:',
    '    type: remap',
    '    inputs: [cptm8_service_logs]',
    '    source: |',
    '      parts = split(string!(.file), "/")',
    '      .service = parts[3]',
    `      .environment = "${envName}"`,
    'sinks:',
    '  opensearch:',
    '    type: elasticsearch',
    '    inputs: [cptm8_tagged]',
    `    endpoints: ["http://${OPENSEARCH.client}:${OPENSEARCH.port}"]`,
    '    api_version: v8',
    '    mode: bulk',
    '    bulk:',
    '      index: "cptm8-logs-%Y.%m.%d"',
    '',
  ].join('\n');

export const configMaps: ConfigMapSpec[] = [
  ...GO_SERVICES.map(goConfig),
  {
    // Source of truth for asmm8's editable config files (emptyDir + ConfigMap pattern).
    // The provider file with API keys comes from a Secret instead (README D34).
    name: ASMM8_TEMPLATE_CONFIG,
    data: { [SUBFINDER_CONFIG_FILE]: '# subfinder configuration (owned by the asmm8 team; empty = subfinder defaults)\n' },
  },
  { name: MONGODB_CONFIG, data: { MONGO_INITDB_ROOT_USERNAME: MONGODB.user, MONGO_INITDB_DATABASE: MONGODB.db } },
  { name: RABBITMQ_CONFIG, data: { RABBITMQ_DEFAULT_USER: RABBITMQ.user } },
  { name: VECTOR_CONFIG, data: (env) => ({ 'vector.yaml': vectorConfig(env.name) }) },
];
