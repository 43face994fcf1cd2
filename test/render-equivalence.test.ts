/**
 * Issue 16's restructuring (one build pass, platform kit, layout owner, base/overlay split) must not
 * change what any overlay renders, except where the issue says so: the restricted container security
 * context became the default in every environment. Every rendered object is compared with a
 * fingerprint taken before the work (test/fixtures/render-baseline.json, at the commit it names).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@gitops/core';
import { loadPlatforms, renderPlatforms } from '@gitops/pipeline';
import { loadOverlaySecrets } from '@gitops/secrets-workflow';
import { fingerprint, objectKey, podSpecOf, type ObjectPrint } from './support/render-fingerprint';

const root = resolve(__dirname, '..');
const baseline = JSON.parse(readFileSync(resolve(__dirname, 'fixtures/render-baseline.json'), 'utf8')) as { commit: string; objects: Record<string, ObjectPrint> };

/** What "restricted" means for a container (Pod Security Standards, restricted profile). */
function restrictedProblems(o: KubeObject): string[] {
  const pod = podSpecOf(o);
  if (!pod) return ['not a workload, yet only its security context changed'];
  return [...(pod.containers ?? []), ...(pod.initContainers ?? [])].flatMap((c: any) => {
    const sc = c.securityContext ?? {};
    const bad: string[] = [];
    if (sc.allowPrivilegeEscalation !== false) bad.push('allowPrivilegeEscalation');
    if (!sc.capabilities?.drop?.includes('ALL')) bad.push('capabilities.drop');
    if (sc.seccompProfile?.type !== 'RuntimeDefault' && pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault') bad.push('seccompProfile');
    if (sc.runAsNonRoot !== true && pod.securityContext?.runAsNonRoot !== true) bad.push('runAsNonRoot');
    return bad.map((f) => `container ${c.name}: securityContext.${f} is not restricted`);
  });
}

describe('render equivalence with the pre-restructuring baseline', async () => {
  const rendered = await renderPlatforms(root, await loadPlatforms(root), { secrets: loadOverlaySecrets });
  const now = new Map<string, { object: KubeObject; print: ObjectPrint }>();
  for (const r of rendered) for (const o of r.objects) now.set(objectKey(`${r.platform}/${r.app}/${r.env}`, o), { object: o, print: fingerprint(o) });

  it(`renders the same set of objects in every overlay as ${baseline.commit.slice(0, 7)}`, () => {
    const before = Object.keys(baseline.objects);
    expect([...now.keys()].filter((k) => !(k in baseline.objects)), 'objects that are new').toEqual([]);
    expect(before.filter((k) => !now.has(k)), 'objects that disappeared').toEqual([]);
    expect(before.length).toBeGreaterThan(1000);
  });

  it('changes no object except to make its containers restricted', () => {
    const problems: string[] = [];
    let securityOnly = 0;
    for (const [key, was] of Object.entries(baseline.objects)) {
      const cur = now.get(key);
      if (!cur || cur.print.full === was.full) continue;
      if (cur.print.withoutSecurity !== was.withoutSecurity) {
        problems.push(`${key}: changed beyond its security context`);
        continue;
      }
      securityOnly++;
      problems.push(...restrictedProblems(cur.object).map((p) => `${key}: ${p}`));
    }
    expect(problems).toEqual([]);
    // Recorded so the size of the intended change is visible in the test output.
    console.log(`render-equivalence: ${securityOnly} objects changed only their security context`);
  });
});
