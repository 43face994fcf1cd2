/**
 * Component building blocks shared by the Sevensa apps, so eight apps do not copy-paste the same
 * security context, probes, scratch volumes and PostgreSQL StatefulSet.
 */
import { Service } from 'kubernetes-models/v1/Service';
import type { ComponentSettings, ComponentSpec, ContainerSpec, EnvVarSpec, KubeObject, PerEnv, ProbeSpec, Resources, SecretDecl, SecretKeySpec, VolumeSpec } from '@gitops/core';
import { LABELS, nonRootPod, platformLabels, scratchVolume, toPlain } from '@gitops/core';
import { single, type ByEnv } from './env';

export const PLATFORM = 'sevensa';

/** Pod-level identity; fsGroup makes persistent volumes writable for the user. */
export function runAs(uid: number, gid = uid): Record<string, unknown> {
  return nonRootPod(uid, { gid });
}

/** UID for first-party `sevensa/*` images (their contract: non-root, port > 1024, writes only /tmp). */
export const FIRST_PARTY_UID = 10001;

export function scratch(name: string, mountPath: string, container?: string): VolumeSpec {
  return scratchVolume(name, mountPath, { container });
}

export const tmp = (): VolumeSpec => scratch('tmp', '/tmp');

export function configVolume(name: string, configMap: string, mountPath: string, extra: Partial<{ subPath: string; readOnly: boolean }> = {}): VolumeSpec {
  return { name, source: { configMap }, mounts: [{ mountPath, readOnly: true, ...extra }] };
}

export function httpProbe(path: string, port: number | string, initialDelaySeconds: number, periodSeconds: number): ProbeSpec {
  return { http: { path, port }, initialDelaySeconds, periodSeconds };
}

/** Secret declaration helpers: every key says how `gitops secrets` fills it. */
export const key = {
  password: (name: string, length = 32): SecretKeySpec => ({ name, generate: { kind: 'password', length } }),
  /** URL-safe random (used where the value is embedded in a connection URL). */
  hex: (name: string, length = 32): SecretKeySpec => ({ name, generate: { kind: 'hex', length } }),
  base64: (name: string, length = 48): SecretKeySpec => ({ name, generate: { kind: 'base64', length } }),
  fixed: (name: string, value: string): SecretKeySpec => ({ name, generate: { kind: 'fixed', value } }),
  /** Issued by a third party (API key, OpenBao AppRole): entered by an operator. */
  external: (name: string, description: string): SecretKeySpec => ({ name, description }),
};

export function secret(name: string, description: string, ...keys: SecretKeySpec[]): SecretDecl {
  return { name, description, keys };
}

export interface WebOptions {
  name: string;
  /** Release image repository (tag from releases.yaml). */
  image: string;
  /** Value of the `component` label. */
  role: string;
  port: number;
  /** Service port (default 80: every first-party HTTP service answers on 80 inside the cluster). */
  servicePort?: number;
  settings: PerEnv<ComponentSettings>;
  env?: EnvVarSpec[];
  envFrom?: ComponentSpec['envFrom'];
  dependsOn?: string[];
  /** Own init containers instead of the compiler's generated wait-for-<dependency> ones. */
  initContainers?: ContainerSpec[];
  serviceAccount?: string;
  /** Liveness / readiness paths (the seed's RentGuy API convention: /health and /ready). */
  health?: { live: string; ready: string };
  description?: string;
}

/** A first-party HTTP Deployment following the RentGuy API pattern of the seed. */
export function web(o: WebOptions): ComponentSpec {
  const health = o.health ?? { live: '/health', ready: '/ready' };
  return {
    name: o.name,
    kind: 'Deployment',
    description: o.description,
    image: o.image,
    labels: { component: o.role },
    ports: [{ name: 'http', containerPort: o.port, servicePort: o.servicePort ?? 80 }],
    ...(o.env ? { env: o.env } : {}),
    ...(o.envFrom ? { envFrom: o.envFrom } : {}),
    ...(o.serviceAccount ? { serviceAccount: o.serviceAccount } : {}),
    ...(o.dependsOn ? { dependsOn: o.dependsOn, waitForDependencies: !o.initContainers } : {}),
    ...(o.initContainers ? { initContainers: o.initContainers } : {}),
    probes: {
      liveness: httpProbe(health.live, o.port, 30, 10),
      readiness: httpProbe(health.ready, o.port, 5, 5),
    },
    podSecurityContext: runAs(FIRST_PARTY_UID),
    volumes: [tmp()],
    settings: o.settings,
  };
}

/**
 * Velero pre-backup hook: flush PostgreSQL to disk right before the volume snapshot is taken.
 * The compiler names the main container after the component, hence `container`.
 */
export function postgresBackupHook(container: string): Record<string, string> {
  return {
    'pre.hook.backup.velero.io/container': container,
    'pre.hook.backup.velero.io/command': '["/bin/sh", "-c", "psql -U \\"$POSTGRES_USER\\" -d \\"$POSTGRES_DB\\" -c CHECKPOINT"]',
    'pre.hook.backup.velero.io/on-error': 'Continue',
    'pre.hook.backup.velero.io/timeout': '60s',
  };
}

export const POSTGRES_IMAGE = { image: 'postgres', tag: '14-alpine' } as const;
/** UID/GID of the `postgres` user in the Alpine image. */
const POSTGRES_UID = 70;

export interface PostgresOptions {
  name: string;
  database: string;
  /** Secret with keys `username` and `password`. */
  secret: string;
  size: ByEnv<string>;
  resources: ByEnv<Resources>;
  role?: string;
  description?: string;
}

/**
 * PostgreSQL 14 Alpine StatefulSet as the seed's `rentguy-db`: credentials from the secret,
 * `POSTGRES_DB` literal, one `data` claim (storage role `standard`). Additions: PGDATA in a
 * subdirectory (a fresh volume holds lost+found), probes, non-root UID 70, writable socket dir.
 * Services: `<name>` (ClusterIP, what clients use) and `<name>-headless` (governing).
 */
export function postgres(o: PostgresOptions): ComponentSpec {
  return {
    name: o.name,
    kind: 'StatefulSet',
    description: o.description ?? `PostgreSQL 14 for ${o.database}`,
    ...POSTGRES_IMAGE,
    labels: { component: o.role ?? 'db' },
    ports: [{ name: 'postgres', containerPort: 5432 }],
    env: [
      { name: 'POSTGRES_USER', secret: o.secret, key: 'username' },
      { name: 'POSTGRES_PASSWORD', secret: o.secret, key: 'password' },
      { name: 'POSTGRES_DB', value: o.database },
      { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
    ],
    probes: {
      liveness: { exec: ['pg_isready', '-h', '127.0.0.1', '-p', '5432'], initialDelaySeconds: 30, periodSeconds: 10 },
      readiness: { exec: ['pg_isready', '-h', '127.0.0.1', '-p', '5432'], initialDelaySeconds: 5, periodSeconds: 5 },
    },
    podSecurityContext: runAs(POSTGRES_UID),
    service: {},
    volumes: [
      { name: 'data', source: { persistent: { storage: 'standard', size: o.size.prod, accessModes: ['ReadWriteOnce'] } }, mounts: [{ mountPath: '/var/lib/postgresql/data' }] },
      scratch('run', '/var/run/postgresql'),
      tmp(),
    ],
    terminationGracePeriodSeconds: 60,
    settings: single(o.resources, { data: o.size }, { podAnnotations: postgresBackupHook(o.name) }),
  };
}

/** Database credentials secret for `postgres()`: fixed user name, random URL-safe password. */
export function dbSecret(name: string, user: string, ...extra: SecretKeySpec[]): SecretDecl {
  return secret(name, `PostgreSQL credentials of ${user}`, key.fixed('username', user), key.hex('password'), ...extra);
}

/**
 * DATABASE_URL composed by Kubernetes from the secret's keys ($(VAR) expansion), so no copy of the
 * password is stored in a second key. The password is hex, hence URL-safe.
 */
export function databaseUrlEnv(secretName: string, dbHost: string, database: string): EnvVarSpec[] {
  return [
    { name: 'DB_USER', secret: secretName, key: 'username' },
    { name: 'DB_PASSWORD', secret: secretName, key: 'password' },
    { name: 'DATABASE_URL', value: `postgresql://$(DB_USER):$(DB_PASSWORD)@${dbHost}:5432/${database}` },
  ];
}

/** Labels the compiler puts on objects, for objects built with the escape hatch. */
export function labelsFor(app: string, component?: string): Record<string, string> {
  return {
    app,
    ...(component ? { [LABELS.name]: component } : {}),
    ...platformLabels(PLATFORM),
  };
}

/**
 * A component's Service built here instead of by the compiler, for Service fields the model has no
 * word for (externalTrafficPolicy). Pair with `service: false` on the component.
 */
export function ownService(
  app: string,
  c: ComponentSpec,
  opts: { ports?: string[]; type?: 'ClusterIP' | 'LoadBalancer'; externalTrafficPolicy?: 'Local' | 'Cluster' } = {},
): KubeObject {
  const ports = (c.ports ?? []).filter((p) => !opts.ports || opts.ports.includes(p.name));
  return toPlain(
    new Service({
      metadata: { name: c.name, labels: { ...labelsFor(app, c.name), ...(c.labels ?? {}) } },
      spec: {
        type: opts.type ?? 'ClusterIP',
        ...(opts.externalTrafficPolicy ? { externalTrafficPolicy: opts.externalTrafficPolicy } : {}),
        selector: { [LABELS.name]: c.name },
        ports: ports.map((p) => ({ name: p.name, port: p.servicePort ?? p.containerPort, targetPort: p.name, protocol: p.protocol ?? 'TCP' })),
      },
    }),
  );
}

/** A first-party static frontend: unprivileged nginx on 8080 (Service 80), health on `/`. */
export function frontend(o: Omit<WebOptions, 'role' | 'port' | 'health'>): ComponentSpec {
  return { ...web({ ...o, role: 'frontend', port: 8080, health: { live: '/', ready: '/' } }), volumes: [tmp(), scratch('nginx-cache', '/var/cache/nginx')] };
}
