import type { Context, Target } from './context';
import { groupOf, Inventory, isObject, type Obj } from './inventory';
import { join } from './paths';
import { checkApi } from './api';
import { checkPolicy } from './policy';
import { checkReferences } from './refs';
import { checkReleases } from './releases';
import { RULES_BY_ID } from './rules';
import { BUILD_ARTIFACTS, knownVersions, lookupValidator } from './schema/registry';
import { celIssues } from './schema/cel';
import { parseSuppressions, SUPPRESS_ANNOTATION } from './suppress';
import type { Finding, PolicyLevel, RenderedObject, Suppression, ValidateOptions, ValidationResult } from './types';

interface RawFinding {
  target: Target;
  rule: string;
  path: string;
  message: string;
}

/** The object as the schema sees it: plain JSON, without the SOPS metadata block and with encrypted values neutralised. */
function schemaView(raw: Record<string, any>): Record<string, any> {
  const copy = JSON.parse(JSON.stringify(raw)) as Record<string, any>;
  if (copy.sops !== undefined) {
    delete copy.sops;
    // SOPS replaces every value under data/stringData with ENC[...]; data values are no longer base64.
    if (copy.kind === 'Secret' && isObject(copy.data)) {
      for (const k of Object.keys(copy.data)) if (typeof copy.data[k] === 'string' && copy.data[k].startsWith('ENC[')) copy.data[k] = '';
    }
  }
  return copy;
}

/** Schema check; false when the kind has no schema (the object then takes no part in reference and policy checks). */
function checkSchema(o: Obj, emit: (rule: string, path: string, message: string) => void): boolean {
  const id = `${o.apiVersion}/${o.kind}`;
  if (BUILD_ARTIFACTS.has(id)) {
    emit('schema-build-artifact', 'kind', `${o.apiVersion} ${o.kind} is a kustomize build input and must not appear in rendered output`);
    return false;
  }
  const validator = lookupValidator(o.apiVersion, o.kind);
  if (!validator) {
    const known = knownVersions(o.kind);
    emit('schema-unknown-kind', 'apiVersion', `no schema for ${o.apiVersion} ${o.kind}${known.length ? ` (schemas exist for: ${known.join(', ')})` : ''}`);
    return false;
  }
  const view = schemaView(o.raw);
  for (const issue of validator(view)) emit(issue.rule, issue.path, issue.message);
  for (const issue of celIssues(view)) emit('schema-cel', issue.path, issue.message);
  return true;
}

export function validateObjects(input: RenderedObject[], opts: ValidateOptions = {}): ValidationResult {
  const level: PolicyLevel = opts.policy ?? 'restricted';
  const raw: RawFinding[] = [];
  const objects: Obj[] = [];
  const all: Obj[] = [];

  // ---- identity and schema --------------------------------------------------------------------
  const seen = new Map<string, Obj>();
  input.forEach((item, index) => {
    const r = isObject(item?.object) ? item.object : {};
    const o: Obj = {
      index,
      raw: r,
      apiVersion: typeof r.apiVersion === 'string' ? r.apiVersion : '',
      group: typeof r.apiVersion === 'string' ? groupOf(r.apiVersion) : '',
      kind: typeof r.kind === 'string' ? r.kind : '',
      name: typeof r.metadata?.name === 'string' ? r.metadata.name : '',
      namespace: typeof r.metadata?.namespace === 'string' ? r.metadata.namespace : '',
      source: item?.source,
    };
    all.push(o);
    const emit = (rule: string, path: string, message: string) => raw.push({ target: o, rule, path, message });
    const missing = (['apiVersion', 'kind'] as const).filter((f) => !o[f]);
    if (!o.name) missing.push('metadata.name' as never);
    for (const f of missing) emit('schema-identity', f, `${f} is missing`);
    if (!o.apiVersion || !o.kind) return;
    const known = checkSchema(o, emit);
    if (!o.name || !known) return;
    const key = `${o.group}/${o.kind}/${o.namespace}/${o.name}`;
    const first = seen.get(key);
    if (first) emit('object-duplicate', 'metadata.name', `same ${o.kind} as object #${first.index + 1}${first.source ? ` (${first.source})` : ''}`);
    else seen.set(key, o);
    objects.push(o);
  });

  // ---- references and policy ------------------------------------------------------------------
  const ctx: Context = {
    level,
    inv: new Inventory(objects),
    declaredSecrets: opts.declaredSecrets ?? [],
    storageClasses: opts.storageClasses,
    repo: opts.repo,
    active: (rule) => RULES_BY_ID.get(rule)?.levels[level] !== undefined,
    emit(target, rule, path, message) {
      if (!RULES_BY_ID.has(rule)) throw new Error(`internal: unknown rule ${rule}`);
      if (ctx.active(rule)) raw.push({ target, rule, path, message });
    },
  };
  checkReferences(ctx);
  checkApi(ctx);
  checkPolicy(ctx);
  checkReleases(ctx, opts.env, opts.releases);

  // ---- suppressions ---------------------------------------------------------------------------
  const suppressions: Suppression[] = [];
  const dropped = new Set<RawFinding>();
  for (const o of all) {
    const annotations = o.raw.metadata?.annotations;
    if (!isObject(annotations) || annotations[SUPPRESS_ANNOTATION] === undefined) continue;
    const path = join(join('metadata', 'annotations'), SUPPRESS_ANNOTATION);
    for (const s of parseSuppressions(annotations[SUPPRESS_ANNOTATION])) {
      const rule = RULES_BY_ID.get(s.rule);
      const problem =
        s.error ??
        (!rule ? `unknown rule "${s.rule}"` : !rule.suppressible ? `rule "${s.rule}" cannot be suppressed` : undefined);
      if (problem) {
        raw.push({ target: o, rule: 'suppression-invalid', path, message: problem });
        continue;
      }
      const matched = raw.filter((f) => f.target === o && f.rule === s.rule && !dropped.has(f));
      for (const f of matched) dropped.add(f);
      suppressions.push({ rule: s.rule, reason: s.reason, kind: o.kind, name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}) });
      if (matched.length === 0 && ctx.active(s.rule)) {
        raw.push({ target: o, rule: 'suppression-unused', path, message: `suppression of "${s.rule}" matches no finding at level ${level}; remove it` });
      }
    }
  }

  // ---- result ---------------------------------------------------------------------------------
  const findings: Finding[] = raw
    .filter((f) => !dropped.has(f))
    .map((f, order) => ({ f, order }))
    .sort((a, b) => a.f.target.index - b.f.target.index || a.order - b.order)
    .map(({ f }) => {
      const rule = RULES_BY_ID.get(f.rule)!;
      const finding: Finding = {
        severity: rule.levels[level] ?? rule.severity,
        rule: f.rule,
        ...(opts.platform !== undefined ? { platform: opts.platform } : {}),
        ...(opts.env !== undefined ? { env: opts.env } : {}),
        ...(f.target.source !== undefined ? { source: f.target.source } : {}),
        kind: f.target.kind || '<no-kind>',
        name: f.target.name || '<no-name>',
        ...(f.target.namespace ? { namespace: f.target.namespace } : {}),
        path: f.path,
        message: f.message,
      };
      return finding;
    });
  return { findings, suppressions, objects: input.length };
}
