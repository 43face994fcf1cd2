import type { PolicyLevel, RuleInfo, Severity } from './types';

const ALL: Partial<Record<PolicyLevel, Severity>> = { restricted: 'error', baseline: 'error', privileged: 'error', none: 'error' };
const ALL_WARN: Partial<Record<PolicyLevel, Severity>> = { restricted: 'warning', baseline: 'warning', privileged: 'warning', none: 'warning' };
const WORKLOADS = 'pod templates of Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob and Pod';

type Def = Omit<RuleInfo, 'severity' | 'suppressible'> & { suppressible?: boolean };

const defs: Def[] = [
  // ---- schema ----------------------------------------------------------------------------------
  {
    id: 'schema-unknown-kind',
    description: 'No schema is known for the apiVersion/kind.',
    rationale: 'kubeconform -strict rejects objects it cannot check; an unknown kind is usually a typo, a removed API version or a CRD nobody validates.',
    appliesTo: 'every object, every level',
    levels: ALL,
    suppressible: false,
  },
  {
    id: 'schema-invalid',
    description: 'The object does not match its schema (type, required field, enum, format).',
    rationale: 'The API server (or the CRD structural schema) would reject it at sync time.',
    appliesTo: 'every object, every level',
    levels: ALL,
    suppressible: false,
  },
  {
    id: 'schema-unknown-field',
    description: 'A field that the schema does not declare (typo such as `replica:` or `containerport:`).',
    rationale: 'kubeconform -strict and server-side field validation reject unknown fields; client-side they are silently dropped, so the intent is lost.',
    appliesTo: 'every object, every level',
    levels: ALL,
    suppressible: false,
  },
  {
    id: 'schema-cel',
    description: 'A custom resource breaks a CEL validation rule (`x-kubernetes-validations`) of its upstream CRD (third_party/), e.g. an Istio PeerAuthentication with portLevelMtls but no selector.',
    rationale: 'The API server rejects it with the rule\'s message; the typed models check the OpenAPI schema only. Found by planting the fault against the real kube-apiserver (libs/cluster).',
    appliesTo: 'custom resources whose vendored CRD has CEL rules (Istio, cert-manager, Traefik, Argo CD); every level',
    levels: ALL,
    suppressible: false,
  },
  {
    id: 'schema-identity',
    description: 'apiVersion, kind or metadata.name is missing.',
    rationale: 'An object without identity cannot be applied or referenced.',
    appliesTo: 'every object, every level',
    levels: ALL,
    suppressible: false,
  },
  {
    id: 'schema-build-artifact',
    description: 'A Kustomize build input (Kustomization, Component, KSOPS generator `viaduct.ai/v1 ksops`) appears in rendered output.',
    rationale: 'These kinds are consumed by `kustomize build`; in rendered output they mean a broken render or a misplaced file.',
    appliesTo: 'every object, every level',
    levels: ALL,
    suppressible: false,
  },
  {
    id: 'object-duplicate',
    description: 'Two rendered objects have the same group, kind, namespace and name.',
    rationale: 'One silently overwrites the other at apply time (Argo CD reports a shared resource).',
    appliesTo: 'every object, every level',
    levels: ALL,
    suppressible: false,
  },
  // ---- what the API server or the scheduler rejects (src/api.ts, src/cross.ts) --------------------
  {
    id: 'api-object-name',
    description: 'metadata.name (or metadata.namespace) breaks the naming rule of its kind: lowercase DNS-1123 subdomain for most kinds, DNS-1123 label for Namespaces and Services, path segment for RBAC objects, at most 52 characters for CronJobs.',
    rationale: 'The API server rejects the object (`a lowercase RFC 1123 subdomain must consist of…`); uppercase names are the usual cause.',
    appliesTo: 'every object, every level',
    levels: ALL,
    suppressible: false,
  },
  {
    id: 'api-label',
    description: 'A label key or value is invalid: values at most 63 characters of letters, digits, `-`, `_`, `.`, starting and ending alphanumeric (or empty); keys an optional DNS-subdomain prefix and such a name.',
    rationale: 'The API server rejects the object; checked on metadata.labels, pod template labels, `spec.selector.matchLabels` and Service selectors.',
    appliesTo: 'every object, every level',
    levels: ALL,
    suppressible: false,
  },
  {
    id: 'api-cron-schedule',
    description: 'A CronJob schedule is not what kube-apiserver accepts: five fields with the ranges of robfig/cron `ParseStandard` (minute 0-59, hour 0-23, day 1-31, month 1-12 or jan-dec, weekday 0-6 or sun-sat) or a descriptor (@yearly … @hourly, `@every <duration>`); `TZ=`/`CRON_TZ=` in the schedule; a timeZone that is not an IANA zone.',
    rationale: 'The API server rejects the CronJob (`61 * * * *`, a six-field schedule with seconds, `7` for Sunday).',
    appliesTo: 'CronJob; every level',
    levels: ALL,
    suppressible: false,
  },
  {
    id: 'api-port-name',
    description: 'A port name is invalid or repeated: container port names are IANA service names (at most 15 lowercase letters, digits, inner hyphens, one letter at least) unique within the container; Service port names are DNS-1123 labels, unique, and required on every port when there are several.',
    rationale: 'The API server rejects the object (`spec.template.spec.containers[0].ports[1].name: Duplicate value`); schemas cannot express uniqueness. Found by planting the fault against the real kube-apiserver (libs/cluster).',
    appliesTo: 'Service and ' + WORKLOADS + '; every level',
    levels: ALL,
    suppressible: false,
  },
  {
    id: 'api-replicas',
    description: 'A Deployment, StatefulSet or ReplicaSet has negative replicas, or a HorizontalPodAutoscaler has minReplicas below 1 or maxReplicas below minReplicas.',
    rationale: 'The API server rejects it (`must be greater than or equal to 0`), at every level: policy checks such as ha-replicas only look at prod Deployments.',
    appliesTo: 'Deployment, StatefulSet, ReplicaSet, HorizontalPodAutoscaler; every level',
    levels: ALL,
    suppressible: false,
  },
  {
    id: 'api-env-name',
    description: "An env var name is empty, contains '=' or a character outside printable ASCII.",
    rationale: 'kube-apiserver 1.34+ (KEP-4369, the version this repository targets: 1.36) accepts any other printable ASCII name and rejects these; older servers were stricter (see env-name-portable).',
    appliesTo: WORKLOADS,
    levels: ALL,
    suppressible: false,
  },
  {
    id: 'env-name-portable',
    description: "An env var name is accepted by kube-apiserver 1.34+ but is not `[-._a-zA-Z][-._a-zA-Z0-9]*` (e.g. `1BAD`, `MY VAR`).",
    rationale: 'API servers before 1.32 (or with RelaxedEnvironmentVariableValidation off) reject it, and a shell in the container cannot read it (`$1BAD` is `$1` followed by BAD).',
    appliesTo: WORKLOADS,
    levels: ALL_WARN,
  },
  {
    id: 'env-literal-secret',
    description: 'An env var whose name ends in a credential word (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, ACCESS_KEY, CREDENTIALS, …; not `DB_PASSWORD_FILE` or `TOKEN_TTL`) has a literal `value` (a pure `$(VAR)` reference is fine). The message never repeats the value.',
    rationale: 'The credential is then in Git in plaintext and readable by everyone who can read the Deployment; take it from a SOPS-encrypted Secret with valueFrom.secretKeyRef.',
    appliesTo: WORKLOADS,
    levels: ALL,
  },
  {
    id: 'res-limit-below-request',
    description: 'A container limit is lower than its request for the same resource (quantities compared by value: 500m < 1, 512Mi < 1Gi).',
    rationale: 'The API server rejects the pod template (`must be less than or equal to cpu limit`).',
    appliesTo: WORKLOADS,
    levels: ALL,
    suppressible: false,
  },
  {
    id: 'api-port-range',
    description: 'A containerPort, Service port or numeric targetPort is outside 1-65535, or a hostPort/nodePort outside 0-65535.',
    rationale: 'The API server rejects the object (`must be between 1 and 65535, inclusive`).',
    appliesTo: 'pod templates and Services; every level',
    levels: ALL,
    suppressible: false,
  },
  {
    id: 'pvc-storage-class',
    description: 'A PersistentVolumeClaim or StatefulSet volumeClaimTemplate names a storage class the environment does not define (`libs/environments`: storageClasses).',
    rationale: 'No provisioner answers: the claim and every pod mounting it stay Pending.',
    appliesTo: 'PersistentVolumeClaim, StatefulSet volumeClaimTemplates; every level, when the environment is known',
    levels: ALL,
  },
  {
    id: 'argocd-app-path',
    description: 'An Argo CD Application (source or sources[]) pulling from this repository names a path that does not exist in it.',
    rationale: 'Argo CD reports ComparisonError (`app path does not exist`) and syncs nothing.',
    appliesTo: 'Application with the repository URL of libs/argocd; every level, when the repository is known',
    levels: ALL,
    suppressible: false,
  },
  {
    id: 'object-shared',
    description: 'The same object (group, kind, namespace, name; cluster-scoped kinds such as PriorityClass, ClusterRole, StorageClass, or namespaced objects with an explicit namespace) is emitted by two platforms or apps in one environment.',
    rationale: 'Two Argo CD Applications then own one object: each sync overwrites the other and prune of one deletes it from under the other (SharedResourceWarning).',
    appliesTo: 'every overlay of an environment together (`gitops validate` without platform names)',
    levels: ALL,
    suppressible: false,
  },
  {
    id: 'namespace-foreign',
    description: "A Namespace or namespaced object is in a namespace that is not the platform's: one of a cluster add-on (the shared monitoring stack's `monitoring`), or one another platform creates in the same environment.",
    rationale: "Every Application of an environment targets one cluster: the add-on's or the other platform's NetworkPolicies, Istio policies and Prometheus selectors would trust this platform's pods, and its prune would delete what the owner deployed.",
    appliesTo: 'every overlay of an environment together (`gitops validate`; add-on namespaces with platform names too)',
    levels: ALL,
    suppressible: false,
  },
  // ---- references ------------------------------------------------------------------------------
  {
    id: 'ref-workload-selector',
    description: 'A workload selector does not match the labels of its own pod template.',
    rationale: 'The API server rejects `selector does not match template labels`.',
    appliesTo: 'Deployment, StatefulSet, DaemonSet, ReplicaSet; every level',
    levels: ALL,
  },
  {
    id: 'ref-service-selector',
    description: 'A Service selector matches the labels of no rendered pod template.',
    rationale: 'The Service has no endpoints: traffic goes nowhere (kube-linter dangling-service).',
    appliesTo: 'Service with a selector; every level',
    levels: ALL,
  },
  {
    id: 'ref-service-target-port',
    description: 'A Service targetPort (number or name; defaults to port) is not a containerPort of the selected pods.',
    rationale: 'A named targetPort that no container declares never resolves; a wrong number sends traffic to a closed port.',
    appliesTo: 'Service with a selector; every level',
    levels: ALL,
  },
  {
    id: 'ref-ingress-backend-service',
    description: 'An Ingress backend names a Service that is not rendered in the namespace.',
    rationale: 'The ingress controller answers 503 for the route.',
    appliesTo: 'Ingress (networking.k8s.io/v1); every level',
    levels: ALL,
  },
  {
    id: 'ref-ingress-backend-port',
    description: 'An Ingress backend port (number or name) is not a port of the Service.',
    rationale: 'The ingress controller has no endpoint for that port.',
    appliesTo: 'Ingress (networking.k8s.io/v1); every level',
    levels: ALL,
  },
  {
    id: 'ref-ingress-tls-secret',
    description: 'An Ingress TLS secretName is neither rendered, declared, produced by a cert-manager Certificate, nor requested through a cert-manager annotation.',
    rationale: 'The controller falls back to its default certificate.',
    appliesTo: 'Ingress; every level (warning)',
    levels: ALL_WARN,
  },
  {
    id: 'ref-configmap',
    description: 'A ConfigMap referenced by env, envFrom or a volume (configMap, projected) does not exist.',
    rationale: 'The pod stays in CreateContainerConfigError / ContainerCreating. `optional: true` references are skipped.',
    appliesTo: `${WORKLOADS}; every level`,
    levels: ALL,
  },
  {
    id: 'ref-configmap-key',
    description: 'A key named by configMapKeyRef or volume items is not in the ConfigMap data/binaryData.',
    rationale: 'The container fails to start (couldn\'t find key). `optional: true` references are skipped.',
    appliesTo: `${WORKLOADS}; every level`,
    levels: ALL,
  },
  {
    id: 'ref-secret',
    description: 'A Secret referenced by env, envFrom or a volume (secret, projected) is neither rendered nor declared.',
    rationale: 'The pod never starts. Declared secrets (`declaredSecrets`), Secrets synced by a SecretProviderClass and Secrets issued by a cert-manager Certificate count as existing.',
    appliesTo: `${WORKLOADS}; every level`,
    levels: ALL,
  },
  {
    id: 'ref-secret-key',
    description: 'A key named by secretKeyRef or volume items is not in the Secret (data/stringData, or the declared keys).',
    rationale: 'The container fails to start. SOPS keeps key names readable, so this is checkable without decryption.',
    appliesTo: `${WORKLOADS}; every level`,
    levels: ALL,
  },
  {
    id: 'ref-pvc',
    description: 'A persistentVolumeClaim volume names a PVC that is not rendered (volumeClaimTemplates count as PVCs).',
    rationale: 'The pod stays Pending.',
    appliesTo: `${WORKLOADS}; every level`,
    levels: ALL,
  },
  {
    id: 'ref-secret-provider-class',
    description: 'A Secrets Store CSI volume names a SecretProviderClass that is not rendered.',
    rationale: 'The CSI mount fails and the pod stays in ContainerCreating.',
    appliesTo: `${WORKLOADS}; every level`,
    levels: ALL,
  },
  {
    id: 'ref-volume-mount',
    description: 'A volumeMount names a volume that is neither in the pod volumes nor a StatefulSet volumeClaimTemplate.',
    rationale: 'The API server rejects the pod template.',
    appliesTo: `${WORKLOADS}; every level`,
    levels: ALL,
  },
  {
    id: 'ref-service-account',
    description: 'serviceAccountName names a ServiceAccount that is not rendered (`default` is implicit).',
    rationale: 'The ReplicaSet/Job controller cannot create pods (kube-linter non-existent-service-account).',
    appliesTo: `${WORKLOADS}; every level`,
    levels: ALL,
  },
  {
    id: 'ref-image-pull-secret',
    description: 'An imagePullSecrets entry names a Secret that is neither rendered nor declared.',
    rationale: 'Pulls from a private registry fail; the Secret is often created out of band (e.g. by a token refresher), hence a warning.',
    appliesTo: `${WORKLOADS}; every level (warning)`,
    levels: ALL_WARN,
  },
  {
    id: 'ref-probe-port',
    description: 'A probe (httpGet, tcpSocket, grpc) port is not a containerPort (number) or port name of its container.',
    rationale: 'A named port that does not exist is rejected; an undeclared number usually means the probe checks the wrong port (kube-linter liveness-port/readiness-port).',
    appliesTo: `${WORKLOADS}; every level`,
    levels: ALL,
  },
  {
    id: 'ref-hpa-target',
    description: 'A HorizontalPodAutoscaler scaleTargetRef does not name a rendered Deployment/StatefulSet/ReplicaSet of that apiVersion and kind.',
    rationale: 'The HPA reports FailedGetScale and never scales.',
    appliesTo: 'HorizontalPodAutoscaler; every level',
    levels: ALL,
  },
  {
    id: 'ref-pdb-selector',
    description: 'A PodDisruptionBudget selector selects no rendered pod template.',
    rationale: 'The budget protects nothing (kube-linter dangling-poddisruptionbudget).',
    appliesTo: 'PodDisruptionBudget; every level',
    levels: ALL,
  },
  {
    id: 'ref-networkpolicy-selector',
    description: 'A NetworkPolicy with a non-empty podSelector selects no rendered pod template.',
    rationale: 'A dangling policy usually means a label typo, leaving the intended pods unprotected (kube-linter dangling-networkpolicy).',
    appliesTo: 'NetworkPolicy; every level',
    levels: ALL,
  },
  {
    id: 'ref-role',
    description: 'A RoleBinding roleRef names a Role that is not rendered in its namespace.',
    rationale: 'The binding grants nothing; the workload gets 403s.',
    appliesTo: 'RoleBinding; every level',
    levels: ALL,
  },
  {
    id: 'ref-clusterrole',
    description: 'A RoleBinding/ClusterRoleBinding roleRef names a ClusterRole that is not rendered.',
    rationale: 'Built-in ClusterRoles (view, edit, admin, …) exist in every cluster and are not rendered, hence a warning.',
    appliesTo: 'RoleBinding, ClusterRoleBinding; every level (warning)',
    levels: ALL_WARN,
  },
  {
    id: 'ref-rolebinding-subject',
    description: 'A ServiceAccount subject of a binding is not rendered (`default` is implicit).',
    rationale: 'The binding grants its permissions to nobody (kube-linter non-existent-service-account).',
    appliesTo: 'RoleBinding; ClusterRoleBinding subjects in rendered namespaces; every level',
    levels: ALL,
  },
  {
    id: 'ref-statefulset-service',
    description: 'A StatefulSet serviceName does not name a rendered headless Service (clusterIP: None).',
    rationale: 'Pods get no stable DNS names (pod-0.service), which clustered stateful apps depend on.',
    appliesTo: 'StatefulSet; every level',
    levels: ALL,
  },
  // ---- pod security ------------------------------------------------------------------------------
  {
    id: 'pss-privileged',
    description: 'A container runs privileged.',
    rationale: 'Pod Security baseline: privileged containers disable most isolation.',
    appliesTo: `${WORKLOADS}; restricted+baseline error, privileged warning`,
    levels: { restricted: 'error', baseline: 'error', privileged: 'warning' },
  },
  {
    id: 'pss-host-namespaces',
    description: 'hostNetwork, hostPID or hostIPC is true.',
    rationale: 'Pod Security baseline: sharing host namespaces breaks isolation.',
    appliesTo: `${WORKLOADS}; restricted+baseline error, privileged warning`,
    levels: { restricted: 'error', baseline: 'error', privileged: 'warning' },
  },
  {
    id: 'pss-host-path',
    description: 'A hostPath volume is used.',
    rationale: 'Pod Security baseline: hostPath exposes the node file system; cloud storage classes are the supported way.',
    appliesTo: `${WORKLOADS}; restricted+baseline error, privileged warning`,
    levels: { restricted: 'error', baseline: 'error', privileged: 'warning' },
  },
  {
    id: 'pss-host-port',
    description: 'A container declares a hostPort.',
    rationale: 'Pod Security baseline: host ports bypass Services and NetworkPolicies.',
    appliesTo: `${WORKLOADS}; restricted+baseline error, privileged warning`,
    levels: { restricted: 'error', baseline: 'error', privileged: 'warning' },
  },
  {
    id: 'pss-capabilities-add',
    description: 'A container adds a Linux capability beyond the allowed set (restricted: only NET_BIND_SERVICE; baseline: the default container runtime set).',
    rationale: 'Pod Security baseline/restricted capability rules.',
    appliesTo: `${WORKLOADS}; restricted+baseline error, privileged warning`,
    levels: { restricted: 'error', baseline: 'error', privileged: 'warning' },
  },
  {
    id: 'pss-seccomp',
    description: 'seccompProfile is not RuntimeDefault/Localhost at pod level or on every container (baseline: only an explicit Unconfined is reported).',
    rationale: 'Pod Security restricted requires a seccomp profile; baseline forbids Unconfined.',
    appliesTo: `${WORKLOADS}; restricted+baseline error`,
    levels: { restricted: 'error', baseline: 'error' },
  },
  {
    id: 'pss-run-as-non-root',
    description: 'runAsNonRoot is not true (pod level or every container), or runAsUser is 0.',
    rationale: 'Pod Security restricted.',
    appliesTo: `${WORKLOADS}; restricted error`,
    levels: { restricted: 'error' },
  },
  {
    id: 'pss-privilege-escalation',
    description: 'allowPrivilegeEscalation is not explicitly false on a container.',
    rationale: 'Pod Security restricted.',
    appliesTo: `${WORKLOADS} (all containers); restricted error`,
    levels: { restricted: 'error' },
  },
  {
    id: 'pss-capabilities-drop-all',
    description: 'A container does not drop ALL capabilities.',
    rationale: 'Pod Security restricted.',
    appliesTo: `${WORKLOADS} (all containers); restricted error`,
    levels: { restricted: 'error' },
  },
  {
    id: 'pss-read-only-root-fs',
    description: 'readOnlyRootFilesystem is not true on a container.',
    rationale: 'kube-linter no-read-only-root-fs / Polaris: a writable root file system lets an attacker persist tools; use emptyDir for scratch space, or suppress with a reason.',
    appliesTo: `${WORKLOADS} (all containers); restricted error`,
    levels: { restricted: 'error' },
  },
  // ---- resources, probes, images -------------------------------------------------------------------
  {
    id: 'res-requests',
    description: 'A container has no CPU or memory request.',
    rationale: 'Without requests the scheduler overcommits nodes and HPAs on utilization cannot work (kube-linter unset-cpu-requirements / unset-memory-requirements).',
    appliesTo: `${WORKLOADS} (containers and init containers); restricted error, baseline warning`,
    levels: { restricted: 'error', baseline: 'warning' },
  },
  {
    id: 'res-limits',
    description: 'A container has no CPU or memory limit.',
    rationale: 'Without a memory limit one pod can exhaust a node; Polaris cpuLimitsMissing / memoryLimitsMissing.',
    appliesTo: `${WORKLOADS} (containers and init containers); restricted error, baseline warning`,
    levels: { restricted: 'error', baseline: 'warning' },
  },
  {
    id: 'probe-liveness',
    description: 'A long-running container has no livenessProbe.',
    rationale: 'A hung process is never restarted (Polaris livenessProbeMissing).',
    appliesTo: 'main containers of Deployment, StatefulSet, DaemonSet (not Jobs, CronJobs, init containers); restricted error, baseline warning',
    levels: { restricted: 'error', baseline: 'warning' },
  },
  {
    id: 'probe-readiness',
    description: 'A long-running container has no readinessProbe.',
    rationale: 'Traffic reaches pods before they are ready and rollouts cannot detect broken versions (Polaris readinessProbeMissing).',
    appliesTo: 'main containers of Deployment, StatefulSet, DaemonSet (not Jobs, CronJobs, init containers); restricted error, baseline warning',
    levels: { restricted: 'error', baseline: 'warning' },
  },
  {
    id: 'image-tag',
    description: 'An image has no tag or uses `latest` (a digest is fine).',
    rationale: 'Unpinned images make deployments unreproducible and rollbacks meaningless (kube-linter latest-tag).',
    appliesTo: `${WORKLOADS} (all containers); restricted error, baseline and privileged warning`,
    levels: { restricted: 'error', baseline: 'warning', privileged: 'warning' },
  },
  {
    id: 'release-lineage',
    description: 'A release image runs a version ahead of the environment it is promoted from (e.g. prod newer than staging).',
    rationale: 'Promotion policy (libs/environments): prod accepts only what staging already runs, so nothing reaches prod untested. Checked when the caller passes the platform\'s releases.',
    appliesTo: `release images (releases.yaml) in ${WORKLOADS}; every level, error`,
    levels: ALL,
  },
  {
    id: 'release-immutable',
    description: 'A release image in an environment that asks for immutable references uses neither a digest nor a full semantic version tag.',
    rationale: 'Promotion policy (libs/environments): a prod rollback must bring back the same bytes. Advisory (warning) until every platform uses semver or digests; see libs/environments/README.md.',
    appliesTo: `release images (releases.yaml) in ${WORKLOADS}; environments whose policy says immutable (prod); warning`,
    levels: ALL_WARN,
  },
  // ---- availability and network ------------------------------------------------------------------
  {
    id: 'ha-replicas',
    description: 'A Deployment runs fewer than 2 replicas (an HPA targeting it with minReplicas >= 2 counts).',
    rationale: 'A single replica is down during every rollout, node drain or crash.',
    appliesTo: 'Deployment; restricted error',
    levels: { restricted: 'error' },
  },
  {
    id: 'ha-pdb',
    description: 'No PodDisruptionBudget selects the pods of a Deployment.',
    rationale: 'Node drains may evict all replicas at once.',
    appliesTo: 'Deployment; restricted error',
    levels: { restricted: 'error' },
  },
  {
    id: 'netpol-default-deny',
    description: 'A namespace with workloads has no default-deny NetworkPolicy (podSelector {} with policyTypes including Ingress).',
    rationale: 'Without it every pod accepts traffic from anywhere in the cluster.',
    appliesTo: 'namespaces holding rendered pod templates (reported on the Namespace); restricted error',
    levels: { restricted: 'error' },
  },
  {
    id: 'netpol-dns-egress',
    description: 'Pods whose egress is restricted by a NetworkPolicy are not allowed DNS (port 53 UDP and TCP) by any policy.',
    rationale: 'Name resolution fails and every outbound call breaks.',
    appliesTo: 'NetworkPolicy with policyTypes Egress; restricted error, baseline and privileged warning',
    levels: { restricted: 'error', baseline: 'warning', privileged: 'warning' },
  },
  {
    id: 'svc-nodeport',
    description: 'A Service is of type NodePort.',
    rationale: 'NodePorts open a port on every node, bypassing ingress and TLS (kube-linter exposed-services).',
    appliesTo: 'Service; restricted error, baseline warning',
    levels: { restricted: 'error', baseline: 'warning' },
  },
  // ---- suppressions ------------------------------------------------------------------------------
  {
    id: 'suppression-invalid',
    description: 'A `gitops.io/suppress` entry has no reason, names an unknown rule, or names a rule that cannot be suppressed.',
    rationale: 'Every exception must say why; schema rules are never suppressible because the API server would reject the object anyway.',
    appliesTo: 'every object, every level',
    levels: ALL,
    suppressible: false,
  },
  {
    id: 'suppression-unused',
    description: 'A suppression names a rule that is active at this level but reported nothing for the object.',
    rationale: 'Stale exceptions hide future regressions; remove them.',
    appliesTo: 'every object, every level (warning)',
    levels: ALL_WARN,
    suppressible: false,
  },
];

function maxSeverity(levels: Partial<Record<PolicyLevel, Severity>>): Severity {
  return Object.values(levels).includes('error') ? 'error' : 'warning';
}

/** The documented rule list. */
export const RULES: RuleInfo[] = defs.map((d) => ({
  ...d,
  severity: maxSeverity(d.levels),
  suppressible: d.suppressible ?? true,
}));

export const RULES_BY_ID: ReadonlyMap<string, RuleInfo> = new Map(RULES.map((r) => [r.id, r]));

/** Severity of a rule at a level, or undefined when the rule is not active there. */
export function severityAt(ruleId: string, level: PolicyLevel): Severity | undefined {
  const rule = RULES_BY_ID.get(ruleId);
  if (!rule) throw new Error(`unknown rule ${ruleId}`);
  return rule.levels[level];
}

/** The rule table of README.md (kept in sync by a test). */
export function rulesMarkdown(): string {
  const cell = (s: Severity | undefined) => s ?? '–';
  const rows = RULES.map(
    (r) =>
      `| \`${r.id}\` | ${cell(r.levels.restricted)} | ${cell(r.levels.baseline)} | ${cell(r.levels.privileged)} | ${cell(r.levels.none)} | ${r.suppressible ? 'yes' : 'no'} | ${r.description.replace(/\|/g, '\\|')} ${r.rationale.replace(/\|/g, '\\|')} |`,
  );
  return [
    '| rule | restricted (prod) | baseline (staging) | privileged (dev) | none | suppressible | checks and rationale |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
