/**
 * The repository's own schemas (src/schemas: Velero, Secrets Store CSI) against the upstream CRDs
 * vendored in third_party/crds (see third_party/README.md for each file's source, version and licence).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validateOpenAPI, type OpenAPISchema } from '../src/schema/openapi';
import { SECRETS_STORE_SCHEMAS } from '../src/schemas/secrets-store-csi';
import { VELERO_SCHEMAS } from '../src/schemas/velero';
import { CORPUS, loadDir, TEST_DIR } from './helpers';

const CRDS = resolve(TEST_DIR, '../../../third_party/crds');

const CASES: Array<{ id: string; file: string; spec: OpenAPISchema }> = [
  { id: 'velero.io/v1/Schedule', file: 'velero.io_schedules.yaml', spec: VELERO_SCHEMAS['velero.io/v1/Schedule'].spec },
  { id: 'velero.io/v1/Backup', file: 'velero.io_backups.yaml', spec: VELERO_SCHEMAS['velero.io/v1/Backup'].spec },
  { id: 'velero.io/v1/BackupStorageLocation', file: 'velero.io_backupstoragelocations.yaml', spec: VELERO_SCHEMAS['velero.io/v1/BackupStorageLocation'].spec },
  {
    id: 'secrets-store.csi.x-k8s.io/v1/SecretProviderClass',
    file: 'secrets-store.csi.x-k8s.io_secretproviderclasses.yaml',
    spec: SECRETS_STORE_SCHEMAS['secrets-store.csi.x-k8s.io/v1/SecretProviderClass'].spec,
  },
];

/** Upstream fields the repository schema leaves out on purpose (rejected as unknown until needed). */
const OMITTED: Record<string, string[]> = {};

function upstreamSpec(file: string, id: string): OpenAPISchema {
  const crd = parse(readFileSync(join(CRDS, file), 'utf8'));
  const version = id.split('/')[1];
  expect(`${crd.spec.group}/${version}/${crd.spec.names.kind}`).toBe(id);
  const v = crd.spec.versions.find((x: any) => x.name === version);
  expect(v?.served, `${id} is served upstream`).toBe(true);
  return v.schema.openAPIV3Schema.properties.spec;
}

const typeOf = (s: OpenAPISchema) => (s['x-kubernetes-int-or-string'] ? 'int-or-string' : s.type ?? 'any');

/** Differences that make the repository schema wrong (not merely narrower), and upstream fields it does not model. */
function compare(mine: OpenAPISchema, up: OpenAPISchema, path: string, problems: string[], missing: string[]): void {
  if (mine['x-kubernetes-preserve-unknown-fields'] && !mine.properties) return;
  if (typeOf(mine) !== typeOf(up)) problems.push(`${path}: type ${typeOf(mine)} upstream ${typeOf(up)}`);
  if (mine.enum) {
    const extra = mine.enum.filter((v) => !(up.enum ?? mine.enum!).includes(v));
    if (extra.length) problems.push(`${path}: enum values not upstream: ${extra.join(', ')}`);
  }
  if (mine.format && mine.format !== up.format) problems.push(`${path}: format ${mine.format} upstream ${up.format}`);
  if (mine.properties) {
    for (const r of up.required ?? []) if (!(mine.required ?? []).includes(r)) problems.push(`${path}: upstream requires ${r}`);
    for (const [k, s] of Object.entries(mine.properties)) {
      const u = up.properties?.[k];
      if (!u) problems.push(`${path}.${k}: not an upstream field`);
      else compare(s, u, `${path}.${k}`, problems, missing);
    }
    for (const k of Object.keys(up.properties ?? {})) if (!mine.properties[k]) missing.push(`${path}.${k}`);
  }
  if (typeof mine.additionalProperties === 'object') {
    if (typeof up.additionalProperties !== 'object') problems.push(`${path}: map upstream is not a map`);
    else compare(mine.additionalProperties, up.additionalProperties, `${path}.*`, problems, missing);
  }
  if (mine.items) {
    if (!up.items) problems.push(`${path}: array upstream is not an array`);
    else compare(mine.items, up.items, `${path}[]`, problems, missing);
  }
}

describe('repository schemas match the upstream CRDs', () => {
  it('finds the upstream CRDs', () => {
    expect(existsSync(CRDS), `${CRDS} (third_party/crds)`).toBe(true);
  });

  for (const c of CASES) {
    it(`${c.id}: every field, type, enum and required field agrees with upstream`, () => {
      const problems: string[] = [];
      const missing: string[] = [];
      compare(c.spec, upstreamSpec(c.file, c.id), 'spec', problems, missing);
      expect(problems).toEqual([]);
      expect(missing).toEqual(OMITTED[c.id] ?? []);
    });
  }

  it('samples get the same verdict from the repository schema and the upstream schema', () => {
    const samples = loadDir(join(CORPUS, 'clean')).filter((o) => CASES.some((c) => c.id === `${o.object.apiVersion}/${o.object.kind}`));
    expect(samples.length).toBeGreaterThanOrEqual(4);
    const broken = [
      { apiVersion: 'velero.io/v1', kind: 'Schedule', spec: { schedule: '@daily', template: { includeNamespaces: ['x'] } } },
      { apiVersion: 'velero.io/v1', kind: 'Schedule', spec: { template: {} } },
      { apiVersion: 'velero.io/v1', kind: 'Backup', spec: { ttl: 720 } },
      { apiVersion: 'velero.io/v1', kind: 'BackupStorageLocation', spec: { provider: 'aws', objectStorage: { prefix: 'p' } } },
      { apiVersion: 'velero.io/v1', kind: 'BackupStorageLocation', spec: { provider: 'aws', accessMode: 'Write', objectStorage: { bucket: 'b' } } },
      { apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', spec: { provider: 'azure', parameters: { a: 1 } } },
      { apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', spec: { provider: 'azure', secretObject: [] } },
    ];
    for (const o of [...samples.map((s) => s.object), ...broken]) {
      const c = CASES.find((x) => x.id === `${o.apiVersion}/${o.kind}`)!;
      const mine = validateOpenAPI(c.spec, o.spec, 'spec').map((i) => i.path);
      const upstream = validateOpenAPI(upstreamSpec(c.file, c.id), o.spec, 'spec').map((i) => i.path);
      expect(mine, JSON.stringify(o.spec)).toEqual(upstream);
    }
  });
});
