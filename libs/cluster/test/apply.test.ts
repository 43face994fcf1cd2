/**
 * Every overlay of every platform in every environment, applied for real (not dry-run) to a local
 * control plane of the pinned kube-apiserver + etcd: 0 rejections; namespaces that enforce
 * `restricted` give 0 Pod Security warnings (except documented suppressions); every declared Secret
 * exists afterwards with the values `gitops secrets get` returns. Also the `gitops cluster` and
 * `gitops apply` commands themselves (refuse to start twice, status, exit codes, --json).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getValue } from '@gitops/secrets';
import { ksopsFiles } from '@gitops/pipeline';
import { parse } from 'yaml';
import { applyEnvironment, clusterDown, clusterUp, getObject, kubectlPath, ours, type ApplyReport, type ClusterState } from '../src';
import { gitops, missingTools, ROOT, tempDir, testKeyFile } from './support';

const skip = missingTools(['etcd', 'kube-apiserver', 'kustomize', 'sops']);
const ENVS = ['dev', 'staging', 'prod'] as const;
const dataOf = (o: Record<string, unknown> | undefined) => (o?.data ?? {}) as Record<string, string>;

describe.skipIf(!!skip)('every environment applied to a real kube-apiserver', () => {
  let cluster: ClusterState;
  const reports = new Map<string, ApplyReport>();
  const t = () => ({ kubectl: kubectlPath(), kubeconfig: cluster.kubeconfig });

  beforeAll(async () => {
    cluster = await clusterUp({ root: ROOT, dir: join(tempDir('cluster'), 'cp'), onProgress: (m) => process.stderr.write(`${m}\n`) });
  }, 240_000);
  afterAll(async () => {
    if (cluster) await clusterDown(cluster.dir);
  }, 60_000);

  it('`gitops cluster` refuses to start twice and reports the running cluster', async () => {
    const again = await gitops(['cluster', 'up', '--dir', cluster.dir]);
    expect(again.exitCode).toBe(1);
    expect(String(again.stderr)).toMatch(/already running/);
    const status = await gitops(['cluster', 'status', '--dir', cluster.dir, '--json']);
    expect(status.exitCode, String(status.stderr)).toBe(0);
    const s = JSON.parse(String(status.stdout));
    expect(s.ready).toBe(true);
    expect(s.processes.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['etcd', 'kube-apiserver']));
    expect(readFileSync(cluster.kubeconfig, 'utf8')).toContain(cluster.server);
  });

  for (const env of ENVS) {
    it(`${env}: every overlay is accepted (0 rejections, no unsuppressed Pod Security warning in restricted namespaces)`, async () => {
      const report = await applyEnvironment({
        root: ROOT,
        env,
        ...t(),
        processEnv: { ...process.env, SOPS_AGE_KEY_FILE: testKeyFile(env) },
      });
      reports.set(env, report);
      const rejections = [...report.crds.rejections, ...report.namespaces.rejections, ...report.overlays.flatMap((o) => o.rejections.map((r) => `${o.dir}: ${r}`))];
      expect(rejections).toEqual([]);
      expect(report.overlays.length).toBeGreaterThan(0);
      for (const o of report.overlays) expect(o.applied.length, o.dir).toBe(o.objects);
      const psa = report.overlays.filter((o) => o.enforce === 'restricted').flatMap((o) => o.warnings.filter((w) => w.podSecurity && !w.suppressed).map((w) => `${o.dir} ${w.object}: ${w.message}`));
      expect(psa).toEqual([]);
      process.stderr.write(
        `apply ${env}: ${report.overlays.length} overlays, ${report.totals.applied} objects accepted by kube-apiserver, 0 rejections, ` +
          `${report.totals.podSecurityWarnings} Pod Security warnings (${report.totals.unsuppressedPodSecurityWarnings} unsuppressed); Secrets decrypted by ${report.secretsBy}\n`,
      );
    });
  }

  it('every declared Secret exists in the cluster with the values `gitops secrets get` returns', async () => {
    let checked = 0;
    for (const env of ENVS) {
      const report = reports.get(env);
      expect(report, `${env} was applied`).toBeDefined();
      const identities = [readFileSync(testKeyFile(env), 'utf8')];
      for (const o of report!.overlays) {
        for (const file of ksopsFiles(join(ROOT, o.dir))) {
          const doc = parse(readFileSync(file, 'utf8'));
          const live = await getObject(t(), 'secret', doc.metadata.name, o.namespace);
          expect(live, `${relative(ROOT, file)} → Secret ${o.namespace}/${doc.metadata.name}`).toBeDefined();
          // What `gitops secrets get <file> <key>` prints: stringData as is, data base64-decoded.
          for (const [field, decode] of [['stringData', false], ['data', true]] as const) {
            for (const key of Object.keys(doc[field] ?? {})) {
              const v = String(await getValue(file, [field, key], { identities, config: false }));
              const expected = decode ? Buffer.from(v, 'base64').toString('utf8') : v;
              const actual = Buffer.from(dataOf(live)[key] ?? '', 'base64').toString('utf8');
              expect(actual === expected, `${relative(ROOT, file)} key ${key}`).toBe(true);
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    process.stderr.write(`apply: ${checked} Secret values in the cluster equal gitops secrets get\n`);
  });

  it('`gitops secrets get` (the CLI) agrees with the cluster for one value per environment', async () => {
    for (const env of ENVS) {
      const o = reports.get(env)!.overlays.find((x) => ksopsFiles(join(ROOT, x.dir)).length)!;
      const file = ksopsFiles(join(ROOT, o.dir))[0];
      const doc = parse(readFileSync(file, 'utf8'));
      const key = Object.keys(doc.stringData ?? doc.data)[0];
      const cli = await gitops(['secrets', 'get', file, key], { SOPS_AGE_KEY_FILE: testKeyFile(env) });
      expect(cli.exitCode, String(cli.stderr)).toBe(0);
      const live = await getObject(t(), 'secret', doc.metadata.name, o.namespace);
      expect(Buffer.from(dataOf(live)[key] ?? '', 'base64').toString('utf8') === String(cli.stdout)).toBe(true);
    }
  });

  it('`gitops apply --dry-run=server --json` reports per overlay and exits 0', async () => {
    const r = await gitops(['apply', 'hyperpage', '--env', 'staging', '--kubeconfig', cluster.kubeconfig, '--dry-run', 'server', '--json', '--no-crds'], {
      SOPS_AGE_KEY_FILE: testKeyFile('staging'),
    });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const report = JSON.parse(String(r.stdout)) as ApplyReport;
    expect(report.dryRun).toBe(true);
    expect(report.overlays.map((o) => o.platform)).toEqual(['hyperpage']);
    expect(report.totals.rejections).toBe(0);
    expect(report.totals.applied).toBeGreaterThan(5);
  });

  it('`gitops apply` rejects bad input with exit 2', async () => {
    expect((await gitops(['apply', '--env', 'nope', '--kubeconfig', cluster.kubeconfig])).exitCode).toBe(2);
    expect((await gitops(['apply', '--env', 'dev', '--kubeconfig', cluster.kubeconfig, '--dry-run', 'client'])).exitCode).toBe(2);
    expect((await gitops(['apply', 'no-such-platform', '--env', 'dev', '--kubeconfig', cluster.kubeconfig, '--no-crds'])).exitCode).toBe(2);
  });

  it('`gitops cluster down` stops every process by pid and removes the folder', async () => {
    const r = await gitops(['cluster', 'down', '--dir', cluster.dir, '--json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    for (const p of cluster.processes) expect(ours(p.pid, cluster.dir)).toBe(false);
    expect((await gitops(['cluster', 'status', '--dir', cluster.dir])).exitCode).toBe(1);
    cluster = undefined as never;
  });
});
