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
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { KubeObject } from '@gitops/core';

export interface ApiResponse {
  status: number;
  body: string;
  /** The `Warning` headers' texts (RFC 7234 `299 - "text"`), as kubectl prints them after `Warning: `. */
  warnings: string[];
}

export interface ApiSession {
  request(method: string, path: string, body?: string, contentType?: string): Promise<ApiResponse>;
  close(): void;
}

/** Where a kind is served: its resource name and whether it is namespaced. */
export interface ResourceMapping {
  resource: string;
  namespaced: boolean;
}

/** Starts `kubectl proxy` on a free 127.0.0.1 port for the kubeconfig and resolves once it serves. */
export async function openApiSession(kubectl: string, kubeconfig: string, timeoutMs = 30_000): Promise<ApiSession> {
  const child = spawn(kubectl, ['--kubeconfig', kubeconfig, 'proxy', '--address=127.0.0.1', '--port=0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`kubectl proxy did not start within ${timeoutMs / 1000}s: ${err.trim()}`)), timeoutMs);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d));
    child.on('error', (e) => fail(new Error(`kubectl proxy: ${e.message}`)));
    child.on('exit', (code) => fail(new Error(`kubectl proxy exited (${code}) before serving: ${err.trim()}`)));
  });
  return session(child, port);
}

function session(child: ChildProcess, port: number): ApiSession {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  return {
    request: (method, path, body, contentType = 'application/json') =>
      new Promise((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port, method, path, agent, headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': contentType }) } },
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
        req.on('error', reject);
        req.end(body);
      }),
    close: () => {
      agent.destroy();
      child.kill('SIGTERM');
    },
  };
}

/** The texts of one `Warning` header value: `299 - "text"`, several comma-separated, `\"` and `\\` escaped. */
export function warningTexts(value: string): string[] {
  return [...value.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
}

const groupVersionPath = (apiVersion: string) => (apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);

/** The API Status message of a failed response (the body itself when it is not a Status). */
export function statusMessage(r: ApiResponse): string {
  try {
    const s = JSON.parse(r.body) as { message?: string; reason?: string };
    if (s.message) return s.reason && s.reason !== 'BadRequest' ? `Error from server (${s.reason}): ${s.message}` : `Error from server: ${s.message}`;
  } catch {
    // not JSON
  }
  return `Error from server (HTTP ${r.status}): ${r.body.trim().slice(0, 500)}`;
}

/** Discovery per group/version, asked once per session (a CRD's kinds: ask after it is established). */
export function restMapper(api: ApiSession): (apiVersion: string, kind: string) => Promise<ResourceMapping | undefined> {
  const lists = new Map<string, Promise<Map<string, ResourceMapping>>>();
  return async (apiVersion, kind) => {
    let list = lists.get(apiVersion);
    if (!list) {
      list = api.request('GET', groupVersionPath(apiVersion)).then((r) => {
        const byKind = new Map<string, ResourceMapping>();
        if (r.status !== 200) return byKind;
        for (const res of (JSON.parse(r.body) as { resources?: Array<{ name: string; kind: string; namespaced: boolean }> }).resources ?? []) {
          if (!res.name.includes('/')) byKind.set(res.kind, { resource: res.name, namespaced: res.namespaced });
        }
        return byKind;
      });
      lists.set(apiVersion, list);
      // A group/version that is not served yet (CRD not established) is asked again next time.
      list.then((m) => m.size || lists.delete(apiVersion));
    }
    return (await list).get(kind);
  };
}

/** The object's URL path (namespaced objects without a namespace go to `default`, as with kubectl and no context namespace). */
export function objectPath(o: KubeObject, m: ResourceMapping): string {
  const ns = m.namespaced ? `/namespaces/${encodeURIComponent(o.metadata?.namespace || 'default')}` : '';
  return `${groupVersionPath(o.apiVersion)}${ns}/${m.resource}/${encodeURIComponent(o.metadata?.name ?? '')}`;
}

/** `deployment.apps/web`, `namespace/x`: how `kubectl … -o name` names an object. */
export function kubectlName(o: KubeObject): string {
  const group = o.apiVersion.includes('/') ? `.${o.apiVersion.split('/')[0]}` : '';
  return `${o.kind.toLowerCase()}${group}/${o.metadata?.name}`;
}
