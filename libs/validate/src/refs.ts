/** Reference checks (rules `ref-*`): every name one object uses must resolve to a rendered (or declared) object. */
import type { Context } from './context';
import { asArray, isObject, matchesMap, matchesSelector, sameNs, type Container, type Obj, type PodTemplate } from './inventory';
import { join } from './paths';

interface KeySet {
  /** undefined: keys unknown (e.g. a Secret created out of band), any key is accepted. */
  keys?: Set<string>;
}

const IMPLICIT_CONFIGMAPS: Record<string, string[]> = { 'kube-root-ca.crt': ['ca.crt'] };
const CERT_MANAGER_ANNOTATIONS = ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer'];

function configMapKeys(ctx: Context, ns: string, name: string): KeySet | null {
  if (IMPLICIT_CONFIGMAPS[name]) return { keys: new Set(IMPLICIT_CONFIGMAPS[name]) };
  const cm = ctx.inv.find('ConfigMap', ns, name, '');
  if (!cm) return null;
  return { keys: new Set([...Object.keys(cm.raw.data ?? {}), ...Object.keys(cm.raw.binaryData ?? {})]) };
}

/** Secret keys: rendered Secrets, declared secrets, SecretProviderClass secretObjects, cert-manager Certificates. */
function secretKeys(ctx: Context, ns: string, name: string): KeySet | null {
  const keys = new Set<string>();
  let found = false;
  const s = ctx.inv.find('Secret', ns, name, '');
  if (s) {
    found = true;
    for (const k of [...Object.keys(s.raw.data ?? {}), ...Object.keys(s.raw.stringData ?? {})]) keys.add(k);
  }
  for (const d of ctx.declaredSecrets) {
    if (d.name === name && (d.namespace === undefined || sameNs(d.namespace, ns))) {
      found = true;
      for (const k of d.keys) keys.add(k);
    }
  }
  for (const spc of ctx.inv.ofKind('SecretProviderClass', 'secrets-store.csi.x-k8s.io')) {
    if (!sameNs(spc.namespace, ns)) continue;
    for (const so of asArray(spc.raw.spec?.secretObjects)) {
      if (so?.secretName === name) {
        found = true;
        for (const d of asArray(so.data)) if (typeof d?.key === 'string') keys.add(d.key);
      }
    }
  }
  for (const cert of ctx.inv.ofKind('Certificate', 'cert-manager.io')) {
    if (sameNs(cert.namespace, ns) && cert.raw.spec?.secretName === name) {
      found = true;
      for (const k of ['tls.crt', 'tls.key', 'ca.crt']) keys.add(k);
    }
  }
  return found ? { keys } : null;
}

function describeNs(ns: string): string {
  return ns ? ` in namespace ${ns}` : '';
}

// ---- pod templates ----------------------------------------------------------------------------

function checkConfigMapRef(ctx: Context, t: PodTemplate, name: unknown, optional: unknown, namePath: string, keys: Array<{ key: unknown; path: string }>): void {
  if (typeof name !== 'string' || optional === true) return;
  const o = t.owner;
  const found = configMapKeys(ctx, o.namespace, name);
  if (!found) {
    ctx.emit(o, 'ref-configmap', namePath, `ConfigMap "${name}" is not rendered${describeNs(o.namespace)}`);
    return;
  }
  for (const k of keys) {
    if (typeof k.key === 'string' && found.keys && !found.keys.has(k.key)) {
      ctx.emit(o, 'ref-configmap-key', k.path, `ConfigMap "${name}" has no key "${k.key}" (keys: ${[...found.keys].sort().join(', ') || 'none'})`);
    }
  }
}

function checkSecretRef(ctx: Context, t: PodTemplate, name: unknown, optional: unknown, namePath: string, keys: Array<{ key: unknown; path: string }>): void {
  if (typeof name !== 'string' || optional === true) return;
  const o = t.owner;
  const found = secretKeys(ctx, o.namespace, name);
  if (!found) {
    ctx.emit(o, 'ref-secret', namePath, `Secret "${name}" is neither rendered nor declared${describeNs(o.namespace)}`);
    return;
  }
  for (const k of keys) {
    if (typeof k.key === 'string' && found.keys && !found.keys.has(k.key)) {
      ctx.emit(o, 'ref-secret-key', k.path, `Secret "${name}" has no key "${k.key}" (keys: ${[...found.keys].sort().join(', ') || 'none'})`);
    }
  }
}

function itemKeys(items: unknown, base: string): Array<{ key: unknown; path: string }> {
  return asArray(items).map((it, i) => ({ key: it?.key, path: join(join(join(base, 'items'), i), 'key') }));
}

function checkContainerEnv(ctx: Context, t: PodTemplate, ct: Container): void {
  asArray(ct.c.env).forEach((e, i) => {
    const base = join(join(ct.path, 'env'), i);
    const cmk = e?.valueFrom?.configMapKeyRef;
    if (isObject(cmk)) {
      const p = join(join(base, 'valueFrom'), 'configMapKeyRef');
      checkConfigMapRef(ctx, t, cmk.name, cmk.optional, join(p, 'name'), [{ key: cmk.key, path: join(p, 'key') }]);
    }
    const sk = e?.valueFrom?.secretKeyRef;
    if (isObject(sk)) {
      const p = join(join(base, 'valueFrom'), 'secretKeyRef');
      checkSecretRef(ctx, t, sk.name, sk.optional, join(p, 'name'), [{ key: sk.key, path: join(p, 'key') }]);
    }
  });
  asArray(ct.c.envFrom).forEach((e, i) => {
    const base = join(join(ct.path, 'envFrom'), i);
    if (isObject(e?.configMapRef)) checkConfigMapRef(ctx, t, e.configMapRef.name, e.configMapRef.optional, join(join(base, 'configMapRef'), 'name'), []);
    if (isObject(e?.secretRef)) checkSecretRef(ctx, t, e.secretRef.name, e.secretRef.optional, join(join(base, 'secretRef'), 'name'), []);
  });
}

function containerPortNames(c: Record<string, any>): Set<string> {
  return new Set(asArray(c.ports).map((p) => p?.name).filter((n): n is string => typeof n === 'string'));
}
function containerPortNumbers(c: Record<string, any>): Set<number> {
  return new Set(asArray(c.ports).map((p) => p?.containerPort).filter((n): n is number => typeof n === 'number'));
}

function checkProbes(ctx: Context, t: PodTemplate, ct: Container): void {
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const p = ct.c[probe];
    if (!isObject(p)) continue;
    for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
      const port = p[handler]?.port;
      if (port === undefined) continue;
      const path = join(join(join(ct.path, probe), handler), 'port');
      if (typeof port === 'string' && !/^\d+$/.test(port)) {
        if (!containerPortNames(ct.c).has(port)) {
          ctx.emit(t.owner, 'ref-probe-port', path, `${probe} port "${port}" is not a named port of container "${ct.c.name}"`);
        }
      } else {
        const n = Number(port);
        if (!containerPortNumbers(ct.c).has(n)) {
          ctx.emit(t.owner, 'ref-probe-port', path, `${probe} port ${n} is not a containerPort of container "${ct.c.name}"`);
        }
      }
    }
  }
}

function checkPodTemplate(ctx: Context, t: PodTemplate): void {
  const o = t.owner;
  const spec = t.spec;
  const volumes = asArray(spec.volumes);
  const volumeNames = new Set(volumes.map((v) => v?.name));
  const vcts = o.kind === 'StatefulSet' ? asArray(o.raw.spec?.volumeClaimTemplates).map((v) => v?.metadata?.name) : [];
  for (const n of vcts) volumeNames.add(n);

  // volumes
  volumes.forEach((v, i) => {
    if (!isObject(v)) return;
    const base = join(join(t.specPath, 'volumes'), i);
    if (isObject(v.configMap)) {
      const p = join(base, 'configMap');
      checkConfigMapRef(ctx, t, v.configMap.name, v.configMap.optional, join(p, 'name'), itemKeys(v.configMap.items, p));
    }
    if (isObject(v.secret)) {
      const p = join(base, 'secret');
      checkSecretRef(ctx, t, v.secret.secretName, v.secret.optional, join(p, 'secretName'), itemKeys(v.secret.items, p));
    }
    asArray(v.projected?.sources).forEach((s, j) => {
      const sp = join(join(join(base, 'projected'), 'sources'), j);
      if (isObject(s?.configMap)) {
        const p = join(sp, 'configMap');
        checkConfigMapRef(ctx, t, s.configMap.name, s.configMap.optional, join(p, 'name'), itemKeys(s.configMap.items, p));
      }
      if (isObject(s?.secret)) {
        const p = join(sp, 'secret');
        checkSecretRef(ctx, t, s.secret.name, s.secret.optional, join(p, 'name'), itemKeys(s.secret.items, p));
      }
    });
    const claim = v.persistentVolumeClaim?.claimName;
    if (typeof claim === 'string' && !pvcExists(ctx, o.namespace, claim)) {
      ctx.emit(o, 'ref-pvc', join(join(base, 'persistentVolumeClaim'), 'claimName'), `PersistentVolumeClaim "${claim}" is not rendered${describeNs(o.namespace)}`);
    }
    if (v.csi?.driver === 'secrets-store.csi.k8s.io') {
      const spc = v.csi.volumeAttributes?.secretProviderClass;
      if (typeof spc === 'string' && !ctx.inv.find('SecretProviderClass', o.namespace, spc, 'secrets-store.csi.x-k8s.io')) {
        ctx.emit(o, 'ref-secret-provider-class', join(join(join(base, 'csi'), 'volumeAttributes'), 'secretProviderClass'), `SecretProviderClass "${spc}" is not rendered${describeNs(o.namespace)}`);
      }
    }
  });

  for (const ct of t.containers) {
    checkContainerEnv(ctx, t, ct);
    checkProbes(ctx, t, ct);
    asArray(ct.c.volumeMounts).forEach((m, i) => {
      if (typeof m?.name === 'string' && !volumeNames.has(m.name)) {
        ctx.emit(o, 'ref-volume-mount', join(join(join(ct.path, 'volumeMounts'), i), 'name'), `volumeMount "${m.name}" names no volume of the pod${vcts.length ? ' or volumeClaimTemplate' : ''}`);
      }
    });
  }

  const sa = spec.serviceAccountName ?? spec.serviceAccount;
  if (typeof sa === 'string' && sa !== 'default' && !ctx.inv.find('ServiceAccount', o.namespace, sa, '')) {
    ctx.emit(o, 'ref-service-account', join(t.specPath, spec.serviceAccountName !== undefined ? 'serviceAccountName' : 'serviceAccount'), `ServiceAccount "${sa}" is not rendered${describeNs(o.namespace)}`);
  }

  asArray(spec.imagePullSecrets).forEach((s, i) => {
    if (typeof s?.name === 'string' && !secretKeys(ctx, o.namespace, s.name)) {
      ctx.emit(o, 'ref-image-pull-secret', join(join(join(t.specPath, 'imagePullSecrets'), i), 'name'), `image pull Secret "${s.name}" is neither rendered nor declared${describeNs(o.namespace)}`);
    }
  });

  // the workload's own selector must select its template
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(o.kind) && isObject(o.raw.spec?.selector)) {
    if (!matchesSelector(o.raw.spec.selector, t.labels)) {
      ctx.emit(o, 'ref-workload-selector', 'spec.selector', `selector does not match the pod template labels (${fmtLabels(t.labels)})`);
    }
  }
}

function pvcExists(ctx: Context, ns: string, claim: string): boolean {
  if (ctx.inv.find('PersistentVolumeClaim', ns, claim, '')) return true;
  // PVCs created from volumeClaimTemplates: <template>-<statefulset>-<ordinal>
  return ctx.inv.ofKind('StatefulSet', 'apps').some(
    (s) =>
      sameNs(s.namespace, ns) &&
      asArray(s.raw.spec?.volumeClaimTemplates).some((v) => {
        const prefix = `${v?.metadata?.name}-${s.name}-`;
        return claim.startsWith(prefix) && /^\d+$/.test(claim.slice(prefix.length));
      }),
  );
}

function fmtLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : 'none';
}

// ---- Services, Ingresses ----------------------------------------------------------------------

function checkService(ctx: Context, svc: Obj): void {
  const spec = svc.raw.spec ?? {};
  if (spec.type === 'ExternalName') return;
  const selector = spec.selector as Record<string, string> | undefined;
  if (!selector || Object.keys(selector).length === 0) return; // endpoints managed elsewhere
  const selected = ctx.inv.templatesIn(svc.namespace).filter((t) => matchesMap(selector, t.labels));
  if (selected.length === 0) {
    ctx.emit(svc, 'ref-service-selector', 'spec.selector', `selector ${fmtLabels(selector)} matches no pod template${describeNs(svc.namespace)}`);
    return;
  }
  const containers = selected.flatMap((t) => t.containers.filter((c) => c.type === 'containers').map((c) => c.c));
  asArray(spec.ports).forEach((p, i) => {
    const target = p?.targetPort ?? p?.port;
    if (target === undefined) return;
    const path = join(join(join('spec', 'ports'), i), p?.targetPort !== undefined ? 'targetPort' : 'port');
    if (typeof target === 'string' && !/^\d+$/.test(target)) {
      if (!containers.some((c) => containerPortNames(c).has(target))) {
        ctx.emit(svc, 'ref-service-target-port', path, `targetPort "${target}" is not a named port of the selected containers (${selected.map((t) => `${t.owner.kind}/${t.owner.name}`).join(', ')})`);
      }
    } else if (!containers.some((c) => containerPortNumbers(c).has(Number(target)))) {
      ctx.emit(svc, 'ref-service-target-port', path, `targetPort ${target} is not a containerPort of the selected containers (${selected.map((t) => `${t.owner.kind}/${t.owner.name}`).join(', ')})`);
    }
  });
}

function checkIngress(ctx: Context, ing: Obj): void {
  const spec = ing.raw.spec ?? {};
  const backends: Array<{ b: any; path: string }> = [];
  if (isObject(spec.defaultBackend)) backends.push({ b: spec.defaultBackend, path: 'spec.defaultBackend' });
  asArray(spec.rules).forEach((r, i) =>
    asArray(r?.http?.paths).forEach((p, j) => backends.push({ b: p?.backend, path: `spec.rules[${i}].http.paths[${j}].backend` })),
  );
  for (const { b, path } of backends) {
    const s = b?.service;
    if (!isObject(s) || typeof s.name !== 'string') continue;
    const svc = ctx.inv.find('Service', ing.namespace, s.name, '');
    if (!svc) {
      ctx.emit(ing, 'ref-ingress-backend-service', `${path}.service.name`, `Service "${s.name}" is not rendered${describeNs(ing.namespace)}`);
      continue;
    }
    const ports = asArray(svc.raw.spec?.ports);
    if (typeof s.port?.name === 'string' && !ports.some((p) => p?.name === s.port.name)) {
      ctx.emit(ing, 'ref-ingress-backend-port', `${path}.service.port.name`, `Service "${s.name}" has no port named "${s.port.name}" (ports: ${ports.map((p) => p?.name ?? p?.port).join(', ')})`);
    }
    if (typeof s.port?.number === 'number' && !ports.some((p) => p?.port === s.port.number)) {
      ctx.emit(ing, 'ref-ingress-backend-port', `${path}.service.port.number`, `Service "${s.name}" has no port ${s.port.number} (ports: ${ports.map((p) => p?.port).join(', ')})`);
    }
  }
  const annotations = ing.raw.metadata?.annotations ?? {};
  const issued = CERT_MANAGER_ANNOTATIONS.some((a) => a in annotations);
  asArray(spec.tls).forEach((tls, i) => {
    const name = tls?.secretName;
    if (typeof name === 'string' && !issued && !secretKeys(ctx, ing.namespace, name)) {
      ctx.emit(ing, 'ref-ingress-tls-secret', `spec.tls[${i}].secretName`, `TLS Secret "${name}" is not rendered, declared, issued by a Certificate or requested by a cert-manager annotation`);
    }
  });
}

// ---- autoscaling, disruption budgets, network policies, RBAC, StatefulSets ----------------------

const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

function checkHpa(ctx: Context, hpa: Obj): void {
  const ref = hpa.raw.spec?.scaleTargetRef;
  if (!isObject(ref) || typeof ref.name !== 'string') return;
  if (!SCALABLE.has(ref.kind)) {
    ctx.emit(hpa, 'ref-hpa-target', 'spec.scaleTargetRef.kind', `scaleTargetRef kind ${ref.kind} is not a scalable workload (Deployment, StatefulSet, ReplicaSet)`);
    return;
  }
  const target = ctx.inv.find(ref.kind, hpa.namespace, ref.name, 'apps');
  if (!target) {
    ctx.emit(hpa, 'ref-hpa-target', 'spec.scaleTargetRef.name', `${ref.kind} "${ref.name}" is not rendered${describeNs(hpa.namespace)}`);
  } else if (typeof ref.apiVersion === 'string' && ref.apiVersion !== target.apiVersion) {
    ctx.emit(hpa, 'ref-hpa-target', 'spec.scaleTargetRef.apiVersion', `scaleTargetRef apiVersion ${ref.apiVersion} does not match ${target.kind} "${target.name}" (${target.apiVersion})`);
  }
}

function checkPdb(ctx: Context, pdb: Obj): void {
  const sel = pdb.raw.spec?.selector;
  if (!isObject(sel)) return;
  if (!ctx.inv.templatesIn(pdb.namespace).some((t) => matchesSelector(sel, t.labels))) {
    ctx.emit(pdb, 'ref-pdb-selector', 'spec.selector', `selector ${fmtSelector(sel)} selects no pod template${describeNs(pdb.namespace)}`);
  }
}

function checkNetworkPolicy(ctx: Context, np: Obj): void {
  const sel = np.raw.spec?.podSelector;
  if (!isObject(sel)) return;
  if (Object.keys(sel.matchLabels ?? {}).length === 0 && asArray(sel.matchExpressions).length === 0) return;
  if (!ctx.inv.templatesIn(np.namespace).some((t) => matchesSelector(sel, t.labels))) {
    ctx.emit(np, 'ref-networkpolicy-selector', 'spec.podSelector', `podSelector ${fmtSelector(sel)} selects no pod template${describeNs(np.namespace)}`);
  }
}

function fmtSelector(sel: Record<string, any>): string {
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of asArray(sel.matchExpressions)) parts.push(`${e?.key} ${e?.operator} (${asArray(e?.values).join(',')})`);
  return parts.join(',') || '{}';
}

function checkBinding(ctx: Context, b: Obj): void {
  const ref = b.raw.roleRef;
  if (isObject(ref) && typeof ref.name === 'string') {
    if (ref.kind === 'Role') {
      if (b.kind === 'ClusterRoleBinding') {
        ctx.emit(b, 'ref-role', 'roleRef.kind', 'a ClusterRoleBinding cannot reference a Role');
      } else if (!ctx.inv.find('Role', b.namespace, ref.name, 'rbac.authorization.k8s.io')) {
        ctx.emit(b, 'ref-role', 'roleRef.name', `Role "${ref.name}" is not rendered${describeNs(b.namespace)}`);
      }
    } else if (ref.kind === 'ClusterRole' && !ctx.inv.find('ClusterRole', '', ref.name, 'rbac.authorization.k8s.io')) {
      ctx.emit(b, 'ref-clusterrole', 'roleRef.name', `ClusterRole "${ref.name}" is not rendered (fine if it is built in or installed by another chart)`);
    }
  }
  const renderedNamespaces = new Set(ctx.inv.objects.map((o) => o.namespace).filter(Boolean));
  asArray(b.raw.subjects).forEach((s, i) => {
    if (s?.kind !== 'ServiceAccount' || typeof s.name !== 'string' || s.name === 'default') return;
    const ns = typeof s.namespace === 'string' ? s.namespace : b.namespace;
    if (b.kind === 'ClusterRoleBinding' && !renderedNamespaces.has(ns)) return; // another tree owns it
    if (!ctx.inv.find('ServiceAccount', ns, s.name, '')) {
      ctx.emit(b, 'ref-rolebinding-subject', `subjects[${i}].name`, `ServiceAccount "${s.name}" is not rendered${describeNs(ns)}`);
    }
  });
}

function checkStatefulSet(ctx: Context, sts: Obj): void {
  const name = sts.raw.spec?.serviceName;
  if (typeof name !== 'string' || name === '') return;
  const svc = ctx.inv.find('Service', sts.namespace, name, '');
  if (!svc) {
    ctx.emit(sts, 'ref-statefulset-service', 'spec.serviceName', `headless Service "${name}" is not rendered${describeNs(sts.namespace)}`);
  } else if (svc.raw.spec?.clusterIP !== 'None') {
    ctx.emit(sts, 'ref-statefulset-service', 'spec.serviceName', `Service "${name}" is not headless (spec.clusterIP must be None)`);
  }
}

export function checkReferences(ctx: Context): void {
  for (const t of ctx.inv.templates) checkPodTemplate(ctx, t);
  for (const o of ctx.inv.objects) {
    switch (`${o.group}/${o.kind}`) {
      case '/Service':
        checkService(ctx, o);
        break;
      case 'networking.k8s.io/Ingress':
        checkIngress(ctx, o);
        break;
      case 'autoscaling/HorizontalPodAutoscaler':
        checkHpa(ctx, o);
        break;
      case 'policy/PodDisruptionBudget':
        checkPdb(ctx, o);
        break;
      case 'networking.k8s.io/NetworkPolicy':
        checkNetworkPolicy(ctx, o);
        break;
      case 'rbac.authorization.k8s.io/RoleBinding':
      case 'rbac.authorization.k8s.io/ClusterRoleBinding':
        checkBinding(ctx, o);
        break;
      case 'apps/StatefulSet':
        checkStatefulSet(ctx, o);
        break;
    }
  }
}
