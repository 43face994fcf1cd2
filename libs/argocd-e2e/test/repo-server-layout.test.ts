/**
 * The local repo-server is configured from the rendered argocd/install (upstream v3.5.1 Deployment +
 * generated KSOPS patch), not from a second hand-written list: its env, the tools on PATH and the age
 * key file follow the patch, and a patch the local side cannot honour is an error naming what is missing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findTool, renderArgocdInstall } from '@gitops/cluster';
import { AGE_KEY_FILE, AGE_SECRET, XDG_CONFIG_HOME } from '@gitops/argocd';
import type { KubeObject } from '@gitops/core';
import { ageKeySecret, appliedInstallObjects, findRendered, localRepoServerLayout } from '../src';
import { missing, ROOT } from './support';

const TOOLS = { ksops: '/opt/built/ksops', kustomize: '/opt/built/kustomize' };
// Not a real identity: the layout only copies the Secret's bytes.
const IDENTITIES = '# TEST KEY placeholder\nAGE-SECRET-KEY-PLACEHOLDER\n';

describe.skipIf(!!missing(['kustomize']))('repo-server layout from the rendered argocd/install', () => {
  let rendered: KubeObject[];
  let deployment: any;
  beforeAll(async () => {
    rendered = await renderArgocdInstall(ROOT, findTool('kustomize', ROOT));
    deployment = findRendered(rendered, 'Deployment', 'argocd-repo-server');
  }, 120_000);

  it('applies only Namespace, CRDs, ConfigMaps and Secrets of the install (workloads run as local processes)', () => {
    const kinds = new Set(appliedInstallObjects(rendered).map((o) => o.kind));
    expect([...kinds].sort()).toEqual(['ConfigMap', 'CustomResourceDefinition', 'Namespace', 'Secret']);
    const cm = appliedInstallObjects(rendered).find((o) => o.kind === 'ConfigMap' && o.metadata?.name === 'argocd-cm') as any;
    expect(cm.data['kustomize.buildOptions']).toBe('--enable-alpha-plugins --enable-exec');
  });

  it('moves the patch env under the local root, links ksops and kustomize where the patch mounts them, writes the age key where SOPS_AGE_KEY_FILE points', () => {
    const fsRoot = '/srv/e2e/root';
    const l = localRepoServerLayout(deployment, { fsRoot, tools: TOOLS, secrets: [ageKeySecret(IDENTITIES)] });
    expect(l.env.XDG_CONFIG_HOME).toBe(`${fsRoot}${XDG_CONFIG_HOME}`);
    expect(l.env.SOPS_AGE_KEY_FILE).toBe(`${fsRoot}${AGE_KEY_FILE}`);
    expect(l.links).toEqual([
      { path: `${fsRoot}/usr/local/bin/ksops`, target: TOOLS.ksops, tool: 'ksops' },
      { path: `${fsRoot}/usr/local/bin/kustomize`, target: TOOLS.kustomize, tool: 'kustomize' },
    ]);
    expect(l.pathDirs).toEqual([`${fsRoot}/usr/local/bin`]);
    expect(l.files).toEqual([{ path: l.env.SOPS_AGE_KEY_FILE, content: IDENTITIES, secret: AGE_SECRET.name, key: AGE_SECRET.key }]);
  });

  it('names what is missing: a tool without a local build, the age key Secret', () => {
    expect(() => localRepoServerLayout(deployment, { fsRoot: '/r', tools: { kustomize: TOOLS.kustomize }, secrets: [ageKeySecret(IDENTITIES)] })).toThrow(/no local build of ksops \(mounted at \/usr\/local\/bin\/ksops\)/);
    expect(() => localRepoServerLayout(deployment, { fsRoot: '/r', tools: TOOLS, secrets: [] })).toThrow(/Secret sops-age \(volume sops-age\) is not provided/);
    const wrongKey = ageKeySecret(IDENTITIES) as any;
    wrongKey.data = { other: wrongKey.data[AGE_SECRET.key] };
    expect(() => localRepoServerLayout(deployment, { fsRoot: '/r', tools: TOOLS, secrets: [wrongKey] })).toThrow(/Secret sops-age has no key keys\.txt/);
  });
});
