/**
 * The CEL validation rules (`x-kubernetes-validations`) of the upstream CRDs vendored in
 * third_party/ (crds/ and the Argo CD install.yaml), evaluated offline with a CEL implementation
 * (@marcbachmann/cel-js), the way kube-apiserver evaluates them on create: after structural
 * defaulting, `self` bound to the value at the rule's schema node, integers as CEL ints.
 *
 * The typed models (@kubernetes-models/*) check the OpenAPI schema but carry no CEL rules, so
 * without this an Istio AuthorizationPolicy or PeerAuthentication that the API server rejects
 * passed `gitops validate` (found by planting faults against the real API server, libs/cluster).
 *
 * Limits (documented in the README): transition rules (`oldSelf`) are skipped (nothing is updated
 * offline); a rule using a Kubernetes CEL library function the evaluator does not know is skipped
 * rather than guessed (the apply test against the real API server covers it).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCel } from '@marcbachmann/cel-js';
import { loadYamlDocuments } from '@gitops/yaml-read';
import { join as joinPath } from '../paths';

type Schema = Record<string, any>;
interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
}
export interface CelIssue {
  path: string;
  message: string;
}

const THIRD_PARTY = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../third_party');

let schemas: Map<string, Schema> | undefined;
/** Bumped when what is cached changes shape. */
const CEL_CACHE_FORMAT = 'cel-schemas-1';
const compiled = new Map<string, ((ctx: Record<string, unknown>) => unknown) | null>();

function hasRules(s: unknown): boolean {
  return JSON.stringify(s).includes('"x-kubernetes-validations"');
}

/** The vendored files that can hold CRDs: third_party/crds/*.yaml and the Argo CD install.yaml. */
function crdFiles(thirdParty: string): string[] {
  const files = readdirSync(join(thirdParty, 'crds')).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(thirdParty, 'crds', f));
  for (const d of readdirSync(thirdParty).filter((x) => x.startsWith('argo-cd-'))) files.push(join(thirdParty, d, 'install.yaml'));
  return files.sort();
}

/**
 * apiVersion/kind → openAPIV3Schema, for every vendored CRD version that carries CEL rules.
 * Parsing the ~4 MB of YAML is most of a validate process's fixed cost, so the extracted schemas
 * are kept as JSON in `.cache/validate/` (git-ignored) under the hash of the files' contents: a
 * changed or added CRD file is a new key. A cache that cannot be read or written is ignored.
 */
function celSchemas(): Map<string, Schema> {
  return (schemas ??= loadCelSchemas(THIRD_PARTY, join(THIRD_PARTY, '..', '.cache', 'validate')));
}

/** celSchemas from the CRDs under `thirdParty`, through the JSON cache in `cacheDir` (exported for its test). */
export function loadCelSchemas(thirdParty: string, cacheDir: string): Map<string, Schema> {
  const texts = crdFiles(thirdParty).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  // This file is part of the key too: a change to the extraction never reads an older cache.
  const hash = createHash('sha256').update(CEL_CACHE_FORMAT).update(readFileSync(fileURLToPath(import.meta.url)));
  for (const { file, text } of texts) hash.update(basename(file)).update('\0').update(text).update('\0');
  const cacheFile = join(cacheDir, `cel-schemas-${hash.digest('hex').slice(0, 24)}.json`);
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, Schema>));
  } catch {
    // not cached yet (or a damaged entry): parse
  }
  const schemas = new Map<string, Schema>();
  for (const { file, text } of texts) {
    if (!text.includes('x-kubernetes-validations')) continue;
    // js-yaml with yaml's 1.2 core schema: identical objects, several times faster than `yaml`.
    for (const doc of loadYamlDocuments(text, file)) {
      const crd = doc as Schema | null;
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const v of crd.spec?.versions ?? []) {
        const s = v.schema?.openAPIV3Schema;
        if (s && hasRules(s)) schemas.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, s);
      }
    }
  }
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(schemas)));
    renameSync(tmp, cacheFile);
    // One entry: the ones of earlier CRD contents go.
    for (const f of readdirSync(dirname(cacheFile))) if (f.startsWith('cel-schemas-') && join(dirname(cacheFile), f) !== cacheFile && !f.endsWith('.tmp')) rmSync(join(dirname(cacheFile), f), { force: true });
  } catch {
    // a read-only checkout: parse again next time
  }
  return schemas;
}

function compile(rule: string): ((ctx: Record<string, unknown>) => unknown) | null {
  if (!compiled.has(rule)) {
    try {
      compiled.set(rule, parseCel(rule) as (ctx: Record<string, unknown>) => unknown);
    } catch {
      compiled.set(rule, null); // syntax this evaluator does not know: skipped, not guessed
    }
  }
  return compiled.get(rule)!;
}

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value as kube-apiserver's CEL sees it: defaults applied, integers as CEL ints (bigint). */
function toCel(value: unknown, s: Schema | undefined): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'number') {
    const integral = s?.type === 'integer' || s?.['x-kubernetes-int-or-string'] || (s?.type === undefined && Number.isInteger(value));
    return integral && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map((x) => toCel(x, s?.items));
  if (isObj(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, p] of Object.entries((s?.properties ?? {}) as Record<string, Schema>)) if (value[k] === undefined && p.default !== undefined) out[k] = structuredClone(p.default);
    for (const [k, v] of Object.entries(value)) out[k] = toCel(v, s?.properties?.[k] ?? (isObj(s?.additionalProperties) ? s!.additionalProperties : undefined));
    return out;
  }
  return value;
}

function walk(s: Schema | undefined, value: unknown, path: string, out: CelIssue[]): void {
  if (!s || value === undefined || value === null) return;
  for (const r of (s['x-kubernetes-validations'] ?? []) as CelRule[]) {
    if (/\boldSelf\b/.test(r.rule)) continue;
    const fn = compile(r.rule);
    if (!fn) continue;
    let ok: unknown;
    try {
      ok = fn({ self: toCel(value, s) });
    } catch {
      continue; // a function or overload the evaluator lacks: skipped, not guessed
    }
    if (ok === false) {
      const at = r.fieldPath ? `${path}${r.fieldPath.startsWith('.') ? '' : '.'}${r.fieldPath}`.replace(/^\./, '') : path;
      out.push({ path: at, message: `${r.message ?? `failed rule: ${r.rule}`} (CRD validation rule \`${r.rule}\`)` });
    }
  }
  if (Array.isArray(value)) value.forEach((v, i) => walk(s.items, v, joinPath(path, i), out));
  else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) {
      const child = s.properties?.[k] ?? (isObj(s.additionalProperties) ? s.additionalProperties : undefined);
      walk(child, v, joinPath(path, k), out);
    }
  }
}

/** CEL rule violations of a custom resource (none for kinds whose CRD has no rules). */
export function celIssues(o: Record<string, any>): CelIssue[] {
  const [group, version] = String(o.apiVersion ?? '').includes('/') ? String(o.apiVersion).split('/') : ['', o.apiVersion];
  const s = celSchemas().get(`${group}/${version}/${o.kind}`);
  if (!s) return [];
  const out: CelIssue[] = [];
  walk(s, o, '', out);
  return out;
}
