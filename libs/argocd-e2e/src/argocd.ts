/**
 * The real Argo CD (tools/toolchain/go/argocd, v3.5.1) against a local control plane: Redis, the
 * repo-server and the application controller as local processes, everything in `<cluster>/argocd/`.
 *
 * The binary picks its role by the name it runs under (cmd/main.go), so each role is a symlink named
 * after it inside the cluster folder; the folder in every command line is how `gitops cluster down`
 * (which stops every pid recorded in the cluster's state.json, newest first) knows the pid is ours.
 *
 * - repo-server: env, tools and age key laid out as the rendered repo-server Deployment configures
 *   them (repo-server-layout.ts); its own temporary folder (git checkouts) and ask-pass socket; GPG
 *   off (this project signs nothing); TLS with its generated self-signed certificate, as upstream.
 * - application controller: the cluster's kubeconfig; `ARGOCD_FAKE_IN_CLUSTER` makes Argo CD use it
 *   for the in-cluster destination (https://kubernetes.default.svc), as Argo CD's own local setup does.
 */
import { processAlive } from '@gitops/core/process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { delimiter, dirname, join } from 'node:path';
import { ARGOCD_NAMESPACE } from '@gitops/argocd';
import { execa } from 'execa';
import { toYamlDocuments } from '@gitops/kustomize';
import { findTool, lookupTool, kubectlArgs, renderArgocdInstall, freePort, kubectlPath, logTail, readState, serverSideApply, startDaemon, stopDaemon, pinnedTools, toolCacheDir, vendoredCrds, waitEstablished, waitFor, type ClusterState, type DaemonProcess, type KubectlTarget, type PinnedTool } from '@gitops/cluster';
import { UserError, type KubeObject } from '@gitops/core';
import { ageKeySecret, appliedInstallObjects, clusterSecret, findRendered } from './install';
import { startRedis } from './redis';
import { localRepoServerLayout } from './repo-server-layout';
import { LAB_HEALTH_FIELD_MANAGER, NODE_DEPENDENT_KINDS, labHealthConfigMap } from './lab-health';

export interface ArgoCdState {
  dir: string;
  redis: string;
  repoServer: string;
  ports: { redis: number; repoServer: number; repoServerMetrics: number; controllerMetrics: number };
  processes: DaemonProcess[];
  logs: { repoServer: string; controller: string };
  /** Tools the repo-server patch mounts that are not available here (ksops). */
  missingTools: string[];
  /** Named destinations registered as cluster Secrets. */
  clusters: Record<string, string>;
  readyAfterMs: number;
}

export const ARGOCD_STATE = 'argocd.json';

/** The Argo CD release the loop ran against (README: the newest that builds from the proxy). */
export const ARGOCD_EXERCISED_VERSION = 'v3.2.11';

/** The Argo CD binary: $ARGOCD_BIN, else the toolchain cache (.tools/bin, filled by build.mjs when the pin is buildable). */
export function argocdBinary(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const p = env.ARGOCD_BIN || join(toolCacheDir(root), 'argocd');
  if (!existsSync(p)) throw new UserError(`argocd not found at ${p}: ${argocdRemedy(root)}`, 1);
  return p;
}

/**
 * What to do without a binary. The build command only when the toolchain can build the pin: with
 * `unavailable` recorded in versions.json it prints why and exits 0, which is no remedy.
 */
function argocdRemedy(root: string): string {
  const pin = argocdPin(root);
  if (pin && !pin.unavailable) return 'build it with `node tools/toolchain/build.mjs argocd` or set ARGOCD_BIN';
  const why = pin ? `the pinned ${pin.version} cannot be built here (see libs/argocd-e2e/README.md)` : 'tools/toolchain/versions.json pins no Argo CD';
  return `set ARGOCD_BIN to an Argo CD binary: ${why}; the loop was exercised with ${ARGOCD_EXERCISED_VERSION}`;
}

/** The toolchain's Argo CD pin, or undefined when this checkout has no versions.json (or no pin). */
function argocdPin(root: string): PinnedTool | undefined {
  try {
    return pinnedTools(root).argocd;
  } catch {
    return undefined;
  }
}

function healthz(port: number, path: string): Promise<boolean> {
  return new Promise((res) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 5_000 }, (r) => {
      r.resume();
      res(r.statusCode === 200);
    });
    req.on('error', () => res(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function appendToClusterState(clusterDir: string, procs: DaemonProcess[]): void {
  const file = join(clusterDir, 'state.json');
  const s = JSON.parse(readFileSync(file, 'utf8')) as ClusterState;
  s.processes.push(...procs);
  writeFileSync(file, JSON.stringify(s, null, 2));
}

export interface ArgoCdUpOptions {
  root: string;
  cluster: ClusterState;
  /** The working copy whose generated argocd/install configures Argo CD. */
  work: string;
  /** age identities (keys.txt content) the repo-server decrypts with. */
  ageIdentities: string;
  /** Add the health customizations of lab-health.ts (default true). */
  labHealth?: boolean;
  onProgress?: (msg: string) => void;
  env?: NodeJS.ProcessEnv;
}

export async function argocdUp(opts: ArgoCdUpOptions): Promise<ArgoCdState> {
  const env = opts.env ?? process.env;
  const say = opts.onProgress ?? (() => {});
  const started = Date.now();
  const argocd = argocdBinary(opts.root, env);
  // KSOPS is recorded unavailable in tools/toolchain/versions.json (the proxy refuses it): without it the
  // repo-server runs, and every overlay listing the KSOPS generator fails to render, with kustomize's message.
  const ksops = lookupTool('ksops', opts.root, env);
  const tools: Record<string, string> = { kustomize: findTool('kustomize', opts.root, env).path, ...(ksops ? { ksops: ksops.path } : {}) };
  const dir = join(opts.cluster.dir, 'argocd');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const target: KubectlTarget = { kubectl: kubectlPath(env), kubeconfig: opts.cluster.kubeconfig };

  say('argocd: rendering argocd/install (upstream v3.5.1 + generated patches) with kustomize');
  const rendered = await renderArgocdInstall(opts.work, findTool('kustomize', opts.root, env));
  const ca = readFileSync(join(opts.cluster.dir, 'ca.crt'), 'utf8');
  const token = readFileSync(join(opts.cluster.dir, 'tokens.csv'), 'utf8').split(',')[0];
  const port = new URL(opts.cluster.server).port;
  const clusters = { staging: `https://localhost:${port}`, prod: `https://127.0.0.1:${port}` };
  const age = ageKeySecret(opts.ageIdentities);
  const crds = vendoredCrds(opts.root);
  const install = appliedInstallObjects(rendered);
  say(`argocd: applying ${crds.length} CRDs, ${install.length} install objects, the age key Secret and ${Object.keys(clusters).length} cluster Secrets`);
  const ns = install.filter((o) => o.kind === 'Namespace');
  const applyAll = async (objs: KubeObject[], what: string) => {
    const r = await serverSideApply(target, objs);
    if (r.errors.length) throw new Error(`applying ${what}: ${r.errors.join('\n')}`);
  };
  await applyAll([...ns, ...crds], 'namespace and CRDs');
  await waitEstablished(target, crds.map((c) => c.metadata!.name!));
  await applyAll([...install.filter((o) => o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition'), age, ...Object.entries(clusters).map(([n, s]) => clusterSecret(n, s, token, ca))], 'install objects');
  if (opts.labHealth !== false) {
    say(`argocd: health customizations for ${NODE_DEPENDENT_KINDS.length} node-dependent kinds (lab-health.ts)`);
    // Its own field manager, so the generated argocd-cm keys (applied by `gitops`) stay as they are.
    const r = await execa(target.kubectl, kubectlArgs(target, ['apply', '--server-side', `--field-manager=${LAB_HEALTH_FIELD_MANAGER}`, '-f', '-']), { input: toYamlDocuments([labHealthConfigMap()]), reject: false });
    if (r.exitCode !== 0) throw new Error(`applying the health customizations: ${String(r.stderr).trim()}`);
  }

  const fsRoot = join(dir, 'repo-server-root');
  const layout = localRepoServerLayout(findRendered(rendered, 'Deployment', 'argocd-repo-server') as any, { fsRoot, tools, secrets: [age], optionalTools: ['ksops'] });
  if (layout.missingTools.length) say(`argocd: WARNING ${layout.missingTools.join(', ')} not available: overlays that need it will fail to render`);
  for (const l of layout.links) {
    mkdirSync(dirname(l.path), { recursive: true });
    symlinkSync(l.target, l.path);
  }
  for (const f of layout.files) {
    mkdirSync(dirname(f.path), { recursive: true, mode: 0o700 });
    writeFileSync(f.path, f.content, { mode: 0o600 });
  }
  const role = (name: string) => {
    const p = join(dir, 'bin', name);
    if (!existsSync(p)) symlinkSync(argocd, p);
    return p;
  };
  const processes: DaemonProcess[] = [];
  const ports = { redis: 0, repoServer: await freePort(), repoServerMetrics: await freePort(), controllerMetrics: await freePort() };
  const logs = { repoServer: join(dir, 'repo-server.log'), controller: join(dir, 'application-controller.log') };
  try {
    say('argocd: starting redis-server on 127.0.0.1');
    const redis = await startRedis(dir, env);
    ports.redis = redis.port;
    processes.push(redis.process);

    mkdirSync(join(dir, 'repo-server-tmp'), { recursive: true });
    const repoEnv: NodeJS.ProcessEnv = {
      ...env,
      ...layout.env,
      PATH: [...layout.pathDirs, env.PATH ?? ''].join(delimiter),
      TMPDIR: join(dir, 'repo-server-tmp'),
      ARGOCD_ASK_PASS_SOCK: join(dir, 'repo-server-askpass.sock'),
      ARGOCD_GPG_ENABLED: 'false',
    };
    say(`argocd: starting argocd-repo-server on 127.0.0.1:${ports.repoServer}`);
    processes.push(
      startDaemon('argocd-repo-server', role('argocd-repo-server'), [
        '--address', '127.0.0.1', '--port', String(ports.repoServer),
        '--metrics-address', '127.0.0.1', '--metrics-port', String(ports.repoServerMetrics),
        '--redis', redis.address, '--loglevel', 'debug', '--logformat', 'json',
      ], logs.repoServer, repoEnv),
    );
    await waitFor('argocd-repo-server /healthz?full=true', async () => {
      if (!processAlive(processes[1].pid)) throw new Error(`argocd-repo-server exited:\n${logTail(logs.repoServer)}`);
      return healthz(ports.repoServerMetrics, '/healthz?full=true');
    }, 120_000, 250);

    say('argocd: starting argocd-application-controller');
    processes.push(
      startDaemon('argocd-application-controller', role('argocd-application-controller'), [
        '--kubeconfig', opts.cluster.kubeconfig, '--namespace', ARGOCD_NAMESPACE,
        '--repo-server', `127.0.0.1:${ports.repoServer}`, '--redis', redis.address,
        '--metrics-port', String(ports.controllerMetrics),
        '--status-processors', '4', '--operation-processors', '4',
        '--loglevel', 'info', '--logformat', 'json',
      ], logs.controller, { ...env, ARGOCD_FAKE_IN_CLUSTER: 'true', KUBECONFIG: opts.cluster.kubeconfig }),
    );
    await waitFor('argocd-application-controller /healthz', async () => {
      if (!processAlive(processes[2].pid)) throw new Error(`argocd-application-controller exited:\n${logTail(logs.controller)}`);
      return healthz(ports.controllerMetrics, '/healthz');
    }, 120_000, 250);
  } catch (e) {
    for (const p of [...processes].reverse()) await stopDaemon(p, opts.cluster.dir).catch(() => {});
    throw e;
  }
  appendToClusterState(opts.cluster.dir, processes);
  const state: ArgoCdState = { dir, missingTools: layout.missingTools, redis: `127.0.0.1:${ports.redis}`, repoServer: `127.0.0.1:${ports.repoServer}`, ports, processes, logs, clusters, readyAfterMs: Date.now() - started };
  writeFileSync(join(opts.cluster.dir, ARGOCD_STATE), JSON.stringify(state, null, 2));
  say(`argocd: ready after ${(state.readyAfterMs / 1000).toFixed(1)}s (logs in ${dir})`);
  return state;
}

export function readArgoCdState(clusterDir: string): ArgoCdState | undefined {
  const f = join(clusterDir, ARGOCD_STATE);
  return existsSync(f) && readState(clusterDir) ? (JSON.parse(readFileSync(f, 'utf8')) as ArgoCdState) : undefined;
}
