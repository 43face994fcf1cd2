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
