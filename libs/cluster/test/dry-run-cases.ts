/**
 * `gitops apply --dry-run server` on a cluster that has none of the Namespaces and CRDs the apply
 * brings: a dry run stores nothing, so the Namespaces and CRDs the apply creates do not exist for the
 * objects after them. Those objects are reported as not checked (naming the Namespace or CRD they
 * need), not as rejections; anything else the server refuses still is one (exit 1): a planted
 * invalid field, and a custom kind whose CRD this apply does not bring (`--no-crds`).
 *
 * Registered by validate-agreement.test.ts on its control plane (it holds one namespace of its own
 * and no CRDs, and a dry run changes nothing), so the suite starts one kube-apiserver less.
 */
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApplyReport, ClusterState } from '../src';
import { gitops, ROOT, tempDir, testKeyFile } from './support';

const KEY = { SOPS_AGE_KEY_FILE: testKeyFile('dev') };

/** needs → count over the report's overlays, e.g. `Namespace ms5-dev` → 97. */
function uncheckedBy(r: ApplyReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of r.overlays) for (const u of o.unchecked) out[`${u.needs.kind} ${u.needs.name}`] = (out[`${u.needs.kind} ${u.needs.name}`] ?? 0) + 1;
  return out;
}

/**
 * A throwaway repository holding hyperpage (library and generated dev overlay, copied) with one
 * fault planted in a file of its dev overlay: `from` replaced by `to`.
 */
function plantedRepo(file: string, from: string, to: string): string {
  const root = tempDir('dry-run-repo');
  writeFileSync(join(root, 'nx.json'), '{}\n');
  for (const link of ['node_modules', 'third_party', '.tools']) symlinkSync(join(ROOT, link), join(root, link));
  for (const dir of ['libs/platforms/hyperpage', 'environments/base/hyperpage', 'environments/dev/hyperpage']) cpSync(join(ROOT, dir), join(root, dir), { recursive: true });
  const path = join(root, 'environments/dev/hyperpage', file);
  const text = readFileSync(path, 'utf8');
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
  return root;
}

export function dryRunCases(cluster: ClusterState): void {
  describe('`gitops apply --dry-run server` on a cluster without the Namespaces and CRDs', () => {
    const dryRun = (args: string[], cwd = ROOT) => gitops(['apply', ...args, '--env', 'dev', '--kubeconfig', cluster.kubeconfig, '--dry-run', 'server'], KEY, cwd);

    it('reports objects needing a Namespace or CRD of this apply as not checked, exit 0', async () => {
      const r = await dryRun(['hyperpage', 'ms5', '--json']);
      expect(r.exitCode, String(r.stderr)).toBe(0);
      const out = JSON.parse(String(r.stdout)) as ApplyReport;
      expect(out.dryRun).toBe(true);
      expect(out.totals.rejections).toBe(0);
      expect(out.overlays.flatMap((o) => o.rejections)).toEqual([]);
      const by = uncheckedBy(out);
      expect(by['Namespace hyperpage-dev']).toBeGreaterThan(10);
      expect(by['Namespace ms5-dev']).toBeGreaterThan(10);
      // ms5's PrometheusRule: a kind of a vendored CRD, dry-run applied too, so not served.
      expect(by['CustomResourceDefinition prometheusrules.monitoring.coreos.com']).toBeGreaterThan(0);
      expect(out.totals.unchecked).toBe(Object.values(by).reduce((a, b) => a + b, 0));
      // Every object is either accepted or not checked; the cluster-scoped ones were checked.
      for (const o of out.overlays) expect(o.applied.length + o.unchecked.length, o.dir).toBe(o.objects);
      expect(out.overlays.find((o) => o.platform === 'hyperpage')!.applied).toContain('priorityclass.scheduling.k8s.io/hyperpage-critical');

      const text = await dryRun(['ms5']);
      expect(text.exitCode, String(text.stderr)).toBe(0);
      expect(String(text.stdout)).toMatch(/^partial +environments\/dev\/ms5: 1\/\d+ objects applied, \d+ not checked/m);
      expect(String(text.stdout)).toMatch(/^ {2}not checked: \d+ objects need Namespace ms5-dev created by this apply \(a dry run stores nothing\)$/m);
      expect(String(text.stdout)).toMatch(/^ {2}not checked: 1 object needs CRD prometheusrules\.monitoring\.coreos\.com created by this apply/m);
      expect(String(text.stdout)).toMatch(/^total: 1 objects applied, 0 rejections, \d+ not checked/m);
    }, 120_000);

    it('a custom kind whose CRD this apply does not create (--no-crds) is still a rejection, exit 1', async () => {
      const r = await dryRun(['ms5', '--no-crds', '--json']);
      expect(r.exitCode).toBe(1);
      const out = JSON.parse(String(r.stdout)) as ApplyReport;
      expect(out.overlays[0].rejections).toEqual([expect.stringMatching(/no matches for kind "PrometheusRule" in version "monitoring.coreos.com\/v1"; ensure CRDs are installed first/)]);
      expect(out.totals.rejections).toBe(1);
      expect(Object.keys(uncheckedBy(out))).toEqual(['Namespace ms5-dev']);
      expect(String(r.stderr)).toMatch(/1 object\(s\) rejected by the API server/);
    }, 120_000);

    it('a planted invalid field in the same dry run is still a rejection with the server\'s message, exit 1', async () => {
      // The ClusterRoleBinding is cluster-scoped: the server checks it although the Namespace does not exist.
      const root = plantedRepo('clusterrolebindings.yaml', '  kind: ClusterRole\n', '  kind: NotARole\n');
      const r = await dryRun(['hyperpage', '--json'], root);
      expect(r.exitCode, String(r.stderr)).toBe(1);
      const out = JSON.parse(String(r.stdout)) as ApplyReport;
      expect(out.overlays[0].rejections).toEqual([expect.stringMatching(/ClusterRoleBinding\.rbac\.authorization\.k8s\.io "hyperpage-dev-node-reader" is invalid: roleRef\.kind: Unsupported value: "NotARole"/)]);
      expect(out.totals.rejections).toBe(1);
      expect(uncheckedBy(out)['Namespace hyperpage-dev']).toBeGreaterThan(10);
    }, 120_000);

    it('a Namespace the server refuses excuses nothing: its objects stay rejections, exit 1', async () => {
      const root = plantedRepo('namespace.yaml', '    app.kubernetes.io/part-of: hyperpage\n', '    app.kubernetes.io/part-of: "not a label value!"\n');
      const r = await dryRun(['hyperpage', '--json'], root);
      expect(r.exitCode, String(r.stderr)).toBe(1);
      const out = JSON.parse(String(r.stdout)) as ApplyReport;
      expect(out.namespaces.rejections).toEqual([expect.stringMatching(/Namespace "hyperpage-dev" is invalid: metadata\.labels: Invalid value: "not a label value!"/)]);
      expect(out.totals.unchecked).toBe(0);
      const rejections = out.overlays[0].rejections;
      expect(rejections.length).toBeGreaterThan(10);
      expect(new Set(rejections)).toEqual(new Set(['Error from server (NotFound): namespaces "hyperpage-dev" not found']));
    }, 120_000);
  });
}
