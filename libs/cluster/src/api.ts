/**
 * The Kubernetes API through `kubectl proxy`: the real kubectl does whatever the kubeconfig asks
 * (tokens, client certificates, exec plugins) and listens on 127.0.0.1; this module sends one
 * request per object over keep-alive HTTP to it.
 *
 * Why not `kubectl apply --server-side` per batch: with strict field validation kubectl fetches and
 * parses the server's OpenAPI documents in every process (0.7 s of CPU per call on the test
 * machine, most of `gitops apply`'s time), and it prints warnings without saying which object
 * they are about. A request per object gets the server's own answer per object: what it applied,
 * its rejection (the API Status message) and its warnings (`Warning` headers).
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UserError, type KubeObject } from '@gitops/core';

export interface ApiResponse {
  status: number;
  body: string;
  /** The `Warning` headers' texts (RFC 7234 `299 - "text"`), as kubectl prints them after `Warning: `. */
  warnings: string[];
}

export interface ApiSession {
  request(method: string, path: string, body?: string, contentType?: string): Promise<ApiResponse>;
  /** Where namespaced objects without a namespace go: the kubeconfig context's namespace, else `default` (as kubectl). */
  namespace(): Promise<string>;
  close(): void;
}

/** Where a kind is served: its resource name and whether it is namespaced. */
export interface ResourceMapping {
  resource: string;
  namespaced: boolean;
}

/**
 * Starts `kubectl proxy` for the kubeconfig on a unix socket in a fresh 0700 folder (a TCP port on
 * 127.0.0.1 would lend the kubeconfig's rights to every local user while it runs) and resolves once
 * it serves. The proxy is stopped by close(), and by this process's exit if close() never ran.
 */
export async function openApiSession(kubectl: string, kubeconfig: string, timeoutMs = 30_000): Promise<ApiSession> {
  // The pid in the name: whose folder it is, when several processes run sessions at once (tests count their own).
  const dir = mkdtempSync(join(tmpdir(), `gitops-proxy-${process.pid}-`));
  chmodSync(dir, 0o700);
  const socketPath = join(dir, 'api.sock');
  const child = spawn(kubectl, ['--kubeconfig', kubeconfig, 'proxy', `--unix-socket=${socketPath}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => fail(new Error(`kubectl proxy did not start within ${timeoutMs / 1000}s: ${err.trim()}`)), timeoutMs);
      const fail = (e: Error) => {
        clearTimeout(timer);
        reject(e);
      };
      child.stdout!.on('data', (d: Buffer) => {
        out += d;
        if (out.includes('Starting to serve on')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr!.on('data', (d: Buffer) => (err += d));
      child.on('error', (e) => fail(new Error(`kubectl proxy: ${e.message}`)));
      child.on('close', () => fail(proxyFailure(kubeconfig, err))); // close, not exit: after its last stderr
    });
  } catch (e) {
    process.removeListener('exit', stop);
    stop();
    throw e;
  }
  let namespace: Promise<string> | undefined;
  const contextNamespace = () =>
    (namespace ??= promisify(execFile)(kubectl, ['--kubeconfig', kubeconfig, 'config', 'view', '--minify', '-o', 'jsonpath={..namespace}']).then(
      (r) => r.stdout.trim() || 'default',
      () => 'default',
    ));
  const api = session(socketPath, contextNamespace, () => {
    process.removeListener('exit', stop);
    stop();
  });
  const unreachable = await probeServer(api);
  if (unreachable === undefined) return api;
  api.close();
  const server = await kubeconfigServer(kubectl, kubeconfig);
  throw new UserError(`cannot reach the API server${server ? ` ${server}` : ''} (kubeconfig ${kubeconfig}): ${unreachable}`, 1);
}

/**
 * GET /version through the session, once: why the server cannot be reached (refused, TLS, DNS, a
 * failing credential plugin), so that is one error and not one per object; undefined when it answered.
 * Any answer of the API server itself (2xx, or a JSON Status even for 401/403) counts as reached:
 * what it refuses is reported per object. The proxy's own failure is plain text (HTTP 500/502).
 */
async function probeServer(api: ApiSession): Promise<string | undefined> {
  try {
    const r = await api.request('GET', '/version');
    if ((r.status >= 200 && r.status < 300) || apiStatus(r)) return undefined;
    return r.body.trim().split('\n')[0] || `HTTP ${r.status} from kubectl proxy`;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The server URL of the kubeconfig's current context, for messages ('' when kubectl cannot say). */
async function kubeconfigServer(kubectl: string, kubeconfig: string): Promise<string> {
  const args = ['--kubeconfig', kubeconfig, 'config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'];
  return promisify(execFile)(kubectl, args).then(
    (r) => r.stdout.trim(),
    () => '',
  );
}

/**
 * kubectl's messages when it cannot load or use a kubeconfig (client-go's loader and validation:
 * the file, its YAML, a context or cluster it names). kubectl says why only in text.
 */
const KUBECONFIG_FAULT = /error loading config file|error in configuration|invalid configuration|context .*(does not exist|was not found)|no configuration has been provided|couldn't get version\/kind/i;

/**
 * Why `kubectl proxy` exited before it served: the kubeconfig's fault (bad input, exit 2, named) when
 * kubectl says it could not load or use it; anything else (the socket it could not bind, a broken
 * kubectl) a failure (exit 1) with kubectl's first line, not blamed on the kubeconfig.
 */
function proxyFailure(kubeconfig: string, stderr: string): UserError {
  const first = stderr.trim().split('\n')[0] || 'no message';
  if (KUBECONFIG_FAULT.test(stderr)) return new UserError(`kubeconfig ${kubeconfig}: not a kubeconfig kubectl can use (kubectl: ${first})`, 2);
  return new UserError(`kubectl proxy exited before serving (kubeconfig ${kubeconfig}): ${first}`, 1);
}

function session(socketPath: string, namespace: () => Promise<string>, stop: () => void): ApiSession {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  return {
    namespace,
    request: (method, path, body, contentType = 'application/json') =>
      new Promise((resolve, reject) => {
        const req = http.request(
          { socketPath, method, path, agent, headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': contentType }) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const warnings: string[] = [];
              for (let i = 0; i < res.rawHeaders.length; i += 2) if (res.rawHeaders[i].toLowerCase() === 'warning') warnings.push(...warningTexts(res.rawHeaders[i + 1]));
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), warnings });
            });
            res.on('error', reject);
          },
        );
        req.on('error', (e) => reject(new Error(`kubectl proxy: ${method} ${path.split('?')[0]}: ${e.message}`)));
        req.end(body);
      }),
    close: () => {
      agent.destroy();
      stop();
    },
  };
}

/** The texts of one `Warning` header value: `299 - "text"`, several comma-separated, `\"` and `\\` escaped. */
export function warningTexts(value: string): string[] {
  return [...value.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
}

const groupVersionPath = (apiVersion: string) => (apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);

/** The fields of a metav1.Status this module reads. */
interface ApiStatus {
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string };
}

/** The API Status of a failed response (undefined when the body is not a JSON object). */
function apiStatus(r: ApiResponse): ApiStatus | undefined {
  try {
    const s = JSON.parse(r.body) as unknown;
    return s && typeof s === 'object' ? (s as ApiStatus) : undefined;
  } catch {
    return undefined; // not JSON
  }
}

/** The API Status message of a failed response (the body itself when it is not a Status). */
export function statusMessage(r: ApiResponse): string {
  const s = apiStatus(r);
  if (s?.message) return s.reason && s.reason !== 'BadRequest' ? `Error from server (${s.reason}): ${s.message}` : `Error from server: ${s.message}`;
  return `Error from server (HTTP ${r.status}): ${r.body.trim().slice(0, 500)}`;
}

/**
 * The namespace the server refused a request for because it does not exist: the Status the
 * NamespaceLifecycle admission answers with, `reason: NotFound` and `details: {kind: namespaces,
 * name}` (core group). Read from the structure, never from the message text.
 */
export function missingNamespace(r: ApiResponse): string | undefined {
  const s = apiStatus(r);
  return s?.reason === 'NotFound' && s.details?.kind === 'namespaces' && !s.details.group && s.details.name ? s.details.name : undefined;
}

/** Discovery per group/version, asked once per session (a CRD's kinds: ask after it is established). */
export function restMapper(api: ApiSession): (apiVersion: string, kind: string) => Promise<ResourceMapping | undefined> {
  const lists = new Map<string, Promise<Map<string, ResourceMapping>>>();
  return async (apiVersion, kind) => {
    let list = lists.get(apiVersion);
    if (!list) {
      list = api.request('GET', groupVersionPath(apiVersion)).then((r) => {
        const byKind = new Map<string, ResourceMapping>();
        // 404: the group/version is not served (yet: a CRD not established). Anything else is the
        // server's own answer (an expired token, RBAC) and is reported as it is.
        if (r.status === 404) return byKind;
        if (r.status !== 200) throw new Error(`discovery of ${apiVersion}: ${statusMessage(r)}`);
        for (const res of (JSON.parse(r.body) as { resources?: Array<{ name: string; kind: string; namespaced: boolean }> }).resources ?? []) {
          if (!res.name.includes('/')) byKind.set(res.kind, { resource: res.name, namespaced: res.namespaced });
        }
        return byKind;
      });
      lists.set(apiVersion, list);
      // Not served yet, or failed: asked again next time.
      list.then(
        (m) => m.size || lists.delete(apiVersion),
        () => lists.delete(apiVersion),
      );
    }
    return (await list).get(kind);
  };
}

/** The object's URL path (a namespaced object without a namespace goes to `defaultNamespace`). */
export function objectPath(o: KubeObject, m: ResourceMapping, defaultNamespace: string): string {
  const ns = m.namespaced ? `/namespaces/${encodeURIComponent(o.metadata?.namespace || defaultNamespace)}` : '';
  return `${groupVersionPath(o.apiVersion)}${ns}/${m.resource}/${encodeURIComponent(o.metadata?.name ?? '')}`;
}

/** `deployment.apps/web`, `namespace/x`: how `kubectl … -o name` names an object. */
export function kubectlName(o: KubeObject): string {
  const group = o.apiVersion.includes('/') ? `.${o.apiVersion.split('/')[0]}` : '';
  return `${o.kind.toLowerCase()}${group}/${o.metadata?.name}`;
}
