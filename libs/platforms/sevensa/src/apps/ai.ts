/**
 * AI Orchestration (seed): LangGraph, N8N, Claude Chat and the Trading Dashboard.
 * LangGraph is the shared agent runtime (internal only, checkpoints in PostgreSQL); the other three
 * are the user-facing tools. All four call external APIs (LLMs, market data, workflow targets).
 */
import type { ComponentSpec } from '@gitops/core';
import { SIZE, ha, host, res, single } from '../env';
import { databaseUrlEnv, dbSecret, key, postgres, runAs, secret, tmp, web } from '../kit';
import type { SevensaApp } from '../types';
import { KEYCLOAK, KEYCLOAK_URL, REALM } from './infra';

const LLM = { secret: 'ai-llm-credentials', key: 'anthropic-api-key' };

const n8n: ComponentSpec = {
  name: 'n8n',
  kind: 'StatefulSet',
  description: 'n8n workflow automation (single instance: SQLite and binary data on its volume)',
  image: 'n8nio/n8n',
  tag: '1.72.1',
  labels: { component: 'workflows' },
  ports: [{ name: 'http', containerPort: 5678, servicePort: 80 }],
  // Public URL per environment (webhooks are called from outside).
  envFrom: [{ configMap: 'n8n-env' }],
  env: [
    { name: 'N8N_ENCRYPTION_KEY', secret: 'n8n-credentials', key: 'encryption-key' },
    { name: 'N8N_PORT', value: '5678' },
    { name: 'N8N_PROTOCOL', value: 'https' },
    { name: 'N8N_DIAGNOSTICS_ENABLED', value: 'false' },
    { name: 'N8N_PERSONALIZATION_ENABLED', value: 'false' },
    { name: 'GENERIC_TIMEZONE', value: 'Europe/Amsterdam' },
  ],
  probes: {
    liveness: { http: { path: '/healthz', port: 'http' }, initialDelaySeconds: 30, periodSeconds: 10 },
    readiness: { http: { path: '/healthz', port: 'http' }, initialDelaySeconds: 10, periodSeconds: 5 },
  },
  // UID 1000: the image's `node` user.
  podSecurityContext: runAs(1000),
  service: {},
  volumes: [{ name: 'data', source: { persistent: { storage: 'standard', size: '10Gi' } }, mounts: [{ mountPath: '/home/node/.n8n' }] }, tmp()],
  settings: single({ dev: SIZE.m, staging: SIZE.l, prod: SIZE.l }, { data: { dev: '2Gi', staging: '5Gi', prod: '10Gi' } }),
};

export const ai: SevensaApp = {
  name: 'ai',
  description: 'AI Orchestration services: LangGraph, N8N, Claude Chat, Trading Dashboard (seed namespace table)',
  configMaps: [
    {
      name: 'ai-config',
      data: { KEYCLOAK_URL, KEYCLOAK_REALM: REALM, LANGGRAPH_URL: 'http://langgraph' },
    },
    { name: 'n8n-env', data: (env) => ({ N8N_HOST: host(env.name, 'n8n.ai'), WEBHOOK_URL: `https://${host(env.name, 'n8n.ai')}/` }) },
  ],
  secrets: [
    dbSecret('ai-db-credentials', 'langgraph'),
    secret('ai-llm-credentials', 'LLM provider keys used by LangGraph and Claude Chat', key.external('anthropic-api-key', 'Anthropic API key')),
    secret('n8n-credentials', 'n8n encryption key for stored credentials', key.hex('encryption-key')),
    secret('ai-keycloak-credentials', 'Keycloak client secrets of the chat and dashboard clients', key.hex('claude-chat'), key.hex('trading-dashboard')),
  ],
  components: [
    postgres({ name: 'ai-db', database: 'langgraph', secret: 'ai-db-credentials', size: { dev: '2Gi', staging: '5Gi', prod: '10Gi' }, resources: { dev: SIZE.m, staging: SIZE.l, prod: SIZE.l }, description: 'PostgreSQL 14: LangGraph checkpoints and threads' }),
    web({
      name: 'langgraph',
      description: 'LangGraph agent server (internal API for the chat, the dashboard and n8n)',
      image: 'sevensa/langgraph',
      role: 'langgraph',
      port: 8000,
      env: [{ name: 'ANTHROPIC_API_KEY', ...LLM }, ...databaseUrlEnv('ai-db-credentials', 'ai-db', 'langgraph')],
      dependsOn: ['ai-db'],
      settings: ha(2, res('250m', '512Mi', '1', '1Gi'), SIZE.m),
    }),
    n8n,
    web({
      name: 'claude-chat',
      description: 'Claude Chat web application',
      image: 'sevensa/claude-chat',
      role: 'chat',
      port: 3000,
      env: [{ name: 'ANTHROPIC_API_KEY', ...LLM }, { name: 'KEYCLOAK_CLIENT_SECRET', secret: 'ai-keycloak-credentials', key: 'claude-chat' }],
      envFrom: [{ configMap: 'ai-config' }],
      settings: ha(2, SIZE.m),
    }),
    web({
      name: 'trading-dashboard',
      description: 'Trading Dashboard web application',
      image: 'sevensa/trading-dashboard',
      role: 'dashboard',
      port: 3000,
      env: [{ name: 'KEYCLOAK_CLIENT_SECRET', secret: 'ai-keycloak-credentials', key: 'trading-dashboard' }],
      envFrom: [{ configMap: 'ai-config' }],
      settings: ha(2, SIZE.m),
    }),
  ],
  ingresses: [
    {
      name: 'ai-ingress',
      tls: 'ai-tls',
      routes: [
        { host: 'n8n.ai', component: 'n8n' },
        { host: 'chat.ai', component: 'claude-chat' },
        { host: 'trading.ai', component: 'trading-dashboard' },
      ],
    },
  ],
  calls: [KEYCLOAK],
  internet: ['langgraph', 'n8n', 'claude-chat', 'trading-dashboard'],
};
