/**
 * WPCS (seed): managed WordPress hosting: an API, a database and WordPress instances.
 * WordPress needs MySQL, so the database is MariaDB (one server, one database per instance).
 * Instances are data: add a line to SITES, regenerate, create the new secret.
 */
import type { ComponentSpec, EnvVarSpec, SecretDecl } from '@gitops/core';
import { SIZE, ha, res, scaled, single } from '../env';
import { key, runAs, scratch, secret, tmp, web } from '../kit';
import type { IngressDef, SevensaApp } from '../types';
import { KEYCLOAK, KEYCLOAK_URL, REALM } from './infra';

const WP_SIZE = res('100m', '256Mi', '1', '512Mi');

/** WordPress instances: `site` names the Deployment `wp-<site>` and database `wp_<site>`. */
export const SITES: Array<{ site: string; host: string }> = [{ site: 'demo', host: 'demo.wpcs' }];

const WP_SALTS = ['auth-key', 'secure-auth-key', 'logged-in-key', 'nonce-key', 'auth-salt', 'secure-auth-salt', 'logged-in-salt', 'nonce-salt'];
const envName = (k: string) => `WORDPRESS_${k.toUpperCase().replace(/-/g, '_')}`;

const mariadb: ComponentSpec = {
  name: 'wpcs-db',
  kind: 'StatefulSet',
  description: 'MariaDB 11.4 LTS for the WPCS API and every WordPress instance',
  image: 'mariadb',
  tag: '11.4',
  labels: { component: 'db' },
  ports: [{ name: 'mysql', containerPort: 3306 }],
  env: [
    { name: 'MARIADB_ROOT_PASSWORD', secret: 'wpcs-db-credentials', key: 'root-password' },
    { name: 'MARIADB_DATABASE', value: 'wpcs' },
    { name: 'MARIADB_USER', secret: 'wpcs-db-credentials', key: 'username' },
    { name: 'MARIADB_PASSWORD', secret: 'wpcs-db-credentials', key: 'password' },
  ],
  probes: {
    liveness: { tcp: { port: 'mysql' }, initialDelaySeconds: 30, periodSeconds: 10 },
    // `ping` succeeds as soon as the server answers, even without credentials.
    readiness: { exec: ['mariadb-admin', 'ping', '-h', '127.0.0.1'], initialDelaySeconds: 5, periodSeconds: 5 },
  },
  podSecurityContext: runAs(999),
  service: {},
  volumes: [
    { name: 'data', source: { persistent: { storage: 'standard', size: '20Gi' } }, mounts: [{ mountPath: '/var/lib/mysql' }] },
    scratch('run', '/run/mysqld'),
    tmp(),
  ],
  terminationGracePeriodSeconds: 60,
  settings: single({ dev: SIZE.m, staging: SIZE.l, prod: SIZE.xl }, { data: { dev: '2Gi', staging: '10Gi', prod: '20Gi' } }),
};

/** Idempotent: creates each instance's database and user, and resets the password from its secret. */
const provisionScript = [
  'set -eu',
  ...SITES.map((s) =>
    [
      `mariadb -h wpcs-db -u root -p"$MARIADB_ROOT_PASSWORD" <<SQL`,
      `CREATE DATABASE IF NOT EXISTS wp_${s.site};`,
      `CREATE USER IF NOT EXISTS 'wp_${s.site}'@'%' IDENTIFIED BY '$WP_${s.site.toUpperCase()}_PASSWORD';`,
      `ALTER USER 'wp_${s.site}'@'%' IDENTIFIED BY '$WP_${s.site.toUpperCase()}_PASSWORD';`,
      `GRANT ALL PRIVILEGES ON wp_${s.site}.* TO 'wp_${s.site}'@'%';`,
      'SQL',
      `echo "provisioned wp_${s.site}"`,
    ].join('\n'),
  ),
  '',
].join('\n');

const provision: ComponentSpec = {
  name: 'wpcs-provision',
  kind: 'Job',
  description: 'Creates the WordPress databases and users (Argo CD Sync hook, after the database wave)',
  image: 'mariadb',
  tag: '11.4',
  labels: { component: 'provision' },
  hook: 'Sync',
  backoffLimit: 6,
  command: ['sh', '/scripts/provision.sh'],
  env: [
    { name: 'MARIADB_ROOT_PASSWORD', secret: 'wpcs-db-credentials', key: 'root-password' },
    ...SITES.map((s): EnvVarSpec => ({ name: `WP_${s.site.toUpperCase()}_PASSWORD`, secret: `wp-${s.site}-credentials`, key: 'db-password' })),
  ],
  dependsOn: ['wpcs-db'],
  waitForDependencies: true,
  podSecurityContext: runAs(999),
  volumes: [{ name: 'scripts', source: { configMap: 'wpcs-provision' }, mounts: [{ mountPath: '/scripts', readOnly: true }] }, tmp()],
  settings: { default: { resources: SIZE.s } },
};

/** Apache of the official image, moved to 8080 so it runs as www-data (UID 33) without privileges. */
const APACHE = {
  'ports.conf': 'Listen 8080\n',
  '000-default.conf': [
    '<VirtualHost *:8080>',
    '  ServerName localhost',
    '  DocumentRoot /var/www/html',
    '  ErrorLog ${APACHE_LOG_DIR}/error.log',
    '  CustomLog ${APACHE_LOG_DIR}/access.log combined',
    '</VirtualHost>',
    '',
  ].join('\n'),
};

/** Behind Traefik's TLS: trust X-Forwarded-Proto; plugins and themes ship in the image, not from wp-admin. */
const WP_CONFIG_EXTRA = [
  "if (isset($_SERVER['HTTP_X_FORWARDED_PROTO']) && $_SERVER['HTTP_X_FORWARDED_PROTO'] === 'https') { $_SERVER['HTTPS'] = 'on'; }",
  "define('FORCE_SSL_ADMIN', true);",
  "define('DISALLOW_FILE_MODS', true);",
].join('\n');

function wordpress(site: string): ComponentSpec {
  const credentials = `wp-${site}-credentials`;
  return {
    name: `wp-${site}`,
    kind: 'Deployment',
    description: `WordPress instance ${site}`,
    image: 'wordpress',
    tag: '6.7.1-php8.3-apache',
    labels: { component: 'wordpress', site },
    ports: [{ name: 'http', containerPort: 8080, servicePort: 80 }],
    env: [
      { name: 'WORDPRESS_DB_HOST', value: 'wpcs-db:3306' },
      { name: 'WORDPRESS_DB_NAME', value: `wp_${site}` },
      { name: 'WORDPRESS_DB_USER', value: `wp_${site}` },
      { name: 'WORDPRESS_DB_PASSWORD', secret: credentials, key: 'db-password' },
      ...WP_SALTS.map((k): EnvVarSpec => ({ name: envName(k), secret: credentials, key: k })),
      { name: 'WORDPRESS_CONFIG_EXTRA', value: WP_CONFIG_EXTRA },
    ],
    probes: {
      liveness: { http: { path: '/wp-includes/images/blank.gif', port: 'http' }, initialDelaySeconds: 30, periodSeconds: 10 },
      readiness: { http: { path: '/wp-login.php', port: 'http' }, initialDelaySeconds: 10, periodSeconds: 10 },
    },
    dependsOn: ['wpcs-db', 'wpcs-provision'],
    waitForDependencies: true,
    podSecurityContext: runAs(33),
    volumes: [
      // WordPress core is copied into the emptyDir by the image's entrypoint at every start.
      scratch('html', '/var/www/html'),
      // Persistent uploads: ReadWriteMany on the `shared` class where replicas > 1; one RWO volume in dev.
      {
        name: 'uploads',
        source: { persistent: { storage: 'shared', size: '10Gi', accessModes: ['ReadWriteMany'] } },
        mounts: [{ mountPath: '/var/www/html/wp-content/uploads' }],
      },
      {
        name: 'apache',
        source: { configMap: 'wordpress-apache' },
        mounts: [
          { mountPath: '/etc/apache2/ports.conf', subPath: 'ports.conf', readOnly: true },
          { mountPath: '/etc/apache2/sites-enabled/000-default.conf', subPath: '000-default.conf', readOnly: true },
        ],
      },
      scratch('apache-run', '/var/run/apache2'),
      scratch('apache-lock', '/var/lock/apache2'),
      tmp(),
    ],
    // Uploads: ReadWriteMany on the `shared` class where replicas > 1, one RWO volume in dev. RWX
    // volumes (EFS) cannot be snapshotted, so Velero backs them up file by file (annotation).
    settings: scaled({ dev: 1, staging: 2, prod: 2 }, { dev: SIZE.m, staging: WP_SIZE, prod: WP_SIZE }, (env) => ({
      podAnnotations: { 'backup.velero.io/backup-volumes': 'uploads' },
      storage: {
        uploads: env === 'dev' ? { storage: 'standard', accessModes: ['ReadWriteOnce'], size: '1Gi' } : { storage: 'shared', accessModes: ['ReadWriteMany'], size: env === 'prod' ? '20Gi' : '10Gi' },
      },
    })),
  };
}

const siteSecret = (site: string): SecretDecl =>
  secret(`wp-${site}-credentials`, `WordPress instance ${site}: database password and wp-config salts`, key.hex('db-password'), ...WP_SALTS.map((k) => key.base64(k, 48)));

export const wpcs: SevensaApp = {
  name: 'wpcs',
  description: 'WPCS services: API, database, WordPress instances (seed namespace table)',
  configMaps: [
    { name: 'wpcs-config', data: { KEYCLOAK_URL, KEYCLOAK_REALM: REALM, KEYCLOAK_CLIENT_ID: 'wpcs-api', DATABASE_HOST: 'wpcs-db', DATABASE_PORT: '3306', DATABASE_NAME: 'wpcs' } },
    { name: 'wpcs-provision', data: { 'provision.sh': provisionScript } },
    { name: 'wordpress-apache', data: APACHE },
  ],
  secrets: [
    secret('wpcs-db-credentials', 'MariaDB credentials: root (provisioning only) and the API user', key.hex('root-password'), key.fixed('username', 'wpcs'), key.hex('password')),
    secret('wpcs-keycloak-credentials', 'Keycloak client secret of client wpcs-api', key.hex('client-secret')),
    ...SITES.map((s) => siteSecret(s.site)),
  ],
  components: [
    mariadb,
    provision,
    web({
      name: 'wpcs-api',
      description: 'WPCS API',
      image: 'sevensa/wpcs-api',
      role: 'api',
      port: 3000,
      env: [
        { name: 'DB_USER', secret: 'wpcs-db-credentials', key: 'username' },
        { name: 'DB_PASSWORD', secret: 'wpcs-db-credentials', key: 'password' },
        { name: 'DATABASE_URL', value: 'mysql://$(DB_USER):$(DB_PASSWORD)@wpcs-db:3306/wpcs' },
        { name: 'KEYCLOAK_CLIENT_SECRET', secret: 'wpcs-keycloak-credentials', key: 'client-secret' },
      ],
      envFrom: [{ configMap: 'wpcs-config' }],
      dependsOn: ['wpcs-db'],
      settings: ha(2, SIZE.m),
    }),
    ...SITES.map((s) => wordpress(s.site)),
  ],
  ingresses: [
    { name: 'wpcs-ingress', tls: 'wpcs-tls', routes: [{ host: 'api.wpcs', component: 'wpcs-api' }] },
    // One Ingress and certificate per instance, so a customer domain can be added to one site alone.
    ...SITES.map((s): IngressDef => ({ name: `wp-${s.site}-ingress`, tls: `wp-${s.site}-tls`, routes: [{ host: s.host, component: `wp-${s.site}` }] })),
  ],
  calls: [KEYCLOAK],
  internet: SITES.map((s) => `wp-${s.site}`),
};
