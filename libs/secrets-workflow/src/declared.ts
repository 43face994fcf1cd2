/**
 * Declared secrets: what a platform's apps declare (`AppSpec.secrets`) and where each one's
 * encrypted file lives, one per overlay: `environments/<env>/<platform>[/<app>]/secrets/<name>.enc.yaml`
 * (paths from the repository layout, `@gitops/environments` layout.ts).
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AppSpec, PlatformSpec, SecretDecl } from '@gitops/core';
import { appPaths, envNames, isInSecretsDir, isNestedPlatform, isSecretFileName, platformEnvDir, secretFileName } from '@gitops/environments';
import { isObj, readYamlFile, toPosix } from './repo-files';

/** What the workflow needs of a platform (pipeline's LoadedPlatform fits). */
export interface SecretsPlatform {
  name: string;
  spec: PlatformSpec;
}

/** Encrypted files of an app's declared secrets, relative to its overlay, sorted. */
export function secretFilesFor(app: AppSpec): string[] {
  return (app.secrets ?? []).map((s) => secretFileName(s.name)).sort();
}

/** An overlay's namespace, read from its rendered objects (the first namespaced object's; not the Namespace itself). */
export function renderedNamespace(objects: Array<{ kind: string; metadata?: { namespace?: string } }>): string | undefined {
  return objects.find((o) => o.kind !== 'Namespace' && o.metadata?.namespace)?.metadata?.namespace;
}

/** Declared secrets of an app, in the shape the validator takes (namespace from the rendered objects). */
export function declaredSecretsOf(
  p: { spec: { apps: AppSpec[] } },
  app: string,
  objects: Array<{ kind: string; metadata?: { namespace?: string } }>,
): Array<{ name: string; namespace?: string; keys: string[] }> {
  const namespace = renderedNamespace(objects);
  const a = p.spec.apps.find((x) => x.name === app);
  return (a?.secrets ?? []).map((s) => ({ name: s.name, ...(namespace ? { namespace } : {}), keys: s.keys.map((k) => k.name) }));
}

export interface DeclaredSecretFile {
  platform: string;
  app: string;
  env: string;
  secret: SecretDecl;
  /** Repository-relative path, `/` separators. */
  file: string;
  /** Overlay folder, repository-relative. */
  overlay: string;
}

/** Every declared secret's file for the given platforms (and environment), in app and environment order. */
export function declaredSecretFiles(platforms: SecretsPlatform[], env?: string): DeclaredSecretFile[] {
  const out: DeclaredSecretFile[] = [];
  for (const p of platforms) {
    const nested = isNestedPlatform(p.spec.name, p.spec.apps);
    for (const app of p.spec.apps) {
      for (const e of envNames.filter((x) => !env || x === env)) {
        const overlay = appPaths(p.name, app.name, nested, e).overlay;
        for (const s of app.secrets ?? []) {
          out.push({ platform: p.name, app: app.name, env: e, secret: s, overlay, file: `${overlay}/${secretFileName(s.name)}` });
        }
      }
    }
  }
  return out;
}

/** Encrypted files in `secrets/` folders under environments/<env>/<platform> (repository-relative, sorted). */
export function secretFilesOnDisk(root: string, platform: string, env?: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      const rel = toPosix(relative(root, p));
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && isSecretFileName(e.name) && isInSecretsDir(rel)) out.push(rel);
    }
  };
  for (const e of env ? [env] : envNames) walk(join(root, platformEnvDir(e, platform)));
  return out.sort();
}

/** Keys of a secret file from its plaintext structure (no key needed). */
export function fileKeys(abs: string): string[] {
  const doc = readYamlFile(abs);
  if (!isObj(doc)) return [];
  return [...Object.keys(isObj(doc.stringData) ? doc.stringData : {}), ...Object.keys(isObj(doc.data) ? doc.data : {})];
}
