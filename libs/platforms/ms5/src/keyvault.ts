/**
 * Azure Key Vault through the Secrets Store CSI driver (seed), an optional Component
 * enabled in prod only (README decision 23).
 *
 * SOPS stays the source of every Secret the workloads reference. This Component mirrors each
 * declared Secret from `kv-ms5-prod-uksouth` into a twin named `<secret>-kv` (same keys), so the
 * cut-over the seed plans ("03-secrets.yaml (temporary)") is a one-line change of the names the
 * components reference, reviewable and revertible, with both sources live in between. The CSI
 * driver only syncs `secretObjects` while some pod mounts the volume, hence `keyvault-sync`: two
 * tiny pods that hold the mount (and pick up rotations every poll interval of the driver).
 *
 * Identity: AKS workload identity (federated credential for system:serviceaccount:ms5-prod:
 * keyvault-sync on a user-assigned managed identity with "Key Vault Secrets User").
 * Fields checked against the upstream CRD (spec.provider, spec.parameters, spec.secretObjects).
 */
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { toYamlText, restrictedContainer, type CompileContext, type EnvName, type FeatureSpec, type KubeObject, type SecretDecl, type TypedObject } from '@gitops/core';
import { IMAGES, PLATFORM_LABELS, PULL_SECRET } from './constants';
import { placement } from './node-pools';
import { secretDecls } from './secrets';
import { UID, podSecurity } from './security';
import { helperResources } from './sizing';

export const KEYVAULT = {
  name: 'kv-ms5-prod-uksouth',
  /** Deploy inputs (README): the tenant of the vault and the client ID of the managed identity. */
  tenantId: 'REPLACE-WITH-AZURE-TENANT-ID',
  clientId: 'REPLACE-WITH-KEYVAULT-IDENTITY-CLIENT-ID',
} as const;

export const SPC_NAME = 'ms5-keyvault';
export const SYNC_NAME = 'keyvault-sync';
export const KEYVAULT_ENVS: EnvName[] = ['prod'];
export const SYNC_REPLICAS = 2;
export const SYNC_RESOURCES = helperResources('50m', '10m', '32Mi');
const MOUNT = '/mnt/secrets-store';

/** Key Vault object name of a Secret key: `ms5-<secret>-<key>` lower-case, [0-9a-zA-Z-] only. */
export function vaultObjectName(secret: string, key: string): string {
  return `ms5-${secret}-${key}`.toLowerCase().replace(/[^0-9a-z-]+/g, '-').replace(/-+/g, '-').replace(/-$/, '');
}

export function secretProviderClass(decls: SecretDecl[] = secretDecls): KubeObject {
  const objects = decls.flatMap((d) => d.keys.map((k) => ({ objectName: vaultObjectName(d.name, k.name), objectType: 'secret' })));
  return {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    metadata: { name: SPC_NAME, labels: { ...PLATFORM_LABELS } },
    spec: {
      provider: 'azure',
      parameters: {
        usePodIdentity: 'false',
        clientID: KEYVAULT.clientId,
        keyvaultName: KEYVAULT.name,
        tenantId: KEYVAULT.tenantId,
        cloudName: 'AzurePublicCloud',
        // The provider expects a YAML document with an `array` of YAML strings.
        objects: toYamlText({ array: objects.map((o) => toYamlText(o)) }),
      },
      secretObjects: decls.map((d) => ({
        secretName: `${d.name}-kv`,
        type: d.type ?? 'Opaque',
        labels: { 'app.kubernetes.io/part-of': 'ms5', 'ms5.io/source': 'azure-key-vault' },
        data: d.keys.map((k) => ({ objectName: vaultObjectName(d.name, k.name), key: k.name })),
      })),
    },
  };
}

function syncObjects(ctx: CompileContext): TypedObject[] {
  const selector = { 'app.kubernetes.io/name': SYNC_NAME };
  const labels = { ...selector, ...PLATFORM_LABELS };
  const alive = { exec: { command: ['test', '-d', MOUNT] }, periodSeconds: 60, timeoutSeconds: 5, failureThreshold: 3 };
  const sa = new ServiceAccount({
    metadata: { name: SYNC_NAME, labels, annotations: { 'azure.workload.identity/client-id': KEYVAULT.clientId } },
    automountServiceAccountToken: false,
  });
  const deployment = new Deployment({
    metadata: { name: SYNC_NAME, labels },
    spec: {
      replicas: SYNC_REPLICAS,
      selector: { matchLabels: selector },
      template: {
        // The workload-identity webhook injects the projected token for pods with this label.
        metadata: { labels: { ...labels, 'azure.workload.identity/use': 'true' } },
        spec: {
          serviceAccountName: SYNC_NAME,
          imagePullSecrets: [{ name: PULL_SECRET }],
          securityContext: podSecurity(UID.busybox) as never,
          ...placement('compute', ctx.env.name as EnvName),
          containers: [
            {
              name: 'sync',
              image: ctx.image(IMAGES.busybox),
              command: ['sh', '-c', 'while true; do sleep 3600; done'],
              resources: SYNC_RESOURCES as never,
              securityContext: restrictedContainer() as never,
              livenessProbe: alive,
              readinessProbe: alive,
              volumeMounts: [{ name: 'secrets-store', mountPath: MOUNT, readOnly: true }],
            },
          ],
          volumes: [{ name: 'secrets-store', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: SPC_NAME } } }],
        },
      },
    },
  });
  const pdb = new PodDisruptionBudget({ metadata: { name: SYNC_NAME, labels }, spec: { minAvailable: 1, selector: { matchLabels: selector } } });
  return [sa, deployment, pdb];
}

export const keyVaultFeature: FeatureSpec = {
  name: 'azure-keyvault',
  description: 'Azure Key Vault kv-ms5-prod-uksouth mirrored into <secret>-kv Secrets by the Secrets Store CSI driver',
  enabledIn: KEYVAULT_ENVS,
  objects: (ctx) => [secretProviderClass(), ...syncObjects(ctx)],
};
