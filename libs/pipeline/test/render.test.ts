import { describe, expect, it } from 'vitest';
import { UserError } from '@gitops/core';
import { generateAll, loadPlatform, overlayDirs, renderEnvironment, renderPlatforms, type OverlayRenderError } from '../src';
import { useTempRepo } from './sample-repo';

describe('renderEnvironment (gitops render)', () => {
  const repo = useTempRepo(['sample'], async (r) => {
    await generateAll(r.root, ['sample']);
  });

  it('renders the environment’s overlay with the real kustomize', async () => {
    const objects = await renderEnvironment(repo().root, 'sample', { env: 'prod', secrets: false });
    const api = objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === 'api') as unknown as { spec: { replicas: number }; metadata: { namespace: string } };
    expect(api.metadata.namespace).toBe('sample-prod');
    expect(api.spec.replicas).toBe(3);
  });

  it('renderPlatforms: results in overlay order, onRendered once per overlay, Secrets from the loader it is given', async () => {
    const p = await loadPlatform(repo().root, 'sample');
    const seen: Array<[string, number, number]> = [];
    const rendered = await renderPlatforms(repo().root, [p], {
      secrets: async (dir) => [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: `from-${dir.split('/').slice(-2).join('-')}` } } as never],
      onRendered: (r, done, total) => seen.push([r.dir, done, total]),
    });
    expect(rendered.map((r) => r.dir)).toEqual(overlayDirs(p).map((o) => o.dir));
    // One call per overlay, each with the right total (`done` only counts the calls).
    expect(seen).toHaveLength(rendered.length);
    expect(seen.every(([, , total]) => total === rendered.length)).toBe(true);
    expect(seen.map(([dir]) => dir).sort()).toEqual(rendered.map((r) => r.dir).sort());
    for (const r of rendered) expect(r.objects.at(-1)?.metadata?.name).toBe(`from-${r.env}-sample`);
  });

  it('renderPlatforms: a failure after kustomize (the Secrets loader) rejects the render, never as an unhandled rejection', async () => {
    const p = await loadPlatform(repo().root, 'sample');
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const err = await renderPlatforms(repo().root, [p], {
        secrets: async (dir) => {
          if (dir.includes('/dev/')) throw new Error(`broken secrets in ${dir}`);
          return [];
        },
      }).catch((e: unknown) => e);
      expect(String(err)).toMatch(/broken secrets in .*environments\/dev\/sample/);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('renderPlatforms with onFailed: an overlay the repository breaks is reported with relative paths, the others still render', async () => {
    const root = repo().root;
    const p = await loadPlatform(root, 'sample');
    const failed: OverlayRenderError[] = [];
    const rendered = await renderPlatforms(root, [p], {
      secrets: async (dir) => {
        if (!dir.includes('/dev/')) return [];
        // What the SOPS library throws for a tampered file (pipeline knows it by name and the `fileAtFault`
        // its table gives MAC_MISMATCH; the real error end to end: apps/gitops/test/exit-codes.test.ts).
        const file = `${dir}/secrets/x.enc.yaml`;
        throw Object.assign(new Error(`${file}: MAC mismatch in ${file}`), { name: 'SopsError', code: 'MAC_MISMATCH', fileAtFault: true, file, reason: `MAC mismatch in ${file}` });
      },
      onFailed: (e) => failed.push(e),
    });
    expect(rendered.map((r) => r?.env)).toEqual([undefined, 'staging', 'prod']);
    expect(failed.map((e) => [e.overlay.dir, e.file, e.reason, e.exitCode])).toEqual([
      ['environments/dev/sample', 'environments/dev/sample/secrets/x.enc.yaml', "MAC mismatch in environments/dev/sample/secrets/x.enc.yaml (the overlay's KSOPS generator lists it)", 1],
    ]);
  });

  it('renderPlatforms with onFailed: an unusable key source is not one overlay’s fault and still fails the run', async () => {
    const p = await loadPlatform(repo().root, 'sample');
    const failed: OverlayRenderError[] = [];
    const err = await renderPlatforms(repo().root, [p], {
      secrets: async () => {
        throw Object.assign(new Error('SOPS_AGE_KEY_FILE /nowhere: cannot read'), { name: 'SopsError', code: 'IDENTITY_SOURCE_FAILED', fileAtFault: false });
      },
      onFailed: (e) => failed.push(e),
    }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('SopsError');
    expect(failed).toEqual([]);
  });

  it('refuses an app the platform does not have, naming its apps (exit 2)', async () => {
    const err = await renderEnvironment(repo().root, 'sample', { env: 'dev', app: 'nope', secrets: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as UserError).message).toBe('platform sample has no app "nope" (apps: sample)');
  });
});
