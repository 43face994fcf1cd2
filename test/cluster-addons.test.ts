/**
 * Every platform of an environment deploys to one cluster (all its Argo CD Applications share the
 * destination), beside the cluster's add-ons (libs/environments `src/cluster.ts`). So a namespace
 * belongs to one platform or one add-on, and a platform that trusts the cluster's Prometheus trusts
 * the shared one: the same namespace and pods. Its ServiceMonitors, PodMonitors and PrometheusRules
 * carry the label that Prometheus selects them by, unless the platform runs a Prometheus of its own:
 * then they stay its own (the shared one scrapes none of its targets).
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { namespacePeer, type KubeObject } from '@gitops/core';
import { ADDON_NAMESPACES, MONITORING } from '@gitops/environments';
import { loadPlatforms, renderPlatforms } from '@gitops/pipeline';

const root = resolve(__dirname, '..');

/** The NetworkPolicy peer of the cluster's Prometheus pods. */
const SHARED_PROMETHEUS = namespacePeer(MONITORING.namespace, MONITORING.prometheusPodLabels);

/** The namespace a peer's namespaceSelector names (by the automatic label or the compiler's `name`). */
const peerNamespace = (peer: any): string | undefined =>
  peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ?? peer.namespaceSelector?.matchLabels?.name;

/** Does a peer outside the platform mean a Prometheus: a monitoring-like namespace or Prometheus pods? */
function meansPrometheus(peer: any, own: Set<string>): boolean {
  const ns = peerNamespace(peer);
  if (ns === undefined || own.has(ns)) return false;
  return /monitoring|prometheus/.test(ns) || peer.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'prometheus';
}

/** Objects the Prometheus operator reads. */
const MONITORING_KINDS = ['ServiceMonitor', 'PodMonitor', 'PrometheusRule'];
/** A workload whose pods are a Prometheus (the label the cluster's carries too), or an operator-managed one. */
const runsOwnPrometheus = (objects: KubeObject[]): boolean =>
  objects.some((o) => o.kind === 'Prometheus' || ((o.kind === 'StatefulSet' || o.kind === 'Deployment') && (o as any).spec?.template?.metadata?.labels?.['app.kubernetes.io/name'] === MONITORING.prometheusPodLabels['app.kubernetes.io/name']));
const peersOf = (np: any): any[] => [...(np.spec?.ingress ?? []).flatMap((r: any) => r.from ?? []), ...(np.spec?.egress ?? []).flatMap((r: any) => r.to ?? [])];
const istioNamespaces = (ap: any): string[] => (ap.spec?.rules ?? []).flatMap((r: any) => (r.from ?? []).flatMap((f: any) => f.source?.namespaces ?? []));
const where = (platform: string, o: KubeObject) => `${platform}: ${o.kind} ${o.metadata?.namespace}/${o.metadata?.name}`;

describe('the cluster add-ons are shared, and defined once', async () => {
  const overlays = await renderPlatforms(root, await loadPlatforms(root), { secrets: false });
  const envs = [...new Set(overlays.map((o) => o.env))];
  /** env → platform → namespaces it creates. */
  const owned = new Map(envs.map((env) => [env, new Map<string, Set<string>>()]));
  for (const o of overlays) {
    const byPlatform = owned.get(o.env)!;
    const set = byPlatform.get(o.platform) ?? new Set<string>();
    for (const obj of o.objects) if (obj.kind === 'Namespace') set.add(obj.metadata!.name!);
    byPlatform.set(o.platform, set);
  }

  it('no two platforms claim one namespace, and none claims an add-on namespace', () => {
    const problems: string[] = [];
    for (const [env, byPlatform] of owned) {
      const claims = new Map<string, string[]>();
      for (const [platform, names] of byPlatform) for (const ns of names) claims.set(ns, [...(claims.get(ns) ?? []), platform]);
      for (const [ns, platforms] of claims) {
        if (platforms.length > 1) problems.push(`${env}: namespace ${ns} is claimed by ${platforms.join(', ')}`);
        if (ADDON_NAMESPACES.includes(ns)) problems.push(`${env}: ${platforms.join(', ')} claims ${ns}, the cluster add-on's namespace`);
      }
    }
    expect(problems).toEqual([]);
    expect(owned.get('prod')!.size).toBeGreaterThanOrEqual(5);
  });

  it("a platform's Prometheus peer is the cluster's: its pods in its namespace, in NetworkPolicies and Istio policies", () => {
    const problems: string[] = [];
    let shared = 0;
    for (const o of overlays) {
      const own = owned.get(o.env)!.get(o.platform)!;
      for (const obj of o.objects) {
        if (obj.kind === 'NetworkPolicy') {
          for (const peer of peersOf(obj).filter((p) => meansPrometheus(p, own))) {
            if (JSON.stringify(peer) === JSON.stringify(SHARED_PROMETHEUS)) shared++;
            else problems.push(`${where(o.platform, obj)} (${o.env}): Prometheus peer ${JSON.stringify(peer)}`);
          }
        }
        if (obj.kind === 'AuthorizationPolicy') {
          for (const ns of istioNamespaces(obj).filter((n) => !own.has(n) && /monitoring|prometheus/.test(n))) {
            if (ns !== MONITORING.namespace) problems.push(`${where(o.platform, obj)} (${o.env}): Prometheus namespace ${ns}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(shared).toBeGreaterThan(0);
  });

  it("the shared Prometheus' selector label is on exactly the monitoring objects meant for it: a platform with its own Prometheus keeps its rules and monitors to itself", () => {
    const problems: string[] = [];
    let selected = 0;
    for (const o of overlays) {
      const own = runsOwnPrometheus(o.objects);
      for (const x of o.objects.filter((y) => MONITORING_KINDS.includes(y.kind))) {
        const labelled = Object.entries(MONITORING.selectorLabels).every(([k, v]) => x.metadata?.labels?.[k] === v);
        if (labelled) selected++;
        if (own && labelled) problems.push(`${where(o.platform, x)} (${o.env}): runs its own Prometheus, yet the shared one would load this (its expressions are not limited to the platform)`);
        if (!own && !labelled) problems.push(`${where(o.platform, x)} (${o.env}): no Prometheus of its own, and the shared one does not select this`);
      }
    }
    expect(problems).toEqual([]);
    expect(selected).toBeGreaterThan(0);
  });
});
