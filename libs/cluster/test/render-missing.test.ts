/**
 * An overlay whose KSOPS generator lists a SOPS file that does not exist does not render for
 * `gitops apply` (KSOPS fails on it in Argo CD), and the reason names the file relative to the
 * overlay in the SOPS loader's own words, as `gitops validate` reports it. Real kustomize.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTool, renderForApply, RepoServerRenderError, sopsDecrypt } from '../src';
import { missingTools, ROOT, testKeyFile } from './support';

const skip = missingTools(['kustomize', 'sops']);
const dir = mkdtempSync(join(tmpdir(), 'gitops-render-missing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!!skip)('renderForApply', () => {
  it('a listed SOPS file that does not exist: a render error named by that file, in the loader\'s words', async () => {
    const overlay = join(dir, 'overlay');
    mkdirSync(join(overlay, 'secrets'), { recursive: true });
    writeFileSync(join(overlay, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: demo\nresources:\n  - configmap.yaml\ngenerators:\n  - secret-generator.yaml\n');
    writeFileSync(join(overlay, 'configmap.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n');
    writeFileSync(join(overlay, 'secret-generator.yaml'), 'apiVersion: viaduct.ai/v1\nkind: ksops\nmetadata:\n  name: secret-generator\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ksops\nfiles:\n  - ./secrets/missing.enc.yaml\n');
    const tools = { kustomize: findTool('kustomize', ROOT), sops: findTool('sops', ROOT) };
    const e = await renderForApply(overlay, tools).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(RepoServerRenderError);
    expect((e as RepoServerRenderError).dir).toBe(join(overlay, 'secrets/missing.enc.yaml'));
    expect((e as RepoServerRenderError).reason).toBe('the file does not exist (create it: gitops secrets init)');
  });

  it('a SOPS file no identity of ours opens: sops\'s reason and how to give the key', async () => {
    const file = join(ROOT, 'environments/staging/hyperpage/secrets/hyperpage-secrets.enc.yaml');
    const env = { PATH: process.env.PATH, HOME: dir, SOPS_AGE_KEY_FILE: testKeyFile('dev') };
    const e = await sopsDecrypt(findTool('sops', ROOT), file, env).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(RepoServerRenderError);
    expect((e as RepoServerRenderError).reason).toMatch(/^sops --decrypt failed \(exit \d+\): Failed to get the data key required to decrypt the SOPS file\. \(give the environment's age key: SOPS_AGE_KEY_FILE=<keys file>, SOPS_AGE_KEY, SOPS_AGE_KEY_CMD or /);
  });
});

