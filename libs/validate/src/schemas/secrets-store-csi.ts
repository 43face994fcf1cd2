/**
 * Secrets Store CSI driver schema (secrets-store.csi.x-k8s.io/v1 SecretProviderClass), written for
 * the fields this repository uses. No `@kubernetes-models/*` package exists for it.
 *
 * Upstream: github.com/kubernetes-sigs/secrets-store-csi-driver,
 * config/crd/bases/secrets-store.csi.x-k8s.io_secretproviderclasses.yaml.
 * test/schemas-upstream.test.ts checks this against the upstream CRD.
 *
 * Stricter than upstream on purpose: `provider` is required (the driver cannot mount without it),
 * and secretObjects entries need secretName, type and data (what the sync controller needs).
 */
import type { OpenAPISchema } from '../schema/openapi';

const str: OpenAPISchema = { type: 'string' };
const strMap: OpenAPISchema = { type: 'object', additionalProperties: str };

export const secretProviderClassSpec: OpenAPISchema = {
  type: 'object',
  required: ['provider'],
  properties: {
    provider: { type: 'string', minLength: 1 },
    parameters: strMap,
    secretObjects: {
      type: 'array',
      items: {
        type: 'object',
        required: ['secretName', 'type', 'data'],
        properties: {
          annotations: strMap,
          labels: strMap,
          secretName: str,
          type: str,
          data: {
            type: 'array',
            items: { type: 'object', required: ['key', 'objectName'], properties: { key: str, objectName: str } },
          },
        },
      },
    },
  },
};

export const SECRETS_STORE_SCHEMAS = {
  'secrets-store.csi.x-k8s.io/v1/SecretProviderClass': {
    spec: secretProviderClassSpec,
    specRequired: true,
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } as OpenAPISchema,
  },
};
