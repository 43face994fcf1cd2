/**
 * What Argo CD needs to know about a platform, derived from its build (never from its name): one
 * target per (app, environment), the namespaces each environment deploys to, and the cluster-scoped
 * kinds it emits.
 */
import type { CompiledApp, Environment, KubeObject } from '@gitops/core';
import { CLUSTER_SCOPED_KINDS } from '@gitops/core';
import { environments, envNames } from '@gitops/environments';

/**
 * What Argo CD generation takes from a platform's build (pipeline's `PlatformBuild` is one): the
 * platform, whether its apps are nested, and each overlay with its compiled app and the folders its
 * render reads. libs/argocd never compiles or emits anything itself.
 */
export interface ArgoCdBuild {
  platform: { name: string; source: string; spec: { team?: string; description?: string } };
  nested: boolean;
  overlays: ReadonlyArray<{ app: string; env: string; dir: string; compiled: CompiledApp; reads: readonly string[] }>;
}

/**
 * Cluster-scoped kinds: the ones the compiler knows plus common ones a platform's `objects` escape
 * hatch may emit. Used to build the AppProject whitelist (anything else is namespaced).
 */
export const CLUSTER_SCOPED = new Set<string>([
  ...CLUSTER_SCOPED_KINDS,
  'APIService',
  'CSIDriver',
  'ClusterIssuer',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterSecretStore',
  'ClusterExternalSecret',
  'GatewayClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'RuntimeClass',
  'VolumeSnapshotClass',
  'PriorityLevelConfiguration',
  'FlowSchema',
]);

export const isClusterScoped = (o: { kind: string }): boolean => CLUSTER_SCOPED.has(o.kind);

/** API group of an apiVersion (`v1` -> core group ''). */
export const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

export interface GroupKind {
  group: string;
  kind: string;
  /** One object of the kind only (`name` of ClusterResourceRestrictionItem, Argo CD v3.5 CRD). */
  name?: string;
}

export interface AppTarget {
  platform: string;
  app: string;
  env: string;
  /** Application name, unique in the Argo CD namespace: `<platform>[-<app>]-<env>`. */
  name: string;
  /** Stem of the Application file: `<platform>[-<app>]`. */
  stem: string;
  /** Overlay folder rendered by the Application (repository-relative). */
  overlay: string;
  /** Folders its render reads (repository-relative, overlay first): the manifest-generate-paths. */
  reads: readonly string[];
  /** The namespace the app deploys to in this environment. */
  namespace: string;
  destination: Environment['destination'];
  compiled: CompiledApp;
}

export interface PlatformInventory {
  platform: ArgoCdBuild['platform'];
  /** OIDC group bound to the project roles. */
  team: string;
  targets: AppTarget[];
  /**
   * Cluster-scoped kinds the platform emits in any environment. Namespace once per namespace the
   * platform owns (with `name`): a kind-wide Namespace entry let any project create, change or
   * delete every Namespace of the cluster (destinations do not restrict cluster-scoped objects).
   */
  clusterKinds: GroupKind[];
}

export function compiledObjects(c: CompiledApp): KubeObject[] {
  return [...c.groups.flatMap((g) => g.objects), ...c.features.flatMap((f) => f.objects)];
}

/** Namespaces a compiled app deploys into: its Namespace objects and every namespaced object's namespace. */
export function namespacesOf(c: CompiledApp): string[] {
  const out = new Set<string>();
  for (const o of compiledObjects(c)) {
    if (o.kind === 'Namespace' && o.metadata?.name) out.add(o.metadata.name);
    else if (!isClusterScoped(o)) out.add(o.metadata?.namespace ?? c.namespace);
  }
  return [...out].sort();
}

export function teamOf(p: ArgoCdBuild['platform']): string {
  return p.spec.team ?? `${p.name}-team`;
}

export function inventory(b: ArgoCdBuild): PlatformInventory {
  const p = b.platform;
  const targets: AppTarget[] = [];
  const kinds = new Map<string, GroupKind>();
  const namespaces = new Set<string>();
  for (const env of envNames) {
    for (const o of b.overlays.filter((x) => x.env === env)) {
      const c = o.compiled;
      const stem = b.nested ? `${p.name}-${o.app}` : p.name;
      targets.push({
        platform: p.name,
        app: o.app,
        env,
        name: `${stem}-${env}`,
        stem,
        overlay: o.dir,
        reads: o.reads,
        namespace: c.namespace,
        destination: environments[env].destination,
        compiled: c,
      });
      for (const obj of compiledObjects(c)) {
        if (!isClusterScoped(obj)) continue;
        if (obj.kind === 'Namespace' && groupOf(obj.apiVersion) === '') {
          if (obj.metadata?.name) namespaces.add(obj.metadata.name);
          continue;
        }
        const gk = { group: groupOf(obj.apiVersion), kind: obj.kind };
        kinds.set(`${gk.group}/${gk.kind}`, gk);
      }
    }
  }
  const clusterKinds = [
    ...[...namespaces].sort().map((name): GroupKind => ({ group: '', kind: 'Namespace', name })),
    ...[...kinds.values()].sort((a, b) => (`${a.group}/${a.kind}` < `${b.group}/${b.kind}` ? -1 : 1)),
  ];
  return { platform: p, team: teamOf(p), targets, clusterKinds };
}
