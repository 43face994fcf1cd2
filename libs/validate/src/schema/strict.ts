/**
 * Strict validation with the validators shipped by `kubernetes-models` and `@kubernetes-models/*`.
 *
 * Those validators (ajv standalone code, or ajv-compiled raw schemas for Istio) never set
 * `additionalProperties: false`, so a typo like `replica:` passes them. We run the validator on a
 * read-tracking Proxy of the object: every property the validator looks up is a declared property
 * of the schema at that place. Afterwards, an own key of an object that the validator inspected
 * (looked up at least one property of) but never looked up is an unknown field. Objects the
 * validator enumerated (`additionalProperties: <schema>` maps such as labels) accept any key, and
 * objects it never inspected (no schema, `x-kubernetes-preserve-unknown-fields`, free-form
 * `type: object`) are left alone, exactly as kubeconform -strict treats them.
 */
import { join, pointerToPath } from '../paths';

export interface SchemaIssue {
  rule: 'schema-invalid' | 'schema-unknown-field';
  path: string;
  message: string;
}

/** A kubernetes-models model class: statics apiVersion/kind and a prototype.validate() that throws. */
export interface ModelClass {
  apiVersion: string;
  kind: string;
  prototype: { validate(): void };
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, any>;
}

interface Tracker {
  looked: WeakMap<object, Set<string>>;
  enumerated: WeakSet<object>;
  proxies: WeakMap<object, object>;
}

function record(t: Tracker, target: object, key: string | symbol): void {
  if (typeof key !== 'string' || Array.isArray(target)) return;
  let set = t.looked.get(target);
  if (!set) t.looked.set(target, (set = new Set()));
  set.add(key);
}

function wrap(t: Tracker, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const cached = t.proxies.get(value);
  if (cached) return cached;
  const proxy = new Proxy(value, {
    get(target, key, receiver) {
      record(t, target, key);
      return wrap(t, Reflect.get(target, key, receiver));
    },
    has(target, key) {
      record(t, target, key);
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      record(t, target, key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    ownKeys(target) {
      t.enumerated.add(target);
      return Reflect.ownKeys(target);
    },
  });
  t.proxies.set(value, proxy);
  return proxy;
}

export interface StrictOptions {
  /** Serve an alias apiVersion (e.g. networking.istio.io/v1) with this model's schema. */
  apiVersionOverride?: string;
  /**
   * The CRD model generator of `@kubernetes-models/*` strips every `description` key from the
   * schemas, including properties that are named `description` (AppProject spec.description, …),
   * so the validator never looks them up. Accept a string-valued `description` for those packages.
   */
  lenientDescription?: boolean;
}

function collectUnknown(t: Tracker, value: unknown, path: string, out: SchemaIssue[], opts: StrictOptions): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => collectUnknown(t, v, join(path, i), out, opts));
    return;
  }
  const looked = t.looked.get(value);
  const strict = looked !== undefined && !t.enumerated.has(value);
  for (const key of Object.keys(value)) {
    const child = join(path, key);
    const v = (value as Record<string, unknown>)[key];
    if (strict && !looked.has(key)) {
      if (opts.lenientDescription && key === 'description' && typeof v === 'string') continue;
      out.push({ rule: 'schema-unknown-field', path: child, message: `unknown field "${key}"` });
      continue; // nothing below an unknown field was checked
    }
    collectUnknown(t, v, child, out, opts);
  }
}

function errorMessage(e: AjvError): string {
  switch (e.keyword) {
    case 'enum':
      return `must be one of: ${(e.params?.allowedValues ?? []).map((v: unknown) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `must be ${e.params?.type}`;
    case 'format':
      return `must match format "${e.params?.format}"`;
    default:
      return e.message ?? e.keyword;
  }
}

/** Turn ajv errors into issues: one per path, alternatives of oneOf/anyOf condensed. */
export function ajvErrorsToIssues(errors: AjvError[], root: unknown): SchemaIssue[] {
  const byPath = new Map<string, AjvError[]>();
  for (const e of errors) {
    let pointer = e.instancePath;
    if (e.keyword === 'required' && e.params?.missingProperty) pointer += `/${e.params.missingProperty}`;
    if (e.keyword === 'additionalProperties' && e.params?.additionalProperty) pointer += `/${e.params.additionalProperty}`;
    const list = byPath.get(pointer) ?? [];
    list.push(e);
    byPath.set(pointer, list);
  }
  const issues: SchemaIssue[] = [];
  for (const [pointer, list] of byPath) {
    const path = pointerToPath(pointer, root);
    const additional = list.find((e) => e.keyword === 'additionalProperties');
    if (additional) {
      issues.push({ rule: 'schema-unknown-field', path, message: `unknown field "${additional.params?.additionalProperty}"` });
      continue;
    }
    const required = list.find((e) => e.keyword === 'required');
    if (required) {
      issues.push({ rule: 'schema-invalid', path, message: `required field "${required.params?.missingProperty}" is missing` });
      continue;
    }
    const alternatives = list.some((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
    const parts = [...new Set(list.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf').map(errorMessage))];
    const message = alternatives
      ? parts.length
        ? `matches none of the allowed forms (${parts.join(' | ')})`
        : 'matches none of the allowed forms'
      : parts.join('; ');
    issues.push({ rule: 'schema-invalid', path, message });
  }
  return issues;
}

/**
 * Validate a plain JSON object with a model class, strictly.
 */
export function validateStrict(cls: ModelClass, obj: Record<string, unknown>, opts: StrictOptions = {}): SchemaIssue[] {
  const t: Tracker = { looked: new WeakMap(), enumerated: new WeakSet(), proxies: new WeakMap() };
  // The root carries the model prototype so that prototype.validate() finds its schema (both the
  // setValidateFunc closure of base v5/v6 and the SCHEMA_ID symbol of base v4 work this way).
  const root = Object.assign(Object.create(cls.prototype as object), obj) as Record<string, unknown>;
  if (opts.apiVersionOverride) root.apiVersion = opts.apiVersionOverride;
  let errors: AjvError[] = [];
  try {
    (cls.prototype.validate as () => void).call(wrap(t, root));
  } catch (err) {
    const list = (err as { errors?: AjvError[] }).errors;
    if (!Array.isArray(list)) throw err;
    errors = list;
  }
  const issues = ajvErrorsToIssues(errors, obj);
  const unknown: SchemaIssue[] = [];
  // The root's own keys: apiVersion/kind are always looked up by the validator.
  collectUnknown(t, root, '', unknown, opts);
  // An unknown field reported by ajv itself (additionalProperties: false) is not reported twice.
  const seen = new Set(issues.map((i) => i.path));
  return [...issues, ...unknown.filter((u) => !seen.has(u.path))];
}
