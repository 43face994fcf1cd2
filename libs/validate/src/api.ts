/**
 * Checks of what the Kubernetes API server (target: kube-apiserver 1.36) rejects or the scheduler
 * cannot satisfy, beyond what the schemas express: value formats (cron, names, labels, env var names,
 * port ranges), quantities (limit below request), counts (negative replicas), storage classes the
 * environment does not define, Argo CD Application paths that do not exist, and credentials written
 * as literal env values.
 */
import { cronScheduleProblem } from './values/cron';
import { envVarNameProblem, isCredentialEnvName, labelKeyProblem, labelValueProblem, PORTABLE_ENV_NAME } from './values/k8s-values';
import { requestLimitProblems } from './values/quantity';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from './values/names';
import type { Context } from './context';
import { asArray, isObject, type Obj, type PodTemplate } from './inventory';
import { join } from './paths';

/** RBAC objects are named with path-segment rules (`system:controller:foo` is valid). */
const PATH_SEGMENT_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

/** Why the API server rejects `metadata.name` of this kind, or undefined. */
function nameProblem(o: Obj): string | undefined {
  const n = o.name;
  if (PATH_SEGMENT_KINDS.has(o.kind) && o.group === 'rbac.authorization.k8s.io') {
    return n === '.' || n === '..' || /[/%]/.test(n) ? `"${n}" may not be '.' or '..' or contain '/' or '%'` : undefined;
  }
  // Services: DNS-1123 labels since RelaxedServiceNameValidation (a leading digit is fine in 1.36; was DNS-1035).
  if ((o.kind === 'Namespace' || o.kind === 'Service') && o.group === '') {
    return n.length <= 63 && DNS1123_LABEL.test(n) ? undefined : `"${n}" must be a DNS-1123 label: at most 63 lowercase letters, digits and '-'`;
  }
  if (n.length > 253 || !DNS1123_SUBDOMAIN.test(n)) return `"${n}" must be a lowercase DNS-1123 subdomain: lowercase letters, digits, '-' and '.'`;
  if (o.kind === 'CronJob' && n.length > 52) return `"${n}" is longer than 52 characters (the CronJob controller appends a suffix for its Jobs)`;
  return undefined;
}

function checkNames(ctx: Context, o: Obj): void {
  const problem = nameProblem(o);
  if (problem) ctx.emit(o, 'api-object-name', 'metadata.name', problem);
  if (o.namespace && (o.namespace.length > 63 || !DNS1123_LABEL.test(o.namespace))) {
    ctx.emit(o, 'api-object-name', 'metadata.namespace', `"${o.namespace}" must be a DNS-1123 label`);
  }
}

function checkLabelMap(ctx: Context, o: Obj, map: unknown, path: string, withKeys = true): void {
  if (!isObject(map)) return;
  for (const [k, v] of Object.entries(map)) {
    const p = join(path, k);
    const keyProblem = withKeys ? labelKeyProblem(k) : undefined;
    if (keyProblem) ctx.emit(o, 'api-label', p, keyProblem);
    const valueProblem = labelValueProblem(v);
    if (valueProblem) ctx.emit(o, 'api-label', p, valueProblem);
  }
}

function checkLabels(ctx: Context, o: Obj, t: PodTemplate | undefined): void {
  checkLabelMap(ctx, o, o.raw.metadata?.labels, 'metadata.labels');
  if (t && t.specPath !== 'spec') checkLabelMap(ctx, o, t.labels, join(join(t.specPath.replace(/\.spec$/, ''), 'metadata'), 'labels'));
  if (isObject(o.raw.spec?.selector?.matchLabels)) checkLabelMap(ctx, o, o.raw.spec.selector.matchLabels, 'spec.selector.matchLabels');
  if (o.kind === 'Service' && o.group === '') checkLabelMap(ctx, o, o.raw.spec?.selector, 'spec.selector');
}

function checkReplicas(ctx: Context, o: Obj): void {
  const r = o.raw.spec?.replicas;
  if (SCALABLE.has(o.kind) && o.group === 'apps' && typeof r === 'number' && r < 0) {
    ctx.emit(o, 'api-replicas', 'spec.replicas', `${o.kind} replicas must be 0 or more, got ${r}`);
  }
  if (o.kind === 'HorizontalPodAutoscaler' && o.group === 'autoscaling' && isObject(o.raw.spec)) {
    const { minReplicas: min, maxReplicas: max } = o.raw.spec;
    // minReplicas 0 needs the alpha HPAScaleToZero gate, off by default.
    if (typeof min === 'number' && min < 1) ctx.emit(o, 'api-replicas', 'spec.minReplicas', `minReplicas must be 1 or more, got ${min}`);
    const floor = Math.max(1, typeof min === 'number' ? min : 1);
    if (typeof max === 'number' && max < floor) ctx.emit(o, 'api-replicas', 'spec.maxReplicas', `maxReplicas must be at least ${floor} (1 and minReplicas), got ${max}`);
  }
}

function checkCron(ctx: Context, o: Obj): void {
  if (o.kind !== 'CronJob' || o.group !== 'batch' || !isObject(o.raw.spec)) return;
  const { schedule, timeZone } = o.raw.spec;
  const problem = cronScheduleProblem(schedule);
  if (problem) ctx.emit(o, 'api-cron-schedule', 'spec.schedule', problem);
  else if (timeZone !== undefined) {
    const tz = cronScheduleProblem(schedule, timeZone);
    if (tz) ctx.emit(o, 'api-cron-schedule', 'spec.timeZone', tz);
  }
}

const validPort = (n: unknown, min = 1): boolean => typeof n !== 'number' || (Number.isInteger(n) && n >= min && n <= 65535);

function checkPodTemplate(ctx: Context, t: PodTemplate): void {
  const o = t.owner;
  for (const ct of t.containers) {
    const name = ct.c.name;
    asArray(ct.c.ports).forEach((p, i) => {
      const base = join(join(ct.path, 'ports'), i);
      if (!validPort(p?.containerPort)) ctx.emit(o, 'api-port-range', join(base, 'containerPort'), `container "${name}" port ${p.containerPort} is outside 1-65535`);
      if (!validPort(p?.hostPort, 0)) ctx.emit(o, 'api-port-range', join(base, 'hostPort'), `container "${name}" hostPort ${p.hostPort} is outside 0-65535`);
    });
    asArray(ct.c.env).forEach((e, i) => {
      const base = join(join(ct.path, 'env'), i);
      const envName = e?.name;
      const problem = envVarNameProblem(envName);
      if (problem) ctx.emit(o, 'api-env-name', join(base, 'name'), `container "${name}": ${problem}`);
      else if (!PORTABLE_ENV_NAME.test(envName)) {
        ctx.emit(o, 'env-name-portable', join(base, 'name'), `container "${name}": "${envName}" is rejected by API servers before 1.32 and cannot be read by a shell; use letters, digits and '_' and start with a letter`);
      }
      // Never print the value: it may be a real credential.
      if (typeof envName === 'string' && isCredentialEnvName(envName) && typeof e.value === 'string' && e.value !== '' && !/^(\$\([^)]*\))+$/.test(e.value)) {
        ctx.emit(o, 'env-literal-secret', join(base, 'value'), `container "${name}": "${envName}" holds a literal value in the manifest; take it from a Secret (valueFrom.secretKeyRef)`);
      }
    });
    const requests = ct.c.resources?.requests;
    const limits = ct.c.resources?.limits;
    if (isObject(requests) && isObject(limits)) {
      // Unparsable quantities are the schema rule's to report.
      for (const p of requestLimitProblems(requests, limits).filter((x) => !x.unparsable)) {
        ctx.emit(o, 'res-limit-below-request', join(join(join(ct.path, 'resources'), 'requests'), p.resource), `container "${name}" requests ${p.request} ${p.resource} but its limit is ${p.limit}; the request must be less than or equal to the limit`);
      }
    }
  }
}

/** kube-apiserver's IsValidPortName (container ports) / DNS-1123 label (Service ports), or undefined. */
function portNameProblem(n: string, service: boolean): string | undefined {
  if (service) return n.length <= 63 && DNS1123_LABEL.test(n) ? undefined : `"${n}" must be a DNS-1123 label`;
  if (n.length > 15) return `"${n}" is longer than 15 characters`;
  if (!/^[-a-z0-9]+$/.test(n) || !/[a-z]/.test(n) || n.includes('--') || n.startsWith('-') || n.endsWith('-')) {
    return `"${n}" must be lowercase letters, digits and single inner hyphens, with at least one letter`;
  }
  return undefined;
}

/** Port names: valid, unique per container and per Service, and required on every port of a multi-port Service. */
function checkPortNames(ctx: Context, o: Obj, t: PodTemplate | undefined): void {
  const check = (ports: unknown, base: string, what: string, service: boolean) => {
    const list = asArray(ports);
    const seen = new Set<string>();
    list.forEach((p, i) => {
      const path = join(join(join(base, 'ports'), i), 'name');
      const n = p?.name;
      if (typeof n !== 'string' || n === '') {
        if (service && list.length > 1) ctx.emit(o, 'api-port-name', path, `${what}: every port needs a name when there are several`);
        return;
      }
      const problem = portNameProblem(n, service);
      if (problem) ctx.emit(o, 'api-port-name', path, `${what}: port name ${problem}`);
      else if (seen.has(n)) ctx.emit(o, 'api-port-name', path, `${what}: duplicate port name "${n}"`);
      seen.add(n);
    });
  };
  if (o.kind === 'Service' && o.group === '') check(o.raw.spec?.ports, 'spec', 'Service', true);
  for (const ct of t?.containers ?? []) check(ct.c.ports, ct.path, `container "${ct.c.name}"`, false);
}

function checkServicePorts(ctx: Context, o: Obj): void {
  if (o.kind !== 'Service' || o.group !== '') return;
  asArray(o.raw.spec?.ports).forEach((p, i) => {
    const base = join(join('spec', 'ports'), i);
    if (!validPort(p?.port)) ctx.emit(o, 'api-port-range', join(base, 'port'), `port ${p.port} is outside 1-65535`);
    if (!validPort(p?.targetPort)) ctx.emit(o, 'api-port-range', join(base, 'targetPort'), `targetPort ${p.targetPort} is outside 1-65535`);
    if (!validPort(p?.nodePort, 0)) ctx.emit(o, 'api-port-range', join(base, 'nodePort'), `nodePort ${p.nodePort} is outside 0-65535`);
  });
}

function checkStorageClasses(ctx: Context, o: Obj): void {
  const known = ctx.storageClasses;
  if (!known) return;
  const check = (sc: unknown, path: string, what: string) => {
    if (typeof sc === 'string' && sc !== '' && !known.includes(sc)) {
      ctx.emit(o, 'pvc-storage-class', path, `${what} uses storage class "${sc}", which this environment does not define (defined: ${known.join(', ') || 'none'}); the claim stays Pending`);
    }
  };
  if (o.kind === 'PersistentVolumeClaim' && o.group === '') check(o.raw.spec?.storageClassName, 'spec.storageClassName', 'the claim');
  if (o.kind === 'StatefulSet' && o.group === 'apps') {
    asArray(o.raw.spec?.volumeClaimTemplates).forEach((v, i) => check(v?.spec?.storageClassName, `spec.volumeClaimTemplates[${i}].spec.storageClassName`, `volumeClaimTemplate "${v?.metadata?.name}"`));
  }
}

function checkApplicationPaths(ctx: Context, o: Obj): void {
  const repo = ctx.repo;
  if (!repo || o.kind !== 'Application' || o.group !== 'argoproj.io') return;
  const single = isObject(o.raw.spec?.source) ? [{ s: o.raw.spec.source, path: 'spec.source' }] : [];
  const multi = asArray(o.raw.spec?.sources).map((s, i) => ({ s, path: `spec.sources[${i}]` }));
  for (const { s, path } of [...single, ...multi]) {
    if (!isObject(s) || s.repoURL !== repo.url || typeof s.path !== 'string') continue;
    if (!repo.pathExists(s.path)) ctx.emit(o, 'argocd-app-path', join(path, 'path'), `path "${s.path}" does not exist in ${repo.url}; Argo CD reports ComparisonError and syncs nothing`);
  }
}

export function checkApi(ctx: Context): void {
  const templates = new Map(ctx.inv.templates.map((t) => [t.owner, t]));
  for (const o of ctx.inv.objects) {
    const t = templates.get(o);
    checkNames(ctx, o);
    checkLabels(ctx, o, t);
    checkReplicas(ctx, o);
    checkCron(ctx, o);
    checkServicePorts(ctx, o);
    checkPortNames(ctx, o, t);
    checkStorageClasses(ctx, o);
    checkApplicationPaths(ctx, o);
    if (t) checkPodTemplate(ctx, t);
  }
}
