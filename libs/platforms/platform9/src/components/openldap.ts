/**
 * OpenLDAP (seed, values images.openldap, resources.ldap, persistence.ldap).
 *
 * A StatefulSet (the chart's statefulsets/ldap.yaml) so its two RWO volumes come from
 * volumeClaimTemplates. osixia/openldap:1.5.0 must start as root: its start-up rewrites
 * /etc/hosts, runs usermod/dpkg-reconfigure and chowns before slapd drops to the `openldap`
 * user. It keeps the runtime's default capabilities minus the unused ones, cannot escalate and
 * uses RuntimeDefault seccomp; the three restricted-only rules it cannot meet are suppressed on
 * the StatefulSet with their reason (decision 19).
 *
 * Services: client `ldap` (seed) and the governing `ldap-headless`. The suppressions
 * are component annotations, which the compiler puts on the StatefulSet only.
 */
import { suppress, type ComponentSpec } from '@gitops/core';
import { PORTS, SERVICES } from '../constants';

const whoami = ['/bin/sh', '-c', 'ldapwhoami -x -H ldap://localhost -D "cn=admin,${LDAP_BASE_DN}" -w "${LDAP_ADMIN_PASSWORD}"'];

export const openldap: ComponentSpec = {
  name: 'openldap',
  kind: 'StatefulSet',
  description: 'Directory for user authentication; Service `ldap`',
  image: 'osixia/openldap',
  tag: '1.5.0',
  labels: { app: 'openldap' },
  service: { name: SERVICES.ldap },
  // The bootstrap LDIF is mounted read-only; --copy-service lets the image template a copy of it.
  args: ['--copy-service'],
  ports: [{ name: 'ldap', containerPort: PORTS.ldap }],
  env: [
    { name: 'LDAP_ORGANISATION', configMap: 'ldap-config', key: 'LDAP_ORGANISATION' },
    { name: 'LDAP_DOMAIN', configMap: 'ldap-config', key: 'LDAP_DOMAIN' },
    { name: 'LDAP_BASE_DN', configMap: 'ldap-config', key: 'LDAP_BASE_DN' },
    { name: 'LDAP_ADMIN_PASSWORD', secret: 'ldap-secrets', key: 'LDAP_ADMIN_PASSWORD' },
    { name: 'LDAP_CONFIG_PASSWORD', secret: 'ldap-secrets', key: 'LDAP_CONFIG_PASSWORD' },
  ],
  // The seed's probe had no shell, no -x (simple bind) and no LDAP_BASE_DN in the env (digest 5.4 #21).
  probes: {
    liveness: { exec: whoami, initialDelaySeconds: 20, periodSeconds: 20, timeoutSeconds: 5 },
    readiness: { exec: whoami, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5 },
  },
  securityContext: {
    allowPrivilegeEscalation: false,
    runAsNonRoot: false,
    readOnlyRootFilesystem: false,
    capabilities: { drop: ['NET_RAW', 'MKNOD', 'SYS_CHROOT', 'AUDIT_WRITE', 'SETFCAP'] },
  },
  annotations: suppress({
    'pss-run-as-non-root': 'osixia/openldap:1.5.0 start-up needs root (usermod, chown, /etc/hosts), slapd itself runs as openldap (README decision 19)',
    'pss-read-only-root-fs': 'the image templates its config under /container and /etc/ldap at start-up (README decision 19)',
    'pss-capabilities-drop-all': 'root start-up needs CHOWN/DAC_OVERRIDE/FOWNER/SETUID/SETGID/NET_BIND_SERVICE/KILL, unused defaults are dropped (README decision 19)',
  }),
  volumes: [
    { name: 'ldap-data', source: { persistent: { size: '10Gi', storage: 'standard' } }, mounts: [{ mountPath: '/var/lib/ldap' }] },
    // The seed calls this volume `ldap-config`, like the ConfigMap of env keys; renamed (decision 20).
    { name: 'slapd-config', source: { persistent: { size: '5Gi', storage: 'standard' } }, mounts: [{ mountPath: '/etc/ldap/slapd.d' }] },
    {
      name: 'ldap-init',
      source: { configMap: 'ldap-init-ldif' },
      mounts: [{ mountPath: '/container/service/slapd/assets/config/bootstrap/ldif/custom', readOnly: true }],
    },
  ],
  settings: {
    default: { replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
    dev: { storage: { 'ldap-data': { size: '1Gi' }, 'slapd-config': { size: '1Gi' } } },
  },
};

