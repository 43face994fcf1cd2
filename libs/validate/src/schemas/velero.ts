/**
 * Velero schemas (velero.io/v1 Schedule, Backup, BackupStorageLocation), written for the fields
 * this repository uses. No `@kubernetes-models/*` package exists for Velero.
 *
 * Upstream: github.com/vmware-tanzu/velero, config/crd/v1/bases/velero.io_{schedules,backups,backupstoragelocations}.yaml
 * (tag v1.18.1). test/schemas-upstream.test.ts checks these against the upstream CRDs.
 *
 * Deliberate differences: `status` is accepted as a free-form object (rendered manifests carry
 * none); hook `exec` and `labelSelector` are typed as upstream. Fields not modelled here are
 * rejected as unknown, which is stricter than upstream; add them here when a platform needs them.
 */
import type { OpenAPISchema } from '../schema/openapi';

const str: OpenAPISchema = { type: 'string' };
const bool: OpenAPISchema = { type: 'boolean' };
const strList: OpenAPISchema = { type: 'array', items: str };
const strMap: OpenAPISchema = { type: 'object', additionalProperties: str };
const freeStatus: OpenAPISchema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

export const labelSelector: OpenAPISchema = {
  type: 'object',
  properties: {
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'operator'],
        properties: { key: str, operator: str, values: strList },
      },
    },
    matchLabels: strMap,
  },
};

const hookExec: OpenAPISchema = {
  type: 'object',
  required: ['exec'],
  properties: {
    exec: {
      type: 'object',
      required: ['command'],
      properties: {
        command: { type: 'array', items: str, minItems: 1 },
        container: str,
        onError: { type: 'string', enum: ['Continue', 'Fail'] },
        timeout: str,
      },
    },
  },
};

/** velero BackupSpec: Backup.spec and Schedule.spec.template. */
export const backupSpec: OpenAPISchema = {
  type: 'object',
  properties: {
    csiSnapshotTimeout: str,
    datamover: str,
    defaultVolumesToFsBackup: bool,
    defaultVolumesToRestic: bool,
    excludedClusterScopedResources: strList,
    excludedNamespaceScopedResources: strList,
    excludedNamespaces: strList,
    excludedResources: strList,
    hooks: {
      type: 'object',
      properties: {
        resources: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            properties: {
              name: str,
              includedNamespaces: strList,
              excludedNamespaces: strList,
              includedResources: strList,
              excludedResources: strList,
              labelSelector,
              pre: { type: 'array', items: hookExec },
              post: { type: 'array', items: hookExec },
            },
          },
        },
      },
    },
    includeClusterResources: bool,
    includedClusterScopedResources: strList,
    includedNamespaceScopedResources: strList,
    includedNamespaces: strList,
    includedResources: strList,
    itemOperationTimeout: str,
    labelSelector,
    metadata: { type: 'object', properties: { labels: strMap } },
    orLabelSelectors: { type: 'array', items: labelSelector },
    orderedResources: strMap,
    resourcePolicy: { type: 'object', required: ['kind', 'name'], properties: { apiGroup: str, kind: str, name: str } },
    snapshotMoveData: bool,
    snapshotVolumes: bool,
    storageLocation: str,
    ttl: str,
    uploaderConfig: { type: 'object', properties: { parallelFilesUpload: { type: 'integer' } } },
    volumeGroupSnapshotLabelKey: str,
    volumeSnapshotLocations: strList,
  },
};

export const scheduleSpec: OpenAPISchema = {
  type: 'object',
  required: ['schedule', 'template'],
  properties: {
    paused: bool,
    schedule: str,
    skipImmediately: bool,
    template: backupSpec,
    useOwnerReferencesInBackup: bool,
  },
};

const secretKeyRef: OpenAPISchema = { type: 'object', required: ['key'], properties: { key: str, name: str, optional: bool } };

export const backupStorageLocationSpec: OpenAPISchema = {
  type: 'object',
  required: ['objectStorage', 'provider'],
  properties: {
    accessMode: { type: 'string', enum: ['ReadOnly', 'ReadWrite'] },
    backupSyncPeriod: str,
    config: strMap,
    credential: secretKeyRef,
    default: bool,
    objectStorage: {
      type: 'object',
      required: ['bucket'],
      properties: { bucket: str, caCert: { type: 'string', format: 'byte' }, caCertRef: secretKeyRef, prefix: str },
    },
    provider: str,
    validationFrequency: str,
  },
};

export const VELERO_SCHEMAS: Record<string, { spec: OpenAPISchema; specRequired: boolean; status: OpenAPISchema }> = {
  'velero.io/v1/Schedule': { spec: scheduleSpec, specRequired: true, status: freeStatus },
  'velero.io/v1/Backup': { spec: backupSpec, specRequired: false, status: freeStatus },
  'velero.io/v1/BackupStorageLocation': { spec: backupStorageLocationSpec, specRequired: true, status: freeStatus },
};
