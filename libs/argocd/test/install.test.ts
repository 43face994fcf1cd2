/**
 * argocd/install rendered with the real kustomize against the real upstream manifest: the
 * committed kustomization references the pinned URL; here a temporary copy points at the local
 * copy of that file instead (the network reaches no code host), and every patch is checked on the
 * objects it must change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import type { KubeObject } from '@gitops/core';
import { kustomizeBuild } from '@gitops/kustomize';
import {
  AGE_KEY_FILE,
  AGE_SECRET,
  ARGOCD_INSTALL_URL,
  ARGOCD_NAMESPACE,
  ARGOCD_VERSION,
  KSOPS_IMAGE,
  KSOPS_INIT_CONTAINER,
  KUSTOMIZE_BUILD_OPTIONS,
  REPO_SERVER,
  TOOLS,
  XDG_CONFIG_HOME,
  generateArgoCd,
} from '../src';
import { parseDocs, writeFiles } from './support';

/** The pinned upstream install.yaml, vendored in third_party/ (see its README for source and licence). */
const UPSTREAM = resolve(__dirname, '../../../third_party/argo-cd-v3.5.1/install.yaml');

describe('argocd/install with KSOPS (rendered against upstream v3.5.1)', () => {
  it('has the pinned upstream install.yaml in third_party/', () => {
    expect(existsSync(UPSTREAM), UPSTREAM).toBe(true);
  });

  let dir: string;
  let rendered: KubeObject[];
  let upstream: any[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gitops-argocd-install-'));
    const install = new Map([...generateArgoCd([])].filter(([f]) => f.startsWith('argocd/install/')));
    writeFiles(dir, install);
    const kfile = join(dir, 'argocd/install/kustomization.yaml');
    const k = parse(readFileSync(kfile, 'utf8'));
    expect(k.resources).toContain(ARGOCD_INSTALL_URL);
    k.resources = k.resources.map((r: string) => (r === ARGOCD_INSTALL_URL ? 'upstream-install.yaml' : r));
    writeFileSync(kfile, stringify(k));
    copyFileSync(UPSTREAM, join(dir, 'argocd/install/upstream-install.yaml'));
    rendered = await kustomizeBuild(join(dir, 'argocd/install'));
    upstream = parseDocs(readFileSync(UPSTREAM, 'utf8'));
  });
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  const get = (kind: string, name: string): any => {
    const o = rendered.find((x) => x.kind === kind && x.metadata?.name === name);
    if (!o) throw new Error(`${kind}/${name} not rendered`);
    return o;
  };

  it('pins the upstream URL of the version whose manifest is used here', () => {
    expect(ARGOCD_INSTALL_URL).toBe(`https://raw.githubusercontent.com/argoproj/argo-cd/${ARGOCD_VERSION}/manifests/install.yaml`);
    const up = upstream.find((o) => o.kind === 'Deployment' && o.metadata.name === REPO_SERVER);
    expect(up.spec.template.spec.containers[0].image).toBe(`quay.io/argoproj/argocd:${ARGOCD_VERSION}`);
  });

  it('keeps every upstream object, adds only the namespace, and puts everything namespaced in it', () => {
    const key = (o: any) => `${o.kind}/${o.metadata.name}`;
    expect(rendered.map(key).sort()).toEqual([...upstream.map(key), `Namespace/${ARGOCD_NAMESPACE}`].sort());
    for (const o of rendered) {
      if (['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind)) continue;
      expect(o.metadata?.namespace, `${o.kind}/${o.metadata?.name}`).toBe(ARGOCD_NAMESPACE);
    }
  });

  it('adds the KSOPS init container that copies ksops and kustomize into the shared emptyDir', () => {
    const spec = get('Deployment', REPO_SERVER).spec.template.spec;
    const init = spec.initContainers.find((c: any) => c.name === KSOPS_INIT_CONTAINER);
    expect(init.image).toBe(KSOPS_IMAGE);
    expect(init.image).toMatch(/:v\d+\.\d+\.\d+$/);
    expect(spec.initContainers.map((c: any) => c.name)).toContain('copyutil'); // upstream init kept
    const toolsMount = init.volumeMounts[0];
    const toolsVolume = spec.volumes.find((v: any) => v.name === toolsMount.name);
    expect(toolsVolume.emptyDir).toEqual({});
    for (const t of TOOLS) expect(init.args.join(' ')).toContain(`cp /usr/local/bin/${t} ${toolsMount.mountPath}/${t}`);
    expect(init.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
  });

  it('mounts the binaries into the repo-server PATH and the age key from the sops-age Secret', () => {
    const spec = get('Deployment', REPO_SERVER).spec.template.spec;
    const repo = spec.containers.find((c: any) => c.name === REPO_SERVER);
    const upstreamRepo = upstream.find((o) => o.kind === 'Deployment' && o.metadata.name === REPO_SERVER).spec.template.spec.containers[0];
    // Upstream settings survive the merge.
    expect(repo.image).toBe(upstreamRepo.image);
    for (const e of upstreamRepo.env) expect(repo.env).toContainEqual(e);
    for (const m of upstreamRepo.volumeMounts) expect(repo.volumeMounts).toContainEqual(m);
    for (const v of upstream.find((o) => o.kind === 'Deployment' && o.metadata.name === REPO_SERVER).spec.template.spec.volumes) expect(spec.volumes).toContainEqual(v);

    for (const t of TOOLS) expect(repo.volumeMounts).toContainEqual({ name: 'custom-tools', mountPath: `/usr/local/bin/${t}`, subPath: t });
    const env = Object.fromEntries(repo.env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
    expect(env.SOPS_AGE_KEY_FILE).toBe(AGE_KEY_FILE);
    expect(env.XDG_CONFIG_HOME).toBe(XDG_CONFIG_HOME);
    const ageMount = repo.volumeMounts.find((m: any) => AGE_KEY_FILE.startsWith(`${m.mountPath}/`));
    expect(ageMount.readOnly).toBe(true);
    expect(`${ageMount.mountPath}/${AGE_SECRET.key}`).toBe(AGE_KEY_FILE);
    const ageVolume = spec.volumes.find((v: any) => v.name === ageMount.name);
    expect(ageVolume.secret.secretName).toBe(AGE_SECRET.name);
    expect(ageVolume.secret.items).toEqual([{ key: AGE_SECRET.key, path: AGE_SECRET.key }]);
    expect(() => new Deployment(get('Deployment', REPO_SERVER)).validate()).not.toThrow();
  });

  it('enables exec plugins for kustomize in argocd-cm', () => {
    const cm = get('ConfigMap', 'argocd-cm');
    expect(cm.data['kustomize.buildOptions']).toBe(KUSTOMIZE_BUILD_OPTIONS);
    expect(KUSTOMIZE_BUILD_OPTIONS.split(' ').sort()).toEqual(['--enable-alpha-plugins', '--enable-exec']);
    expect(cm.metadata.labels).toEqual(upstream.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cm').metadata.labels);
  });
});
