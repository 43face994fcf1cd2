/**
 * Every app: namespace labels, default deny, DNS egress, the Traefik ingress rule (checked from
 * both ends), the cross-app rules (Keycloak, OpenBao, Loki, internet) and nothing else; then the
 * ingress app (Traefik, IngressClass, ClusterIssuer) and the Velero schedules.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForTest, type RenderedPlatform } from '@gitops/pipeline';
import { environments } from '@gitops/environments';
import type { KubeObject } from '@gitops/core';
import { ENVS, SEED_APPS, allObjects, cluster, mainContainer, pod, traefikPod, workloads } from './fixture';
import { Cluster, KUBE_DNS } from './netpol';

let r: RenderedPlatform;
beforeAll(async () => {
  r = await renderForTest('sevensa');
});

const DOMAIN = { dev: 'dev.sevensa.nl', staging: 'staging.sevensa.nl', prod: 'sevensa.nl' };
/** Apps whose Namespace relaxes Pod Security enforcement (hostPath DaemonSets). */
const PRIVILEGED_NS = new Set(['logging', 'velero']);
/** Apps whose namespace is not their name: `monitoring` is the cluster's shared kube-prometheus-stack (D1). */
const NAMESPACE_OF: Record<string, string> = { monitoring: 'sevensa-monitoring' };

/** Backend pods of every Ingress rule of an app, with the container port the Service targets. */
function routedBackends(objects: KubeObject[]): Array<{ host: string; workload: KubeObject; port: number }> {
  const out: Array<{ host: string; workload: KubeObject; port: number }> = [];
  for (const ing of objects.filter((o) => o.kind === 'Ingress')) {
    for (const rule of (ing.spec as any).rules) {
      const b = rule.http.paths[0].backend.service;
      const svc: any = objects.find((o) => o.kind === 'Service' && o.metadata!.name === b.name);
      expect(svc, `Service ${b.name}`).toBeDefined();
      const sp = svc.spec.ports.find((p: any) => p.port === b.port.number);
      expect(sp, `${b.name}:${b.port.number}`).toBeDefined();
      const w = workloads(objects).find((x: any) => Object.entries(svc.spec.selector).every(([k, v]) => x.spec.template.metadata.labels[k] === v))!;
      const cp = mainContainer(w).ports.find((p: any) => p.name === sp.targetPort || p.containerPort === sp.targetPort);
      out.push({ host: rule.host, workload: w, port: cp.containerPort });
    }
  }
  return out;
}

describe.each(SEED_APPS)('app %s', (app) => {
  it('lives in its own namespace, labelled with name: and Pod Security for the environment', () => {
    const name = NAMESPACE_OF[app] ?? app;
    for (const env of ENVS) {
      const ns = r.objects(env, app).find((o) => o.kind === 'Namespace')!;
      expect(ns.metadata!.name).toBe(name);
      expect(ns.metadata!.labels).toMatchObject({ name, 'kubernetes.io/metadata.name': name, 'app.kubernetes.io/part-of': 'sevensa' });
      const level = environments[env].podSecurity;
      expect(ns.metadata!.labels!['pod-security.kubernetes.io/enforce']).toBe(PRIVILEGED_NS.has(app) ? 'privileged' : level);
      expect(ns.metadata!.labels!['pod-security.kubernetes.io/warn']).toBe(level);
      for (const o of r.objects(env, app)) if (o.kind !== 'Namespace' && o.metadata!.namespace) expect(o.metadata!.namespace).toBe(name);
    }
  });

  it('denies all traffic by default', () => {
    for (const env of ENVS) {
      const dd: any = r.get(env, 'NetworkPolicy', 'default-deny', app);
      expect(dd.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    }
  });

  it('lets every pod resolve names (UDP and TCP 53 to kube-dns) and nothing else on 53', () => {
    for (const env of ENVS) {
      const c = cluster(r, env);
      for (const w of workloads(r.objects(env, app))) {
        const p = Cluster.podOf(w);
        expect(p.labels.app, `${w.metadata!.name} carries the app label`).toBe(app === 'ingress' ? 'traefik' : app);
        expect(c.egressAllowed(p, KUBE_DNS, 53, 'UDP'), `${env} ${w.metadata!.name} UDP 53`).toBe(true);
        expect(c.egressAllowed(p, KUBE_DNS, 53, 'TCP'), `${env} ${w.metadata!.name} TCP 53`).toBe(true);
        expect(c.egressAllowed(p, { namespace: 'kube-system', labels: { 'k8s-app': 'other' } }, 53, 'UDP')).toBe(false);
      }
    }
  });

  it('admits Traefik to every routed backend, on the container port, and only there', () => {
    for (const env of ENVS) {
      const c = cluster(r, env);
      const traefik = traefikPod(r, env);
      const objects = r.objects(env, app);
      if (app === 'ingress') {
        // Traefik's own rule: the world reaches its two entry points, nothing else.
        expect(c.ingressAllowed(traefik, 'internet', 8000)).toBe(true);
        expect(c.ingressAllowed(traefik, 'internet', 8443)).toBe(true);
        expect(c.ingressAllowed(traefik, 'internet', 9000)).toBe(false);
        continue;
      }
      const routed = routedBackends(objects);
      expect(routed.length, `${app} has public routes`).toBeGreaterThan(0);
      for (const b of routed) {
        expect(b.host.endsWith(`.${DOMAIN[env]}`)).toBe(true);
        expect(c.canReach(traefik, Cluster.podOf(b.workload), b.port), `${env} traefik -> ${b.workload.metadata!.name}:${b.port}`).toBe(true);
      }
      const routedNames = new Set(routed.map((b) => b.workload.metadata!.name));
      for (const w of workloads(objects).filter((x) => !routedNames.has(x.metadata!.name) && x.kind !== 'Job')) {
        for (const port of (mainContainer(w).ports ?? []).map((p: any) => p.containerPort)) {
          expect(c.canReach(traefik, Cluster.podOf(w), port), `${env} traefik must not reach ${w.metadata!.name}:${port}`).toBe(false);
        }
      }
    }
  });

  it('serves every Ingress through Traefik with TLS from the environment ClusterIssuer', () => {
    for (const env of ENVS) {
      for (const ing of r.objects(env, app).filter((o) => o.kind === 'Ingress') as any[]) {
        expect(ing.spec.ingressClassName).toBe('traefik');
        expect(ing.metadata.annotations['traefik.ingress.kubernetes.io/router.entrypoints']).toBe('websecure');
        expect(ing.metadata.annotations['cert-manager.io/cluster-issuer']).toBe(`sevensa-${environments[env].clusterIssuer}`);
        expect(ing.spec.tls[0].hosts.sort()).toEqual(ing.spec.rules.map((x: any) => x.host).sort());
        for (const ref of (ing.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'] ?? '').split(',').filter(Boolean)) {
          const mw = r.objects(env, app).find((o) => o.kind === 'Middleware' && `${o.metadata!.namespace}-${o.metadata!.name}@kubernetescrd` === ref);
          expect(mw, `${ref} is defined`).toBeDefined();
        }
      }
    }
  });

  it('runs every prod Deployment with at least 2 replicas and a PodDisruptionBudget', () => {
    const objects = r.objects('prod', app);
    for (const d of objects.filter((o) => o.kind === 'Deployment') as any[]) {
      expect(d.spec.replicas, d.metadata.name).toBeGreaterThanOrEqual(2);
      const pdb = objects.find((o: any) => o.kind === 'PodDisruptionBudget' && Object.entries(o.spec.selector.matchLabels).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
      expect(pdb, `PDB for ${d.metadata.name}`).toBeDefined();
    }
  });
});

describe('cross-app rules: Keycloak, OpenBao, Loki, internet, and nothing else', () => {
  const reach = (env: string, from: [string, string], to: [string, string], port: number) =>
    cluster(r, env).canReach(pod(r, env, ...from), pod(r, env, ...to), port);

  it('lets the apps that authenticate users reach Keycloak on 8080, and no one else', () => {
    for (const env of ENVS) {
      expect(reach(env, ['rentguy', 'rentguy-api'], ['infra', 'keycloak'], 8080)).toBe(true);
      expect(reach(env, ['psra', 'psra-api'], ['infra', 'keycloak'], 8080)).toBe(true);
      expect(reach(env, ['wpcs', 'wpcs-api'], ['infra', 'keycloak'], 8080)).toBe(true);
      expect(reach(env, ['ai', 'claude-chat'], ['infra', 'keycloak'], 8080)).toBe(true);
      expect(reach(env, ['monitoring', 'grafana'], ['infra', 'keycloak'], 8080)).toBe(false);
      expect(reach(env, ['logging', 'vector'], ['infra', 'keycloak'], 8080)).toBe(false);
    }
  });

  it('lets only RentGuy reach OpenBao on 8200', () => {
    for (const env of ENVS) {
      expect(reach(env, ['rentguy', 'rentguy-api'], ['infra', 'openbao'], 8200)).toBe(true);
      for (const [app, w] of [['psra', 'psra-api'], ['wpcs', 'wpcs-api'], ['ai', 'langgraph'], ['monitoring', 'prometheus']] as const) {
        expect(reach(env, [app, w], ['infra', 'openbao'], 8200)).toBe(false);
      }
    }
  });

  it('lets Grafana query Loki, and keeps Prometheus inside its namespace', () => {
    expect(reach('prod', ['monitoring', 'grafana'], ['logging', 'loki'], 3100)).toBe(true);
    expect(reach('prod', ['monitoring', 'grafana'], ['monitoring', 'prometheus'], 9090)).toBe(true);
    expect(reach('prod', ['monitoring', 'prometheus'], ['rentguy', 'rentguy-api'], 3000)).toBe(false);
    expect(reach('prod', ['rentguy', 'rentguy-api'], ['logging', 'loki'], 3100)).toBe(false);
  });

  it('ships logs inside the logging namespace: Promtail and Vector to Loki', () => {
    expect(reach('prod', ['logging', 'promtail'], ['logging', 'loki'], 3100)).toBe(true);
    expect(reach('prod', ['logging', 'vector'], ['logging', 'loki'], 3100)).toBe(true);
  });

  it('gives HTTPS to the internet only to the components that call external APIs', () => {
    const c = cluster(r, 'prod');
    for (const [app, w] of [['ai', 'claude-chat'], ['ai', 'langgraph'], ['ai', 'n8n'], ['ai', 'trading-dashboard'], ['psra', 'psra-origin-engine'], ['wpcs', 'wp-demo']] as const) {
      expect(c.egressAllowed(pod(r, 'prod', app, w), 'internet', 443), `${w}`).toBe(true);
      expect(c.egressAllowed(pod(r, 'prod', app, w), 'internet', 80), `${w} port 80`).toBe(false);
    }
    for (const [app, w] of [['rentguy', 'rentguy-api'], ['rentguy', 'rentguy-db'], ['infra', 'keycloak'], ['ai', 'ai-db'], ['monitoring', 'grafana']] as const) {
      expect(c.egressAllowed(pod(r, 'prod', app, w), 'internet', 443), `${w}`).toBe(false);
    }
  });

  it('opens HTTP-01 solvers to Traefik only where the issuer is ACME', () => {
    for (const env of ENVS) {
      const solver = { namespace: 'rentguy', labels: { 'acme.cert-manager.io/http01-solver': 'true' } };
      expect(cluster(r, env).canReach(traefikPod(r, env), solver, 8089)).toBe(env !== 'dev');
    }
  });
});

describe('ingress app: Traefik, IngressClass, ClusterIssuer', () => {
  it('runs Traefik with the web and websecure entry points behind a LoadBalancer on 80/443', () => {
    const d: any = r.get('prod', 'Deployment', 'traefik', 'ingress');
    const args: string[] = mainContainer(d).args;
    expect(args).toContain('--entryPoints.web.address=:8000');
    expect(args).toContain('--entryPoints.websecure.address=:8443');
    expect(args).toContain('--providers.kubernetesingress.ingressClass=traefik');
    expect(args).toContain('--providers.kubernetescrd=true');
    expect(d.spec.template.metadata.labels.app).toBe('traefik');
    const s: any = r.get('prod', 'Service', 'traefik', 'ingress');
    expect(s.spec.type).toBe('LoadBalancer');
    expect(s.spec.externalTrafficPolicy).toBe('Local');
    expect(s.spec.ports.map((p: any) => [p.name, p.port, p.targetPort])).toEqual([
      ['web', 80, 'web'],
      ['websecure', 443, 'websecure'],
    ]);
  });

  it('rate-limits websecure with a middleware that exists, and redirects plain HTTP', () => {
    const args: string[] = mainContainer(r.get('prod', 'Deployment', 'traefik', 'ingress')).args;
    expect(args).toContain('--entryPoints.websecure.http.middlewares=ingress-rate-limit@kubernetescrd');
    expect((r.get('prod', 'Middleware', 'rate-limit', 'ingress') as any).spec.rateLimit.average).toBeGreaterThan(0);
    const route: any = r.get('prod', 'IngressRoute', 'http-to-https', 'ingress');
    expect(route.spec.entryPoints).toEqual(['web']);
    expect(route.spec.routes[0].middlewares).toEqual([{ name: 'redirect-https' }]);
    expect((r.get('prod', 'Middleware', 'redirect-https', 'ingress') as any).spec.redirectScheme).toEqual({ scheme: 'https', permanent: true });
  });

  it('can read what its providers need, through a binding to its own ServiceAccount', () => {
    const role: any = r.get('prod', 'ClusterRole', 'sevensa-traefik', 'ingress');
    const resources = role.rules.flatMap((x: any) => x.resources);
    for (const res of ['ingresses', 'ingressclasses', 'endpointslices', 'services', 'secrets', 'middlewares', 'ingressroutes']) expect(resources).toContain(res);
    const binding: any = r.get('prod', 'ClusterRoleBinding', 'sevensa-traefik', 'ingress');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'traefik', namespace: 'ingress' }]);
    expect((r.get('prod', 'Deployment', 'traefik', 'ingress') as any).spec.template.spec.serviceAccountName).toBe('traefik');
  });

  it('issues certificates self-signed in dev and from Let\'s Encrypt (staging / production) elsewhere', () => {
    expect((r.get('dev', 'ClusterIssuer', 'sevensa-selfsigned', 'ingress') as any).spec).toEqual({ selfSigned: {} });
    const acme = (env: string, name: string) => (r.get(env, 'ClusterIssuer', name, 'ingress') as any).spec.acme;
    expect(acme('staging', 'sevensa-letsencrypt-staging').server).toContain('acme-staging-v02');
    expect(acme('prod', 'sevensa-letsencrypt-prod').server).toBe('https://acme-v02.api.letsencrypt.org/directory');
    expect(acme('prod', 'sevensa-letsencrypt-prod').solvers).toEqual([{ http01: { ingress: { class: 'traefik' } } }]);
  });

  it('lets Traefik reach the Kubernetes API and the backends of every app, from its own egress policy', () => {
    const c = cluster(r, 'prod');
    const traefik = traefikPod(r, 'prod');
    expect(c.egressAllowed(traefik, 'internet', 443)).toBe(true); // API server address is cluster-specific
    for (const app of SEED_APPS.filter((a) => a !== 'ingress')) {
      const routed = routedBackends(r.objects('prod', app));
      for (const b of routed) expect(c.egressAllowed(traefik, Cluster.podOf(b.workload), b.port)).toBe(true);
    }
  });
});

describe('per-environment facts', () => {
  it('puts every public host under the environment zone, prod on sevensa.nl', () => {
    for (const env of ENVS) {
      const hosts = allObjects(r, env).filter((o) => o.kind === 'Ingress').flatMap((o: any) => o.spec.rules.map((x: any) => x.host));
      expect(hosts.length).toBeGreaterThanOrEqual(12);
      for (const h of hosts) expect(h.endsWith(`.${DOMAIN[env]}`) && (env === 'prod' || !h.endsWith(`.${DOMAIN.prod}`) || h.includes(`.${env}.`))).toBe(true);
    }
    expect(allObjects(r, 'prod').filter((o) => o.kind === 'Ingress').flatMap((o: any) => o.spec.rules.map((x: any) => x.host))).toContain('auth.sevensa.nl');
  });

  it('maps every claim to the environment storage classes, RWX uploads only where replicas share them', () => {
    for (const env of ENVS) {
      const classes = Object.values(environments[env].storageClasses);
      for (const o of allObjects(r, env)) {
        const claims = o.kind === 'PersistentVolumeClaim' ? [o.spec] : o.kind === 'StatefulSet' ? ((o.spec as any).volumeClaimTemplates ?? []).map((t: any) => t.spec) : [];
        for (const c of claims as any[]) expect(classes).toContain(c.storageClassName);
      }
      const uploads: any = r.get(env, 'PersistentVolumeClaim', 'wp-demo-uploads', 'wpcs');
      expect(uploads.spec.accessModes).toEqual(env === 'dev' ? ['ReadWriteOnce'] : ['ReadWriteMany']);
      expect(uploads.spec.storageClassName).toBe(environments[env].storageClasses[env === 'dev' ? 'standard' : 'shared']);
    }
  });

  it('runs OpenBao as a 3-node Raft cluster in prod, configured to join its peers', () => {
    expect((r.get('prod', 'StatefulSet', 'openbao', 'infra') as any).spec.replicas).toBe(3);
    expect((r.get('dev', 'StatefulSet', 'openbao', 'infra') as any).spec.replicas).toBe(1);
    const hcl = (r.get('prod', 'ConfigMap', 'openbao-config', 'infra') as any).data['openbao.hcl'];
    for (const i of [0, 1, 2]) expect(hcl).toContain(`openbao-${i}.openbao-headless.infra.svc:8200`);
    expect((r.get('dev', 'ConfigMap', 'openbao-config', 'infra') as any).data['openbao.hcl']).not.toContain('retry_join');
  });

  it('keeps the Keycloak exception on the Deployment only', () => {
    expect((r.get('prod', 'Deployment', 'keycloak', 'infra') as any).metadata.annotations['gitops.io/suppress']).toMatch(/^pss-read-only-root-fs: /);
    expect((r.get('prod', 'Service', 'keycloak', 'infra') as any).metadata.annotations?.['gitops.io/suppress']).toBeUndefined();
    expect((r.get('prod', 'PodDisruptionBudget', 'keycloak', 'infra') as any).metadata.annotations?.['gitops.io/suppress']).toBeUndefined();
  });

  it('runs Promtail on every node with /var/log read-only', () => {
    const ds: any = r.get('prod', 'DaemonSet', 'promtail', 'logging');
    const vol = ds.spec.template.spec.volumes.find((v: any) => v.hostPath);
    expect(vol.hostPath.path).toBe('/var/log');
    expect(mainContainer(ds).volumeMounts).toContainEqual({ name: vol.name, mountPath: '/var/log', readOnly: true });
    expect(mainContainer(ds).securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, allowPrivilegeEscalation: false });
  });
});

describe('backups: Velero schedules', () => {
  const STATEFUL = ['rentguy', 'psra', 'wpcs', 'ai', 'infra', 'sevensa-monitoring', 'logging'];

  it('schedules a daily backup of every stateful namespace, in the velero namespace', () => {
    for (const env of ENVS) {
      const schedules = r.objects(env, 'backups').filter((o) => o.kind === 'Schedule') as any[];
      expect(schedules.map((s) => s.spec.template.includedNamespaces[0]).sort()).toEqual([...STATEFUL].sort());
      for (const s of schedules) {
        expect(s.apiVersion).toBe('velero.io/v1');
        expect(s.metadata.namespace).toBe('velero');
        expect(s.spec.schedule).toMatch(/^\d+ 1 \* \* \*$/);
        expect(s.spec.template.snapshotVolumes).toBe(true);
        expect(s.spec.paused).toBe(env === 'dev');
      }
    }
  });

  it('keeps backups 30 days in prod and a week in staging', () => {
    expect((r.get('prod', 'Schedule', 'rentguy-daily', 'backups') as any).spec.template.ttl).toBe('720h0m0s');
    expect((r.get('staging', 'Schedule', 'rentguy-daily', 'backups') as any).spec.template.ttl).toBe('168h0m0s');
  });

  it('backs the RWX WordPress uploads up file by file (EFS cannot be snapshotted)', () => {
    const d: any = r.get('prod', 'Deployment', 'wp-demo', 'wpcs');
    expect(d.spec.template.metadata.annotations['backup.velero.io/backup-volumes']).toBe('uploads');
  });
});
