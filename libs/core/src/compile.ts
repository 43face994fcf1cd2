/**
 * Compile a platform spec for one environment into plain Kubernetes objects, grouped by the
 * file they belong in (one group per component, plus namespace/config/storage groups).
 * Typed models from kubernetes-models build every core object, so a wrong field is a type error.
 */
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IEnvFromSource } from 'kubernetes-models/v1/EnvFromSource';

import type { Environment } from './environment';
import type {
  AppSpec,
  ClaimSpec,
  CompileContext,
  ComponentSettings,
  ComponentSpec,
  ContainerSpec,
  EnvVarSpec,
  PlatformSpec,
  ProbeSpec,
  SharedVolumeSpec,
  VolumeSpec,
} from './model';
import { ANNOTATIONS, LABELS, isNamespaced, toPlain, type KubeObject } from './objects';
import { configMapData } from './model';
import { workloadKindProblem } from './validate-spec';
import { deepMerge, forEnv, mergeForEnv } from './settings';
import { componentWaves } from './graph';
import { SpecError } from './errors';
import { imageRef } from './releases';
import { objectMeta, sortKeys } from './kit/meta';
import { restrictedContainer } from './kit/security';

export interface ObjectGroup {
  /** File stem in the generated tree, e.g. `asmm8` or `namespace`. */
  name: string;
  objects: KubeObject[];
}

export interface CompiledApp {
  app: string;
  namespace: string;
  groups: ObjectGroup[];
  /** Optional features (Kustomize Components) enabled in this environment. */
  features: Array<{ name: string; description: string; objects: KubeObject[] }>;
  /** Release images (repository -> tag from the releases file) used in this environment. */
  images: Record<string, string>;
}

export const BUSYBOX_IMAGE = 'busybox:1.36.1';

export function appNamespace(app: AppSpec, env: string): string {
  return forEnv(app.namespace, env);
}

export function makeContext(platform: PlatformSpec, app: AppSpec, env: Environment): CompileContext {
  return {
    platform,
    app,
    env,
    namespace: appNamespace(app, env.name),
    image(repository: string) {
      const tag = platform.releases[repository]?.[env.name as keyof (typeof platform.releases)[string]];
      if (!tag) {
        throw new SpecError([
          { platform: platform.name, app: app.name, field: `releases["${repository}"].${env.name}`, message: `no image tag for environment "${env.name}"` },
        ]);
      }
      return imageRef(repository, tag);
    },
  };
}

export function compileApp(platform: PlatformSpec, app: AppSpec, env: Environment): CompiledApp {
  const ctx = makeContext(platform, app, env);
  const waves = componentWaves(app);
  const images: Record<string, string> = {};
  const trackImage = (c: ContainerSpec): string => {
    if (c.tag) return `${c.image}:${c.tag}`;
    const ref = ctx.image(c.image);
    images[c.image] = ref.slice(c.image.length + 1);
    return ref;
  };

  const groups: ObjectGroup[] = [];
  groups.push({ name: 'namespace', objects: [namespaceObject(platform, app, ctx)] });

  const config = (app.configMaps ?? []).map(
    (cm) =>
      toPlain(
        new ConfigMap({
          metadata: objectMeta(ctx, cm.name, { wave: 1 }),
          data: sortKeys(configMapData(cm, env)),
        }),
      ),
  );
  if (config.length) groups.push({ name: 'config', objects: config });

  const shared = (app.volumes ?? []).map((v) => sharedClaim(ctx, v));
  if (shared.length) groups.push({ name: 'storage', objects: shared });

  for (const component of app.components) {
    const settings = mergeForEnv(component.settings, env.name);
    if (settings.enabled === false) continue;
    groups.push({
      name: component.name,
      objects: compileComponent(platform, app, component, settings, ctx, waves.get(component.name) ?? 2, trackImage),
    });
  }

  const extra = app.objects ? app.objects(ctx).map((o) => toPlain(o as KubeObject)) : [];
  if (extra.length) groups.push({ name: 'extras', objects: extra.map((o) => withNamespace(o, ctx.namespace)) });

  const features = (app.features ?? [])
    .filter((f) => (f.enabledIn as string[]).includes(env.name))
    .map((f) => ({ name: f.name, description: f.description, objects: f.objects(ctx).map((o) => toPlain(o as KubeObject)).map((o) => withNamespace(o, ctx.namespace)) }));

  return { app: app.name, namespace: ctx.namespace, groups, features, images: sortKeys(images) };
}

function withNamespace(obj: KubeObject, namespace: string): KubeObject {
  if (!isNamespaced(obj)) return obj;
  return { ...obj, metadata: { ...obj.metadata, namespace } };
}

function namespaceObject(platform: PlatformSpec, app: AppSpec, ctx: CompileContext): KubeObject {
  const level = ctx.env.podSecurity;
  return toPlain(
    new Namespace({
      metadata: {
        name: ctx.namespace,
        labels: sortKeys({
          name: ctx.namespace,
          'kubernetes.io/metadata.name': ctx.namespace,
          [LABELS.partOf]: platform.name,
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/warn': level,
          'pod-security.kubernetes.io/audit': level,
          ...forEnv(app.namespaceLabels ?? {}, ctx.env.name),
        }),
        // Argo CD never deletes a namespace on its own: pruning one deletes everything in it, also
        // what others deployed there. A platform or app removed leaves its namespace to delete by hand.
        annotations: { [ANNOTATIONS.syncWave]: '0', [ANNOTATIONS.syncOptions]: 'Prune=false' },
      },
    }),
  );
}

function claimSpec(ctx: CompileContext, claim: ClaimSpec): IPersistentVolumeClaim['spec'] {
  return {
    accessModes: claim.accessModes ?? ['ReadWriteOnce'],
    storageClassName: claim.storageClass ?? ctx.env.storageClasses[claim.storage ?? 'standard'],
    resources: { requests: { storage: claim.size } },
  };
}

function sharedClaim(ctx: CompileContext, v: SharedVolumeSpec): KubeObject {
  const claim = deepMerge<ClaimSpec>(v, v.settings?.[ctx.env.name as keyof typeof v.settings] ?? {});
  return toPlain(new PersistentVolumeClaim({ metadata: objectMeta(ctx, v.name, { wave: 1 }), spec: claimSpec(ctx, claim) }));
}

function probe(p: ProbeSpec | undefined): IProbe | undefined {
  if (!p) return undefined;
  const out: IProbe = {};
  if (p.http) out.httpGet = { path: p.http.path, port: p.http.port, ...(p.http.scheme ? { scheme: p.http.scheme } : {}) };
  if (p.tcp) out.tcpSocket = { port: p.tcp.port };
  if (p.exec) out.exec = { command: p.exec };
  for (const k of ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold'] as const) {
    if (p[k] !== undefined) out[k] = p[k];
  }
  return out;
}

function envVar(e: EnvVarSpec): IEnvVar {
  if ('value' in e) return { name: e.name, value: e.value };
  if ('configMap' in e) return { name: e.name, valueFrom: { configMapKeyRef: { name: e.configMap, key: e.key, ...(e.optional ? { optional: true } : {}) } } };
  if ('secret' in e) return { name: e.name, valueFrom: { secretKeyRef: { name: e.secret, key: e.key, ...(e.optional ? { optional: true } : {}) } } };
  return { name: e.name, valueFrom: { fieldRef: { fieldPath: e.fieldPath } } };
}

function container(
  c: ContainerSpec,
  image: string,
  resources: ComponentSettings['resources'] | undefined,
  extraEnv: EnvVarSpec[] = [],
): IContainer {
  const envs = [...(c.env ?? []), ...extraEnv];
  const envFrom: IEnvFromSource[] = (c.envFrom ?? []).map((f) =>
    'configMap' in f
      ? { configMapRef: { name: f.configMap }, ...(f.prefix ? { prefix: f.prefix } : {}) }
      : { secretRef: { name: f.secret }, ...(f.prefix ? { prefix: f.prefix } : {}) },
  );
  // The security default is the same in every environment: the restricted context (so a write to
  // the root file system fails in dev, not first in prod). A component's own `securityContext` is
  // merged over it: the per-container escape hatch for an image that must run as root or write its
  // root file system, with the validator's suppression saying why.
  const security = deepMerge(restrictedContainer(), (c.securityContext ?? {}) as Record<string, unknown>);
  const out: IContainer = {
    name: c.name,
    image,
    ...(c.command ? { command: c.command } : {}),
    ...(c.args ? { args: c.args } : {}),
    ...(c.workingDir ? { workingDir: c.workingDir } : {}),
    ...(c.ports?.length
      ? { ports: c.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })) }
      : {}),
    ...(envFrom.length ? { envFrom } : {}),
    ...(envs.length ? { env: envs.map(envVar) } : {}),
    ...(resources ? { resources: resources as IContainer['resources'] } : {}),
    ...(c.probes?.startup ? { startupProbe: probe(c.probes.startup) } : {}),
    ...(c.probes?.liveness ? { livenessProbe: probe(c.probes.liveness) } : {}),
    ...(c.probes?.readiness ? { readinessProbe: probe(c.probes.readiness) } : {}),
    ...(Object.keys(security).length ? { securityContext: security as IContainer['securityContext'] } : {}),
    ...(c.mounts?.length
      ? {
          volumeMounts: c.mounts.map((m) => ({
            name: m.volume,
            mountPath: m.mountPath,
            ...(m.subPath ? { subPath: m.subPath } : {}),
            ...(m.subPathExpr ? { subPathExpr: m.subPathExpr } : {}),
            ...(m.readOnly ? { readOnly: true } : {}),
          })),
        }
      : {}),
  };
  return out;
}

/** Init containers that block until each dependency's Service accepts TCP connections. */
function waitForContainers(platform: PlatformSpec, app: AppSpec, component: ComponentSpec): IContainer[] {
  if (!component.waitForDependencies) return [];
  return (component.dependsOn ?? []).flatMap((depName) => {
    const dep = app.components.find((c) => c.name === depName);
    if (!dep || dep.service === false || !dep.ports?.length) return [];
    const svc = serviceNameOf(dep);
    const port = dep.ports[0].servicePort ?? dep.ports[0].containerPort;
    const c: ContainerSpec = {
      name: `wait-for-${depName}`.slice(0, 63),
      image: 'busybox',
      command: ['sh', '-c', `until nc -z -w 2 ${svc} ${port}; do echo "waiting for ${svc}:${port}"; sleep 2; done`],
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 },
    };
    return [
      container(c, platform.helperImage ?? BUSYBOX_IMAGE, {
        requests: { cpu: '10m', memory: '16Mi' },
        limits: { cpu: '50m', memory: '32Mi' },
      }),
    ];
  });
}

export function serviceNameOf(c: ComponentSpec): string {
  if (c.service === false) return c.name;
  return c.service?.name ?? c.name;
}

function volume(platform: PlatformSpec, component: ComponentSpec, v: VolumeSpec): IVolume | undefined {
  const s = v.source;
  if ('configMap' in s) return { name: v.name, configMap: { name: s.configMap, ...(s.items ? { items: s.items } : {}), ...(s.defaultMode !== undefined ? { defaultMode: s.defaultMode } : {}) } };
  if ('secret' in s) return { name: v.name, secret: { secretName: s.secret, ...(s.items ? { items: s.items } : {}), ...(s.defaultMode !== undefined ? { defaultMode: s.defaultMode } : {}) } };
  if ('emptyDir' in s) return { name: v.name, emptyDir: s.emptyDir };
  if ('claim' in s) return { name: v.name, persistentVolumeClaim: { claimName: s.claim } };
  if ('hostPath' in s) return { name: v.name, hostPath: s.hostPath as IVolume['hostPath'] };
  // persistent: StatefulSets use volumeClaimTemplates (no pod volume); others get a PVC per component.
  if (component.kind === 'StatefulSet') return undefined;
  return { name: v.name, persistentVolumeClaim: { claimName: `${component.name}-${v.name}` } };
}

function persistentClaims(ctx: CompileContext, component: ComponentSpec, settings: ComponentSettings) {
  return (component.volumes ?? []).flatMap((v) => {
    if (!('persistent' in v.source)) return [];
    const claim = deepMerge<ClaimSpec>(v.source.persistent, settings.storage?.[v.name] ?? {});
    return [{ volume: v, spec: claimSpec(ctx, claim) }];
  });
}

function compileComponent(
  platform: PlatformSpec,
  app: AppSpec,
  component: ComponentSpec,
  settings: ComponentSettings,
  ctx: CompileContext,
  wave: number,
  trackImage: (c: ContainerSpec) => string,
): KubeObject[] {
  const env = ctx.env;
  const selector = { [LABELS.name]: component.name };
  const podLabels = sortKeys({ ...selector, [LABELS.partOf]: platform.name, ...(component.labels ?? {}) });
  const hookAnnotations: Record<string, string> = component.hook
    ? { [ANNOTATIONS.hook]: component.hook, [ANNOTATIONS.hookDeletePolicy]: 'BeforeHookCreation,HookSucceeded' }
    : {};
  const objMeta = (name: string, extra: Record<string, string> = {}) => objectMeta(ctx, name, { component: component.name, wave, annotations: extra });
  // Component annotations (e.g. policy suppressions) belong to the workload, not its Service/PDB/HPA.
  const workloadMeta = (extra: Record<string, string> = {}) => objMeta(component.name, { ...(component.annotations ?? {}), ...extra });

  const mainMounts = (component.volumes ?? []).flatMap((v) =>
    (v.mounts ?? [])
      .filter((m) => !m.container || m.container === component.name)
      .map((m) => ({ volume: v.name, mountPath: m.mountPath, subPath: m.subPath, subPathExpr: m.subPathExpr, readOnly: m.readOnly })),
  );
  const main = container(
    { ...component, mounts: [...(component.mounts ?? []), ...mainMounts] },
    trackImage(component),
    settings.resources,
    settings.env,
  );
  const sideMounts = (name: string) =>
    (component.volumes ?? []).flatMap((v) =>
      (v.mounts ?? []).filter((m) => m.container === name).map((m) => ({ volume: v.name, mountPath: m.mountPath, subPath: m.subPath, subPathExpr: m.subPathExpr, readOnly: m.readOnly })),
    );
  const sidecars = (component.sidecars ?? []).map((s) =>
    container({ ...s, mounts: [...(s.mounts ?? []), ...sideMounts(s.name)] }, trackImage(s), s.resources),
  );
  const inits = [
    ...waitForContainers(platform, app, component),
    ...(component.initContainers ?? []).map((s) =>
      container({ ...s, mounts: [...(s.mounts ?? []), ...sideMounts(s.name)] }, trackImage(s), s.resources),
    ),
  ];
  const volumes = (component.volumes ?? []).map((v) => volume(platform, component, v)).filter((v): v is IVolume => !!v);
  // RuntimeDefault seccomp for every pod in every environment, like the container default.
  const podSecurity = deepMerge({ seccompProfile: { type: 'RuntimeDefault' } }, (component.podSecurityContext ?? {}) as Record<string, unknown>);
  const isJob = component.kind === 'CronJob' || component.kind === 'Job';

  const podSpec: IPodSpec = {
    ...(component.serviceAccount ? { serviceAccountName: component.serviceAccount } : {}),
    ...(component.automountServiceAccountToken !== undefined ? { automountServiceAccountToken: component.automountServiceAccountToken } : {}),
    ...(component.priorityClassName ? { priorityClassName: component.priorityClassName } : {}),
    ...(component.imagePullSecrets?.length ? { imagePullSecrets: component.imagePullSecrets.map((name) => ({ name })) } : {}),
    ...(Object.keys(podSecurity).length ? { securityContext: podSecurity as IPodSpec['securityContext'] } : {}),
    ...(settings.nodeSelector ? { nodeSelector: settings.nodeSelector } : {}),
    ...(settings.tolerations ? { tolerations: settings.tolerations as IPodSpec['tolerations'] } : {}),
    ...spreadConstraints(settings.spread, selector),
    ...(component.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: component.terminationGracePeriodSeconds } : {}),
    ...(isJob ? { restartPolicy: component.restartPolicy ?? 'OnFailure' } : {}),
    ...(isJob && component.activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds: component.activeDeadlineSeconds } : {}),
    ...(inits.length ? { initContainers: inits } : {}),
    containers: [main, ...sidecars],
    ...(volumes.length ? { volumes } : {}),
  };
  const template = {
    metadata: {
      labels: podLabels,
      ...(settings.podAnnotations && Object.keys(settings.podAnnotations).length ? { annotations: sortKeys(settings.podAnnotations) } : {}),
    },
    spec: podSpec,
  };
  const claims = persistentClaims(ctx, component, settings);
  const objects: KubeObject[] = [];

  // Services first in the file: readers look for the address before the workload.
  objects.push(...services(platform, ctx, component, settings, objMeta));

  if (component.kind !== 'StatefulSet') {
    for (const c of claims) {
      objects.push(toPlain(new PersistentVolumeClaim({ metadata: objMeta(`${component.name}-${c.volume.name}`), spec: c.spec })));
    }
  }

  const replicas = settings.autoscaling ? undefined : settings.replicas ?? 1;
  switch (component.kind) {
    case 'Deployment':
      objects.push(
        toPlain(
          new Deployment({
            metadata: workloadMeta(),
            spec: {
              ...(replicas !== undefined ? { replicas } : {}),
              revisionHistoryLimit: 5,
              selector: { matchLabels: selector },
              ...(component.strategy ? { strategy: component.strategy as never } : {}),
              template,
            },
          }),
        ),
      );
      break;
    case 'StatefulSet': {
      // Every StatefulSet gets a headless governing Service (stable per-pod DNS names).
      const governing = `${serviceNameOf(component)}-headless`;
      objects.push(
        toPlain(
          new StatefulSet({
            metadata: workloadMeta(),
            spec: {
              ...(replicas !== undefined ? { replicas } : {}),
              serviceName: governing,
              podManagementPolicy: component.podManagementPolicy ?? 'OrderedReady',
              selector: { matchLabels: selector },
              template,
              ...(claims.length
                ? {
                    volumeClaimTemplates: claims.map((c) => ({
                      metadata: { name: c.volume.name, labels: selector },
                      spec: c.spec,
                    })),
                  }
                : {}),
            },
          }),
        ),
      );
      break;
    }
    case 'DaemonSet':
      objects.push(toPlain(new DaemonSet({ metadata: workloadMeta(), spec: { selector: { matchLabels: selector }, template } })));
      break;
    case 'CronJob':
      objects.push(
        toPlain(
          new CronJob({
            metadata: workloadMeta(),
            spec: {
              schedule: component.schedule!,
              concurrencyPolicy: component.concurrencyPolicy ?? 'Forbid',
              ...(component.startingDeadlineSeconds !== undefined ? { startingDeadlineSeconds: component.startingDeadlineSeconds } : {}),
              successfulJobsHistoryLimit: component.successfulJobsHistoryLimit ?? 3,
              failedJobsHistoryLimit: component.failedJobsHistoryLimit ?? 3,
              jobTemplate: { spec: { backoffLimit: component.backoffLimit ?? 2, template } },
            },
          }),
        ),
      );
      break;
    case 'Job':
      objects.push(
        toPlain(
          new Job({
            metadata: workloadMeta(hookAnnotations),
            spec: { backoffLimit: component.backoffLimit ?? 2, template },
          }),
        ),
      );
      break;
    default:
      // validatePlatform rejects an unknown kind first; never emit a component without its workload.
      throw new SpecError([
        { platform: platform.name, app: app.name, component: component.name, field: 'kind', message: workloadKindProblem((component as { kind: unknown }).kind) ?? `kind ${JSON.stringify((component as { kind: unknown }).kind)} has no compile case (a bug: WORKLOAD_KINDS lists it)` },
      ]);
  }

  const workloadKind = component.kind;
  if (settings.autoscaling && (workloadKind === 'Deployment' || workloadKind === 'StatefulSet')) {
    const a = settings.autoscaling;
    const metrics = [
      ...(a.cpu ? [{ type: 'Resource' as const, resource: { name: 'cpu', target: { type: 'Utilization' as const, averageUtilization: a.cpu } } }] : []),
      ...(a.memory ? [{ type: 'Resource' as const, resource: { name: 'memory', target: { type: 'Utilization' as const, averageUtilization: a.memory } } }] : []),
    ];
    objects.push(
      toPlain(
        new HorizontalPodAutoscaler({
          metadata: objMeta(a.name ?? component.name),
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: workloadKind, name: component.name },
            minReplicas: a.min,
            maxReplicas: a.max,
            ...(metrics.length ? { metrics } : {}),
            ...(a.behavior ? { behavior: a.behavior as never } : {}),
          },
        }),
      ),
    );
  }
  if (settings.disruptionBudget) {
    const { name: pdbName, ...budget } = settings.disruptionBudget;
    objects.push(
      toPlain(
        new PodDisruptionBudget({
          metadata: objMeta(pdbName ?? component.name),
          spec: { ...budget, selector: { matchLabels: selector } },
        }),
      ),
    );
  }
  return objects;
}

function spreadConstraints(spread: ComponentSettings['spread'], selector: Record<string, string>): Partial<IPodSpec> {
  if (!spread) return {};
  const topologyKey = spread === 'zone' ? 'topology.kubernetes.io/zone' : 'kubernetes.io/hostname';
  return {
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } } },
        ],
      },
    },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } }],
  };
}

function services(
  platform: PlatformSpec,
  ctx: CompileContext,
  component: ComponentSpec,
  settings: ComponentSettings,
  objMeta: (name: string, extra?: Record<string, string>) => ReturnType<typeof objectMeta>,
): KubeObject[] {
  if (component.service === false || !component.ports?.length || component.kind === 'CronJob' || component.kind === 'Job') return [];
  const spec = component.service ?? {};
  const name = serviceNameOf(component);
  const selected = spec.ports ? component.ports.filter((p) => spec.ports!.includes(p.name)) : component.ports;
  const exposure = settings.exposure ?? { type: 'ClusterIP' as const };
  const servicePorts = (withNodePorts: boolean) =>
    selected.map((p) => ({
      name: p.name,
      port: p.servicePort ?? p.containerPort,
      targetPort: p.name,
      protocol: p.protocol ?? 'TCP',
      ...(withNodePorts && exposure.type === 'NodePort' && exposure.nodePorts?.[p.name] ? { nodePort: exposure.nodePorts[p.name] } : {}),
    }));
  const selector = { [LABELS.name]: component.name };
  const out: KubeObject[] = [];
  const isSts = component.kind === 'StatefulSet';
  if (isSts || spec.headless) {
    {
      out.push(
        toPlain(
          new Service({
            metadata: objMeta(isSts ? `${name}-headless` : name),
            spec: { clusterIP: 'None', publishNotReadyAddresses: isSts, selector, ports: servicePorts(false) },
          }),
        ),
      );
    }
  }
  if (!isSts && spec.headless) return out;
  if (isSts && spec.client === false) return out;
  out.push(
    toPlain(
      new Service({
        metadata: objMeta(name, spec.annotations ?? {}),
        spec: { type: exposure.type, selector, ports: servicePorts(true) },
      }),
    ),
  );
  return out;
}
