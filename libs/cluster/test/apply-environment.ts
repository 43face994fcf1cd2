/**
 * The body of apply-{dev,staging,prod}.test.ts (one file per environment, so vitest can run them on
 * different workers; each starts its own control plane).
 *
 * Every overlay of every platform in every environment, applied for real (not dry-run) to a local
 * control plane of the pinned kube-apiserver + etcd, one control plane per environment (each
 * environment is its own cluster: libs/environments destinations; platforms reuse namespace names
 * across environments, so one cluster for all three would mix them): 0 rejections; namespaces that enforce
 * `restricted` give 0 Pod Security warnings (except documented suppressions); every declared Secret
 * exists afterwards with the values `gitops secrets get` returns. Also the `gitops cluster` and
 * `gitops apply` commands themselves (refuse to start twice, status, exit codes, --json).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getValue } from '@gitops/secrets';
import { ksopsFiles } from '@gitops/secrets-workflow';
import { parse } from 'yaml';
import { applyEnvironment, formatApplyReport, getObject, kubectlPath, listObjects, ours, type ApplyReport, type ClusterState } from '../src';
import { gitops, missingTools, ROOT, tempDir, testIdentities, testKeyFile, useControlPlane } from './support';

const skip = missingTools(['etcd', 'kube-apiserver', 'kustomize', 'sops']);
const dataOf = (o: Record<string, unknown> | undefined) => (o?.data ?? {}) as Record<string, string>;

export function describeApply(env: 'dev' | 'staging' | 'prod'): void {
  describe.skipIf(!!skip)(`${env} applied to a real kube-apiserver`, () => {
    const cluster = useControlPlane(`cluster-${env}`, { onProgress: (m) => process.stderr.write(`${m}\n`) });
    let report: ApplyReport;
    const t = () => ({ kubectl: kubectlPath(), kubeconfig: cluster.kubeconfig });

    if (env === 'dev') {
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
    }

    it('every overlay is accepted (0 rejections, no unsuppressed Pod Security warning in restricted namespaces)', async () => {
      report = await applyEnvironment({
        root: ROOT,
        env,
        ...t(),
        processEnv: { ...process.env, SOPS_AGE_KEY_FILE: testKeyFile(env) },
      });
      const rejections = [...report.crds.rejections, ...report.namespaces.rejections, ...report.overlays.flatMap((o) => o.rejections.map((r) => `${o.dir}: ${r}`))];
      expect(rejections).toEqual([]);
      expect(report.overlays.length).toBeGreaterThan(0);
      for (const o of report.overlays) expect(o.applied.length, o.dir).toBe(o.objects);
      const psa = report.overlays.filter((o) => o.enforce === 'restricted').flatMap((o) => o.warnings.filter((w) => w.podSecurity && !w.suppressed).map((w) => `${o.dir} ${w.object}: ${w.message}`));
      expect(psa).toEqual([]);
      for (const o of report.overlays) process.stderr.write(`apply ${o.dir}: ${o.applied.length}/${o.objects} objects accepted by kube-apiserver (${o.secrets} Secrets decrypted by ${report.secretsBy})\n`);
      process.stderr.write(
        `apply ${env}: ${report.overlays.length} overlays, ${report.totals.applied} objects accepted by kube-apiserver, 0 rejections, ` +
          `${report.totals.podSecurityWarnings} Pod Security warnings (${report.totals.unsuppressedPodSecurityWarnings} unsuppressed); Secrets decrypted by ${report.secretsBy}\n`,
      );
    }, 600_000);

    it('every declared Secret exists in the cluster with the values `gitops secrets get` returns', async () => {
      expect(report, `${env} was applied`).toBeDefined();
      let checked = 0;
      const identities = testIdentities(env);
      for (const o of report.overlays) {
        const files = ksopsFiles(join(ROOT, o.dir));
        const secrets = files.length ? await listObjects(t(), 'secrets', o.namespace!) : new Map();
        for (const file of files) {
          const doc = parse(readFileSync(file, 'utf8'));
          const live = secrets.get(doc.metadata.name);
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
      expect(checked).toBeGreaterThan(30);
      process.stderr.write(`apply ${env}: ${checked} Secret values in the cluster equal gitops secrets get (decrypted by ${report.secretsBy})\n`);
    }, 300_000);

    it('`gitops secrets get` (the CLI) agrees with the cluster', async () => {
      const o = report.overlays.find((x) => ksopsFiles(join(ROOT, x.dir)).length)!;
      const file = ksopsFiles(join(ROOT, o.dir))[0];
      const doc = parse(readFileSync(file, 'utf8'));
      const key = Object.keys(doc.stringData ?? doc.data)[0];
      const cli = await gitops(['secrets', 'get', file, key], { SOPS_AGE_KEY_FILE: testKeyFile(env) });
      expect(cli.exitCode, String(cli.stderr)).toBe(0);
      const live = await getObject(t(), 'secret', doc.metadata.name, o.namespace);
      expect(Buffer.from(dataOf(live)[key] ?? '', 'base64').toString('utf8') === String(cli.stdout)).toBe(true);
    });

    if (env === 'staging') {
      it('`gitops apply --dry-run server --json` reports per overlay and exits 0', async () => {
        const r = await gitops(['apply', 'hyperpage', '--env', 'staging', '--kubeconfig', cluster.kubeconfig, '--dry-run', 'server', '--json', '--no-crds'], {
          SOPS_AGE_KEY_FILE: testKeyFile('staging'),
        });
        expect(r.exitCode, String(r.stderr)).toBe(0);
        const out = JSON.parse(String(r.stdout)) as ApplyReport;
        expect(out.dryRun).toBe(true);
        expect(out.overlays.map((o) => o.platform)).toEqual(['hyperpage']);
        expect(out.totals.rejections).toBe(0);
        expect(out.totals.applied).toBeGreaterThan(5);
        // The Namespaces and CRDs exist (applied for real before): the server checked every object.
        expect(out.totals.unchecked).toBe(0);
      });

      it('`gitops apply` rejects bad input with exit 2', async () => {
        expect((await gitops(['apply', '--env', 'nope', '--kubeconfig', cluster.kubeconfig])).exitCode).toBe(2);
        expect((await gitops(['apply', '--env', 'dev', '--kubeconfig', cluster.kubeconfig, '--dry-run', 'client'])).exitCode).toBe(2);
        expect((await gitops(['apply', 'no-such-platform', '--env', 'dev', '--kubeconfig', cluster.kubeconfig, '--no-crds'])).exitCode).toBe(2);
      });

      it('`gitops apply` reports an overlay that does not render as not rendered, not as API server rejections (exit 1)', async () => {
        // staging's SOPS files with dev's key: sops cannot decrypt them, nothing of those overlays reaches the server.
        const r = await gitops(['apply', 'sevensa', '--env', 'staging', '--kubeconfig', cluster.kubeconfig, '--dry-run', 'server', '--json'], {
          SOPS_AGE_KEY_FILE: testKeyFile('dev'),
        });
        expect(r.exitCode, String(r.stderr)).toBe(1);
        const out = JSON.parse(String(r.stdout)) as ApplyReport;
        const failed = out.overlays.filter((o) => o.renderError !== undefined);
        expect(failed.length).toBeGreaterThan(0);
        expect(out.totals.renderFailures).toBe(failed.length);
        expect(out.totals.rejections).toBe(0);
        for (const o of failed) {
          expect(o.rejections).toEqual([]);
          expect(o.renderError).toMatch(/^secrets\/[\w.-]+\.yaml: sops --decrypt failed \(exit \d+\): [^\n]+$/);
        }
        expect(String(r.stderr).split('\n').filter((l) => /error|reject/i.test(l))).toEqual([`error: ${failed.length} overlay(s) could not be rendered`]);
        const text = formatApplyReport(out);
        for (const o of failed) expect(text).toContain(`NOT RENDERED ${o.dir}: ${o.renderError}\n`);
        expect(text).not.toMatch(/REJECTED|ENC\[|Group 0/);
        expect(text).toContain(`${failed.length} overlays not rendered`);
      });

      it('`gitops apply --kubeconfig` of a folder or a file that is not a kubeconfig exits 2 naming it', async () => {
        const notKubeconfig = join(tempDir('not-kubeconfig'), 'notes.txt');
        writeFileSync(notKubeconfig, 'just text\n');
        for (const [file, message] of [
          [tmpdir(), `error: --kubeconfig ${tmpdir()}: not a file\n`],
          [notKubeconfig, /^error: kubeconfig \S+notes\.txt: not a kubeconfig kubectl can use \(kubectl: error: error loading config file .*\)\n$/],
        ] as const) {
          const r = await gitops(['apply', 'hyperpage', '--env', 'dev', '--kubeconfig', file]);
          expect(r.exitCode, String(r.stderr)).toBe(2);
          expect(String(r.stderr)).toMatch(message);
          expect(String(r.stderr)).not.toMatch(/\.ts:\d+/);
        }
      });
    }

    if (env === 'prod') {
      it('`gitops apply` exits 1 and reports the API server\'s message when it rejects an object', async () => {
        // staging's platform9 claims differ from prod's in immutable fields (storage class, access mode):
        // applied over prod's live objects, the server refuses, as it would for such a change in git.
        const r = await gitops(['apply', 'platform9', '--env', 'staging', '--kubeconfig', cluster.kubeconfig, '--no-crds', '--json'], { SOPS_AGE_KEY_FILE: testKeyFile('staging') });
        expect(r.exitCode).toBe(1);
        const out = JSON.parse(String(r.stdout)) as ApplyReport;
        expect(out.totals.rejections).toBeGreaterThan(0);
        expect(out.overlays[0].rejections.join('\n')).toMatch(/PersistentVolumeClaim "[a-z-]+" is invalid: spec: Forbidden: spec is immutable/);
        expect(String(r.stderr)).toMatch(/rejected by the API server/);
      });

      it('`gitops cluster down` stops every process by pid and removes the folder', async () => {
        const r = await gitops(['cluster', 'down', '--dir', cluster.dir, '--json']);
        expect(r.exitCode, String(r.stderr)).toBe(0);
        for (const p of cluster.processes) expect(ours(p.pid, cluster.dir)).toBe(false);
        expect((await gitops(['cluster', 'status', '--dir', cluster.dir])).exitCode).toBe(1);
        delete (cluster as Partial<ClusterState>).dir; // down already: nothing left for useControlPlane's afterAll
      });
    }
  });
}
