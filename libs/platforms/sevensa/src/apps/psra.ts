/**
 * PSRA-LTSD (seed): trade compliance with the LangGraph-powered Origin Calculation Engine.
 * The seed names four services and nothing else; they follow the RentGuy pattern (see README).
 */
import { SIZE, ha, res } from '../env';
import { databaseUrlEnv, dbSecret, frontend, key, postgres, secret, web } from '../kit';
import type { SevensaApp } from '../types';
import { KEYCLOAK, KEYCLOAK_URL, REALM } from './infra';

export const psra: SevensaApp = {
  name: 'psra',
  description: 'PSRA-LTSD services: frontend, API, origin engine, database (seed namespace table)',
  configMaps: [
    {
      name: 'psra-config',
      data: { KEYCLOAK_URL, KEYCLOAK_REALM: REALM, KEYCLOAK_CLIENT_ID: 'psra-api', ORIGIN_ENGINE_URL: 'http://psra-origin-engine' },
    },
  ],
  secrets: [
    dbSecret('psra-db-credentials', 'psra'),
    secret('psra-keycloak-credentials', 'Keycloak client secret of client psra-api', key.hex('client-secret')),
    secret('psra-llm-credentials', 'LLM provider key of the origin engine', key.external('api-key', 'API key of the LLM provider the LangGraph engine calls')),
  ],
  components: [
    postgres({ name: 'psra-db', database: 'psra', secret: 'psra-db-credentials', size: { dev: '2Gi', staging: '10Gi', prod: '20Gi' }, resources: { dev: SIZE.m, staging: SIZE.l, prod: SIZE.l } }),
    web({
      name: 'psra-origin-engine',
      description: 'LangGraph-powered Origin Calculation Engine (internal; called by the API)',
      image: 'sevensa/psra-origin-engine',
      role: 'origin-engine',
      port: 8000,
      env: [{ name: 'LLM_API_KEY', secret: 'psra-llm-credentials', key: 'api-key' }, ...databaseUrlEnv('psra-db-credentials', 'psra-db', 'psra')],
      dependsOn: ['psra-db'],
      settings: ha(2, res('250m', '512Mi', '1', '1Gi'), SIZE.m),
    }),
    web({
      name: 'psra-api',
      description: 'PSRA API',
      image: 'sevensa/psra-api',
      role: 'api',
      port: 3000,
      env: [...databaseUrlEnv('psra-db-credentials', 'psra-db', 'psra'), { name: 'KEYCLOAK_CLIENT_SECRET', secret: 'psra-keycloak-credentials', key: 'client-secret' }],
      envFrom: [{ configMap: 'psra-config' }],
      dependsOn: ['psra-db'],
      settings: ha(2, SIZE.m),
    }),
    frontend({ name: 'psra-frontend', description: 'PSRA frontend (static)', image: 'sevensa/psra-frontend', settings: ha(2, SIZE.s) }),
  ],
  ingresses: [
    {
      name: 'psra-ingress',
      tls: 'psra-tls',
      routes: [
        { host: 'psra', component: 'psra-frontend' },
        { host: 'api.psra', component: 'psra-api' },
      ],
    },
  ],
  calls: [KEYCLOAK],
  internet: ['psra-origin-engine'],
};
