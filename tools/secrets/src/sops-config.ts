/**
 * `.sops.yaml` reading, writing and creation-rule matching (`config/config.go`).
 * - Discovery walks up from the current directory (not the file's), up to 100 parents.
 * - Rules are tried in order; the first whose unanchored `path_regex` matches the file
 *   path relative to the config's directory wins; a rule without path_regex matches all.
 * - Key fields are comma-separated strings or (since 3.11) lists; `key_groups` overrides them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { parse, stringify } from 'yaml';
import { SopsError } from './errors';
import { goMatch } from './go/regexp';
import { ruleFromOptions, type RuleOptions } from './rules';
import type { StoreOptions } from './stores';

export interface ConfigKeyGroup {
  age: string[];
  /** Other key types as written (pgp, kms, ...): not usable by this implementation. */
  other: Record<string, string[]>;
}

export interface CreationRule extends RuleOptions {
  pathRegex?: string;
  age: string[];
  other: Record<string, string[]>;
  keyGroups?: ConfigKeyGroup[];
  shamirThreshold?: number;
  macOnlyEncrypted?: boolean;
}

export interface SopsConfig {
  creationRules: CreationRule[];
  stores: { yaml?: { indent?: number }; json?: { indent?: number }; json_binary?: { indent?: number } };
  /** Other top-level sections (destination_rules, ...) kept for writing back. */
  extra: Record<string, unknown>;
  /** Keys that sops would silently ignore, e.g. a misspelled `path_regexp`. */
  warnings: string[];
}

const RULE_FIELDS: Record<string, keyof RuleOptions> = {
  unencrypted_suffix: 'unencryptedSuffix',
  encrypted_suffix: 'encryptedSuffix',
  unencrypted_regex: 'unencryptedRegex',
  encrypted_regex: 'encryptedRegex',
  unencrypted_comment_regex: 'unencryptedCommentRegex',
  encrypted_comment_regex: 'encryptedCommentRegex',
};
const OTHER_KEY_FIELDS = ['pgp', 'kms', 'gcp_kms', 'azure_keyvault', 'hc_vault_transit_uri', 'hckms'];
const KNOWN_RULE_KEYS = new Set([
  'path_regex', 'age', 'key_groups', 'shamir_threshold', 'mac_only_encrypted', 'aws_profile', 'kms_encryption_context',
  ...Object.keys(RULE_FIELDS), ...OTHER_KEY_FIELDS,
]);

/** `parseKeyField`: comma-separated string or list; entries trimmed, empty ones dropped. */
export function parseKeyField(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const parts = Array.isArray(v) ? v.map(String) : String(v).split(',');
  return parts.map((s) => s.trim()).filter(Boolean);
}

function parseGroup(g: Record<string, unknown>): ConfigKeyGroup {
  const age = parseKeyField(g.age);
  const other: Record<string, string[]> = {};
  for (const f of ['pgp', 'kms', 'gcp_kms', 'azure_keyvault', 'hc_vault', 'hckms']) {
    const list = g[f];
    if (Array.isArray(list) && list.length) other[f] = list.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  }
  if (Array.isArray(g.merge)) {
    for (const m of g.merge) {
      const sub = parseGroup((m ?? {}) as Record<string, unknown>);
      age.push(...sub.age);
      for (const [k, l] of Object.entries(sub.other)) other[k] = [...(other[k] ?? []), ...l];
    }
  }
  // key_groups entries are de-duplicated (deduplicateKeygroup)
  return { age: [...new Set(age)], other };
}

export function parseSopsConfig(text: string): SopsConfig {
  let raw: Record<string, unknown>;
  try {
    raw = (parse(text, { merge: true }) ?? {}) as Record<string, unknown>;
  } catch (e) {
    throw new SopsError('CONFIG', `invalid .sops.yaml: ${(e as Error).message.split('\n')[0]}`);
  }
  const warnings: string[] = [];
  const rules = Array.isArray(raw.creation_rules) ? raw.creation_rules : [];
  const creationRules: CreationRule[] = rules.map((r, i) => {
    const o = (r ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!KNOWN_RULE_KEYS.has(k)) warnings.push(`creation_rules[${i}]: unknown key "${k}" is ignored`);
    const rule: CreationRule = { age: parseKeyField(o.age), other: {} };
    if (typeof o.path_regex === 'string') rule.pathRegex = o.path_regex;
    for (const f of OTHER_KEY_FIELDS) {
      const l = parseKeyField(o[f]);
      if (l.length) rule.other[f] = l;
    }
    for (const [yamlKey, optKey] of Object.entries(RULE_FIELDS)) if (typeof o[yamlKey] === 'string' && o[yamlKey]) rule[optKey] = o[yamlKey] as string;
    try {
      ruleFromOptions(rule);
    } catch (e) {
      throw new SopsError('CONFIG', `creation_rules[${i}]: ${(e as Error).message}`);
    }
    if (Array.isArray(o.key_groups)) rule.keyGroups = o.key_groups.map((g) => parseGroup((g ?? {}) as Record<string, unknown>));
    if (o.shamir_threshold !== undefined) rule.shamirThreshold = Number(o.shamir_threshold);
    if (o.mac_only_encrypted !== undefined) rule.macOnlyEncrypted = o.mac_only_encrypted === true || o.mac_only_encrypted === 'true';
    return rule;
  });
  const stores = (raw.stores ?? {}) as SopsConfig['stores'];
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (k !== 'creation_rules' && k !== 'stores') extra[k] = v;
  return { creationRules, stores, extra, warnings };
}

export function readSopsConfig(path: string): SopsConfig {
  return parseSopsConfig(readFileSync(path, 'utf8'));
}

/** `.sops.yaml` text for a config. Key lists are written as comma-separated strings (readable by every sops version). */
export function serializeSopsConfig(cfg: Pick<SopsConfig, 'creationRules'> & Partial<SopsConfig>): string {
  const out: Record<string, unknown> = {};
  if (cfg.stores && Object.keys(cfg.stores).length) out.stores = cfg.stores;
  out.creation_rules = cfg.creationRules.map((r) => {
    const o: Record<string, unknown> = {};
    if (r.pathRegex !== undefined) o.path_regex = r.pathRegex;
    for (const [yamlKey, optKey] of Object.entries(RULE_FIELDS)) if (r[optKey]) o[yamlKey] = r[optKey];
    if (r.macOnlyEncrypted) o.mac_only_encrypted = true;
    if (r.shamirThreshold) o.shamir_threshold = r.shamirThreshold;
    if (r.keyGroups?.length) {
      o.key_groups = r.keyGroups.map((g) => ({ ...(g.age.length ? { age: g.age } : {}), ...g.other }));
    } else {
      if (r.age.length) o.age = r.age.join(',');
      for (const [k, l] of Object.entries(r.other ?? {})) if (l.length) o[k] = l.join(',');
    }
    return o;
  });
  for (const [k, v] of Object.entries(cfg.extra ?? {})) out[k] = v;
  return stringify(out, { lineWidth: 0 });
}

/** Walk up from `startDir` looking for `.sops.yaml` (`LookupConfigFile`). */
export function findSopsConfig(startDir: string = process.cwd()): string | undefined {
  let dir = resolve(startDir);
  for (let i = 0; i < 100; i++) {
    const p = join(dir, '.sops.yaml');
    if (existsSync(p)) return p;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/**
 * The creation rule for `filePath` (`parseCreationRuleForFile`): the path is made
 * absolute and the config directory prefix removed before matching.
 */
export function matchCreationRule(cfg: SopsConfig, filePath: string, configPath: string): CreationRule {
  const configDir = resolve(dirname(configPath));
  let rel = isAbsolute(filePath) ? filePath : resolve(filePath);
  if (rel.startsWith(configDir + sep)) rel = rel.slice(configDir.length + 1);
  for (const r of cfg.creationRules) {
    if (r.pathRegex === undefined || r.pathRegex === '') return r;
    if (goMatch(r.pathRegex, rel)) return r;
  }
  throw new SopsError('CONFIG', `error loading config: no matching creation rules found for ${filePath}`);
}

/** Age key groups of a rule (key_groups win over the flat fields). */
export function ruleKeyGroups(r: CreationRule): string[][] {
  if (r.keyGroups?.length) return r.keyGroups.map((g) => g.age);
  return r.age.length ? [r.age] : [];
}

/** Store settings from `stores:`. */
export function storeOptionsFromConfig(cfg: SopsConfig | undefined): StoreOptions {
  return {
    yamlIndent: cfg?.stores?.yaml?.indent,
    jsonIndent: cfg?.stores?.json?.indent,
    jsonBinaryIndent: cfg?.stores?.json_binary?.indent,
  };
}

/**
 * The config in effect: `false` = none, a path = that file, undefined = discovered from the cwd
 * (or SOPS_CONFIG), like the CLI.
 */
export function loadEffectiveConfig(config: string | false | undefined, env: NodeJS.ProcessEnv = process.env): { path: string; config: SopsConfig } | undefined {
  if (config === false) return undefined;
  const path = config ?? env.SOPS_CONFIG ?? findSopsConfig();
  if (!path) return undefined;
  return { path, config: readSopsConfig(path) };
}
