/**
 * Ingress (seed): Traefik as the ingress controller, with the entry points the seed
 * names (`websecure`, plus `web` for ACME HTTP-01 and the redirect to HTTPS), its IngressClass, and
 * the cert-manager ClusterIssuer that issues every app's TLS secret.
 */
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { IngressClass } from 'kubernetes-models/networking.k8s.io/v1/IngressClass';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { ClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import { IngressRoute } from '@kubernetes-models/traefik/traefik.io/v1alpha1/IngressRoute';
import { kubeApiEgress, type CompileContext, type ComponentSpec, type EnvName, type KubeObject, type TypedObject } from '@gitops/core';
import { res, scaled, type ByEnv } from '../env';
import { labelsFor, ownService, runAs, tmp } from '../kit';
import { traefikBackendEgress } from '../network';
import { TRAEFIK, clusterIssuerName, middlewareRef } from '../routing';
import type { SevensaApp } from '../types';

const NS = TRAEFIK.namespace;
const REPLICAS: ByEnv<number> = { dev: 1, staging: 2, prod: 2 };
/** ACME account e-mail (expiry notices): not in the seed. */
export const ACME_EMAIL = 'platform@sevensa.nl';
const ACME_SERVERS: Partial<Record<EnvName, string>> = {
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
  prod: 'https://acme-v02.api.letsencrypt.org/directory',
};

const traefik: ComponentSpec = {
  name: 'traefik',
  kind: 'Deployment',
  description: 'Traefik ingress controller',
  image: 'traefik',
  tag: 'v3.3.4',
  labels: { component: 'ingress-controller' },
  serviceAccount: 'traefik',
  args: [
    // Unprivileged ports in the pod; the Service maps 80 -> web and 443 -> websecure.
    '--entryPoints.web.address=:8000',
    '--entryPoints.websecure.address=:8443',
    '--entryPoints.traefik.address=:9000',
    // Rate limiting for every HTTPS route (a goal of the seed), without touching each Ingress.
    `--entryPoints.websecure.http.middlewares=${middlewareRef(NS, 'rate-limit')}`,
    '--ping=true',
    '--metrics.prometheus=true',
    '--providers.kubernetesingress=true',
    `--providers.kubernetesingress.ingressClass=${TRAEFIK.ingressClass}`,
    `--providers.kubernetesingress.ingressEndpoint.publishedService=${NS}/traefik`,
    '--providers.kubernetescrd=true',
    '--log.format=json',
    '--accesslog=true',
    '--accesslog.format=json',
  ],
  ports: [
    { name: 'web', containerPort: 8000, servicePort: 80 },
    { name: 'websecure', containerPort: 8443, servicePort: 443 },
    { name: 'traefik', containerPort: 9000 },
  ],
  probes: {
    liveness: { http: { path: '/ping', port: 'traefik' }, initialDelaySeconds: 10, periodSeconds: 10 },
    readiness: { http: { path: '/ping', port: 'traefik' }, initialDelaySeconds: 5, periodSeconds: 5 },
  },
  podSecurityContext: runAs(65532),
  // The LoadBalancer Service is built below: it needs externalTrafficPolicy Local (client IPs for rate limiting).
  service: false,
  volumes: [tmp()],
  settings: scaled(REPLICAS, { dev: res('100m', '128Mi', '500m', '256Mi'), staging: res('200m', '256Mi', '1', '512Mi'), prod: res('200m', '256Mi', '1', '512Mi') }),
};

/** What Traefik's Kubernetes Ingress and CRD providers read (Traefik v3 documentation). */
const TRAEFIK_RULES = [
  { apiGroups: [''], resources: ['services', 'secrets', 'nodes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
  {
    apiGroups: ['traefik.io'],
    resources: ['middlewares', 'middlewaretcps', 'ingressroutes', 'traefikservices', 'ingressroutetcps', 'ingressrouteudps', 'tlsoptions', 'tlsstores', 'serverstransports', 'serverstransporttcps'],
    verbs: ['get', 'list', 'watch'],
  },
];

function clusterIssuer(ctx: CompileContext): ClusterIssuer {
  const name = clusterIssuerName(ctx.env);
  const server = ACME_SERVERS[ctx.env.name as EnvName];
  return new ClusterIssuer({
    // Cluster-scoped: no namespace. The ingress app's namespace is the same in every environment, so
    // its overlays set none and Kustomize never stamps one on this CRD (libs/kustomize decision 2).
    metadata: { name, labels: labelsFor(TRAEFIK.podLabel) },
    spec: server
      ? {
          acme: {
            server,
            email: ACME_EMAIL,
            privateKeySecretRef: { name: `${name}-account` },
            // `class` (the schema the validator knows predates ingressClassName): the solver Ingress gets the
            // kubernetes.io/ingress.class annotation, which Traefik's ingressClass filter also accepts.
            solvers: [{ http01: { ingress: { class: TRAEFIK.ingressClass } } }],
          },
        }
      : // dev: no public DNS for the Kind cluster, so certificates are self-signed.
        { selfSigned: {} },
  });
}

function objects(ctx: CompileContext, all: SevensaApp[]): Array<KubeObject | TypedObject> {
  const labels = labelsFor(TRAEFIK.podLabel);
  return [
    new ServiceAccount({ metadata: { name: 'traefik', labels } }),
    new ClusterRole({ metadata: { name: 'sevensa-traefik', labels }, rules: TRAEFIK_RULES }),
    new ClusterRoleBinding({
      metadata: { name: 'sevensa-traefik', labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'sevensa-traefik' },
      subjects: [{ kind: 'ServiceAccount', name: 'traefik', namespace: ctx.namespace }],
    }),
    new IngressClass({
      metadata: { name: TRAEFIK.ingressClass, labels, annotations: { 'ingressclass.kubernetes.io/is-default-class': 'false' } },
      spec: { controller: 'traefik.io/ingress-controller' },
    }),
    clusterIssuer(ctx),
    ownService(TRAEFIK.podLabel, traefik, { ports: ['web', 'websecure'], type: 'LoadBalancer', externalTrafficPolicy: 'Local' }),
    // Plain HTTP only serves ACME challenges (more specific routers win); everything else is redirected.
    new IngressRoute({
      metadata: { name: 'http-to-https', labels },
      spec: {
        entryPoints: ['web'],
        routes: [
          { kind: 'Rule', match: 'PathPrefix(`/`)', priority: 1, middlewares: [{ name: 'redirect-https' }], services: [{ kind: 'TraefikService', name: 'noop@internal' }] },
        ],
      },
    }),
    // Traefik's own egress: every routed backend and ACME solver (from the apps' routes), and the API server.
    new NetworkPolicy({
      metadata: { name: 'traefik-backends', labels },
      spec: { podSelector: { matchLabels: { app: TRAEFIK.podLabel } }, policyTypes: ['Egress'], egress: traefikBackendEgress(all, ctx) },
    }),
    new NetworkPolicy({
      metadata: { name: 'traefik-kube-api', labels },
      // The API server's address is cluster-specific and not in the environment model: the kit's rule (any address, 443/6443).
      spec: { podSelector: { matchLabels: { app: TRAEFIK.podLabel } }, policyTypes: ['Egress'], egress: [kubeApiEgress()] },
    }),
  ];
}

export const ingress: SevensaApp = {
  name: NS,
  description: 'Ingress controllers: Traefik (seed namespace table)',
  podLabel: TRAEFIK.podLabel,
  components: [traefik],
  // The world reaches Traefik's two entry points; that is its "Traefik in" rule.
  publicPorts: [8000, 8443],
  middlewares: [
    { name: 'redirect-https', spec: { redirectScheme: { scheme: 'https', permanent: true } } },
    { name: 'rate-limit', spec: { rateLimit: { average: 100, burst: 200, period: '1s' } } },
  ],
  extraObjects: objects,
};
