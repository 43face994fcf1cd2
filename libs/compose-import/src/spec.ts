/** The plan as a PlatformSpec in memory: validated and compiled before anything is written. */
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { PlatformSpec, Releases } from '@gitops/core';
import { envNames } from '@gitops/environments';
import type { ImportPlan } from './plan';

/**
 * Compose puts every service on one network where each reaches each other, and nothing else
 * reaches them except through published ports. The same as NetworkPolicies: deny ingress by
 * default, allow it from the namespace's own pods, and allow published ports from anywhere
 * (the ingress controller). Egress stays open, as in compose.
 */
export function networkPolicyData(plan: ImportPlan): INetworkPolicy[] {
  const out: INetworkPolicy[] = [
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny-ingress' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-same-namespace' },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
    },
  ];
  for (const c of plan.components) {
    if (!c.publishedPorts.length) continue;
    out.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `allow-${c.spec.name}-published` },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': c.spec.name } },
        policyTypes: ['Ingress'],
        ingress: [{ ports: c.publishedPorts.map((p) => ({ protocol: c.spec.ports?.find((x) => x.containerPort === p)?.protocol ?? 'TCP', port: p })) }],
      },
    });
  }
  return out;
}

export function releasesOf(plan: ImportPlan): Releases {
  return Object.fromEntries(Object.entries(plan.releases).map(([repo, tag]) => [repo, Object.fromEntries(envNames.map((e) => [e, tag]))]));
}

export function toPlatformSpec(plan: ImportPlan): PlatformSpec {
  return {
    name: plan.platform,
    description: plan.description,
    releases: releasesOf(plan),
    apps: [
      {
        name: plan.platform,
        namespace: plan.namespace,
        ...(plan.configMaps.length ? { configMaps: plan.configMaps.map((c) => ({ name: c.name, data: c.data })) } : {}),
        ...(plan.secrets.length ? { secrets: plan.secrets } : {}),
        ...(plan.volumes.length ? { volumes: plan.volumes } : {}),
        components: plan.components.map((c) => c.spec),
        objects: () => networkPolicyData(plan).map((p) => new NetworkPolicy(p)),
      },
    ],
  };
}
