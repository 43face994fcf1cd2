/**
 * ConfigMaps (seed, merged with the per-component blocks of).
 * Service endpoints live here rather than as per-Deployment env literals, so every client of a
 * Service reads the same DNS name (decision 6).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConfigMapSpec, Environment } from '@gitops/core';
import { DB_NAME, LDAP, PORTS, SERVICES, svc } from './constants';

const initSql = readFileSync(fileURLToPath(new URL('../sql/init.sql', import.meta.url)), 'utf8');

const db = { host: svc(SERVICES.postgres), port: String(PORTS.postgres) };

/** Daily pg_dump destination and retention (values `backup.*`); one prefix per cluster. */
export const BACKUP = { bucket: 's3://pf9-backups/', retentionDays: '30', schedule: '0 2 * * *' } as const;

/** Bootstrap tree the API's LDAP_USER_DN / LDAP_GROUP_DN point at; osixia fills in {{ LDAP_BASE_DN }}. */
const ldapTree = `dn: ou=users,{{ LDAP_BASE_DN }}
objectClass: organizationalUnit
ou: users

dn: ou=groups,{{ LDAP_BASE_DN }}
objectClass: organizationalUnit
ou: groups
`;

/** API settings, also read key by key by the db-migration Job. */
export const apiConfig: Record<string, string> = {
      PF9_DB_HOST: db.host,
      PF9_DB_PORT: db.port,
      PF9_DB_NAME: DB_NAME,
      PF9_USER_DOMAIN: 'Default',
      PF9_PROJECT_NAME: 'service',
      PF9_PROJECT_DOMAIN: 'Default',
      PF9_REGION_NAME: 'region-one',
      // Not a secret: kept here only, not duplicated into jwt-secrets (decision 11).
      JWT_ALGORITHM: 'HS256',
      JWT_ACCESS_TOKEN_EXPIRE_MINUTES: '480',
      JWT_REFRESH_TOKEN_EXPIRE_DAYS: '30',
      ENABLE_AUTHENTICATION: 'true',
      DEFAULT_ADMIN_USER: 'admin',
      LDAP_SERVER: svc(SERVICES.ldap),
      LDAP_PORT: String(PORTS.ldap),
    };

export const configMaps: ConfigMapSpec[] = [
  { name: 'api-config', data: apiConfig },
  // Referenced by the UI Deployment (seed) but never given keys; the SPA calls the API through the Ingress.
  { name: 'ui-config', data: { VITE_API_BASE_URL: '/api' } },
  {
    name: 'db-config',
    data: {
      POSTGRES_DB: DB_NAME,
      // PostgreSQL 16's initdb accepts -c name=value (the seed's value).
      POSTGRES_INITDB_ARGS: '-c max_connections=200 -c shared_buffers=256MB -c effective_cache_size=1GB',
    },
  },
  // Seed: `db-init-scripts` (mounted) vs `postgres-init` (box): the mounted name wins (decision 8).
  { name: 'db-init-scripts', data: { 'init.sql': initSql } },
  {
    name: 'ldap-config',
    data: {
      LDAP_ORGANISATION: LDAP.organisation,
      LDAP_DOMAIN: LDAP.domain,
      LDAP_BASE_DN: LDAP.baseDn,
      LDAP_USER_DN: LDAP.userDn,
      LDAP_GROUP_DN: LDAP.groupDn,
    },
  },
  // The "schema ConfigMap" of OpenLDAP (seed): custom bootstrap LDIF.
  { name: 'ldap-init-ldif', data: { '50-pf9-tree.ldif': ldapTree } },
  {
    name: 'monitoring-config',
    data: {
      // Hypervisor list (seed placeholder): set per site before the first sync (decision 27).
      PF9_HOSTS: '<your-host-ip-1>,<your-host-ip-2>',
      METRICS_CACHE_TTL: '60',
      // No Redis settings existed anywhere (digest 10.3 #20); monitoring and the collector share these.
      REDIS_HOST: svc(SERVICES.redis),
      REDIS_PORT: String(PORTS.redis),
    },
  },
  {
    name: 'snapshot-config',
    data: {
      PF9_DB_HOST: db.host,
      PF9_DB_PORT: db.port,
      PF9_DB_NAME: DB_NAME,
      SNAPSHOT_SCHEDULER_ENABLED: 'true',
      POLICY_ASSIGN_INTERVAL_MINUTES: '60',
      AUTO_SNAPSHOT_INTERVAL_MINUTES: '60',
      AUTO_SNAPSHOT_MAX_SIZE_GB: '260',
      AUTO_SNAPSHOT_MAX_NEW: '200',
      AUTO_SNAPSHOT_DRY_RUN: 'false',
      RVTOOLS_INTEGRATION_ENABLED: 'true',
      COMPLIANCE_REPORT_ENABLED: 'true',
      COMPLIANCE_REPORT_INTERVAL_MINUTES: '1440',
      COMPLIANCE_REPORT_SLA_DAYS: '2',
      POLICY_ASSIGN_MERGE_EXISTING: 'true',
      POLICY_ASSIGN_DRY_RUN: 'false',
      POLICY_ASSIGN_SYNC_POLICY_SETS: 'true',
      POLICY_ASSIGN_CONFIG: '/app/snapshots/snapshot_policy_rules.json',
      RESTORE_ENABLED: 'true',
      RESTORE_DRY_RUN: 'false',
      RESTORE_CLEANUP_VOLUMES: 'true',
    },
  },
  {
    name: 'backup-config',
    data: (env: Environment) => ({
      BACKUP_ENABLED: 'true',
      POLL_INTERVAL: '3600',
      DB_HOST: db.host,
      DB_PORT: db.port,
      DB_NAME,
      LDAP_HOST: svc(SERVICES.ldap),
      LDAP_PORT: String(PORTS.ldap),
      LDAP_BASE_DN: LDAP.baseDn,
      NFS_BACKUP_PATH: '/backups',
      // Off-site copy of the daily pg_dump (postgres-backup CronJob); one prefix per cluster (decision 30).
      BACKUP_DESTINATION: `${BACKUP.bucket}${env.name}/`,
      BACKUP_RETENTION_DAYS: BACKUP.retentionDays,
    }),
  },
  {
    name: 'metering-config',
    data: {
      METERING_POLL_INTERVAL: '60',
      DB_HOST: db.host,
      DB_PORT: db.port,
      DB_NAME,
      MONITORING_URL: `http://${svc(SERVICES.monitoring)}:${PORTS.monitoring}`,
      API_URL: `http://${svc(SERVICES.api)}:${PORTS.api}`,
    },
  },
  {
    name: 'notification-config',
    data: {
      PF9_DB_HOST: db.host,
      PF9_DB_PORT: db.port,
      PF9_DB_NAME: DB_NAME,
      SMTP_ENABLED: 'true',
      SMTP_PORT: '587',
      SMTP_USE_TLS: 'true',
      SMTP_FROM_NAME: 'Platform9 Management',
      NOTIFICATION_POLL_INTERVAL_SECONDS: '120',
      NOTIFICATION_DIGEST_ENABLED: 'true',
      NOTIFICATION_DIGEST_HOUR_UTC: '8',
      NOTIFICATION_LOOKBACK_SECONDS: '300',
      HEALTH_ALERT_THRESHOLD: '50',
    },
  },
];
