/**
 * The Argo CD objects, built with the typed classes of @kubernetes-models/argo-cd and validated
 * against their schemas before anything is written.
 */
import { AppProject, type IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { Application, type IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { Environment, KubeObject } from '@gitops/core';
import { toPlain } from '@gitops/core';
import { environments, envNames } from '@gitops/environments';
import {
  APP_LABELS,
  ARGOCD_NAMESPACE,
  BOOTSTRAP_PROJECT,
  FINALIZER,
  IN_CLUSTER,
  MANIFEST_GENERATE_PATHS,
  PROJECTS_APP,
  REPO_URL,
  SYNC_RETRY,
  TARGET_REVISION,
  rootAppName,
} from './config';
import { compiledObjects, groupOf, namespacesOf, type AppTarget, type PlatformInventory } from './inventory';

type Destination = { server?: string; name?: string; namespace?: string };
type SyncPolicy = NonNullable<IApplication['spec']['syncPolicy']>;
type OrphanIgnore = NonNullable<NonNullable<IAppProject['spec']['orphanedResources']>['ignore']>[number];

/** Sync options of every platform Application (see libs/argocd/README.md, "Decisions"). */
export const APP_SYNC_OPTIONS = [
  // The platform also renders its Namespace (wave 0, Pod Security labels); this covers the very
  // first sync, before that object exists.
  'CreateNamespace=true',
  // Field ownership per manager (HPA-owned replicas, controllers' defaults) and no 256 KiB
  // last-applied-configuration annotation limit.
  'ServerSideApply=true',
  // Delete what left Git only after everything else is synced and healthy.
  'PruneLast=true',
];

function destinationOf(env: Environment, namespace?: string): Destination {
  const d = env.destination;
  return { ...(d.server ? { server: d.server } : { name: d.name }), ...(namespace ? { namespace } : {}) };
}

/** The environment's sync policy: automated (prune/self-heal as the environment says) or manual. */
export function syncPolicyFor(env: Environment, syncOptions: string[]): SyncPolicy {
  return {
    ...(env.sync.automated ? { automated: { prune: env.sync.prune, selfHeal: env.sync.selfHeal } } : {}),
    syncOptions,
    retry: { limit: SYNC_RETRY.limit, backoff: { ...SYNC_RETRY.backoff } },
  };
}

const key = (d: Destination) => `${d.server ?? ''}|${d.name ?? ''}|${d.namespace ?? ''}`;

/** Destinations: each environment's cluster x the namespaces the platform's apps use there. */
export function projectDestinations(inv: PlatformInventory): Destination[] {
  const seen = new Map<string, Destination>();
  for (const env of envNames) {
    for (const t of inv.targets.filter((x) => x.env === env)) {
      for (const ns of namespacesOf(t.compiled)) {
        const d = destinationOf(environments[env], ns);
        seen.set(key(d), d);
      }
    }
  }
  return [...seen.values()];
}

/**
 * Resources the platform's apps leave in their namespaces that are not in Git and have no owner
 * reference (so orphan monitoring would flag them): StatefulSet volume claims and cert-manager
 * TLS Secrets.
 */
export function orphanIgnores(inv: PlatformInventory): OrphanIgnore[] {
  const out = new Map<string, OrphanIgnore>();
  const add = (i: OrphanIgnore) => out.set(`${i.group}/${i.kind}/${i.name}`, i);
  for (const t of inv.targets) {
    for (const o of compiledObjects(t.compiled) as Array<KubeObject & { spec?: any }>) {
      if (o.kind === 'StatefulSet') {
        for (const tpl of o.spec?.volumeClaimTemplates ?? []) {
          add({ group: '', kind: 'PersistentVolumeClaim', name: `${tpl.metadata?.name}-${o.metadata?.name}-*` });
        }
      }
      if (o.kind === 'Certificate' && groupOf(o.apiVersion) === 'cert-manager.io' && o.spec?.secretName) {
        add({ group: '', kind: 'Secret', name: o.spec.secretName });
      }
      const ann = o.metadata?.annotations ?? {};
      if (o.kind === 'Ingress' && (ann['cert-manager.io/cluster-issuer'] || ann['cert-manager.io/issuer'])) {
        for (const tls of o.spec?.tls ?? []) if (tls.secretName) add({ group: '', kind: 'Secret', name: tls.secretName });
      }
    }
  }
  return [...out.values()].sort((a, b) => (`${a.kind}/${a.name}` < `${b.kind}/${b.name}` ? -1 : 1));
}

export function buildProject(inv: PlatformInventory): KubeObject {
  const name = inv.platform.name;
  const ignore = orphanIgnores(inv);
  const project = new AppProject({
    metadata: {
      name,
      namespace: ARGOCD_NAMESPACE,
      labels: { [APP_LABELS.partOf]: name, [APP_LABELS.managedBy]: 'gitops', [APP_LABELS.platform]: name },
      // Argo CD refuses to delete a project that applications still reference.
      finalizers: [FINALIZER],
    },
    spec: {
      description: inv.platform.spec.description,
      sourceRepos: [REPO_URL],
      destinations: projectDestinations(inv),
      clusterResourceWhitelist: inv.clusterKinds.map((k) => ({ group: k.group, kind: k.kind, ...(k.name ? { name: k.name } : {}) })),
      orphanedResources: { warn: true, ...(ignore.length ? { ignore } : {}) },
      roles: [
        {
          name: 'read-only',
          description: `Read-only access to ${name} applications`,
          groups: [inv.team],
          policies: [`p, proj:${name}:read-only, applications, get, ${name}/*, allow`],
        },
        {
          name: 'sync',
          description: `Sync (and read) ${name} applications; prod syncs are manual and go through this role`,
          groups: [inv.team],
          policies: [`p, proj:${name}:sync, applications, get, ${name}/*, allow`, `p, proj:${name}:sync, applications, sync, ${name}/*, allow`],
        },
      ],
    },
  });
  project.validate();
  return toPlain(project);
}

export function buildApplication(t: AppTarget, generatePaths: string): KubeObject {
  const env = environments[t.env as keyof typeof environments];
  const app = new Application({
    metadata: {
      name: t.name,
      namespace: ARGOCD_NAMESPACE,
      labels: {
        [APP_LABELS.partOf]: t.platform,
        [APP_LABELS.managedBy]: 'gitops',
        [APP_LABELS.platform]: t.platform,
        [APP_LABELS.app]: t.app,
        [APP_LABELS.env]: t.env,
      },
      annotations: { [MANIFEST_GENERATE_PATHS]: generatePaths },
      // Deleting the Application deletes what it deployed (cascade).
      finalizers: [FINALIZER],
    },
    spec: {
      project: t.platform,
      source: { repoURL: REPO_URL, targetRevision: TARGET_REVISION, path: t.overlay },
      destination: destinationOf(env, t.namespace),
      syncPolicy: syncPolicyFor(env, APP_SYNC_OPTIONS),
      revisionHistoryLimit: 10,
    },
  });
  app.validate();
  return toPlain(app);
}

/**
 * The bootstrap project: the roots and the projects app may only put Applications and
 * AppProjects into the Argo CD namespace, from this repository.
 */
export function buildBootstrapProject(): KubeObject {
  const project = new AppProject({
    metadata: {
      name: BOOTSTRAP_PROJECT,
      namespace: ARGOCD_NAMESPACE,
      labels: { [APP_LABELS.managedBy]: 'gitops' },
      finalizers: [FINALIZER],
    },
    spec: {
      description: 'Roots of the app-of-apps: Applications and AppProjects generated under argocd/',
      sourceRepos: [REPO_URL],
      destinations: [{ server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: [
        { group: 'argoproj.io', kind: 'Application' },
        { group: 'argoproj.io', kind: 'AppProject' },
      ],
      orphanedResources: { warn: false },
    },
  });
  project.validate();
  return toPlain(project);
}

function bootstrapApp(name: string, path: string, syncPolicy: SyncPolicy, labels: Record<string, string>): KubeObject {
  const app = new Application({
    metadata: {
      name,
      namespace: ARGOCD_NAMESPACE,
      labels: { [APP_LABELS.managedBy]: 'gitops', ...labels },
      annotations: { [MANIFEST_GENERATE_PATHS]: `/${path}` },
      // No resources finalizer on purpose: deleting a root must never cascade into deleting
      // every Application (and, through their finalizers, every workload) of an environment.
    },
    spec: {
      project: BOOTSTRAP_PROJECT,
      source: { repoURL: REPO_URL, targetRevision: TARGET_REVISION, path },
      destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
      syncPolicy,
      revisionHistoryLimit: 5,
    },
  });
  app.validate();
  return toPlain(app);
}

/** All AppProjects, shared by every environment (one Argo CD may serve several environments). */
export function buildProjectsApp(projectsPath: string): KubeObject {
  return bootstrapApp(PROJECTS_APP, projectsPath, { automated: { prune: true, selfHeal: true }, retry: { ...SYNC_RETRY, backoff: { ...SYNC_RETRY.backoff } } }, {});
}

/**
 * The environment's root: syncs the Application objects of `argocd/apps/<env>`. It follows the
 * environment's automation, except that a root whose environment is manual is still automated
 * for creating/updating Application objects (they deploy nothing by themselves there) but never
 * prunes: removing a prod Application (and, by its finalizer, its workloads) stays a person's call.
 */
export function buildRootApp(env: string, appsPath: string): KubeObject {
  const e = environments[env as keyof typeof environments];
  const policy: SyncPolicy = {
    automated: e.sync.automated ? { prune: e.sync.prune, selfHeal: e.sync.selfHeal } : { prune: false, selfHeal: true },
    retry: { ...SYNC_RETRY, backoff: { ...SYNC_RETRY.backoff } },
  };
  return bootstrapApp(rootAppName(env), appsPath, policy, { [APP_LABELS.env]: env });
}
