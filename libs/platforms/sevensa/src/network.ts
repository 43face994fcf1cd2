/**
 * The cross-app network rules, generated for every app from the platform's routes and calls:
 *
 *   default-deny            everything in and out is closed (podSelector {}, Ingress + Egress)
 *   <app>-network-policy    the seed's RentGuy policy, generalised and corrected:
 *                             in:  Traefik pods of the `ingress` namespace (one peer: namespace AND pod),
 *                                  on the container ports the routes reach (3000, not the Service's 80);
 *                                  the app's own pods on the ports its components declare
 *                             out: the app's own pods on those ports; kube-dns on UDP+TCP 53;
 *                                  each called Service of another app (Keycloak 8080, OpenBao 8200, Loki 3100)
 *   allow-<c>-clients       in: the apps that call component <c> (Keycloak, OpenBao, Loki), on its port
 *   allow-internet-https    out: TCP 443 to public addresses, only for the components that need it
 *   allow-acme-http01       in: Traefik to cert-manager's HTTP-01 solver pods (ACME environments only)
 *
 * Both ends of every cross-namespace connection come from the same data, so they cannot drift.
 * Peers are selected with the `name:` label the compiler puts on every Namespace.
 */
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import {
  anyOf, defaultDeny, DNS_EGRESS_RULE, INTERNET, LABELS, namespacePeer, suppress, tcp as kitTcp,
  type CompileContext, type EgressRule, type IngressRule, type Peer as NetworkPeer, type Port,
} from '@gitops/core';
import { labelsFor } from './kit';
import { ACME_SOLVER, TRAEFIK, backend, component, usesAcme } from './routing';
import type { Peer, SevensaApp } from './types';

export const podLabel = (app: SevensaApp): string => app.podLabel ?? app.name;
export const nsOf = (app: SevensaApp): string => app.namespace ?? app.name;

/** Pods of another namespace: both selectors in ONE peer, i.e. namespace AND pod (the seed ORed them). */
export function peerIn(namespace: string, pods: Record<string, string>): NetworkPeer {
  return namespacePeer(namespace, pods, { label: 'name' });
}

export const TRAEFIK_PEER = peerIn(TRAEFIK.namespace, { app: TRAEFIK.podLabel });

/** TCP ports, each once, ascending. */
const tcp = (ports: number[]): Port[] => kitTcp(...[...new Set(ports)].sort((a, b) => a - b));

/** Container ports Traefik reaches in an app (the targets of its routes). */
export function routedPorts(app: SevensaApp): number[] {
  return (app.ingresses ?? []).flatMap((i) => i.routes.map((r) => backend(app, r.component).containerPort));
}

/** Every container port of the app's components (main containers), for traffic inside the app. */
export function appPorts(app: SevensaApp): number[] {
  return app.components.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
}

function policy(name: string, app: SevensaApp, spec: NetworkPolicy['spec'], annotations?: Record<string, string>): NetworkPolicy {
  return new NetworkPolicy({ metadata: { name, labels: labelsFor(podLabel(app)), ...(annotations ? { annotations } : {}) }, spec });
}

/** Calls other apps make into `app`, grouped by target component. */
function callers(app: SevensaApp, all: SevensaApp[]): Map<string, Array<{ from: SevensaApp; call: Peer }>> {
  const out = new Map<string, Array<{ from: SevensaApp; call: Peer }>>();
  for (const from of all) {
    for (const call of from.calls ?? []) {
      if (call.app !== app.name) continue;
      component(app, call.component); // fail early on a typo
      out.set(call.component, [...(out.get(call.component) ?? []), { from, call }]);
    }
  }
  return out;
}

export function networkPolicies(app: SevensaApp, all: SevensaApp[], ctx: CompileContext): NetworkPolicy[] {
  if (app.networkPolicies === false) return [];
  const self = { app: podLabel(app) };
  const own = appPorts(app);
  const multi = app.components.length > 1;
  const routed = routedPorts(app);

  const ingress: IngressRule[] = [
    ...(routed.length ? [{ from: [TRAEFIK_PEER], ports: tcp(routed) }] : []),
    ...(app.publicPorts?.length ? [{ ports: tcp(app.publicPorts) }] : []),
    ...(multi ? [{ from: [{ podSelector: { matchLabels: self } }], ports: tcp(own) }] : []),
  ];
  const egress: EgressRule[] = [
    ...(multi ? [{ to: [{ podSelector: { matchLabels: self } }], ports: tcp(own) }] : []),
    ...(app.calls ?? []).map((c) => {
      const target = all.find((a) => a.name === c.app);
      if (!target) throw new Error(`sevensa/${app.name}: calls unknown app "${c.app}"`);
      component(target, c.component);
      return { to: [peerIn(nsOf(target), { [LABELS.name]: c.component })], ports: tcp([c.port]) };
    }),
    structuredClone(DNS_EGRESS_RULE),
  ];
  const objects: NetworkPolicy[] = [
    policy('default-deny', app, defaultDeny()),
    policy(`${app.name}-network-policy`, app, { podSelector: { matchLabels: self }, policyTypes: ['Ingress', 'Egress'], ingress, egress }),
  ];

  for (const [target, calls] of callers(app, all)) {
    objects.push(
      policy(`allow-${target}-clients`, app, {
        podSelector: { matchLabels: { [LABELS.name]: target } },
        policyTypes: ['Ingress'],
        ingress: calls.map(({ from, call }) => ({ from: [peerIn(nsOf(from), { app: podLabel(from) })], ports: tcp([call.port]) })),
      }),
    );
  }

  if (app.internet?.length) {
    app.internet.forEach((c) => component(app, c));
    objects.push(
      policy('allow-internet-https', app, {
        podSelector: anyOf([...app.internet].sort()),
        policyTypes: ['Egress'],
        egress: [{ to: [INTERNET], ports: tcp([443]) }],
      }),
    );
  }

  if (routed.length && usesAcme(ctx.env)) {
    objects.push(
      policy(
        'allow-acme-http01',
        app,
        { podSelector: { matchLabels: { [ACME_SOLVER.label]: 'true' } }, policyTypes: ['Ingress'], ingress: [{ from: [TRAEFIK_PEER], ports: tcp([ACME_SOLVER.port]) }] },
        suppress({ 'ref-networkpolicy-selector': 'cert-manager creates the HTTP-01 solver pods only while a certificate is being issued' }),
      ),
    );
  }
  return objects;
}

/** Traefik's egress: every routed backend and every ACME solver, per app namespace. */
export function traefikBackendEgress(all: SevensaApp[], ctx: CompileContext): EgressRule[] {
  return all.flatMap((a) => {
    const ports = routedPorts(a);
    if (!ports.length) return [];
    return [
      { to: [peerIn(nsOf(a), { app: podLabel(a) })], ports: tcp(ports) },
      ...(usesAcme(ctx.env) ? [{ to: [peerIn(nsOf(a), { [ACME_SOLVER.label]: 'true' })], ports: tcp([ACME_SOLVER.port]) }] : []),
    ];
  });
}
