/**
 * `npm run bench` timings of the loop (asserts nothing): bootstrap apply → every dev Application that
 * can render Synced; a pushed change of one app (platform source → gitops generate → commit → push →
 * refresh as the webhook would) → that Application Synced at the new commit, and → every dev
 * Application compared at that commit. Needs an Argo CD binary (ARGOCD_BIN; v3.5.1 cannot be built here).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ksopsFiles } from '@gitops/secrets-workflow';
import { lookupTool } from '@gitops/cluster';
import { refresh, waitForApps } from './applications';
import { generateIn } from './generate';
import { commitAndPush } from './git-remote';
import { applyBootstrap, startLoop } from './loop';

export interface ArgoCdBench {
  loopUpMs: number;
  bootstrapToDevSyncedMs: number;
  devApps: number;
  pushToOneAppSyncedMs: number;
  pushToAllDevAtRevisionMs: number;
}

const TIMEOUT = 600_000;

export async function benchArgoCd(root: string, say: (m: string) => void = () => {}): Promise<ArgoCdBench> {
  let t = Date.now();
  const loop = await startLoop(root, { onProgress: say });
  const loopUpMs = Date.now() - t;
  try {
    const ksops = !!lookupTool('ksops', root);
    const dir = join(loop.remote.work, 'argocd', 'apps', 'dev');
    const dev = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .map((f) => parse(readFileSync(join(dir, f), 'utf8')))
      .filter((a) => a?.kind === 'Application' && (ksops || !ksopsFiles(join(loop.remote.work, a.spec.source.path)).length))
      .map((a) => a.metadata.name as string);
    t = Date.now();
    await applyBootstrap(loop, 'dev');
    await waitForApps(loop.target, 'dev Applications Synced', (all) => dev.every((n) => all.some((a) => a.name === n && a.sync === 'Synced' && a.operationPhase === 'Succeeded')), TIMEOUT);
    const bootstrapToDevSyncedMs = Date.now() - t;

    say('bench: push a replica change of sevensa ingress (dev)');
    const src = join(loop.remote.work, 'libs/platforms/sevensa/src/apps/ingress.ts');
    const text = readFileSync(src, 'utf8');
    const changed = text.replace('const REPLICAS: ByEnv<number> = { dev: 1,', 'const REPLICAS: ByEnv<number> = { dev: 2,');
    if (changed === text) throw new Error(`${src}: the traefik replica setting moved; update libs/argocd-e2e/src/bench.ts`);
    writeFileSync(src, changed);
    await generateIn(root, loop.remote.work, loop.remote.url, ['sevensa']);
    const pushed = await commitAndPush(loop.remote, 'bench: traefik replicas');
    t = Date.now();
    await refresh(loop.target, dev);
    await waitForApps(loop.target, 'sevensa-ingress-dev synced to the push', (all) => all.some((a) => a.name === 'sevensa-ingress-dev' && a.sync === 'Synced' && a.operationRevision === pushed && a.operationPhase === 'Succeeded'), TIMEOUT);
    const pushToOneAppSyncedMs = Date.now() - t;
    await waitForApps(loop.target, 'every dev Application at the push', (all) => dev.every((n) => all.some((a) => a.name === n && a.sync === 'Synced' && a.revision === pushed)), TIMEOUT);
    const pushToAllDevAtRevisionMs = Date.now() - t;
    return { loopUpMs, bootstrapToDevSyncedMs, devApps: dev.length, pushToOneAppSyncedMs, pushToAllDevAtRevisionMs };
  } finally {
    await loop.stop();
  }
}
