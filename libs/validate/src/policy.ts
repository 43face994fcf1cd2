/** Policy checks per environment level (Pod Security Standards, resources, probes, images, availability, network). */
import type { Context, Target } from './context';
import { asArray, isObject, matchesSelector, sameNs, type Container, type Obj, type PodTemplate } from './inventory';
import { join } from './paths';

/** Capabilities Pod Security baseline allows to add (the container runtime defaults). */
const BASELINE_CAPS = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);
const RESTRICTED_CAPS = new Set(['NET_BIND_SERVICE']);
const SECURE_SECCOMP = new Set(['RuntimeDefault', 'Localhost']);

const sc = (ct: Container): Record<string, any> => (isObject(ct.c.securityContext) ? ct.c.securityContext : {});
const scPath = (ct: Container, field: string): string => join(join(ct.path, 'securityContext'), field);

function checkPodSecurity(ctx: Context, t: PodTemplate): void {
  const o = t.owner;
  const spec = t.spec;
  const podSc: Record<string, any> = isObject(spec.securityContext) ? spec.securityContext : {};

  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[f] === true) ctx.emit(o, 'pss-host-namespaces', join(t.specPath, f), `${f} shares the node's namespace with the pod`);
  }
  asArray(spec.volumes).forEach((v, i) => {
    if (isObject(v?.hostPath)) ctx.emit(o, 'pss-host-path', join(join(join(t.specPath, 'volumes'), i), 'hostPath'), `volume "${v.name}" mounts host path ${v.hostPath.path ?? ''}`.trim());
  });

  const restricted = ctx.level === 'restricted';
  const allowedCaps = restricted ? RESTRICTED_CAPS : BASELINE_CAPS;
  for (const ct of t.containers) {
    const csc = sc(ct);
    const name = ct.c.name;
    if (csc.privileged === true) ctx.emit(o, 'pss-privileged', scPath(ct, 'privileged'), `container "${name}" runs privileged`);
    asArray(ct.c.ports).forEach((p, i) => {
      if (typeof p?.hostPort === 'number' && p.hostPort !== 0) ctx.emit(o, 'pss-host-port', join(join(join(ct.path, 'ports'), i), 'hostPort'), `container "${name}" binds host port ${p.hostPort}`);
    });
    asArray(csc.capabilities?.add).forEach((cap, i) => {
      if (!allowedCaps.has(String(cap))) {
        ctx.emit(o, 'pss-capabilities-add', join(join(scPath(ct, 'capabilities'), 'add'), i), `container "${name}" adds capability ${cap} (allowed at ${ctx.level}: ${[...allowedCaps].join(', ')})`);
      }
    });

    // seccomp
    const cType = csc.seccompProfile?.type;
    if (restricted) {
      const podOk = SECURE_SECCOMP.has(podSc.seccompProfile?.type);
      if (cType !== undefined ? !SECURE_SECCOMP.has(cType) : !podOk) {
        ctx.emit(o, 'pss-seccomp', cType !== undefined ? join(scPath(ct, 'seccompProfile'), 'type') : scPath(ct, 'seccompProfile'),
          cType !== undefined
            ? `container "${name}" uses seccomp profile ${cType} (RuntimeDefault or Localhost required)`
            : `container "${name}" has no seccompProfile RuntimeDefault (set it in ${t.specPath}.securityContext or on the container)`);
      }
    } else if (cType === 'Unconfined') {
      ctx.emit(o, 'pss-seccomp', join(scPath(ct, 'seccompProfile'), 'type'), `container "${name}" runs with seccomp Unconfined`);
    }

    if (restricted) {
      const nonRoot = csc.runAsNonRoot ?? podSc.runAsNonRoot;
      if (nonRoot !== true) {
        ctx.emit(o, 'pss-run-as-non-root', scPath(ct, 'runAsNonRoot'), `container "${name}" may run as root: runAsNonRoot must be true (in ${t.specPath}.securityContext or on the container)`);
      }
      if (csc.runAsUser === 0) ctx.emit(o, 'pss-run-as-non-root', scPath(ct, 'runAsUser'), `container "${name}" runs as UID 0`);
      if (csc.allowPrivilegeEscalation !== false) {
        ctx.emit(o, 'pss-privilege-escalation', scPath(ct, 'allowPrivilegeEscalation'), `container "${name}" must set allowPrivilegeEscalation: false`);
      }
      const drop = asArray(csc.capabilities?.drop).map(String);
      if (!drop.includes('ALL')) {
        ctx.emit(o, 'pss-capabilities-drop-all', join(scPath(ct, 'capabilities'), 'drop'), `container "${name}" must drop ALL capabilities`);
      }
      if (csc.readOnlyRootFilesystem !== true) {
        ctx.emit(o, 'pss-read-only-root-fs', scPath(ct, 'readOnlyRootFilesystem'), `container "${name}" must set readOnlyRootFilesystem: true (mount an emptyDir for scratch space)`);
      }
    }
  }
  if (restricted) {
    if (podSc.runAsUser === 0) ctx.emit(o, 'pss-run-as-non-root', join(join(t.specPath, 'securityContext'), 'runAsUser'), 'the pod runs as UID 0');
    const pType = podSc.seccompProfile?.type;
    if (pType !== undefined && !SECURE_SECCOMP.has(pType)) {
      ctx.emit(o, 'pss-seccomp', join(join(join(t.specPath, 'securityContext'), 'seccompProfile'), 'type'), `the pod uses seccomp profile ${pType} (RuntimeDefault or Localhost required)`);
    }
  } else if (podSc.seccompProfile?.type === 'Unconfined') {
    ctx.emit(o, 'pss-seccomp', join(join(join(t.specPath, 'securityContext'), 'seccompProfile'), 'type'), 'the pod runs with seccomp Unconfined');
  }
}

/** Tag of an image reference: undefined when untagged; digests are pinned. */
export function imageProblem(image: string): string | undefined {
  if (image.includes('@')) return undefined;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon <= lastSlash) return 'has no tag (pin a version or a digest)';
  if (image.slice(colon + 1) === 'latest') return 'uses the tag "latest" (pin a version or a digest)';
  return undefined;
}

function checkContainers(ctx: Context, t: PodTemplate): void {
  const o = t.owner;
  for (const ct of t.containers) {
    const name = ct.c.name;
    if (typeof ct.c.image === 'string') {
      const problem = imageProblem(ct.c.image);
      if (problem) ctx.emit(o, 'image-tag', join(ct.path, 'image'), `image ${ct.c.image} ${problem}`);
    }
    if (ct.type === 'ephemeralContainers') continue;
    const res = isObject(ct.c.resources) ? ct.c.resources : {};
    for (const kind of ['requests', 'limits'] as const) {
      for (const r of ['cpu', 'memory']) {
        if (res[kind]?.[r] === undefined) {
          ctx.emit(o, kind === 'requests' ? 'res-requests' : 'res-limits', join(join(join(ct.path, 'resources'), kind), r),
            `container "${name}" has no ${r === 'cpu' ? 'CPU' : 'memory'} ${kind === 'requests' ? 'request' : 'limit'}`);
        }
      }
    }
    if (t.longRunning && ct.type === 'containers') {
      if (!isObject(ct.c.livenessProbe)) ctx.emit(o, 'probe-liveness', join(ct.path, 'livenessProbe'), `container "${name}" has no livenessProbe`);
      if (!isObject(ct.c.readinessProbe)) ctx.emit(o, 'probe-readiness', join(ct.path, 'readinessProbe'), `container "${name}" has no readinessProbe`);
    }
  }
}

function checkDeployment(ctx: Context, d: Obj, t: PodTemplate): void {
  const replicas = typeof d.raw.spec?.replicas === 'number' ? d.raw.spec.replicas : 1;
  if (replicas < 2) {
    const hpa = ctx.inv.ofKind('HorizontalPodAutoscaler', 'autoscaling').find(
      (h) => sameNs(h.namespace, d.namespace) && h.raw.spec?.scaleTargetRef?.kind === 'Deployment' && h.raw.spec?.scaleTargetRef?.name === d.name,
    );
    const min = hpa ? (typeof hpa.raw.spec?.minReplicas === 'number' ? hpa.raw.spec.minReplicas : 1) : undefined;
    if (min === undefined || min < 2) {
      ctx.emit(d, 'ha-replicas', 'spec.replicas',
        hpa ? `runs ${replicas} replica(s) and HorizontalPodAutoscaler "${hpa.name}" allows ${min}; at least 2 are required` : `runs ${replicas} replica(s); at least 2 are required`);
    }
  }
  const pdb = ctx.inv.ofKind('PodDisruptionBudget', 'policy').find((p) => sameNs(p.namespace, d.namespace) && isObject(p.raw.spec?.selector) && matchesSelector(p.raw.spec.selector, t.labels));
  if (!pdb) ctx.emit(d, 'ha-pdb', 'spec.selector', 'no PodDisruptionBudget selects the pods of this Deployment');
}

// ---- network policies -----------------------------------------------------------------------------

function policyTypes(np: Obj): Set<string> {
  const spec = np.raw.spec ?? {};
  if (Array.isArray(spec.policyTypes)) return new Set(spec.policyTypes);
  const types = new Set(['Ingress']);
  if (Array.isArray(spec.egress)) types.add('Egress');
  return types;
}

function isDefaultDenyIngress(np: Obj): boolean {
  const spec = np.raw.spec ?? {};
  const sel = spec.podSelector;
  const empty = isObject(sel) && Object.keys(sel.matchLabels ?? {}).length === 0 && asArray(sel.matchExpressions).length === 0;
  return empty && policyTypes(np).has('Ingress') && asArray(spec.ingress).length === 0;
}

const isDnsPort = (p: any, protocol: 'UDP' | 'TCP'): boolean =>
  (p?.protocol ?? 'TCP') === protocol && (p?.port === undefined || p.port === 53 || p.port === '53' || (typeof p.port === 'string' && p.port.startsWith('dns')) ||
    (typeof p.port === 'number' && typeof p.endPort === 'number' && p.port <= 53 && p.endPort >= 53));

/** Does some egress rule of some policy selecting these labels allow DNS over the protocol? */
function dnsAllowed(policies: Obj[], labels: Record<string, string>, protocol: 'UDP' | 'TCP'): boolean {
  return policies.some(
    (q) =>
      policyTypes(q).has('Egress') &&
      isObject(q.raw.spec?.podSelector) &&
      matchesSelector(q.raw.spec.podSelector, labels) &&
      asArray(q.raw.spec?.egress).some((r) => asArray(r?.ports).length === 0 || asArray(r.ports).some((p) => isDnsPort(p, protocol))),
  );
}

function checkNetwork(ctx: Context): void {
  const policies = ctx.inv.ofKind('NetworkPolicy', 'networking.k8s.io');
  // default deny per namespace holding workloads
  const namespaces = new Map<string, PodTemplate>();
  for (const t of ctx.inv.templates) if (!namespaces.has(t.owner.namespace)) namespaces.set(t.owner.namespace, t);
  for (const [ns, first] of namespaces) {
    if (policies.some((p) => sameNs(p.namespace, ns) && isDefaultDenyIngress(p))) continue;
    const nsObj = ns ? ctx.inv.find('Namespace', '', ns, '') : undefined;
    const target: Target = nsObj ?? { kind: 'Namespace', name: ns || '(destination namespace)', namespace: '', source: first.owner.source, index: first.owner.index };
    ctx.emit(target, 'netpol-default-deny', nsObj ? 'metadata.name' : 'metadata.namespace',
      `namespace ${ns || '(destination namespace)'} has no default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress], no ingress rules)`);
  }
  // DNS egress
  for (const p of policies) {
    if (!policyTypes(p).has('Egress') || !isObject(p.raw.spec?.podSelector)) continue;
    const inNs = policies.filter((q) => sameNs(q.namespace, p.namespace));
    const blocked = ctx.inv
      .templatesIn(p.namespace)
      .filter((t) => matchesSelector(p.raw.spec.podSelector, t.labels))
      .filter((t) => !dnsAllowed(inNs, t.labels, 'UDP') || !dnsAllowed(inNs, t.labels, 'TCP'));
    if (blocked.length) {
      ctx.emit(p, 'netpol-dns-egress', Array.isArray(p.raw.spec.policyTypes) ? 'spec.policyTypes' : 'spec.egress',
        `restricts egress of ${blocked.map((t) => `${t.owner.kind}/${t.owner.name}`).join(', ')} but no NetworkPolicy allows DNS (port 53 UDP and TCP)`);
    }
  }
}

export function checkPolicy(ctx: Context): void {
  if (ctx.level === 'none') return;
  for (const t of ctx.inv.templates) {
    checkPodSecurity(ctx, t);
    checkContainers(ctx, t);
    if (t.owner.kind === 'Deployment') checkDeployment(ctx, t.owner, t);
  }
  for (const s of ctx.inv.ofKind('Service', '')) {
    if (s.raw.spec?.type === 'NodePort') ctx.emit(s, 'svc-nodeport', 'spec.type', 'Service is of type NodePort (expose it through an Ingress or a LoadBalancer)');
  }
  checkNetwork(ctx);
}
