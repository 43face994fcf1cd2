/** Every overlay renders with the real kustomize to exactly what was compiled, and validates clean. */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForTest, renderVsCompile, validateRendered, type RenderedPlatform } from '@gitops/pipeline';
import { ENVS, SEED_APPS, workloads } from './fixture';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('sevensa');
});

describe('sevensa renders', () => {
  it('renders exactly what was compiled', () => {
    expect(renderVsCompile(r)).toEqual([]);
  });

  it('has the eight apps of the seed namespace table plus the Velero schedules, each in three environments', () => {
    expect(r.platform.spec.apps.map((a) => a.name)).toEqual([...SEED_APPS, 'backups']);
    expect(r.overlays.size).toBe(27);
    for (const app of SEED_APPS) for (const env of ENVS) expect(workloads(r.objects(env, app)).length).toBeGreaterThan(0);
  });

  it('validates with zero errors and zero warnings at each environment level', async () => {
    const problems: string[] = [];
    for (const [key, o] of r.overlays) {
      const res = await validateRendered(r.platform, o);
      for (const f of res.findings) problems.push(`${key}: ${f.severity} ${f.rule} ${f.kind}/${f.name} ${f.path}: ${f.message}`);
    }
    expect(problems).toEqual([]);
  });

  it('suppresses exactly the recorded exceptions in prod, each with a reason', async () => {
    const prod = [...r.overlays.values()].filter((o) => o.env === 'prod');
    const suppressed = (await Promise.all(prod.map((o) => validateRendered(r.platform, o))))
      .flatMap((res) => res.suppressions.map((s) => `${s.kind}/${s.namespace}/${s.name} ${s.rule}`))
      .filter((s) => !s.includes('allow-acme-http01'))
      .sort();
    expect(suppressed).toEqual([
      'DaemonSet/logging/promtail pss-host-path',
      'DaemonSet/logging/promtail pss-run-as-non-root',
      'Deployment/infra/keycloak pss-read-only-root-fs',
    ]);
  });

  it('references only declared secrets and keys, and never pins `latest`', () => {
    for (const [key, o] of r.overlays) {
      const declared = new Map((r.platform.spec.apps.find((a) => a.name === o.app)!.secrets ?? []).map((s) => [s.name, new Set(s.keys.map((k) => k.name))]));
      for (const w of workloads(o.objects)) {
        const spec = (w.spec as any).template?.spec ?? (w.spec as any).jobTemplate.spec.template.spec;
        for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
          expect(c.image, `${key} ${w.metadata!.name}`).toMatch(/:[\w][\w.-]*$/);
          expect(c.image).not.toMatch(/:latest$/);
          for (const e of c.env ?? []) {
            const ref = e.valueFrom?.secretKeyRef;
            if (ref) expect(declared.get(ref.name)?.has(ref.key), `${key} ${w.metadata!.name} ${e.name}`).toBe(true);
          }
        }
      }
    }
  });
});
