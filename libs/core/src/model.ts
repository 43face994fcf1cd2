/**
 * The platform model: what a platform team writes. Compiled (per environment) into typed
 * Kubernetes objects by `compile.ts`. Nothing here knows about Kustomize or files.
 */
import type { Environment, EnvName, StorageRole } from './environment';
import type { KubeObject } from './objects';

/** A value given once, optionally overridden per environment. */
export type PerEnv<T> = { default: T } & Partial<Record<EnvName, T>>;

/** The workload kinds a component can be (`kind`); spec validation names them when a kind is unknown. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export interface PortSpec {
  /** IANA-style port name (<= 15 chars), referenced by Services and probes. */
  name: string;
  containerPort: number;
  /** Service port when it differs from the container port (e.g. 80 -> 3000). */
  servicePort?: number;
  protocol?: 'TCP' | 'UDP';
}

export interface ProbeSpec {
  http?: { path: string; port: string | number; scheme?: 'HTTP' | 'HTTPS' };
  tcp?: { port: string | number };
  exec?: string[];
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
}

export interface Resources {
  requests?: { cpu?: string; memory?: string; 'ephemeral-storage'?: string };
  limits?: { cpu?: string; memory?: string; 'ephemeral-storage'?: string };
}

/** An environment variable: a literal, or a reference to a declared ConfigMap or Secret key. */
export type EnvVarSpec =
  | { name: string; value: string }
  | { name: string; configMap: string; key: string; optional?: boolean }
  | { name: string; secret: string; key: string; optional?: boolean }
  | { name: string; fieldPath: string };

export type EnvFromSpec = { configMap: string; prefix?: string } | { secret: string; prefix?: string };

export interface ClaimSpec {
  /** Storage role, mapped to a class by the environment (unless storageClass is set). */
  storage?: StorageRole;
  storageClass?: string;
  size: string;
  accessModes?: Array<'ReadWriteOnce' | 'ReadWriteMany' | 'ReadOnlyMany' | 'ReadWriteOncePod'>;
}

export type VolumeSource =
  | { configMap: string; items?: Array<{ key: string; path: string }>; defaultMode?: number }
  | { secret: string; items?: Array<{ key: string; path: string }>; defaultMode?: number }
  | { emptyDir: { medium?: 'Memory'; sizeLimit?: string } }
  /** A PVC declared on the app (`app.volumes`), shared between components. */
  | { claim: string }
  /** A per-replica claim (StatefulSet volumeClaimTemplates) or, for other kinds, a PVC named `<component>-<volume>`. */
  | { persistent: ClaimSpec }
  | { hostPath: { path: string; type?: string } };

export interface VolumeSpec {
  name: string;
  source: VolumeSource;
  mounts?: Array<{ mountPath: string; subPath?: string; subPathExpr?: string; readOnly?: boolean; container?: string }>;
}

export interface ContainerSpec {
  name: string;
  /** Image repository without tag; the tag comes from the platform's releases file per environment. */
  image: string;
  /** Fixed tag for third-party images whose version is part of the design (postgres:16-alpine). */
  tag?: string;
  command?: string[];
  args?: string[];
  ports?: PortSpec[];
  env?: EnvVarSpec[];
  envFrom?: EnvFromSpec[];
  probes?: { liveness?: ProbeSpec; readiness?: ProbeSpec; startup?: ProbeSpec };
  /**
   * Container security context, deep-merged over the default: the kit's restricted context in every
   * environment (`RESTRICTED_CONTAINER_SECURITY`). Set only what this container must relax, e.g.
   * `{ runAsNonRoot: false, runAsUser: 0 }`, with a `suppress()` annotation saying why.
   */
  securityContext?: Record<string, unknown>;
  /** Volume mounts by volume name (volumes are declared on the component). */
  mounts?: Array<{ volume: string; mountPath: string; subPath?: string; subPathExpr?: string; readOnly?: boolean }>;
  workingDir?: string;
  /** Resources of an init container or sidecar (the main container's come from per-env settings). */
  resources?: Resources;
}

export interface ServiceSpec {
  /** Service name; defaults to the component name. */
  name?: string;
  /** Which ports to publish (defaults to all of the main container's). */
  ports?: string[];
  /** Emit a headless Service (clusterIP: None). For StatefulSets `<name>-headless` is the governing service. */
  headless?: boolean;
  /** For StatefulSets: also emit a normal ClusterIP client Service (default true). */
  client?: boolean;
  annotations?: Record<string, string>;
}

/** Per-environment knobs of a component. */
export interface ComponentSettings {
  replicas?: number;
  resources?: Resources;
  /** Size and class overrides for `persistent` volumes, by volume name. */
  storage?: Record<string, Partial<ClaimSpec>>;
  /** How the Service is reached from outside the cluster. */
  exposure?: { type: 'ClusterIP' } | { type: 'NodePort'; nodePorts?: Record<string, number> } | { type: 'LoadBalancer' };
  autoscaling?: { min: number; max: number; cpu?: number; memory?: number; behavior?: Record<string, unknown>; /** HPA name (default: the component's). */ name?: string };
  disruptionBudget?: { minAvailable?: number | string; maxUnavailable?: number | string; /** PDB name (default: the component's). */ name?: string };
  /** Spread replicas across zones / nodes (topologySpreadConstraints + pod anti-affinity). */
  spread?: 'zone' | 'node';
  /** Extra pod annotations in this environment (e.g. prometheus.io/scrape). */
  podAnnotations?: Record<string, string>;
  env?: EnvVarSpec[];
  nodeSelector?: Record<string, string>;
  tolerations?: Array<Record<string, unknown>>;
  /** Turn the component off in an environment. */
  enabled?: boolean;
}

export interface ComponentSpec extends ContainerSpec {
  kind: WorkloadKind;
  description?: string;
  /** Components that must be ready first: drives init containers and Argo CD sync waves. */
  dependsOn?: string[];
  /** Generate init containers that wait for each dependency's Service to answer. */
  waitForDependencies?: boolean;
  initContainers?: ContainerSpec[];
  sidecars?: ContainerSpec[];
  volumes?: VolumeSpec[];
  service?: ServiceSpec | false;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  /** Pod security context, merged over `seccompProfile: RuntimeDefault`; the image's user usually comes from the kit's `nonRootPod(uid)`. */
  podSecurityContext?: Record<string, unknown>;
  imagePullSecrets?: string[];
  /** CronJob schedule (cron syntax) and policy. */
  schedule?: string;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  startingDeadlineSeconds?: number;
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  restartPolicy?: 'OnFailure' | 'Never';
  /** Argo CD hook for Jobs (migrations PreSync, verification PostSync). */
  hook?: 'PreSync' | 'Sync' | 'PostSync';
  strategy?: Record<string, unknown>;
  terminationGracePeriodSeconds?: number;
  priorityClassName?: string;
  labels?: Record<string, string>;
  /** Annotations of the workload object only (policy suppressions, hooks); not its Service/PDB/HPA. */
  annotations?: Record<string, string>;
  settings: PerEnv<ComponentSettings>;
}

export interface ConfigMapSpec {
  name: string;
  /** A function must be pure: it is called once per environment object and its result reused. */
  data: Record<string, string> | ((env: Environment) => Record<string, string>);
}

const dataByEnv = new WeakMap<ConfigMapSpec, Map<Environment, Record<string, string>>>();

/**
 * A ConfigMap's data in one environment. A function's result is kept per environment object: spec
 * validation lists the keys and compilation emits the values of the same call (some render whole
 * config files, a tenth of a platform's build when called twice).
 */
export function configMapData(cm: ConfigMapSpec, env: Environment): Record<string, string> {
  if (typeof cm.data !== 'function') return cm.data;
  let byEnv = dataByEnv.get(cm);
  if (!byEnv) dataByEnv.set(cm, (byEnv = new Map()));
  let data = byEnv.get(env);
  if (!data) byEnv.set(env, (data = cm.data(env)));
  return data;
}

/** A declared secret: created and encrypted by the secrets tool, referenced here by name and key. */
export interface SecretKeySpec {
  name: string;
  /** How `gitops secrets init` fills it when no value is given. */
  generate?: { kind: 'password' | 'hex' | 'base64'; length?: number } | { kind: 'fixed'; value: string };
  description?: string;
}

export interface SecretDecl {
  name: string;
  type?: string;
  keys: SecretKeySpec[];
  description?: string;
}

/** A named PVC shared between components (e.g. ReadWriteMany log volumes). */
export interface SharedVolumeSpec extends ClaimSpec {
  name: string;
  /** Per-environment size/class overrides. */
  settings?: Partial<Record<EnvName, Partial<ClaimSpec>>>;
}

export interface CompileContext {
  platform: PlatformSpec;
  app: AppSpec;
  env: Environment;
  namespace: string;
  /** Image reference with the tag for this environment. */
  image(repository: string): string;
}

/** An optional feature, emitted as a Kustomize Component and enabled per environment. */
export interface FeatureSpec {
  name: string;
  description: string;
  enabledIn: EnvName[];
  objects: (ctx: CompileContext) => Array<KubeObject | TypedObject>;
}

export interface AppSpec {
  name: string;
  description?: string;
  /** Namespace per environment (a string means the same in every environment). */
  namespace: string | PerEnv<string>;
  /** Extra Namespace labels, the same everywhere or per environment (`{ default: {...}, prod: {...} }`). */
  namespaceLabels?: Record<string, string> | PerEnv<Record<string, string>>;
  components: ComponentSpec[];
  configMaps?: ConfigMapSpec[];
  secrets?: SecretDecl[];
  volumes?: SharedVolumeSpec[];
  features?: FeatureSpec[];
  /** Escape hatch: any typed object the model has no word for (RBAC, Ingress, NetworkPolicy, CRDs). */
  objects?: (ctx: CompileContext) => Array<KubeObject | TypedObject>;
}

/** A kubernetes-models instance (serialised through toJSON). */
export interface TypedObject {
  toJSON(): unknown;
}

/** Image tags per environment, as data (the platform's releases.yaml). */
export type Releases = Record<string, Partial<Record<EnvName, string>>>;

export interface PlatformSpec {
  name: string;
  description: string;
  apps: AppSpec[];
  releases: Releases;
  /** Team that owns the platform (Argo CD project roles). */
  team?: string;
  /** Image (with tag) for generated wait-for init containers; default busybox from Docker Hub. */
  helperImage?: string;
  /**
   * Storage classes the platform's clusters offer beyond the environment's roles, per environment
   * (a platform on another cloud than `libs/environments` describes). An explicit `storageClass`
   * must be one of these or of the environment's; `gitops validate` accepts both (`pvc-storage-class`).
   */
  storageClasses?: Partial<Record<EnvName, string[]>>;
}
