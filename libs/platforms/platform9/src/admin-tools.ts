/**
 * pgAdmin and phpLDAPadmin (seed, "optional, not required for production") as the
 * `admin-tools` feature, enabled in dev only. They are reached with `kubectl port-forward`, so no
 * Ingress route; their only network flows are to PostgreSQL and OpenLDAP. Images are not named
 * by the seed and are pinned here (decision 34).
 *
 * The two Deployments are compiled by the core compiler from a small app of their own, so they get
 * the same labels, probes and security defaults as the platform's components, except where the
 * images cannot run restricted (they never run where policy demands it: dev is privileged).
 */
import { compileApp, type AppSpec, type CompileContext, type ComponentSpec, type FeatureSpec, type KubeObject } from '@gitops/core';
import { PORTS, SERVICES, svc } from './constants';
import { flowPolicies } from './network-policies';

const pgadmin: ComponentSpec = {
  name: 'pgadmin',
  kind: 'Deployment',
  description: 'pgAdmin 4 web UI for PostgreSQL (kubectl port-forward svc/pgadmin 8080:80)',
  image: 'dpage/pgadmin4',
  tag: '8.14',
  labels: { app: 'pgadmin' },
  ports: [{ name: 'http', containerPort: 80 }],
  env: [
    { name: 'PGADMIN_DEFAULT_EMAIL', value: 'pf9-admin@example.com' },
    { name: 'PGADMIN_DEFAULT_PASSWORD', secret: 'admin-tools-credentials', key: 'PGADMIN_DEFAULT_PASSWORD' },
  ],
  probes: {
    liveness: { http: { path: '/misc/ping', port: 'http' }, initialDelaySeconds: 30, periodSeconds: 20 },
    readiness: { http: { path: '/misc/ping', port: 'http' }, initialDelaySeconds: 10, periodSeconds: 10 },
  },
  volumes: [{ name: 'pgadmin-data', source: { emptyDir: {} }, mounts: [{ mountPath: '/var/lib/pgadmin' }] }],
  // Escape hatch from core's restricted default: the image binds port 80 as user pgadmin through a
  // file capability on python (needs NET_BIND_SERVICE and privilege escalation), its user is not
  // numeric, and it writes its config under /pgadmin4 at start-up.
  securityContext: { allowPrivilegeEscalation: true, readOnlyRootFilesystem: false, runAsNonRoot: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
  settings: { default: { replicas: 1, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } } },
};

const phpldapadmin: ComponentSpec = {
  name: 'phpldapadmin',
  kind: 'Deployment',
  description: 'phpLDAPadmin web UI for OpenLDAP (kubectl port-forward svc/phpldapadmin 8081:80)',
  image: 'osixia/phpldapadmin',
  tag: '0.9.0',
  labels: { app: 'phpldapadmin' },
  ports: [{ name: 'http', containerPort: 80 }],
  env: [
    { name: 'PHPLDAPADMIN_LDAP_HOSTS', value: svc(SERVICES.ldap) },
    // Plain HTTP behind port-forward; the image would otherwise generate a self-signed certificate.
    { name: 'PHPLDAPADMIN_HTTPS', value: 'false' },
  ],
  probes: {
    liveness: { tcp: { port: 'http' }, initialDelaySeconds: 20, periodSeconds: 20 },
    readiness: { tcp: { port: 'http' }, initialDelaySeconds: 10, periodSeconds: 10 },
  },
  // Escape hatch from core's restricted default, the same as OpenLDAP's (same osixia start-up
  // tooling): root start-up that templates its config into the root file system, unused default
  // capabilities dropped (README decision 19).
  securityContext: {
    runAsNonRoot: false,
    readOnlyRootFilesystem: false,
    capabilities: { drop: ['NET_RAW', 'MKNOD', 'SYS_CHROOT', 'AUDIT_WRITE', 'SETFCAP'] },
  },
  settings: { default: { replicas: 1, resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '256Mi' } } } },
};

function objects(ctx: CompileContext): KubeObject[] {
  const app: AppSpec = { name: 'admin-tools', namespace: ctx.namespace, components: [pgadmin, phpldapadmin] };
  const compiled = compileApp(ctx.platform, app, ctx.env);
  return [
    ...compiled.groups.filter((g) => g.name !== 'namespace').flatMap((g) => g.objects),
    ...flowPolicies(ctx, [
      { policy: 'allow-pgadmin-to-database', egressPolicy: 'allow-egress-pgadmin-to-postgres', to: 'postgres', port: PORTS.postgres, from: ['pgadmin'] },
      { policy: 'allow-phpldapadmin-to-ldap', egressPolicy: 'allow-egress-phpldapadmin-to-openldap', to: 'openldap', port: PORTS.ldap, from: ['phpldapadmin'] },
    ]),
  ];
}

export const adminToolsFeature: FeatureSpec = {
  name: 'admin-tools',
  description: 'pgAdmin and phpLDAPadmin for development (port-forward access only)',
  enabledIn: ['dev'],
  objects,
};
