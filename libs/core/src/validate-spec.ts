/**
 * Checks a platform spec before anything is compiled or written. Collects every problem and
 * throws one SpecError naming platform, app, component and field for each.
 */
import { appNameProblem, platformNameProblem } from './platform-name';
import { configMapData, WORKLOAD_KINDS, type AppSpec, type ComponentSpec, type ContainerSpec, type EnvVarSpec, type PlatformSpec } from './model';
import { SpecError, type SpecIssue } from './errors';
import type { Environment } from './environment';
import { findCycle } from './graph';
import { cronScheduleProblem, DNS1123_LABEL, DNS1123_SUBDOMAIN, envVarNameProblem, isCredentialEnvName, isDns1123Label, labelKeyProblem, labelValueProblem, parseQuantity, requestLimitProblems } from '@gitops/validate/values';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** What is wrong with a component's `kind` (undefined: a workload kind compile.ts emits); the one wording of it. */
export function workloadKindProblem(kind: unknown): string | undefined {
  return (WORKLOAD_KINDS as readonly unknown[]).includes(kind) ? undefined : `unknown kind ${JSON.stringify(kind)} (known: ${WORKLOAD_KINDS.join(', ')})`;
}

/**
 * `environments` (when given) are passed to ConfigMap data functions; otherwise they get a stub
 * with only `name`, enough to list keys.
 */
export function validatePlatform(platform: PlatformSpec, envNames: readonly string[], environments?: Record<string, Environment>): void {
  const issues: SpecIssue[] = [];
  const at = (app?: string, component?: string) => (field: string, message: string) =>
    issues.push({ platform: platform.name, app, component, field, message });

  const nameProblem = platformNameProblem(platform.name);
  if (nameProblem) at()('name', nameProblem);
  duplicates(platform.apps.map((a) => a.name)).forEach((d) => at(d)('name', `duplicate app name "${d}"`));
  for (const [repo, tags] of Object.entries(platform.releases)) {
    for (const env of Object.keys(tags)) {
      if (!envNames.includes(env)) at()(`releases["${repo}"].${env}`, `unknown environment "${env}" (known: ${envNames.join(', ')})`);
    }
  }
  for (const app of platform.apps) validateApp(platform, app, envNames, at, environments);
  if (issues.length) throw new SpecError(issues);
}

type At = (app?: string, component?: string) => (field: string, message: string) => void;

function validateApp(platform: PlatformSpec, app: AppSpec, envNames: readonly string[], at: At, environments?: Record<string, Environment>): void {
  const appAt = at(app.name);
  if (!isDns1123Label(app.name)) appAt('name', `"${app.name}" is not a DNS-1123 label`);
  const appProblem = appNameProblem(app.name);
  if (appProblem) appAt('name', appProblem);
  const namespaces = typeof app.namespace === 'string' ? { default: app.namespace } : app.namespace;
  for (const [env, ns] of Object.entries(namespaces)) {
    if (env !== 'default' && !envNames.includes(env)) appAt(`namespace.${env}`, `unknown environment "${env}"`);
    if (!isDns1123Label(ns)) appAt(`namespace.${env}`, `"${ns}" is not a DNS-1123 label`);
  }
  const components = app.components;
  duplicates(components.map((c) => c.name)).forEach((d) => appAt('components', `duplicate component name "${d}"`));
  duplicates((app.configMaps ?? []).map((c) => c.name)).forEach((d) => appAt('configMaps', `duplicate ConfigMap name "${d}"`));
  duplicates((app.secrets ?? []).map((s) => s.name)).forEach((d) => appAt('secrets', `duplicate secret name "${d}"`));
  for (const f of app.features ?? []) {
    if (!isDns1123Label(f.name)) appAt(`features.${f.name}`, `"${f.name}" is not a DNS-1123 label`);
    for (const e of f.enabledIn) if (!envNames.includes(e)) appAt(`features.${f.name}.enabledIn`, `unknown environment "${e}"`);
  }
  for (const cm of app.configMaps ?? []) {
    if (!DNS1123_SUBDOMAIN.test(cm.name)) appAt(`configMaps.${cm.name}`, `"${cm.name}" is not a DNS-1123 subdomain`);
  }
  for (const s of app.secrets ?? []) {
    if (!DNS1123_SUBDOMAIN.test(s.name)) appAt(`secrets.${s.name}`, `"${s.name}" is not a DNS-1123 subdomain`);
    duplicates(s.keys.map((k) => k.name)).forEach((d) => appAt(`secrets.${s.name}.keys`, `duplicate key "${d}"`));
    for (const k of s.keys) if (!CONFIG_KEY.test(k.name)) appAt(`secrets.${s.name}.keys`, `"${k.name}" is not a valid Secret key`);
  }

  // Keys a ConfigMap holds in any environment (data may be a function of the environment).
  const configKeys = new Map<string, Set<string>>();
  for (const cm of app.configMaps ?? []) {
    const keys = new Set<string>();
    if (typeof cm.data === 'function') {
      for (const env of envNames) Object.keys(configMapData(cm, environments?.[env] ?? ({ name: env } as Environment))).forEach((k) => keys.add(k));
    } else Object.keys(cm.data).forEach((k) => keys.add(k));
    configKeys.set(cm.name, keys);
  }
  const secretKeys = new Map((app.secrets ?? []).map((s) => [s.name, new Set(s.keys.map((k) => k.name))]));
  const claims = new Set((app.volumes ?? []).map((v) => v.name));
  const names = new Set(components.map((c) => c.name));

  for (const c of components) {
    const cAt = at(app.name, c.name);
    if (!isDns1123Label(c.name)) cAt('name', `"${c.name}" is not a DNS-1123 label`);
    // compile.ts emits one object per known kind: an unknown one would silently emit no workload.
    const kindProblem = workloadKindProblem(c.kind);
    if (kindProblem) cAt('kind', kindProblem);
    if (!c.settings || typeof c.settings !== 'object') {
      // Every check below reads the settings: name the field instead of failing on it.
      cAt('settings', `settings are required ({ default: { … } }), got ${JSON.stringify(c.settings) ?? 'nothing'}`);
      continue;
    }
    checkComponentNumbers(cAt, c);
    for (const env of Object.keys(c.settings ?? {})) {
      if (env !== 'default' && !envNames.includes(env)) cAt(`settings.${env}`, `unknown environment "${env}" (known: ${envNames.join(', ')})`);
    }
    const cronProblem = c.kind === 'CronJob' ? cronScheduleProblem(c.schedule ?? '') : undefined;
    if (cronProblem) cAt('schedule', `CronJob needs a schedule kube-apiserver accepts: ${cronProblem}`);
    checkSettingsValues(cAt, c);
    checkStorageClasses(cAt, platform, c, envNames, environments);
    for (const [k, v] of Object.entries(c.labels ?? {})) {
      const problem = labelKeyProblem(k) ?? labelValueProblem(v);
      if (problem) cAt(`labels.${k}`, problem);
    }
    if (c.kind !== 'CronJob' && c.schedule) cAt('schedule', `only CronJobs have a schedule (kind is ${c.kind})`);
    for (const dep of c.dependsOn ?? []) {
      if (!names.has(dep)) cAt('dependsOn', `depends on "${dep}", which is not a component of app "${app.name}"`);
    }
    const volumeNames = new Set((c.volumes ?? []).map((v) => v.name));
    duplicates((c.volumes ?? []).map((v) => v.name)).forEach((d) => cAt('volumes', `duplicate volume "${d}"`));
    for (const v of c.volumes ?? []) {
      const s = v.source;
      if ('configMap' in s) checkRef(cAt, `volumes.${v.name}.configMap`, 'ConfigMap', s.configMap, configKeys, s.items?.map((i) => i.key));
      if ('secret' in s) checkRef(cAt, `volumes.${v.name}.secret`, 'secret', s.secret, secretKeys, s.items?.map((i) => i.key));
      if ('claim' in s && !claims.has(s.claim)) cAt(`volumes.${v.name}.claim`, `claim "${s.claim}" is not declared in app.volumes`);
    }
    const containers: ContainerSpec[] = [c, ...(c.initContainers ?? []), ...(c.sidecars ?? [])];
    duplicates(containers.map((x) => x.name)).forEach((d) => cAt('containers', `duplicate container name "${d}"`));
    const envSettings = Object.entries(c.settings).flatMap(([env, s]) => (s?.env ?? []).map((e) => ({ e, field: `settings.${env}.env` })));
    for (const x of containers) {
      const prefix = x === c ? '' : `containers.${x.name}.`;
      if (!isDns1123Label(x.name)) cAt(`${prefix}name`, `container name "${x.name}" is not a DNS-1123 label`);
      if (!x.image) cAt(`${prefix}image`, 'image is required');
      checkPorts(cAt, prefix, x);
      const envs = [...(x.env ?? []).map((e) => ({ e, field: `${prefix}env` })), ...(x === c ? envSettings : [])];
      // A name set both on the container and in an environment's settings would appear twice in the pod.
      for (const [env, s] of Object.entries(c.settings)) {
        if (x !== c) break;
        duplicates([...(x.env ?? []), ...(s?.env ?? [])].map((e) => e.name)).forEach((d) => cAt(`settings.${env}.env`, `environment variable "${d}" is set twice (container env and settings.${env}.env)`));
      }
      for (const { e, field } of envs) {
        checkEnvRef(cAt, `${field}.${e.name}`, e, configKeys, secretKeys);
        const nameProblem = envVarNameProblem(e.name);
        if (nameProblem) cAt(`${field}.${e.name}`, nameProblem);
        // The value is never repeated: it may be a real credential.
        if ('value' in e && e.value !== '' && isCredentialEnvName(e.name)) cAt(`${field}.${e.name}`, `"${e.name}" holds a literal value; declare it in app.secrets and reference it ({ secret, key })`);
      }
      checkResources(cAt, `${prefix}resources`, x.resources);
      for (const f of x.envFrom ?? []) {
        if ('configMap' in f) checkRef(cAt, `${prefix}envFrom`, 'ConfigMap', f.configMap, configKeys);
        else checkRef(cAt, `${prefix}envFrom`, 'secret', f.secret, secretKeys);
      }
      for (const m of x.mounts ?? []) if (!volumeNames.has(m.volume)) cAt(`${prefix}mounts`, `mount of unknown volume "${m.volume}"`);
      const portNames = new Set((x.ports ?? []).map((p) => p.name));
      for (const [kind, p] of Object.entries(x.probes ?? {})) {
        for (const f of PROBE_NUMBERS) numberField(cAt, `${prefix}probes.${kind}.${f}`, p?.[f], f === 'initialDelaySeconds' ? 0 : 1);
        const port = p?.http?.port ?? p?.tcp?.port;
        if (typeof port === 'string' && !portNames.has(port)) cAt(`${prefix}probes.${kind}.port`, `probe uses port "${port}", which the container does not declare`);
        if (port !== undefined && typeof port !== 'string' && portProblem(port)) cAt(`${prefix}probes.${kind}.port`, portProblem(port)!);
      }
    }
    if (c.service && c.service.ports) {
      const portNames = new Set((c.ports ?? []).map((p) => p.name));
      for (const p of c.service.ports) if (!portNames.has(p)) cAt('service.ports', `service publishes port "${p}", which the container does not declare`);
    }
  }
  for (const v of app.volumes ?? []) {
    const appAt = at(app.name);
    quantityField(appAt, `volumes.${v.name}.size`, v.size);
    for (const [env, o] of Object.entries(v.settings ?? {})) quantityField(appAt, `volumes.${v.name}.settings.${env}.size`, o?.size);
    for (const env of envNames) {
      const cls = v.settings?.[env as keyof typeof v.settings]?.storageClass ?? v.storageClass;
      const problem = storageClassProblem(platform, env, cls, environments);
      if (problem) appAt(`volumes.${v.name}${v.settings?.[env as keyof typeof v.settings]?.storageClass ? `.settings.${env}` : ''}.storageClass`, problem);
    }
  }
  const cycle = findCycle(app);
  if (cycle) appAt('components.dependsOn', `dependency cycle: ${cycle.join(' -> ')}`);
}

function checkPorts(cAt: (f: string, m: string) => void, prefix: string, x: ContainerSpec): void {
  duplicates((x.ports ?? []).map((p) => p.name)).forEach((d) => cAt(`${prefix}ports`, `duplicate port name "${d}"`));
  for (const p of x.ports ?? []) {
    if (!DNS1123_LABEL.test(p.name) || p.name.length > 15) cAt(`${prefix}ports.${p.name}.name`, `port name "${p.name}" must be a DNS-1123 label of at most 15 characters`);
    for (const [field, value] of [['containerPort', p.containerPort], ['servicePort', p.servicePort]] as const) {
      if (value === undefined) continue;
      const problem = portProblem(value);
      if (problem) cAt(`${prefix}ports.${p.name}.${field}`, problem);
    }
  }
}

/** A port number: the wrong type (a quoted '3000' from YAML or env) is named as such, not as a range. */
function portProblem(value: unknown): string | undefined {
  const problem = wholeNumberProblem(value, 1);
  if (problem) return problem === 'too small' ? `port ${value} is out of range 1-65535` : problem;
  if ((value as number) > 65535) return `port ${value} is out of range 1-65535`;
  return undefined;
}

/**
 * Why `value` is not a whole number of at least `min`: the wrong type is named as such (a quoted
 * '30' reaches a spec from YAML, JSON or the environment), so the message never shows a coerced value.
 * 'too small' lets the caller word the range.
 */
function wholeNumberProblem(value: unknown, min: number): string | undefined {
  if (typeof value !== 'number' || Number.isNaN(value)) return `must be a number, got ${typeof value} ${JSON.stringify(value)}`;
  if (!Number.isInteger(value)) return `must be a whole number, got ${value}`;
  if (value < min) return 'too small';
  return undefined;
}

/** An optional whole-number field of at least `min` (kube-apiserver's own lower bound for it). */
function numberField(cAt: (f: string, m: string) => void, field: string, value: unknown, min: number): void {
  if (value === undefined) return;
  const problem = wholeNumberProblem(value, min);
  if (problem) cAt(field, problem === 'too small' ? `must be ${min} or more, got ${value}` : problem);
}

/** A storage size (`10Gi`): a Kubernetes quantity, when given. */
function quantityField(cAt: (f: string, m: string) => void, field: string, value: unknown): void {
  if (value !== undefined && parseQuantity(value) === undefined) cAt(field, `${JSON.stringify(value)} is not a Kubernetes quantity`);
}

/** Numeric probe settings; kube-apiserver wants periodSeconds, timeoutSeconds and the thresholds >= 1. */
const PROBE_NUMBERS = ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold'] as const;

/** The component's own numeric settings (Job/CronJob limits, grace period), with kube-apiserver's lower bounds. */
function checkComponentNumbers(cAt: (f: string, m: string) => void, c: ComponentSpec): void {
  numberField(cAt, 'terminationGracePeriodSeconds', c.terminationGracePeriodSeconds, 0);
  numberField(cAt, 'successfulJobsHistoryLimit', c.successfulJobsHistoryLimit, 0);
  numberField(cAt, 'failedJobsHistoryLimit', c.failedJobsHistoryLimit, 0);
  numberField(cAt, 'backoffLimit', c.backoffLimit, 0);
  numberField(cAt, 'activeDeadlineSeconds', c.activeDeadlineSeconds, 1);
  numberField(cAt, 'startingDeadlineSeconds', c.startingDeadlineSeconds, 0);
  for (const v of c.volumes ?? []) {
    if ('persistent' in v.source) quantityField(cAt, `volumes.${v.name}.persistent.size`, v.source.persistent.size);
    if ('emptyDir' in v.source) quantityField(cAt, `volumes.${v.name}.emptyDir.sizeLimit`, v.source.emptyDir?.sizeLimit);
    const s = v.source as { defaultMode?: unknown };
    numberField(cAt, `volumes.${v.name}.defaultMode`, s.defaultMode, 0);
    if (typeof s.defaultMode === 'number' && s.defaultMode > 0o777) cAt(`volumes.${v.name}.defaultMode`, `must be a file mode between 0 and 0o777 (511), got ${s.defaultMode}`);
  }
}

function checkEnvRef(
  cAt: (f: string, m: string) => void,
  field: string,
  e: EnvVarSpec,
  configKeys: Map<string, Set<string>>,
  secretKeys: Map<string, Set<string>>,
): void {
  if ('configMap' in e && !e.optional) checkRef(cAt, field, 'ConfigMap', e.configMap, configKeys, [e.key]);
  if ('secret' in e && !e.optional) checkRef(cAt, field, 'secret', e.secret, secretKeys, [e.key]);
}

function checkRef(
  cAt: (f: string, m: string) => void,
  field: string,
  what: 'ConfigMap' | 'secret',
  name: string,
  declared: Map<string, Set<string>>,
  keys: string[] = [],
): void {
  const have = declared.get(name);
  if (!have) {
    cAt(field, `references ${what} "${name}", which is not declared`);
    return;
  }
  for (const k of keys) if (!have.has(k)) cAt(field, `references key "${k}" of ${what} "${name}", which does not declare it (has: ${[...have].sort().join(', ')})`);
}

function duplicates(names: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const n of names) (seen.has(n) ? dup : seen).add(n);
  return [...dup];
}


/** The numbers of each environment's settings (replicas, autoscaling, disruption budget, node ports) and its resources. */
function checkSettingsValues(cAt: (f: string, m: string) => void, c: ComponentSpec): void {
  for (const [env, st] of Object.entries(c.settings ?? {})) {
    if (!st) continue;
    const at = `settings.${env}`;
    const replicasProblem = st.replicas === undefined ? undefined : wholeNumberProblem(st.replicas, 0);
    if (replicasProblem) cAt(`${at}.replicas`, replicasProblem === 'too small' ? `replicas must be a whole number of 0 or more, got ${st.replicas}` : replicasProblem);
    const hpa = st.autoscaling;
    if (hpa) {
      const minProblem = wholeNumberProblem(hpa.min, 1);
      if (minProblem) cAt(`${at}.autoscaling.min`, minProblem === 'too small' ? `min must be a whole number of 1 or more, got ${hpa.min}` : minProblem);
      const maxProblem = wholeNumberProblem(hpa.max, minProblem ? 1 : Math.max(1, hpa.min));
      if (maxProblem) cAt(`${at}.autoscaling.max`, maxProblem === 'too small' ? `max must be a whole number of at least min (${hpa.min}), got ${hpa.max}` : maxProblem);
      numberField(cAt, `${at}.autoscaling.cpu`, hpa.cpu, 1);
      numberField(cAt, `${at}.autoscaling.memory`, hpa.memory, 1);
    }
    for (const f of ['minAvailable', 'maxUnavailable'] as const) {
      const v: unknown = st.disruptionBudget?.[f];
      if (typeof v === 'string') {
        if (!/^[0-9]+%$/.test(v)) cAt(`${at}.disruptionBudget.${f}`, `must be a whole number or a percentage such as "50%", got string ${JSON.stringify(v)}`);
      } else numberField(cAt, `${at}.disruptionBudget.${f}`, v, 0);
    }
    const exposure = st.exposure as { nodePorts?: Record<string, unknown> } | undefined;
    for (const [port, v] of Object.entries(exposure?.nodePorts ?? {})) {
      const problem = wholeNumberProblem(v, 1);
      if (problem && problem !== 'too small') cAt(`${at}.exposure.nodePorts.${port}`, problem);
      else if (problem || (v as number) > 65535) cAt(`${at}.exposure.nodePorts.${port}`, `node port ${v} is out of range 1-65535`);
    }
    for (const [volume, claim] of Object.entries(st.storage ?? {})) quantityField(cAt, `${at}.storage.${volume}.size`, claim?.size);
    checkResources(cAt, `${at}.resources`, st.resources);
  }
}

/**
 * Every request and limit is a quantity (a number or a string such as "500m"), and the API server
 * rejects a limit below its request (`must be less than or equal to cpu limit`).
 */
function checkResources(cAt: (f: string, m: string) => void, field: string, r: ContainerSpec['resources']): void {
  for (const p of requestLimitProblems(r?.requests, r?.limits)) {
    if (p.unparsable) continue; // named below
    cAt(`${field}.limits.${p.resource}`, `limit ${p.limit} is below the request ${p.request}; the request must be less than or equal to the limit`);
  }
  for (const side of ['requests', 'limits'] as const) {
    for (const [resource, q] of Object.entries(r?.[side] ?? {})) {
      if (q === undefined || parseQuantity(q) !== undefined) continue;
      cAt(`${field}.${side}.${resource}`, `${JSON.stringify(q)} is not a Kubernetes quantity`);
    }
  }
}

/** Why an explicit storage class cannot be provisioned in `env`, or undefined. */
function storageClassProblem(platform: PlatformSpec, env: string, cls: string | undefined, environments?: Record<string, Environment>): string | undefined {
  const e = environments?.[env];
  if (!cls || !e) return undefined;
  const known = new Set([...Object.values(e.storageClasses), ...(platform.storageClasses?.[env as keyof typeof platform.storageClasses] ?? [])]);
  if (known.has(cls)) return undefined;
  return `storage class "${cls}" is not defined in ${env} (defined: ${[...known].join(', ')}); name a role (storage: standard|fast|cheap|shared) or list the class in the platform's storageClasses.${env}`;
}

/** Explicit classes of a component's persistent volumes, in every environment they apply to. */
function checkStorageClasses(cAt: (f: string, m: string) => void, platform: PlatformSpec, c: ComponentSpec, envNames: readonly string[], environments?: Record<string, Environment>): void {
  for (const v of c.volumes ?? []) {
    if (!('persistent' in v.source)) continue;
    for (const env of envNames) {
      const override = (c.settings[env as keyof typeof c.settings] ?? undefined)?.storage?.[v.name]?.storageClass;
      const cls = override ?? (c.settings.default?.storage?.[v.name]?.storageClass) ?? v.source.persistent.storageClass;
      const problem = storageClassProblem(platform, env, cls, environments);
      if (problem) cAt(override ? `settings.${env}.storage.${v.name}.storageClass` : `volumes.${v.name}.storageClass`, problem);
    }
  }
}
