/**
 * Translates the repo-server container of the rendered argocd/install (upstream Deployment plus the
 * generated KSOPS patch) into what a local process needs to see the same things:
 *
 * - every literal `env` value is kept; absolute paths are moved under a local root folder
 *   (`/.config/sops/age/keys.txt` → `<fsRoot>/.config/sops/age/keys.txt`);
 * - a volume filled by an init container (the KSOPS tools volume) mounted with `subPath: <tool>` becomes
 *   a symlink at `<fsRoot><mountPath>` to the locally built tool of that name, and its folder goes
 *   first on PATH (in the Pod it is /usr/local/bin);
 * - a Secret volume is written as its files (`items`) under `<fsRoot><mountPath>`, from the Secret
 *   object that is applied to the cluster too.
 *
 * Upstream volumes this project does not configure (TLS, GPG, SSH known hosts, plugins) are left
 * alone: the local repo-server runs with Argo CD's built-in defaults for them.
 */
import { dirname, join } from 'node:path';

export interface LocalLayout {
  env: Record<string, string>;
  /** Folders to put first on PATH. */
  pathDirs: string[];
  links: Array<{ path: string; target: string; tool: string }>;
  files: Array<{ path: string; content: string; secret: string; key: string }>;
  /** Tools the patch mounts that have no local build and were allowed to be missing (opts.optionalTools). */
  missingTools: string[];
}

type Obj = Record<string, any>;

export function repoServerContainer(deployment: Obj, container = 'argocd-repo-server'): Obj {
  const c = (deployment?.spec?.template?.spec?.containers ?? []).find((x: Obj) => x.name === container);
  if (!c) throw new Error(`Deployment ${deployment?.metadata?.name}: no container ${container}`);
  return c;
}

const under = (fsRoot: string, p: string) => join(fsRoot, p);

export function localRepoServerLayout(
  deployment: Obj,
  opts: { fsRoot: string; tools: Record<string, string>; secrets: Obj[]; container?: string; optionalTools?: string[] },
): LocalLayout {
  const podSpec = deployment.spec.template.spec;
  const c = repoServerContainer(deployment, opts.container);
  const volumes = new Map<string, Obj>((podSpec.volumes ?? []).map((v: Obj) => [v.name, v]));
  const filledByInit = new Set<string>((podSpec.initContainers ?? []).flatMap((i: Obj) => (i.volumeMounts ?? []).map((m: Obj) => m.name)));
  const layout: LocalLayout = { env: {}, pathDirs: [], links: [], files: [], missingTools: [] };

  for (const e of c.env ?? []) {
    if (typeof e.value !== 'string') continue; // valueFrom: optional upstream settings from config maps
    layout.env[e.name] = e.value.startsWith('/') ? under(opts.fsRoot, e.value) : e.value;
  }
  for (const m of c.volumeMounts ?? []) {
    const v = volumes.get(m.name);
    if (!v) throw new Error(`container ${c.name}: volumeMount ${m.name} has no volume`);
    if (filledByInit.has(m.name) && m.subPath) {
      const target = opts.tools[m.subPath];
      if (!target && opts.optionalTools?.includes(m.subPath)) {
        layout.missingTools.push(m.subPath);
        continue;
      }
      if (!target) throw new Error(`container ${c.name}: no local build of ${m.subPath} (mounted at ${m.mountPath})`);
      const path = under(opts.fsRoot, m.mountPath);
      layout.links.push({ path, target, tool: m.subPath });
      if (!layout.pathDirs.includes(dirname(path))) layout.pathDirs.push(dirname(path));
    } else if (v.secret) {
      const secret = opts.secrets.find((s) => s.metadata?.name === v.secret.secretName);
      if (!secret) {
        if (v.secret.optional) continue;
        // Upstream's own secret volumes (TLS for the repo-server) are optional; anything else must exist.
        throw new Error(`container ${c.name}: Secret ${v.secret.secretName} (volume ${m.name}) is not provided`);
      }
      const data: Record<string, string> = { ...Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, b]) => [k, Buffer.from(String(b), 'base64').toString('utf8')])), ...(secret.stringData ?? {}) };
      const items: Array<{ key: string; path: string }> = v.secret.items ?? Object.keys(data).map((k) => ({ key: k, path: k }));
      for (const it of items) {
        if (data[it.key] === undefined) throw new Error(`Secret ${v.secret.secretName} has no key ${it.key} (volume ${m.name})`);
        layout.files.push({ path: join(under(opts.fsRoot, m.mountPath), it.path), content: data[it.key], secret: v.secret.secretName, key: it.key });
      }
    }
  }
  return layout;
}
