/**
 * A local control plane: etcd and kube-apiserver (plus kube-controller-manager, so Deployments get
 * ReplicaSets) on 127.0.0.1 with free ports, certificates and an admin token generated into one
 * temporary folder that also holds the kubeconfig, the logs and state.json. Pod Security admission
 * is on (built into the API server, enabled by default; listed explicitly so it cannot be lost).
 *
 * The folder is the lock: `up` refuses when it holds a running cluster, `down` stops the recorded
 * pids (after checking they are still ours) and removes the folder.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '@gitops/core';
import { makeDirs, MakeDirError } from '@gitops/core/fs';
import { generatePki, kubeconfigText } from './pki';
import { logTail, ours, startDaemon, stopDaemon, waitFor, type DaemonProcess } from './processes';
import { processAlive } from '@gitops/core/process';
import { findTool, lookupTool } from './tools';

export interface ClusterState {
  dir: string;
  server: string;
  kubeconfig: string;
  ports: { etcd: number; etcdPeer: number; apiserver: number; controllerManager?: number };
  processes: DaemonProcess[];
  startedAt: string;
  /** Milliseconds from start to /readyz answering ok. */
  readyAfterMs: number;
}

export interface UpOptions {
  /** Repository root (for the toolchain cache .tools/bin). */
  root: string;
  /** Cluster folder (default: defaultClusterDir()). */
  dir?: string;
  /** Start kube-controller-manager when it is found (default true). */
  controllerManager?: boolean;
  onProgress?: (msg: string) => void;
  readyTimeoutMs?: number;
}

/** $GITOPS_CLUSTER_DIR, else one folder per user under the system temporary folder. */
export function defaultClusterDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.GITOPS_CLUSTER_DIR || join(tmpdir(), `gitops-cluster-${userInfo().username}`));
}

const STATE = 'state.json';

export function readState(dir: string): ClusterState | undefined {
  const f = join(dir, STATE);
  if (!existsSync(f)) return undefined;
  return JSON.parse(readFileSync(f, 'utf8')) as ClusterState;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? res(addr.port) : rej(new Error('no port'))));
    });
  });
}

function get(url: string, opts: { ca?: Buffer; token?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((res) => {
    const req = (url.startsWith('https:') ? httpsRequest : httpRequest)(
      url,
      { ca: opts.ca, headers: opts.token ? { Authorization: `Bearer ${opts.token}` } : {}, timeout: 5_000 },
      (r) => {
        let body = '';
        r.on('data', (c) => (body += c));
        r.on('end', () => res({ status: r.statusCode ?? 0, body }));
      },
    );
    req.on('error', () => res({ status: 0, body: '' }));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function tokenOf(dir: string): string {
  return readFileSync(join(dir, 'tokens.csv'), 'utf8').split(',')[0];
}

/** GET /readyz on the cluster's API server: true when it answers 200. */
export async function isReady(state: ClusterState): Promise<boolean> {
  const r = await get(`${state.server}/readyz`, { ca: readFileSync(join(state.dir, 'ca.crt')), token: tokenOf(state.dir) });
  return r.status === 200;
}

/** Marks a folder as a control plane's own, so only such folders (or empty ones) are ever deleted. */
const MARKER = '.gitops-cluster';

/** A file where the cluster folder goes is bad input (exit 2), not an ENOTDIR from deep inside up/down. */
function refuseFile(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UserError(`cluster folder ${dir}: a file is in the way, not a folder; choose another --dir`, 2);
}

/** Creates the missing parents of the cluster folder (as `report --out` does), then the folder itself, 0700 and new. */
function createClusterDir(dir: string): void {
  try {
    makeDirs(dirname(dir)); // not mkdirSync({ recursive }): it loops forever on /proc
  } catch (e) {
    if (e instanceof MakeDirError) throw new UserError(`cluster folder ${dir}: ${e.message}`, e.exitCode);
    throw e;
  }
  mkdirSync(dir, { mode: 0o700 });
}

/** Removes a cluster folder left by a stopped or dead cluster; refuses any other non-empty folder. */
function removeClusterDir(dir: string): void {
  refuseFile(dir);
  if (!existsSync(dir)) return;
  const entries = readdirSync(dir);
  if (entries.length && !entries.includes(MARKER) && !entries.includes('state.json')) {
    throw new UserError(`${dir} is not a gitops cluster folder (no ${MARKER} or state.json in it): refusing to delete it; choose another --dir`, 2);
  }
  rmSync(dir, { recursive: true, force: true });
}

export async function clusterUp(opts: UpOptions): Promise<ClusterState> {
  const dir = resolve(opts.dir ?? defaultClusterDir());
  const say = opts.onProgress ?? (() => {});
  const existing = readState(dir);
  if (existing && existing.processes.some((p) => ours(p.pid, dir))) {
    throw new UserError(`a cluster is already running from ${dir} (pids ${existing.processes.map((p) => p.pid).join(', ')}); stop it first: gitops cluster down`, 1);
  }
  removeClusterDir(dir); // a stale folder of a cluster that died
  // Find every binary before creating anything.
  const etcd = findTool('etcd', opts.root);
  const apiserver = findTool('kube-apiserver', opts.root);
  const kcm = opts.controllerManager === false ? undefined : lookupTool('kube-controller-manager', opts.root);
  createClusterDir(dir);
  writeFileSync(join(dir, MARKER), 'created by gitops cluster up; gitops cluster down deletes this folder\n');
  const started = Date.now();
  const processes: DaemonProcess[] = [];
  const fail = async (e: unknown): Promise<never> => {
    const tails = processes.map((p) => `--- ${p.name} (${p.log}) ---\n${logTail(p.log)}`).join('\n');
    for (const p of [...processes].reverse()) await stopDaemon(p, dir).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cluster up failed: ${(e as Error).message}${tails ? `\n${tails}` : ''}`);
  };
  try {
    say(`cluster: generating certificates and a token in ${dir}`);
    const pki = await generatePki(dir);
    const ports = { etcd: await freePort(), etcdPeer: await freePort(), apiserver: await freePort(), controllerManager: kcm ? await freePort() : undefined };
    const server = `https://127.0.0.1:${ports.apiserver}`;
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigText(server, pki.caCert, pki.token), { mode: 0o600 });

    say(`cluster: starting etcd (${etcd.path}) on 127.0.0.1:${ports.etcd}`);
    const etcdUrl = `http://127.0.0.1:${ports.etcd}`;
    const peerUrl = `http://127.0.0.1:${ports.etcdPeer}`;
    processes.push(
      startDaemon('etcd', etcd.path, [
        '--name=gitops-local',
        `--data-dir=${join(dir, 'etcd-data')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=gitops-local=${peerUrl}`,
        // A throwaway cluster: skipping fsync makes it several times faster on slow disks.
        '--unsafe-no-fsync',
        '--log-level=warn',
      ], join(dir, 'etcd.log')),
    );
    await waitFor('etcd /health', async () => {
      if (!processAlive(processes[0].pid)) throw new Error('etcd exited');
      return (await get(`${etcdUrl}/health`)).body.includes('"health":"true"');
    }, 60_000);

    say(`cluster: starting kube-apiserver (${apiserver.path}) on ${server}`);
    processes.push(
      startDaemon('kube-apiserver', apiserver.path, [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${ports.apiserver}`,
        `--tls-cert-file=${pki.serverCert}`,
        `--tls-private-key-file=${pki.serverKey}`,
        `--client-ca-file=${pki.caCert}`,
        `--token-auth-file=${pki.tokenFile}`,
        `--service-account-issuer=${server}`,
        `--service-account-key-file=${pki.saPub}`,
        `--service-account-signing-key-file=${pki.saKey}`,
        '--service-cluster-ip-range=10.96.0.0/16',
        '--authorization-mode=RBAC',
        '--enable-admission-plugins=PodSecurity,NamespaceLifecycle,ServiceAccount',
        // Platforms that run privileged containers live in namespaces that enforce `privileged`.
        '--allow-privileged=true',
        '--profiling=false',
        `--cert-dir=${join(dir, 'apiserver-certs')}`,
      ], join(dir, 'kube-apiserver.log')),
    );
    const state: ClusterState = { dir, server, kubeconfig, ports, processes, startedAt: new Date(started).toISOString(), readyAfterMs: 0 };
    writeFileSync(join(dir, STATE), JSON.stringify(state, null, 2));
    const apiPid = processes[1].pid;
    await waitFor('kube-apiserver /readyz', async () => {
      if (!processAlive(apiPid)) throw new Error('kube-apiserver exited');
      return isReady(state);
    }, opts.readyTimeoutMs ?? 180_000, 250);

    if (kcm) {
      say(`cluster: starting kube-controller-manager (${kcm.path})`);
      processes.push(
        startDaemon('kube-controller-manager', kcm.path, [
          `--kubeconfig=${kubeconfig}`,
          `--authentication-kubeconfig=${kubeconfig}`,
          `--authorization-kubeconfig=${kubeconfig}`,
          '--bind-address=127.0.0.1',
          `--secure-port=${ports.controllerManager}`,
          `--cert-dir=${join(dir, 'kcm-certs')}`,
          `--service-account-private-key-file=${pki.saKey}`,
          `--root-ca-file=${pki.caCert}`,
          `--cluster-signing-cert-file=${pki.caCert}`,
          `--cluster-signing-key-file=${pki.caKey}`,
          '--use-service-account-credentials=true',
          '--leader-elect=false',
          '--controllers=*',
        ], join(dir, 'kube-controller-manager.log')),
      );
    }
    state.readyAfterMs = Date.now() - started;
    writeFileSync(join(dir, STATE), JSON.stringify(state, null, 2));
    say(`cluster: ready after ${(state.readyAfterMs / 1000).toFixed(1)}s; kubeconfig ${kubeconfig}`);
    return state;
  } catch (e) {
    return fail(e);
  }
}

export interface DownResult {
  dir: string;
  stopped: string[];
  /** Recorded processes that were already gone. */
  gone: string[];
}

export async function clusterDown(dir = defaultClusterDir()): Promise<DownResult> {
  dir = resolve(dir);
  const state = readState(dir);
  if (!state) {
    removeClusterDir(dir);
    return { dir, stopped: [], gone: [] };
  }
  const stopped: string[] = [];
  const gone: string[] = [];
  for (const p of [...state.processes].reverse()) ((await stopDaemon(p, dir)) ? stopped : gone).push(`${p.name} (pid ${p.pid})`);
  removeClusterDir(dir);
  return { dir, stopped, gone };
}

export interface ClusterStatus {
  dir: string;
  running: boolean;
  ready: boolean;
  server?: string;
  kubeconfig?: string;
  processes: Array<DaemonProcess & { alive: boolean }>;
}

export async function clusterStatus(dir = defaultClusterDir()): Promise<ClusterStatus> {
  dir = resolve(dir);
  const state = readState(dir);
  if (!state) return { dir, running: false, ready: false, processes: [] };
  const processes = state.processes.map((p) => ({ ...p, alive: ours(p.pid, dir) }));
  const running = processes.some((p) => p.alive);
  return { dir, running, ready: running && (await isReady(state)), server: state.server, kubeconfig: state.kubeconfig, processes };
}
