import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { describe, expect, it } from 'vitest';
import { supportedKinds, validateObjects, type RenderedObject } from '../src';
import { CORPUS, loadDir } from './helpers';

const schemaFindings = (objects: RenderedObject[]) =>
  validateObjects(objects, { policy: 'none' }).findings.filter((f) => f.rule.startsWith('schema-'));

const clean = loadDir(join(CORPUS, 'clean'));

describe('strict schemas', () => {
  it('the packaged validators alone accept unknown fields (why the strict layer exists)', () => {
    const d = new Deployment({
      metadata: { name: 'x' },
      spec: { replica: 2, selector: {}, template: {} } as any,
    });
    expect(() => d.validate()).not.toThrow();
    const a = new Application({
      metadata: { name: 'a' },
      spec: { project: 'p', destination: {}, source: { repoURL: 'r', targetRevison: 'main' } } as any,
    });
    expect(() => a.validate()).not.toThrow();
  });

  // Every kind of the clean corpus (core, @kubernetes-models CRDs, repository schemas) rejects a
  // misspelt field at the top level, in metadata and in spec.
  for (const item of clean) {
    const o = item.object;
    it(`${o.apiVersion} ${o.kind} ${o.metadata.name} rejects unknown fields`, () => {
      const copy = structuredClone(o);
      copy.zzTypo = 1;
      copy.metadata.zzTypo = 'x';
      const expected = ['zzTypo', 'metadata.zzTypo'];
      if (copy.spec && typeof copy.spec === 'object' && !Array.isArray(copy.spec)) {
        copy.spec.zzTypo = true;
        expected.push('spec.zzTypo');
      }
      const found = schemaFindings([{ object: copy }]);
      expect(found.map((f) => `${f.rule} ${f.path}`).sort()).toEqual(expected.map((p) => `schema-unknown-field ${p}`).sort());
      expect(found[0].message).toMatch(/^unknown field "zzTypo"$/);
    });
  }

  it('leaves x-kubernetes-preserve-unknown-fields and map fields open', () => {
    const found = schemaFindings([
      {
        object: {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name: 'a', namespace: 'argocd', labels: { anything: 'goes' }, annotations: { 'x.io/y': 'z' } },
          spec: {
            project: 'p',
            destination: { server: 'https://kubernetes.default.svc', namespace: 'x' },
            source: { repoURL: 'r', helm: { valuesObject: { any: { nested: ['shape'] } } } },
          },
        },
      },
      { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', creationTimestamp: null }, data: { 'any.key': 'v' } } },
    ]);
    expect(found).toEqual([]);
  });

  it('accepts both forms of int-or-string and checks quantities', () => {
    const deployment = (strategy: unknown, limits: unknown) => ({
      object: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: {
          selector: { matchLabels: { a: 'b' } },
          strategy,
          template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i:1', resources: { limits } }] } },
        },
      },
    });
    expect(schemaFindings([deployment({ rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } }, { cpu: '500m', memory: 1024 })])).toEqual([]);
    const bad = schemaFindings([deployment({ rollingUpdate: { maxSurge: true } }, { cpu: '1x' })]);
    expect(bad.map((f) => `${f.rule} ${f.path}`)).toEqual([
      'schema-invalid spec.strategy.rollingUpdate.maxSurge',
      'schema-invalid spec.template.spec.containers[0].resources.limits.cpu',
    ]);
    expect(bad[1].message).toContain('quantity');
  });

  it('accepts `description` in CRD kinds only as a string (the model generator strips that property)', () => {
    const project = (description: unknown) => ({
      object: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p' }, spec: { description } },
    });
    expect(schemaFindings([project('Shop platform')])).toEqual([]);
    expect(schemaFindings([project(5)]).map((f) => f.path)).toEqual(['spec.description']);
  });

  it('knows fields newer than the installed package (SCHEMA_EXTENSIONS) and still type-checks them', () => {
    const issuer = (ingressClassName: unknown) => ({
      object: {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Issuer',
        metadata: { name: 'i' },
        spec: { acme: { server: 's', privateKeySecretRef: { name: 'k' }, solvers: [{ http01: { ingress: { ingressClassName } } }] } },
      },
    });
    expect(schemaFindings([issuer('nginx')])).toEqual([]);
    const bad = schemaFindings([issuer(1)]);
    expect(bad.map((f) => `${f.rule} ${f.path} ${f.message}`)).toEqual([
      'schema-invalid spec.acme.solvers[0].http01.ingress.ingressClassName must be string, got integer',
    ]);
  });

  it("accepts an AppProject whitelist entry's `name` (one Namespace, not all; vendored Argo CD v3.5.1 CRD), only as a string", () => {
    const project = (name: unknown) => ({
      object: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p' }, spec: { clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name }] } },
    });
    expect(schemaFindings([project('shop')])).toEqual([]);
    expect(schemaFindings([project(1)]).map((f) => `${f.rule} ${f.path}`)).toEqual(['schema-invalid spec.clusterResourceWhitelist[0].name']);
  });

  it('serves Istio v1 with the v1beta1 schema', () => {
    const gw = (apiVersion: string) => ({
      object: { apiVersion, kind: 'Gateway', metadata: { name: 'g' }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'], tsl: {} }] } },
    });
    for (const v of ['networking.istio.io/v1', 'networking.istio.io/v1beta1']) {
      expect(schemaFindings([gw(v)]).map((f) => f.path)).toEqual(['spec.servers[0].tsl']);
    }
  });

  it('checks SOPS-encrypted Secrets without the sops block and with encrypted values', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { password: 'ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]' },
      sops: { mac: 'ENC[...]', version: '3.9.4' },
    };
    expect(schemaFindings([{ object: secret }])).toEqual([]);
    // without a sops block the same value is not base64
    const { sops: _sops, ...plain } = secret;
    expect(schemaFindings([{ object: plain }]).map((f) => f.path)).toEqual(['data.password']);
  });

  it('does not modify its input', () => {
    const input = structuredClone(clean);
    validateObjects(input, { policy: 'restricted' });
    expect(input).toEqual(clean);
  });

  it('lists the supported kinds', () => {
    const kinds = supportedKinds();
    for (const k of ['apps/v1/Deployment', 'velero.io/v1/Schedule', 'secrets-store.csi.x-k8s.io/v1/SecretProviderClass', 'networking.istio.io/v1/VirtualService']) {
      expect(kinds).toContain(k);
    }
    expect(kinds).not.toContain('policy/v1beta1/PodDisruptionBudget');
  });
});
