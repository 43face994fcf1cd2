/**
 * Cluster-wide add-ons every environment's cluster runs and no platform deploys, described once:
 * platforms trust them (NetworkPolicy peers, Istio AuthorizationPolicies) and label their objects
 * for them. All Argo CD Applications of an environment target one cluster, so a namespace named
 * here belongs to the add-on, never to a platform (`gitops validate`'s `namespace-foreign`, and
 * `test/cluster-addons.test.ts`).
 *
 * No imports, and a subpath of its own (`@gitops/environments/cluster`), like `layout.ts`.
 */

/**
 * The cluster's shared monitoring stack: kube-prometheus-stack (the Prometheus operator) in
 * `monitoring`. Its Prometheus pods carry `app.kubernetes.io/name: prometheus` (set by the
 * operator); it selects ServiceMonitors and PrometheusRules by `release: kube-prometheus-stack`
 * (the chart's default `serviceMonitorSelector` / `ruleSelector`).
 */
export const MONITORING = deepFreeze({
  namespace: 'monitoring',
  prometheusPodLabels: { 'app.kubernetes.io/name': 'prometheus' },
  selectorLabels: { release: 'kube-prometheus-stack' },
});

/** The cluster's ingress-nginx controller: the namespace and pod labels platforms admit web traffic from. */
export const INGRESS_NGINX = deepFreeze({
  namespace: 'ingress-nginx',
  podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' },
});

/** Namespaces the cluster's add-ons own: no platform may deploy into one. */
export const ADDON_NAMESPACES: readonly string[] = Object.freeze([MONITORING.namespace]);

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(value);
}
