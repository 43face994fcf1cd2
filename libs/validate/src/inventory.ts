/** Index of the rendered objects and their pod templates, shared by the reference and policy checks. */
import { join } from './paths';

export interface Obj {
  index: number;
  raw: Record<string, any>;
  apiVersion: string;
  group: string;
  kind: string;
  name: string;
  /** '' when the object has no namespace (cluster-scoped, or left to the Argo CD destination). */
  namespace: string;
  source?: string;
}

export interface Container {
  c: Record<string, any>;
  path: string;
  type: 'initContainers' | 'containers' | 'ephemeralContainers';
}

export interface PodTemplate {
  owner: Obj;
  /** Labels of the pods (template metadata labels). */
  labels: Record<string, string>;
  spec: Record<string, any>;
  /** Path of the pod spec, e.g. spec.template.spec */
  specPath: string;
  /** Deployment, StatefulSet, DaemonSet: main containers must have probes. */
  longRunning: boolean;
  containers: Container[];
}

export type Selector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };

export const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

export function isObject(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export const asArray = <T = any>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** Namespace equality, where '' (namespace left to the destination) matches any namespace. */
export const sameNs = (a: string, b: string): boolean => a === b || a === '' || b === '';

/** Equality-based selector (Service spec.selector). Empty or absent selects nothing. */
export function matchesMap(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** metav1.LabelSelector. An empty selector ({}) selects everything. */
export function matchesSelector(selector: Selector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export const isEmptySelector = (s: Selector | undefined): boolean =>
  !!s && Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;

const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const CORE_GROUPS: Record<string, string> = {
  Deployment: 'apps', StatefulSet: 'apps', DaemonSet: 'apps', ReplicaSet: 'apps', Job: 'batch', CronJob: 'batch', Pod: '',
};

function podTemplateOf(o: Obj): PodTemplate | undefined {
  if (CORE_GROUPS[o.kind] === undefined || CORE_GROUPS[o.kind] !== o.group) return undefined;
  let tmplPath: string;
  let tmpl: any;
  if (o.kind === 'Pod') {
    tmplPath = '';
    tmpl = { metadata: o.raw.metadata, spec: o.raw.spec };
  } else if (o.kind === 'CronJob') {
    tmplPath = 'spec.jobTemplate.spec.template';
    tmpl = o.raw.spec?.jobTemplate?.spec?.template;
  } else {
    tmplPath = 'spec.template';
    tmpl = o.raw.spec?.template;
  }
  if (!isObject(tmpl) || !isObject(tmpl.spec)) return undefined;
  const specPath = tmplPath ? `${tmplPath}.spec` : 'spec';
  const spec = tmpl.spec;
  const containers: Container[] = [];
  for (const type of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    asArray(spec[type]).forEach((c, i) => {
      if (isObject(c)) containers.push({ c, path: join(join(specPath, type), i), type });
    });
  }
  const labels = isObject(tmpl.metadata?.labels) ? (tmpl.metadata.labels as Record<string, string>) : {};
  return { owner: o, labels, spec, specPath, longRunning: LONG_RUNNING.has(o.kind), containers };
}

export class Inventory {
  readonly objects: Obj[];
  readonly templates: PodTemplate[];
  private readonly byKindName = new Map<string, Obj[]>();

  constructor(objects: Obj[]) {
    this.objects = objects;
    this.templates = [];
    for (const o of objects) {
      const k = `${o.kind}/${o.name}`;
      const list = this.byKindName.get(k) ?? [];
      list.push(o);
      this.byKindName.set(k, list);
      const t = podTemplateOf(o);
      if (t) this.templates.push(t);
    }
  }

  /** Objects of a kind (optionally of an API group) with that name in that namespace. */
  find(kind: string, namespace: string, name: string, group?: string): Obj | undefined {
    return (this.byKindName.get(`${kind}/${name}`) ?? []).find(
      (o) => sameNs(o.namespace, namespace) && (group === undefined || o.group === group),
    );
  }

  private readonly kindCache = new Map<string, Obj[]>();

  ofKind(kind: string, group?: string): Obj[] {
    const k = `${group ?? '*'}/${kind}`;
    let list = this.kindCache.get(k);
    if (!list) {
      list = this.objects.filter((o) => o.kind === kind && (group === undefined || o.group === group));
      this.kindCache.set(k, list);
    }
    return list;
  }

  templatesIn(namespace: string): PodTemplate[] {
    return this.templates.filter((t) => sameNs(t.owner.namespace, namespace));
  }
}
