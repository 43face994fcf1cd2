/**
 * The `sops` metadata block (`stores/stores.go`, `stores/metadata.go`).
 * Read by field name from any layout (3.7 – 3.13); written in the sops 3.13
 * layout, where every mapping level is sorted byte-wise and empty key lists are omitted.
 */
import { SopsError } from './errors';
import { RULE_KINDS, DEFAULT_UNENCRYPTED_SUFFIX, type EncryptionRule, type RuleKind } from './rules';
import { formatRFC3339, parseRFC3339 } from './go/time';
import { SopsInt, TreeBranch, type TreeValue } from './tree';

/** The sops version this writer claims: the spec's reference release (must be valid semver). */
export const SOPS_VERSION = '3.13.2';

export interface AgeMasterKey {
  recipient: string;
  /** Armored age file holding the data key (or its Shamir share). */
  enc: string;
}

/** Non-age master keys (pgp, kms, ...) are kept verbatim: they hold the same data key. */
export type OtherKeys = Record<string, Array<Record<string, unknown>>>;

export interface KeyGroup {
  age: AgeMasterKey[];
  other: OtherKeys;
}

export interface Metadata {
  keyGroups: KeyGroup[];
  /** 0 = not set. */
  shamirThreshold: number;
  /** RFC 3339, normalised as Go re-formats it (this exact text is the MAC's AAD). */
  lastModified: string;
  mac: string;
  rule: EncryptionRule;
  macOnlyEncrypted: boolean;
  version: string;
}

const KEY_TYPES = ['age', 'azure_kv', 'gcp_kms', 'hc_vault', 'hckms', 'kms', 'pgp', 'plugins'];

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return undefined;
}

// mapstructure WeaklyTypedInput: dotenv stores everything as strings.
function weakBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
  if (typeof v === 'number') return v !== 0;
  return false;
}

function weakInt(v: unknown): number {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return 0;
}

function parseGroup(obj: Record<string, unknown>): KeyGroup {
  const group: KeyGroup = { age: [], other: {} };
  for (const [type, list] of Object.entries(obj)) {
    if (!Array.isArray(list) || list.length === 0) continue;
    if (type === 'age') {
      for (const e of list) {
        const recipient = str((e as Record<string, unknown>)?.recipient);
        const enc = str((e as Record<string, unknown>)?.enc);
        if (recipient === undefined || enc === undefined) throw new SopsError('INVALID_METADATA', 'age key entry without recipient or enc');
        group.age.push({ recipient, enc });
      }
    } else if (KEY_TYPES.includes(type)) {
      group.other[type] = list.filter((e) => e && typeof e === 'object') as Array<Record<string, unknown>>;
    }
  }
  return group;
}

/** Metadata from the plain JS view of the `sops` mapping. */
export function parseMetadata(obj: Record<string, unknown>): Metadata {
  const lm = str(obj.lastmodified);
  const t = lm !== undefined ? parseRFC3339(lm) : undefined;
  if (!t) throw new SopsError('INVALID_METADATA', 'sops.lastmodified is missing or not RFC 3339');

  const rules = RULE_KINDS.filter((k) => str(obj[k]));
  if (rules.length > 1) {
    throw new SopsError('INVALID_METADATA', `Cannot use more than one of ${RULE_KINDS.join(', ')} in the same file`);
  }
  const rule: EncryptionRule = rules.length
    ? { kind: rules[0], value: str(obj[rules[0]]) as string }
    : { kind: 'unencrypted_suffix', value: DEFAULT_UNENCRYPTED_SUFFIX };

  const top: Record<string, unknown> = {};
  for (const k of KEY_TYPES) top[k] = obj[k];
  const hasTop = KEY_TYPES.some((k) => Array.isArray(obj[k]) && (obj[k] as unknown[]).length > 0);
  let keyGroups: KeyGroup[];
  if (hasTop) keyGroups = [parseGroup(top)];
  else if (Array.isArray(obj.key_groups) && obj.key_groups.length > 0) {
    keyGroups = obj.key_groups.map((g) => parseGroup((g ?? {}) as Record<string, unknown>));
  } else {
    throw new SopsError('INVALID_METADATA', 'No keys found in file');
  }

  return {
    keyGroups,
    shamirThreshold: weakInt(obj.shamir_threshold),
    lastModified: formatRFC3339(t),
    mac: str(obj.mac) ?? '',
    rule,
    macOnlyEncrypted: weakBool(obj.mac_only_encrypted),
    version: str(obj.version) ?? '',
  };
}

/** Plain JS → tree with every mapping sorted byte-wise (Go `goToSops`). */
function sortedTree(v: unknown): TreeValue {
  if (Array.isArray(v)) return v.map(sortedTree);
  if (v && typeof v === 'object' && !(v instanceof SopsInt)) {
    const keys = Object.keys(v as object).sort(byteCompare);
    return new TreeBranch(keys.map((key) => ({ key, value: sortedTree((v as Record<string, unknown>)[key]) })));
  }
  if (typeof v === 'number') return new SopsInt(BigInt(Math.trunc(v)));
  if (typeof v === 'bigint') return new SopsInt(v);
  if (v instanceof SopsInt) return v;
  if (typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
  return v === undefined ? null : String(v);
}

export function byteCompare(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return Buffer.compare(x, y);
}

function groupToPlain(g: KeyGroup): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [type, list] of Object.entries(g.other)) if (list.length) o[type] = list;
  if (g.age.length) o.age = g.age.map((k) => ({ enc: k.enc, recipient: k.recipient }));
  return o;
}

/** The metadata as sops 3.13 serialises it. `includeRule` is false for the binary store (since 3.11). */
export function metadataToTree(md: Metadata, opts: { includeRule?: boolean } = {}): TreeBranch {
  const o: Record<string, unknown> = {};
  if (md.keyGroups.length === 1) Object.assign(o, groupToPlain(md.keyGroups[0]));
  else o.key_groups = md.keyGroups.map(groupToPlain);
  o.lastmodified = md.lastModified;
  o.mac = md.mac;
  if (opts.includeRule !== false) o[md.rule.kind] = md.rule.value;
  if (md.macOnlyEncrypted) o.mac_only_encrypted = true;
  if (md.shamirThreshold) o.shamir_threshold = md.shamirThreshold;
  o.version = md.version;
  return sortedTree(o) as TreeBranch;
}

/** All age recipients across groups. */
export function ageRecipients(md: Metadata): string[] {
  return md.keyGroups.flatMap((g) => g.age.map((k) => k.recipient));
}

export function hasNonAgeKeys(md: Metadata): boolean {
  return md.keyGroups.some((g) => Object.values(g.other).some((l) => l.length > 0));
}

export const RULE_FIELD_NAMES: readonly RuleKind[] = RULE_KINDS;
