/**
 * The seed's automated validation job as an Argo CD PostSync hook: after every sync it
 * checks service availability, the health endpoint, the HPA, the monitoring objects and that
 * PostgreSQL is serving. It reads the API with its own ServiceAccount (rbac.ts) and plain curl.
 */
import { scratchVolume, type ComponentSpec, type ConfigMapSpec } from '@gitops/core';
import { HPA, N, PDB_MIN_AVAILABLE, PORTS, SA, VALIDATOR_RESOURCES, monitored, podSecurity } from './design';
import { QUIT_SIDECAR_CURL, meshSettings } from './mesh-pod';

/**
 * PostgreSQL connectivity is checked without connecting to it (D24): the NetworkPolicy admits
 * only the app, backup and exporter. The job checks that the database Service has a ready
 * endpoint (readiness = pg_isready over TCP) and that the app's health endpoint, which reports
 * its database connection, answers 200.
 */
export const VALIDATION_SCRIPT = [
  'set -u',
  `trap "${QUIT_SIDECAR_CURL}" EXIT`,
  'SA_DIR=/var/run/secrets/kubernetes.io/serviceaccount',
  'TOKEN="$(cat "$SA_DIR/token")"',
  'api() { curl -fsS --max-time 10 --cacert "$SA_DIR/ca.crt" -H "Authorization: Bearer $TOKEN" "https://kubernetes.default.svc$1"; }',
  'ready_endpoints() { api "/apis/discovery.k8s.io/v1/namespaces/$NAMESPACE/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D$1" | grep -o \'"ready":true\' | wc -l; }',
  'failed=0',
  'check() { name="$1"; shift; if "$@"; then echo "PASS $name"; else echo "FAIL $name"; failed=1; fi; }',
  'service_available() { n="$(ready_endpoints "$APP_SERVICE")"; echo "  $APP_SERVICE: $n ready endpoints (need $MIN_READY)"; [ "$n" -ge "$MIN_READY" ]; }',
  'health_endpoint() { curl -fsS --max-time 5 --retry 5 --retry-delay 3 --retry-all-errors -o /dev/null "http://$APP_SERVICE:$APP_PORT/api/health"; }',
  'hpa_configured() { body="$(api "/apis/autoscaling/v2/namespaces/$NAMESPACE/horizontalpodautoscalers/$HPA_NAME")" || return 1;',
  '  echo "$body" | grep -q "\\"minReplicas\\":$HPA_MIN" && echo "$body" | grep -q "\\"maxReplicas\\":$HPA_MAX"; }',
  'monitoring_configured() { if [ "$EXPECT_MONITORING" != "true" ]; then echo "  no monitoring in this environment"; return 0; fi',
  '  api "/apis/monitoring.coreos.com/v1/namespaces/$NAMESPACE/servicemonitors/$APP_NAME" >/dev/null &&',
  '  api "/apis/monitoring.coreos.com/v1/namespaces/$NAMESPACE/prometheusrules/$RULES_NAME" >/dev/null; }',
  'postgresql_serving() { n="$(ready_endpoints "$DB_SERVICE")"; echo "  $DB_SERVICE: $n ready endpoints"; [ "$n" -ge 1 ]; }',
  'check "service availability" service_available',
  'check "health endpoint" health_endpoint',
  'check "HPA configuration" hpa_configured',
  'check "monitoring setup" monitoring_configured',
  'check "PostgreSQL connectivity" postgresql_serving',
  'exit "$failed"',
].join('\n');

export const validatorComponent: ComponentSpec = {
  name: N.validator,
  kind: 'Job',
  hook: 'PostSync',
  description: 'Post-sync validation (service, health, HPA, monitoring, PostgreSQL)',
  image: 'curlimages/curl',
  tag: '8.11.1',
  serviceAccount: SA.validator,
  priorityClassName: N.priorityNormal,
  backoffLimit: 2,
  restartPolicy: 'Never',
  activeDeadlineSeconds: 300, // a hung check must not hold the sync open
  podSecurityContext: podSecurity(1001),
  command: ['/bin/sh', '-c', VALIDATION_SCRIPT],
  env: [{ name: 'NAMESPACE', fieldPath: 'metadata.namespace' }],
  envFrom: [{ configMap: N.validator }],
  volumes: [scratchVolume('tmp', '/tmp', { sizeLimit: '16Mi' })],
  settings: { default: { resources: VALIDATOR_RESOURCES }, ...meshSettings() },
};

/**
 * What the job expects, per environment. A ConfigMap rather than per-environment env entries:
 * Kustomize reorders patched env lists (see README, wished-for core changes).
 */
export const validatorConfig: ConfigMapSpec = {
  name: N.validator,
  data: (env) => ({
    APP_NAME: N.app,
    APP_SERVICE: N.service,
    APP_PORT: String(PORTS.app),
    MIN_READY: String(PDB_MIN_AVAILABLE),
    HPA_NAME: N.hpa,
    HPA_MIN: String(HPA.min),
    HPA_MAX: String(HPA.max),
    RULES_NAME: N.rules,
    DB_SERVICE: N.db,
    EXPECT_MONITORING: String(monitored(env.name)),
  }),
};
