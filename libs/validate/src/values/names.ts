/** Kubernetes name formats (apimachinery's validation), the one home for their patterns. */

/** RFC 1123 label: Service, Namespace and port names (at most 63 characters; port names 15). */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: most object names and label-key prefixes (at most 253 characters). */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const isDns1123Label = (name: string, max = 63): boolean => name.length <= max && DNS1123_LABEL.test(name);
export const isDns1123Subdomain = (name: string): boolean => name.length <= 253 && DNS1123_SUBDOMAIN.test(name);

/**
 * Kinds that are not namespaced: the built-in ones and the common custom ones a platform's `objects`
 * escape hatch may emit. Used for namespacing (core), shared-object checks (validate) and the
 * AppProject cluster-resource whitelist (argocd).
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'APIService', 'CertificateSigningRequest', 'ClusterExternalSecret', 'ClusterIssuer', 'ClusterRole', 'ClusterRoleBinding',
  'ClusterSecretStore', 'CSIDriver', 'CSINode', 'CustomResourceDefinition', 'FlowSchema', 'GatewayClass', 'IngressClass',
  'MutatingWebhookConfiguration', 'Namespace', 'Node', 'PersistentVolume', 'PriorityClass', 'PriorityLevelConfiguration',
  'RuntimeClass', 'StorageClass', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration', 'VolumeAttachment', 'VolumeSnapshotClass',
]);
