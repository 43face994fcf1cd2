/**
 * Issue 16's restructuring (one build pass, platform kit, layout owner, base/overlay split) must not
 * change what any overlay renders, except where the issue says so: the restricted container security
 * context became the default in every environment, the platforms share one internet peer (more
 * exceptions) and reasons lost seed line references. Every rendered object is compared with a
 * fingerprint taken before the work (test/fixtures/render-baseline.json, at the commit it names).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@gitops/core';
import { loadPlatforms, renderPlatforms } from '@gitops/pipeline';
import { loadOverlaySecrets } from '@gitops/secrets-workflow';
import { canonical, fingerprint, objectKey, type ObjectPrint } from './support/render-fingerprint';

const root = resolve(__dirname, '..');
const baseline = JSON.parse(readFileSync(resolve(__dirname, 'fixtures/render-baseline.json'), 'utf8')) as { commit: string; objects: Record<string, ObjectPrint> };

/** Restricted-profile properties (Pod Security Standards) a security context has. */
function restrictedProps(sc: any, pod: any): Set<string> {
  const has = new Set<string>();
  if (!sc) return has;
  if (sc.allowPrivilegeEscalation === false) has.add('allowPrivilegeEscalation: false');
  if (sc.capabilities?.drop?.includes('ALL')) has.add('capabilities.drop: [ALL]');
  // A container's own setting overrides the pod's.
  if ((sc.runAsNonRoot ?? pod?.runAsNonRoot) === true) has.add('runAsNonRoot: true');
  if (sc.readOnlyRootFilesystem === true) has.add('readOnlyRootFilesystem: true');
  if ((sc.seccompProfile?.type ?? pod?.seccompProfile?.type) === 'RuntimeDefault') has.add('seccompProfile: RuntimeDefault');
  if (sc.privileged !== true) has.add('not privileged');
  return has;
}

/** How the security contexts got weaker (a property the old one had and the new one lacks, or an added capability). */
function weakenings(before: Record<string, any>, after: Record<string, any>): string[] {
  const out: string[] = [];
  for (const name of Object.keys(before)) {
    if (name === 'pod') {
      for (const k of ['runAsNonRoot', 'seccompProfile']) if (before.pod?.[k] !== undefined && canonical(before.pod[k]) !== canonical(after.pod?.[k])) out.push(`pod securityContext.${k}`);
      continue;
    }
    const was = restrictedProps(before[name] ?? {}, before.pod);
    const now = restrictedProps(after[name] ?? {}, after.pod);
    for (const p of was) if (!now.has(p)) out.push(`container ${name} lost ${p}`);
    // Adding a capability weakens only a container that dropped ALL before (the runtime's default set includes NET_BIND_SERVICE).
    const addedCaps = (after[name]?.capabilities?.add ?? []).filter((c: string) => !(before[name]?.capabilities?.add ?? []).includes(c));
    if (addedCaps.length && was.has('capabilities.drop: [ALL]')) out.push(`container ${name} adds capabilities ${addedCaps.join(', ')}`);
  }
  return out;
}

/** ipBlocks may only gain exceptions (the kit's one internet peer excludes private and link-local ranges). */
function ipBlockProblems(before: any[] = [], after: any[] = []): string[] {
  if (before.length !== after.length) return [`ipBlocks ${before.length} -> ${after.length}`];
  return before.flatMap((b, i) => {
    const a = after[i];
    if (a.cidr !== b.cidr) return [`ipBlock ${b.cidr} became ${a.cidr}`];
    const lost = (b.except ?? []).filter((e: string) => !(a.except ?? []).includes(e));
    return lost.length ? [`ipBlock ${b.cidr} no longer excepts ${lost.join(', ')}`] : [];
  });
}

/** Suppression reasons may only lose their seed line references (`(seed L321)` became `(seed)`). */
const withoutLineRefs = (s = '') => s.replace(/\s*\bL\d+(?:-L?\d+)?\b/g, '').replace(/\s+/g, ' ').trim();

/**
 * Objects later reviews changed on purpose, each with its reason: they may differ from the baseline
 * in any way (the tests of their platform pin what they are now).
 */
const REVIEWED_CHANGES: Array<{ key: RegExp; why: string }> = [
  { key: /NetworkPolicy [^ ]+\/(hyperpage-egress|ecr-token-refresher-egress|traefik-kube-api)$/, why: "API server egress is the kit's kubeApiEgress(): any address on 443 and 6443 (core decision 15)" },
  { key: /(NetworkPolicy cptm8-prod\/backend-netpol|NetworkPolicy pf9\/allow-prometheus-to-(api|monitoring))$/, why: "the cluster's Prometheus is libs/environments MONITORING: its pods in monitoring" },
  { key: /(ServiceMonitor|PrometheusRule) pf9\/[^ ]+$/, why: "platform9's ServiceMonitors and rules carry MONITORING's selector label, release: kube-prometheus-stack (ms5 runs its own Prometheus: its rule does not)" },
  { key: /NetworkPolicy pf9\/(allow-dns-egress|allow-ingress-to-ui|allow-api|allow-monitoring)$/, why: "platform9 uses the kit's defaults: DNS to kube-dns only, the ingress controller's pods only" },
  { key: /\/Namespace -\/[^ ]+$/, why: 'every Namespace is Prune=false: Argo CD never deletes one, and everything in it, on its own (core compile.ts)' },
  { key: /(Schedule velero\/monitoring-daily|NetworkPolicy ingress\/traefik-backends|NetworkPolicy logging\/allow-loki-clients)$/, why: 'they name Sevensa monitoring\'s namespace, now sevensa-monitoring' },
];

/** Objects later reviews added on purpose, each with its reason (absent from the baseline). */
const REVIEWED_ADDITIONS: Array<{ key: RegExp; why: string }> = [
  { key: /^cptm8\/cptm8\/(staging|prod) monitoring\.coreos\.com\/v1\/PodMonitor cptm8-(staging|prod)\/go-services$/, why: "kube-prometheus-stack ignores prometheus.io annotations: the Go services' PodMonitor carries MONITORING's selector label (cptm8 D20)" },
];

/**
 * Namespaces later reviews renamed, by `<platform>/<app>`: [was, now]. Their objects are compared
 * under the new name and, like REVIEWED_CHANGES, may differ in any way.
 */
const RENAMED_NAMESPACES: Record<string, [string, string]> = {
  // `monitoring` is the cluster's shared kube-prometheus-stack (libs/environments MONITORING).
  'sevensa/monitoring': ['monitoring', 'sevensa-monitoring'],
};
const renamedApp = (key: string) => Object.keys(RENAMED_NAMESPACES).find((app) => key.startsWith(`${app}/`));

/** A baseline key as the object is named today (`... monitoring/x` → `... sevensa-monitoring/x`, `-/monitoring` likewise). */
function currentKey(key: string): string {
  const app = renamedApp(key);
  if (!app) return key;
  const [was, now] = RENAMED_NAMESPACES[app];
  return key.replace(` ${was}/`, ` ${now}/`).replace(new RegExp(`-/${was}$`), `-/${now}`);
}
const reviewed = (key: string) => renamedApp(key) !== undefined || REVIEWED_CHANGES.some((c) => c.key.test(key));
const baselineObjects: Record<string, ObjectPrint> = Object.fromEntries(Object.entries(baseline.objects).map(([k, v]) => [currentKey(k), v]));

describe('render equivalence with the pre-restructuring baseline', async () => {
  const rendered = await renderPlatforms(root, await loadPlatforms(root), { secrets: loadOverlaySecrets });
  const now = new Map<string, { object: KubeObject; print: ObjectPrint }>();
  for (const r of rendered) for (const o of r.objects) now.set(objectKey(`${r.platform}/${r.app}/${r.env}`, o), { object: o, print: fingerprint(o) });

  it(`renders the same set of objects in every overlay as ${baseline.commit.slice(0, 7)}`, () => {
    const before = Object.keys(baselineObjects);
    expect([...now.keys()].filter((k) => !(k in baselineObjects) && !REVIEWED_ADDITIONS.some((a) => a.key.test(k))), 'objects that are new').toEqual([]);
    expect(before.filter((k) => !now.has(k)), 'objects that disappeared').toEqual([]);
    expect(before.length).toBeGreaterThan(1000);
  });

  it('changes objects only where issue 16 says so: more restricted containers, ipBlocks with more exceptions, suppression reasons without seed line refs', () => {
    const problems: string[] = [];
    const changed = { security: 0, ipBlocks: 0, suppress: 0 };
    for (const [key, was] of Object.entries(baselineObjects)) {
      const cur = now.get(key)?.print;
      if (!cur || cur.full === was.full || reviewed(key)) continue;
      if (cur.core !== was.core) {
        problems.push(`${key}: changed beyond security contexts, ipBlocks and suppression reasons`);
        continue;
      }
      if (canonical(cur.security) !== canonical(was.security)) {
        changed.security++;
        problems.push(...weakenings(was.security ?? {}, cur.security ?? {}).map((p) => `${key}: ${p}`));
      }
      if (canonical(cur.ipBlocks) !== canonical(was.ipBlocks)) {
        changed.ipBlocks++;
        problems.push(...ipBlockProblems(was.ipBlocks, cur.ipBlocks).map((p) => `${key}: ${p}`));
      }
      if (canonical(cur.suppress) !== canonical(was.suppress)) {
        changed.suppress++;
        for (const where of new Set([...Object.keys(was.suppress ?? {}), ...Object.keys(cur.suppress ?? {})])) {
          if (withoutLineRefs(was.suppress?.[where]) !== withoutLineRefs(cur.suppress?.[where])) problems.push(`${key}: suppression reasons (${where}) changed beyond seed line references`);
        }
      }
    }
    expect(problems).toEqual([]);
    // The intended change is real: dev and staging containers became restricted.
    expect(changed.security).toBeGreaterThan(50);
    console.log(`render-equivalence: changed ${changed.security} security contexts, ${changed.ipBlocks} NetworkPolicies' ipBlocks, ${changed.suppress} suppression reasons`);
  });
});
