/**
 * apiVersion/kind → strict validator. Core kinds come from `kubernetes-models` (current stable API
 * versions only: removed versions such as policy/v1beta1 are unknown, as for kubeconform against a
 * current cluster), CRD kinds from their `@kubernetes-models/*` packages, and kinds without a
 * package from the schemas in ../schemas. Everything is imported once at module load; validators
 * are the packages' precompiled ajv functions, so nothing is compiled per object.
 */
import * as admissionregistrationV1 from 'kubernetes-models/admissionregistration.k8s.io/v1';
import * as apiextensionsV1 from 'kubernetes-models/apiextensions.k8s.io/v1';
import * as apiregistrationV1 from 'kubernetes-models/apiregistration.k8s.io/v1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV1 from 'kubernetes-models/autoscaling/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as certificatesV1 from 'kubernetes-models/certificates.k8s.io/v1';
import * as coordinationV1 from 'kubernetes-models/coordination.k8s.io/v1';
import * as coreV1 from 'kubernetes-models/v1';
import * as discoveryV1 from 'kubernetes-models/discovery.k8s.io/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as nodeV1 from 'kubernetes-models/node.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as schedulingV1 from 'kubernetes-models/scheduling.k8s.io/v1';
import * as storageV1 from 'kubernetes-models/storage.k8s.io/v1';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';

import * as argoV1alpha1 from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import * as certManagerV1 from '@kubernetes-models/cert-manager/cert-manager.io/v1';
import * as acmeV1 from '@kubernetes-models/cert-manager/acme.cert-manager.io/v1';
import * as istioNetworkingV1alpha3 from '@kubernetes-models/istio/networking.istio.io/v1alpha3';
import * as istioNetworkingV1beta1 from '@kubernetes-models/istio/networking.istio.io/v1beta1';
import * as istioSecurityV1 from '@kubernetes-models/istio/security.istio.io/v1';
import * as istioSecurityV1beta1 from '@kubernetes-models/istio/security.istio.io/v1beta1';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { Probe } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Probe';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import * as traefikV1alpha1 from '@kubernetes-models/traefik/traefik.io/v1alpha1';

import { SECRETS_STORE_SCHEMAS } from '../schemas/secrets-store-csi';
import { VELERO_SCHEMAS } from '../schemas/velero';
import { join } from '../paths';
import { validateOpenAPI, type OpenAPISchema } from './openapi';
import { validateStrict, type ModelClass, type SchemaIssue } from './strict';

export type KindValidator = (obj: Record<string, unknown>) => SchemaIssue[];

const validators = new Map<string, KindValidator>();
const versionsByKind = new Map<string, Set<string>>();

const key = (apiVersion: string, kind: string) => `${apiVersion}/${kind}`;

function remember(apiVersion: string, kind: string, v: KindValidator): void {
  validators.set(key(apiVersion, kind), v);
  const set = versionsByKind.get(kind) ?? new Set<string>();
  set.add(apiVersion);
  versionsByKind.set(kind, set);
}

function isModelClass(v: unknown): v is ModelClass {
  return (
    typeof v === 'function' &&
    typeof (v as any).apiVersion === 'string' &&
    typeof (v as any).kind === 'string' &&
    typeof (v as any).prototype?.validate === 'function'
  );
}

/**
 * Fields that current upstream CRDs have but the installed `@kubernetes-models/*` package predates.
 * Keyed by apiVersion/kind, then by field path with array indexes written as []; the value is the
 * JSON type the field must have. Keep this list short and say which upstream version added each.
 */
export const SCHEMA_EXTENSIONS: Record<string, Record<string, 'string' | 'boolean' | 'integer' | 'object' | 'array'>> = {
  // cert-manager >= 1.12: ingressClassName next to the older `class` (package models ~1.11)
  'cert-manager.io/v1/ClusterIssuer': { 'spec.acme.solvers[].http01.ingress.ingressClassName': 'string' },
  'cert-manager.io/v1/Issuer': { 'spec.acme.solvers[].http01.ingress.ingressClassName': 'string' },
  // Argo CD (the vendored v3.5.1 CRD has it; the package models predate it): a whitelist entry may name one object (glob)
  'argoproj.io/v1alpha1/AppProject': { 'spec.clusterResourceWhitelist[].name': 'string', 'spec.clusterResourceBlacklist[].name': 'string' },
};

const normalize = (path: string) => path.replace(/\[\d+\]/g, '[]');

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function valueAt(obj: unknown, path: string): unknown {
  let cur: any = obj;
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = m[2] !== undefined ? cur[Number(m[2])] : cur[m[1]];
  }
  return cur;
}

function withExtensions(id: string, v: KindValidator): KindValidator {
  const ext = SCHEMA_EXTENSIONS[id];
  if (!ext) return v;
  return (obj) =>
    v(obj).flatMap((issue) => {
      const type = issue.rule === 'schema-unknown-field' ? ext[normalize(issue.path)] : undefined;
      if (!type) return [issue];
      const actual = jsonType(valueAt(obj, issue.path));
      return actual === type ? [] : [{ rule: 'schema-invalid' as const, path: issue.path, message: `must be ${type}, got ${actual}` }];
    });
}

function addModels(lenientDescription: boolean, ...namespaces: object[]): void {
  for (const ns of namespaces) {
    for (const v of Object.values(ns)) {
      // List kinds never appear in kustomize output (it flattens them).
      if (isModelClass(v) && !v.kind.endsWith('List')) {
        remember(v.apiVersion, v.kind, withExtensions(key(v.apiVersion, v.kind), (obj) => validateStrict(v, obj, { lenientDescription })));
      }
    }
  }
}

/** Serve `aliasVersion` with the schema of `sourceVersion` for every kind of that group not registered itself. */
function addAlias(aliasVersion: string, sourceVersion: string): void {
  for (const [k, set] of [...versionsByKind]) {
    if (!set.has(sourceVersion) || set.has(aliasVersion)) continue;
    const source = findModel(sourceVersion, k);
    if (source) remember(aliasVersion, k, (obj) => validateStrict(source, obj, { apiVersionOverride: sourceVersion, lenientDescription: true }));
  }
}

const modelIndex = new Map<string, ModelClass>();
function findModel(apiVersion: string, kind: string): ModelClass | undefined {
  return modelIndex.get(key(apiVersion, kind));
}
function indexModels(...namespaces: object[]): void {
  for (const ns of namespaces) for (const v of Object.values(ns)) if (isModelClass(v)) modelIndex.set(key(v.apiVersion, v.kind), v);
}

/** metadata of kinds validated with repository schemas: checked with the core ObjectMeta schema. */
function validateObjectMeta(metadata: unknown): SchemaIssue[] {
  return validateStrict(ConfigMap as unknown as ModelClass, { apiVersion: 'v1', kind: 'ConfigMap', metadata }).filter(
    (i) => i.path === 'metadata' || i.path.startsWith('metadata.') || i.path.startsWith('metadata['),
  );
}

function addRepoSchema(id: string, def: { spec: OpenAPISchema; specRequired: boolean; status: OpenAPISchema }): void {
  const slash = id.lastIndexOf('/');
  const apiVersion = id.slice(0, slash);
  const kind = id.slice(slash + 1);
  remember(apiVersion, kind, (obj) => {
    const issues: SchemaIssue[] = [];
    for (const k of Object.keys(obj)) {
      if (!['apiVersion', 'kind', 'metadata', 'spec', 'status'].includes(k)) {
        issues.push({ rule: 'schema-unknown-field', path: join('', k), message: `unknown field "${k}"` });
      }
    }
    if (obj.metadata !== undefined) issues.push(...validateObjectMeta(obj.metadata));
    if (obj.spec === undefined) {
      if (def.specRequired) issues.push({ rule: 'schema-invalid', path: 'spec', message: 'required field "spec" is missing' });
    } else {
      validateOpenAPI(def.spec, obj.spec, 'spec', issues);
    }
    if (obj.status !== undefined) validateOpenAPI(def.status, obj.status, 'status', issues);
    return issues;
  });
}

const CORE = [
  admissionregistrationV1, apiextensionsV1, apiregistrationV1, appsV1, autoscalingV1, autoscalingV2, batchV1,
  certificatesV1, coordinationV1, coreV1, discoveryV1, networkingV1, nodeV1, policyV1, rbacV1, schedulingV1, storageV1,
];
const CRDS = [
  argoV1alpha1, certManagerV1, acmeV1, istioNetworkingV1alpha3, istioNetworkingV1beta1, istioSecurityV1, istioSecurityV1beta1,
  { PodMonitor, Probe, PrometheusRule, ServiceMonitor }, traefikV1alpha1,
];
indexModels(...CORE, ...CRDS);
// kubernetes-models also drops properties named `description` (PriorityClass.description).
addModels(true, ...CORE);
addModels(true, ...CRDS);
// Istio serves v1 with the same schema as v1beta1 (Istio >= 1.22); the package predates it.
addAlias('networking.istio.io/v1', 'networking.istio.io/v1beta1');
addAlias('security.istio.io/v1', 'security.istio.io/v1beta1');
for (const [id, def] of Object.entries({ ...VELERO_SCHEMAS, ...SECRETS_STORE_SCHEMAS })) addRepoSchema(id, def);

/** Kustomize build inputs: never valid in rendered output. */
export const BUILD_ARTIFACTS = new Set([
  'viaduct.ai/v1/ksops',
  'kustomize.config.k8s.io/v1beta1/Kustomization',
  'kustomize.config.k8s.io/v1alpha1/Component',
]);

export function lookupValidator(apiVersion: string, kind: string): KindValidator | undefined {
  return validators.get(key(apiVersion, kind));
}

/** Other apiVersions for which a kind has a schema (for "did you mean" messages). */
export function knownVersions(kind: string): string[] {
  return [...(versionsByKind.get(kind) ?? [])].sort();
}

/** All apiVersion/kind pairs with a schema. */
export function supportedKinds(): string[] {
  return [...validators.keys()].sort();
}
