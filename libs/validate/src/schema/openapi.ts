/**
 * A small, strict validator for the structural OpenAPI v3 subset that CRDs use. It validates the
 * schemas this repository writes itself (kinds without an `@kubernetes-models/*` package), and the
 * tests use it to run the same samples through the upstream CRD schemas.
 *
 * Strictness: an object schema with `properties` and without `additionalProperties` rejects unknown
 * keys, unless it sets `x-kubernetes-preserve-unknown-fields: true`.
 */
import { join } from '../paths';
import type { SchemaIssue } from './strict';

export interface OpenAPISchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, OpenAPISchema>;
  required?: string[];
  additionalProperties?: OpenAPISchema | boolean;
  items?: OpenAPISchema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  minItems?: number;
  nullable?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  [extension: string]: unknown;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const patterns = new Map<string, RegExp>();
function regex(p: string): RegExp {
  let r = patterns.get(p);
  if (!r) patterns.set(p, (r = new RegExp(p, 'u')));
  return r;
}

export function validateOpenAPI(schema: OpenAPISchema, value: unknown, path = '', out: SchemaIssue[] = []): SchemaIssue[] {
  const actual = typeOf(value);
  if (value === null) {
    if (!schema.nullable && schema.type) out.push({ rule: 'schema-invalid', path, message: `must be ${schema.type}, got null` });
    return out;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (actual !== 'integer' && actual !== 'string') out.push({ rule: 'schema-invalid', path, message: `must be integer or string, got ${actual}` });
    return out;
  }
  if (schema.type) {
    const ok = schema.type === actual || (schema.type === 'number' && actual === 'integer');
    if (!ok) {
      out.push({ rule: 'schema-invalid', path, message: `must be ${schema.type}, got ${actual}` });
      return out;
    }
  }
  if (schema.enum && !schema.enum.includes(value)) {
    out.push({ rule: 'schema-invalid', path, message: `must be one of: ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}` });
  }
  if (typeof value === 'string') {
    if (schema.pattern && !regex(schema.pattern).test(value)) out.push({ rule: 'schema-invalid', path, message: `must match pattern ${schema.pattern}` });
    if (schema.minLength !== undefined && value.length < schema.minLength) out.push({ rule: 'schema-invalid', path, message: `must have at least ${schema.minLength} characters` });
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) out.push({ rule: 'schema-invalid', path, message: `must be >= ${schema.minimum}` });
    if (schema.maximum !== undefined && value > schema.maximum) out.push({ rule: 'schema-invalid', path, message: `must be <= ${schema.maximum}` });
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) out.push({ rule: 'schema-invalid', path, message: `must have at least ${schema.minItems} items` });
    if (schema.items) value.forEach((v, i) => validateOpenAPI(schema.items as OpenAPISchema, v, join(path, i), out));
    return out;
  }
  if (actual === 'object') {
    const obj = value as Record<string, unknown>;
    for (const req of schema.required ?? []) {
      if (obj[req] === undefined) out.push({ rule: 'schema-invalid', path: join(path, req), message: `required field "${req}" is missing` });
    }
    const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
    for (const [key, child] of Object.entries(obj)) {
      const childPath = join(path, key);
      const prop = schema.properties?.[key];
      if (prop) {
        validateOpenAPI(prop, child, childPath, out);
      } else if (typeof schema.additionalProperties === 'object') {
        validateOpenAPI(schema.additionalProperties, child, childPath, out);
      } else if (schema.additionalProperties === true || preserve) {
        // free-form
      } else if (schema.additionalProperties === false || schema.properties) {
        out.push({ rule: 'schema-unknown-field', path: childPath, message: `unknown field "${key}"` });
      }
    }
  }
  return out;
}
