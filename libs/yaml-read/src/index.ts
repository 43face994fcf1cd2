/**
 * Fast reading of machine-written YAML (kustomize output, vendored CRDs): js-yaml builds plain
 * objects directly, about 9× faster than `yaml`'s document API, which keeps a node tree for
 * comments and formatting we do not need here.
 *
 * The schema is `yaml`'s YAML 1.2 core schema, rule for rule, so both libraries read every plain
 * scalar the same way: js-yaml's own schemas differ (DEFAULT_SCHEMA reads `2026-01-01` as a Date
 * and `<<` as a merge; its CORE_SCHEMA int accepts `0b1`, `1_000` and `+0x1`, which 1.2 core
 * leaves as strings). The four types below copy `yaml`'s patterns and conversions
 * (yaml/dist/schema/core, yaml/dist/schema/common/null.js).
 * libs/kustomize/test/parse-equivalence.test.ts compares both parsers over every rendered overlay.
 */
import jsyaml from 'js-yaml';

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_DEC = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

const nul = new jsyaml.Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (s: string) => NULL.test(s),
  construct: () => null,
  predicate: (v: unknown) => v === null,
});

const bool = new jsyaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (s: string) => BOOL.test(s),
  construct: (s: string) => s[0] === 't' || s[0] === 'T',
  predicate: (v: unknown) => typeof v === 'boolean',
});

const int = new jsyaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (s: string) => INT_OCT.test(s) || INT_DEC.test(s) || INT_HEX.test(s),
  construct: (s: string) => (INT_OCT.test(s) ? parseInt(s.slice(2), 8) : INT_HEX.test(s) ? parseInt(s.slice(2), 16) : parseInt(s, 10)),
  predicate: (v: unknown) => Number.isInteger(v),
});

const float = new jsyaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (s: string) => FLOAT_NAN.test(s) || FLOAT_EXP.test(s) || FLOAT.test(s),
  construct: (s: string) =>
    FLOAT_NAN.test(s) ? (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity) : parseFloat(s),
  predicate: (v: unknown) => typeof v === 'number',
});

/** `yaml`'s YAML 1.2 core schema (its default) as a js-yaml schema. */
export const YAML_12_CORE = jsyaml.FAILSAFE_SCHEMA.extend({ implicit: [nul, bool, int, float] });

/** Plain objects of a multi-document stream, empty documents dropped; a syntax error names `source`, line and column. */
export function loadYamlDocuments(text: string, source: string): unknown[] {
  let docs: unknown[];
  try {
    docs = jsyaml.loadAll(text, undefined, { schema: YAML_12_CORE, filename: source });
  } catch (err) {
    if (err instanceof jsyaml.YAMLException) {
      const at = err.mark ? ` at line ${err.mark.line + 1}, column ${err.mark.column + 1}` : '';
      throw new Error(`${source}: YAML ${err.reason}${at}`);
    }
    throw err;
  }
  return docs.filter((d) => d !== null && d !== undefined);
}

/**
 * What lies outside the subset both readers read alike, in a hand-written file such as
 * releases.yaml: directives (`%YAML 1.1` makes `yaml` switch schema, js-yaml ignores it), document
 * markers after the start, anchors, aliases, tags, block scalars, complex and `~` keys, and a flow
 * collection where a key could be (js-yaml joins `[a, b]:` into "a,b", `yaml` writes "[ a, b ]");
 * flow collections as values are read alike. Tested on the text without its full-line comments;
 * a false alarm (such a character in a value or a trailing comment) only costs the slower read.
 */
const NOT_SIMPLE = /[&*!?|>~%]|^[ \t]*(?:-[ \t]+)*[[{]|[{,][ \t]*[[{]|\n(?:---|\.\.\.)(?=\s|$)|^\.\.\./m;
const FULL_LINE_COMMENT = /^[ \t]*#.*$/gm;
/** Keys `yaml` converts differently from js-yaml (a null key becomes "", not "null"). */
const NULL_KEY = /^(?:null|Null|NULL)$/;

/**
 * The one document of a hand-written file, read by the fast reader when it is in the plain block
 * subset (NOT_SIMPLE) and reads as one document whose keys `yaml` reads the same way: exactly what
 * `yaml`'s parse gives. Undefined otherwise (including a syntax error): the caller then reads the
 * text with `yaml`, which names the problem and its line as before.
 */
export function loadSimpleYamlDocument(text: string, source: string): unknown {
  if (NOT_SIMPLE.test(text.replace(FULL_LINE_COMMENT, ''))) return undefined;
  let docs: unknown[];
  try {
    docs = jsyaml.loadAll(text, undefined, { schema: YAML_12_CORE, filename: source });
  } catch {
    return undefined;
  }
  return docs.length === 1 && docs[0] !== undefined && keysRead(docs[0]) ? docs[0] : undefined;
}

/** True when every mapping key below `v` is one `yaml` reads as the same string (not null-like, at most 1024 characters as YAML allows an implicit key). */
function keysRead(v: unknown): boolean {
  if (Array.isArray(v)) return v.every(keysRead);
  if (v === null || typeof v !== 'object') return true;
  for (const [key, value] of Object.entries(v)) if (NULL_KEY.test(key) || key.length > 1024 || !keysRead(value)) return false;
  return true;
}

