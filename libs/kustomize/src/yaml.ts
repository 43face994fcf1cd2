import { stringify } from 'yaml';
import { emitPlainYaml, type YamlOptions } from './yaml-emit';
import { loadYamlDocuments } from '@gitops/yaml-read';

export const YAML_OPTIONS: YamlOptions = { version: '1.1', indent: 2, lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false, singleQuote: false };

/**
 * Deterministic YAML: 2-space indent, no line folding, plain keys, trailing newline. Plain data goes
 * through the fast emitter (yaml-emit.ts, byte-identical to `yaml.stringify`), the rest through `yaml`.
 */
export function toYaml(value: unknown): string {
  // version 1.1: strings such as `on`, `yes`, `y`, `0755` or dates are quoted, because Go's YAML 1.1 readers
  // (kubectl, Argo CD, sigs.k8s.io/yaml) would read them unquoted as booleans, octal numbers or timestamps:
  // the API server then rejects `value: on` in an env var (found by applying to a real kube-apiserver).
  return emitPlainYaml(value, YAML_OPTIONS) ?? stringify(value, YAML_OPTIONS);
}

/** Several objects as one multi-document file. */
export function toYamlDocuments(values: unknown[], header?: string): string {
  const body = values.map((v) => toYaml(v)).join('---\n');
  return header ? `${header}${body}` : body;
}

/**
 * Parse a multi-document YAML stream (machine-written: kustomize output), failing on the first
 * syntax error with its position. js-yaml with `yaml`'s 1.2 core schema: same objects, ~9× faster.
 */
export function parseYamlDocuments(text: string, source: string): unknown[] {
  return loadYamlDocuments(text, source);
}
