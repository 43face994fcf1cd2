/**
 * The repository layout: the one place that spells where generated Kustomize trees live, what their
 * files are called, where each overlay's `secrets/` folder is, and the KSOPS generator format (written
 * and read here, nowhere else). The emitter, the writer, pipeline, the secrets workflow, Argo CD
 * generation and the Nx plugin all ask this module.
 *
 * It imports nothing at run time on purpose: the Nx plugin (CommonJS, loaded on every `nx` call)
 * reads it through the `@gitops/environments/layout` subpath without loading the environment
 * definitions, core or any YAML library.
 *
 *   environments/base/<platform>[/<app>]/                 base: kustomization.yaml + one file per group
 *   environments/base/<platform>[/<app>]/components/<f>/  one Kustomize Component per optional feature
 *   environments/<env>/<platform>[/<app>]/                overlay: kustomization.yaml, patches/, env-only files
 *   environments/<env>/<platform>[/<app>]/secrets/        <name>.enc.yaml, owned by the secrets tool
 */

/** Root folder of every generated Kustomize tree. */
export const ENVIRONMENTS_DIR = 'environments';
/** Folder (under ENVIRONMENTS_DIR) holding the bases shared by every environment. */
export const BASE_DIR = 'base';
/** Folder of a base holding its Components. */
export const COMPONENTS_DIR = 'components';
/** Folder of an overlay holding its patches. */
export const PATCHES_DIR = 'patches';
/** Folder of an overlay holding its encrypted secrets; generation never reads, writes or deletes it. */
export const SECRETS_DIR = 'secrets';
/** Suffix of an encrypted secret file. */
export const SECRET_FILE_SUFFIX = '.enc.yaml';
/** The kustomization file generation writes. */
export const KUSTOMIZATION_FILE = 'kustomization.yaml';
/** Every name kustomize accepts for a kustomization file, in its lookup order. */
export const KUSTOMIZATION_FILES: readonly string[] = [KUSTOMIZATION_FILE, 'kustomization.yml', 'Kustomization'];
/** The overlay file holding its KSOPS generator. */
export const SECRET_GENERATOR_FILE = 'secret-generator.yaml';

/**
 * Whether a platform's apps get one folder level each: every platform except a single-app one whose
 * app has the platform's name (that one gets flat paths, `environments/<env>/<platform>`).
 */
export function isNestedPlatform(platform: string, apps: ReadonlyArray<{ name: string }>): boolean {
  return !(apps.length === 1 && apps[0].name === platform);
}

/** `<platform>` or `<platform>/<app>`: the part of every path below the base or environment folder. */
export function appRel(platform: string, app: string, nested: boolean): string {
  return nested ? `${platform}/${app}` : platform;
}

/** `environments/base/<platform>`: the platform's base folder (all its apps' bases below it when nested). */
export function platformBaseDir(platform: string): string {
  return `${ENVIRONMENTS_DIR}/${BASE_DIR}/${platform}`;
}

/** `environments/<env>/<platform>`: the platform's folder in one environment. */
export function platformEnvDir(env: string, platform: string): string {
  return `${ENVIRONMENTS_DIR}/${env}/${platform}`;
}

/** Folders a platform's generation owns (its `secrets/` folders excepted): its base and one per environment. */
export function platformRoots(platform: string, envs: readonly string[]): string[] {
  return [platformBaseDir(platform), ...envs.map((e) => platformEnvDir(e, platform))];
}

export interface AppPaths {
  base: string;
  components: string;
  /** The environment's overlay ('' without an environment). */
  overlay: string;
  /** The overlay's secrets folder ('' without an environment). */
  secrets: string;
}

/** Folders of one app: its base, components and (given an environment) overlay and secrets folder. */
export function appPaths(platform: string, app: string, nested: boolean, env?: string): AppPaths {
  const rel = appRel(platform, app, nested);
  const base = `${ENVIRONMENTS_DIR}/${BASE_DIR}/${rel}`;
  const overlay = env ? `${ENVIRONMENTS_DIR}/${env}/${rel}` : '';
  return { base, components: `${base}/${COMPONENTS_DIR}`, overlay, secrets: env ? `${overlay}/${SECRETS_DIR}` : '' };
}

/** A feature's Component folder below an app's components folder. */
export function componentDir(components: string, feature: string): string {
  return `${components}/${feature}`;
}

/** A patch file of an overlay, relative to it: `patches/<kind>-<name>.yaml`. */
export function patchFile(kind: string, name: string): string {
  return `${PATCHES_DIR}/${kind.toLowerCase()}-${name}.yaml`;
}

/** Encrypted file of a declared secret, relative to its overlay: `secrets/<name>.enc.yaml`. */
export function secretFileName(secret: string): string {
  return `${SECRETS_DIR}/${secret}${SECRET_FILE_SUFFIX}`;
}

/** Whether a repository-relative path lies in a `secrets/` folder (which generation must never touch). */
export function isInSecretsDir(rel: string): boolean {
  return rel.split(/[\\/]/).includes(SECRETS_DIR);
}

/** Whether a file name is an encrypted secret file (`*.enc.yaml`, `*.enc.yml` read too). */
export function isSecretFileName(name: string): boolean {
  return /\.enc\.ya?ml$/.test(name);
}

/** `.sops.yaml` creation-rule regex matching one environment's secret files. */
export function secretPathRegex(env: string): string {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `^${esc(ENVIRONMENTS_DIR)}/${esc(env)}/.*/${esc(SECRETS_DIR)}/.*${esc(SECRET_FILE_SUFFIX)}$`;
}

/** The environment a repository-relative path belongs to (`environments/<env>/…`; the base belongs to none). */
export function envOfPath(rel: string): string | undefined {
  const [top, env] = rel.split('/');
  return top === ENVIRONMENTS_DIR && env && env !== BASE_DIR && rel.split('/').length > 2 ? env : undefined;
}

// ---- KSOPS generator -------------------------------------------------------------------------

export const KSOPS_API_VERSION = 'viaduct.ai/v1';
export const KSOPS_KIND = 'ksops';

/**
 * KSOPS generator (KRM exec function) listing an overlay's encrypted files (relative to the overlay).
 * Argo CD's repo-server runs it with `--enable-alpha-plugins --enable-exec`; `gitops render` decrypts
 * the same files itself after reading them back with `ksopsGeneratorFiles`.
 */
export function ksopsGenerator(files: readonly string[]): Record<string, unknown> {
  return {
    apiVersion: KSOPS_API_VERSION,
    kind: KSOPS_KIND,
    metadata: {
      name: 'secret-generator',
      annotations: { 'config.kubernetes.io/function': 'exec:\n  path: ksops\n' },
    },
    files: files.map((f) => `./${f}`),
  };
}

/**
 * The files a parsed generator document lists when it is a KSOPS generator (as written, relative to
 * the generator's folder); undefined for any other document. The inverse of `ksopsGenerator`.
 */
export function ksopsGeneratorFiles(doc: unknown): string[] | undefined {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const o = doc as { kind?: unknown; files?: unknown };
  if (o.kind !== KSOPS_KIND || !Array.isArray(o.files)) return undefined;
  return o.files.filter((f): f is string => typeof f === 'string');
}
