/**
 * How a Sevensa app is described: the core AppSpec (components, config, secrets) plus the facts
 * the platform turns into Ingresses, Traefik middlewares and NetworkPolicies. Writing routes and
 * cross-app calls once as data lets both ends of every connection be generated from one place.
 */
import type { AppSpec, CompileContext, KubeObject, TypedObject } from '@gitops/core';
import type { IMiddleware } from '@kubernetes-models/traefik/traefik.io/v1alpha1/Middleware';

/** One public host routed by Traefik to a component's Service. */
export interface Route {
  /** Host label(s) in front of the environment's zone, e.g. `api.rentguy`. */
  host: string;
  /** Component whose Service (first port) receives the traffic. */
  component: string;
  path?: string;
}

export interface IngressDef {
  name: string;
  /** TLS secret, issued by cert-manager from the Ingress annotation. */
  tls: string;
  routes: Route[];
  /** Traefik Middleware references (`<namespace>-<name>@kubernetescrd`). */
  middlewares?: string[];
}

/** A Service port in another app that this app calls (drives egress here and ingress there). */
export interface Peer {
  app: string;
  component: string;
  port: number;
}

export interface SevensaApp extends Omit<AppSpec, 'namespace' | 'objects'> {
  description: string;
  /** Namespace in every environment (default: the app name, as in the seed's namespace table). */
  namespace?: string;
  /** Value of the `app` pod label the NetworkPolicies select on (default: the app name). */
  podLabel?: string;
  ingresses?: IngressDef[];
  /** Traefik Middlewares in this namespace. */
  middlewares?: Array<{ name: string; spec: IMiddleware['spec'] }>;
  /** Other apps' ports this app calls (Keycloak, OpenBao, Loki). */
  calls?: Peer[];
  /** Components that need HTTPS to the internet (LLM and market-data APIs, WordPress updates). */
  internet?: string[];
  /** Ports open to the whole world (only Traefik's entry points). */
  publicPorts?: number[];
  /** False for apps without workloads of their own (the Velero schedules). */
  networkPolicies?: boolean;
  /** Objects the model has no word for; `all` is every app of the platform. */
  extraObjects?: (ctx: CompileContext, all: SevensaApp[]) => Array<KubeObject | TypedObject>;
}
