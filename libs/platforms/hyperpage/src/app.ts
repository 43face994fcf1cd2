/**
 * The Hyperpage application: Deployment + `hyperpage-service`, its configuration, secrets and
 * volumes, the HPA `hyperpage-hpa` and the TLS Ingress.
 */
import { scratchVolume, syncWave, type CompileContext, type ComponentSpec, type ConfigMapSpec, type EnvName, type TypedObject, type SecretDecl, type SharedVolumeSpec } from '@gitops/core';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import {
  APP_RESOURCES,
  DB,
  FLAGS,
  HPA,
  N,
  PDB_MIN_AVAILABLE,
  PORTS,
  ROLLOUT,
  SA,
  STORAGE,
  host,
  inMesh,
  podSecurity,
} from './design';
import { meshSettings } from './mesh-pod';

/** Image repository; tags per environment live in releases.yaml (D21: ECR, pulled with the node role). */
export const APP_IMAGE = '123456789012.dkr.ecr.us-west-2.amazonaws.com/hyperpage/hyperpage';

export const appComponent: ComponentSpec = {
  name: N.app,
  kind: 'Deployment',
  description: 'Hyperpage web application (Next.js, port 3000)',
  image: APP_IMAGE,
  // Seed: `kubectl get pods -l app=hyperpage` must find the pods.
  labels: { app: N.app },
  ports: [{ name: 'http', containerPort: PORTS.app }],
  service: { name: N.service },
  serviceAccount: SA.app,
  priorityClassName: N.priorityCritical,
  // Sync wave after PostgreSQL; no wait-for init container: it would start before the Istio
  // proxy and hang (D19). The startup probe covers a database that is still starting.
  dependsOn: [N.db],
  strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: ROLLOUT.maxSurge, maxUnavailable: ROLLOUT.maxUnavailable } },
  terminationGracePeriodSeconds: 30,
  podSecurityContext: podSecurity(1001),
  envFrom: [{ configMap: N.appConfig }],
  env: [
    // Declared before DATABASE_URL so Kubernetes expands $(DATABASE_PASSWORD) into it (D11).
    { name: 'DATABASE_PASSWORD', secret: N.dbSecret, key: 'APP_PASSWORD' },
    { name: 'DATABASE_URL', value: `postgresql://${DB.appRole}:$(DATABASE_PASSWORD)@${N.db}:${PORTS.db}/${DB.name}` },
    { name: 'NEXTAUTH_SECRET', secret: N.appSecret, key: 'NEXTAUTH_SECRET' },
    // Tool integrations are off until a person adds the token (optional keys, D22).
    { name: 'GITHUB_TOKEN', secret: N.appSecret, key: 'GITHUB_TOKEN', optional: true },
    { name: 'GITLAB_TOKEN', secret: N.appSecret, key: 'GITLAB_TOKEN', optional: true },
    { name: 'JIRA_API_TOKEN', secret: N.appSecret, key: 'JIRA_API_TOKEN', optional: true },
    { name: 'POD_NAME', fieldPath: 'metadata.name' },
  ],
  // D18: seed timings are unspecified; startup < 30 s gets a 2x budget, health < 2 s.
  probes: {
    startup: { http: { path: '/api/health', port: 'http' }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 12 },
    readiness: { http: { path: '/api/health', port: 'http' }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
    liveness: { http: { path: '/api/health', port: 'http' }, periodSeconds: 15, timeoutSeconds: 3, failureThreshold: 4 },
  },
  // Read-only root file system: every writable path is a volume (D15, D9).
  volumes: [
    scratchVolume('tmp', '/tmp', { sizeLimit: '256Mi' }),
    scratchVolume('next-cache', '/app/.next/cache', { sizeLimit: '512Mi' }),
    { name: 'data', source: { claim: N.dataClaim }, mounts: [{ mountPath: '/app/data' }] },
    { name: 'logs', source: { claim: N.logsClaim }, mounts: [{ mountPath: '/app/logs' }] },
  ],
  settings: {
    default: {
      // The HPA owns the replica count, so the Deployment carries none and Argo CD's self-heal
      // never fights a scale-out (D5); a fresh Deployment starts at 1 and the HPA lifts it to 3.
      autoscaling: {
        name: N.hpa,
        min: HPA.min,
        max: HPA.max,
        cpu: HPA.cpu,
        memory: HPA.memory,
        behavior: JSON.parse(JSON.stringify(HPA.behavior)),
      },
      disruptionBudget: { minAvailable: PDB_MIN_AVAILABLE },
      spread: 'zone',
    },
    dev: { resources: APP_RESOURCES.dev },
    ...meshSettings({ staging: { resources: APP_RESOURCES.staging }, prod: { resources: APP_RESOURCES.prod } }),
  },
};

/** Non-secret configuration: the seed's feature flags per environment. */
export const appConfig: ConfigMapSpec = {
  name: N.appConfig,
  data: (env) => {
    const f = FLAGS[env.name as EnvName];
    return {
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(PORTS.app),
      HOSTNAME: '0.0.0.0',
      APP_ENV: env.name,
      NEXTAUTH_URL: `https://${host(env.baseDomain)}`,
      LOG_LEVEL: f.logLevel,
      DEBUG: String(f.debug),
      RATE_LIMIT_REQUESTS_PER_HOUR: String(f.rateLimitPerHour),
      FULL_MONITORING: String(f.fullMonitoring),
      AUTOMATED_BACKUPS: String(f.automatedBackups),
      DATABASE_HOST: N.db,
      DATABASE_PORT: String(PORTS.db),
      DATABASE_NAME: DB.name,
      DATABASE_USER: DB.appRole,
      DATA_DIR: '/app/data',
      LOG_DIR: '/app/logs',
    };
  },
};

export const appSecret: SecretDecl = {
  name: N.appSecret,
  description: 'Hyperpage application secrets',
  keys: [
    { name: 'NEXTAUTH_SECRET', generate: { kind: 'base64', length: 48 }, description: 'session signing key' },
    { name: 'GITHUB_TOKEN', description: 'GitHub integration token (supplied by a person; optional)' },
    { name: 'GITLAB_TOKEN', description: 'GitLab integration token (supplied by a person; optional)' },
    { name: 'JIRA_API_TOKEN', description: 'Jira integration token (supplied by a person; optional)' },
  ],
};

/**
 * Seed "Optional data and log persistence", logs 5Gi. Shared by every replica, so
 * ReadWriteMany on the `shared` class; dev is one Kind node where local-path only does RWO (D9).
 */
export const appVolumes: SharedVolumeSpec[] = [
  { name: N.dataClaim, storage: STORAGE.data.role, size: STORAGE.data.size, accessModes: ['ReadWriteMany'], settings: { dev: { accessModes: ['ReadWriteOnce'] } } },
  { name: N.logsClaim, storage: STORAGE.logs.role, size: STORAGE.logs.size, accessModes: ['ReadWriteMany'], settings: { dev: { accessModes: ['ReadWriteOnce'] } } },
];

/**
 * TLS Ingress on the environment's controller and issuer (D16). Without the mesh it routes to
 * the app; with the mesh it routes to the Istio ingress gateway, so traffic enters the mesh there
 * and STRICT mTLS, the VirtualService and the DestinationRule apply to it.
 */
export function appIngress(ctx: CompileContext): TypedObject {
  const h = host(ctx.env.baseDomain);
  const backend = inMesh(ctx.env.name)
    ? { service: { name: N.meshEntry, port: { number: 80 } } }
    : { service: { name: N.service, port: { number: PORTS.app } } };
  return new Ingress({
    metadata: {
      name: N.ingress,
      labels: { app: N.app },
      annotations: {
        'cert-manager.io/cluster-issuer': ctx.env.clusterIssuer,
        'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true',
        'nginx.ingress.kubernetes.io/proxy-body-size': '10m',
        ...syncWave(3),
      },
    },
    spec: {
      ingressClassName: ctx.env.ingressClass,
      tls: [{ hosts: [h], secretName: N.tlsSecret }],
      rules: [{ host: h, http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }],
    },
  });
}
