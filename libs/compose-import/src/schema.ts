/**
 * Validation against the Compose Specification's own JSON schema (vendored unmodified in
 * third_party/compose-spec/, see third_party/README.md), with Ajv. Errors name the file, the
 * service (or top-level section) and the field.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';

export const COMPOSE_SCHEMA_FILE = fileURLToPath(new URL('../../../third_party/compose-spec/compose-spec.json', import.meta.url));

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  if (!validator) {
    const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as unknown as typeof AjvModule;
    // strict: false — the upstream schema uses keywords Ajv's strict mode rejects (e.g. "deprecated").
    const ajv = new (Ajv as unknown as new (o: object) => { compile(s: unknown): ValidateFunction })({ allErrors: true, strict: false });
    // The file names its draft as "https://json-schema.org/draft-07/schema" (https, no "#"), an id Ajv
    // does not know; Ajv's default draft is draft-07, so the declaration is dropped, not the file edited.
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync(COMPOSE_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
    validator = ajv.compile(schema);
  }
  return validator;
}

/** "services.web.ports[0]" style location of a JSON pointer. */
export function describePointer(pointer: string): { service?: string; field: string } {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let service: string | undefined;
  let rest = parts;
  if (parts[0] === 'services' && parts.length > 1) {
    service = parts[1];
    rest = parts.slice(2);
  }
  const field = rest.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
  return { service, field: field || (service ? '(service)' : '(top level)') };
}

function message(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return `unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'enum') return `${e.message} (${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
  return e.message ?? e.keyword;
}

/** Problems of one (interpolated) compose document, as "file: service "x", field "y": message" lines. */
export function schemaProblems(doc: unknown, file: string): string[] {
  const validate = compiled();
  if (validate(doc)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  // The deepest errors say the most; one line per location and message.
  const lines = new Set<string>();
  for (const e of errors) {
    const extra = e.keyword === 'additionalProperties' ? `/${(e.params as { additionalProperty: string }).additionalProperty}` : '';
    const { service, field } = describePointer(e.instancePath + extra);
    lines.add(`${file}: ${service ? `service "${service}", ` : ''}field "${field}": ${message(e)}`);
  }
  return [...lines];
}
