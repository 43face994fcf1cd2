import { describe, expect, it } from 'vitest';
import { formatReport, SUPPRESS_ANNOTATION, validateObjects, type RenderedObject } from '../src';
import { parseSuppressions } from '../src/suppress';

/** A Deployment compliant at restricted except for a writable root file system. */
function web(annotations?: Record<string, string>): RenderedObject {
  return {
    source: 'environments/prod/shop/web.yaml',
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', ...(annotations ? { annotations } : {}) },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'web',
                image: 'nginx:1.27',
                ports: [{ name: 'http', containerPort: 8080 }],
                resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
                livenessProbe: { httpGet: { path: '/', port: 'http' } },
                readinessProbe: { httpGet: { path: '/', port: 'http' } },
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              },
            ],
          },
        },
      },
    },
  };
}
const pdb: RenderedObject = {
  object: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } },
};
const ns = (annotations?: Record<string, string>): RenderedObject => ({
  object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', ...(annotations ? { annotations } : {}) } },
});

const rules = (objects: RenderedObject[], policy: 'restricted' | 'baseline' = 'restricted') =>
  validateObjects(objects, { policy }).findings.map((f) => `${f.kind}/${f.name} ${f.rule}`);

describe('suppressions', () => {
  it('parses entries, keeping colons inside reasons', () => {
    expect(parseSuppressions('a: one; b: two: with colon\nc: three;')).toEqual([
      { rule: 'a', reason: 'one' },
      { rule: 'b', reason: 'two: with colon' },
      { rule: 'c', reason: 'three' },
    ]);
    expect(parseSuppressions('a:   ')[0].error).toContain('has no reason');
    expect(parseSuppressions(5)[0].error).toContain('must be a string');
  });

  it('silence the named rule on the annotated object and are returned', () => {
    expect(rules([web(), pdb, ns()])).toEqual(['Deployment/web pss-read-only-root-fs', 'Namespace/shop netpol-default-deny']);
    const result = validateObjects(
      [
        web({ [SUPPRESS_ANNOTATION]: 'pss-read-only-root-fs: nginx writes its cache to /var/cache/nginx' }),
        pdb,
        ns({ [SUPPRESS_ANNOTATION]: 'netpol-default-deny: policies come from the cluster baseline (Calico GlobalNetworkPolicy)' }),
      ],
      { policy: 'restricted', platform: 'shop', env: 'prod' },
    );
    expect(result.findings).toEqual([]);
    expect(result.suppressions).toEqual([
      { rule: 'pss-read-only-root-fs', reason: 'nginx writes its cache to /var/cache/nginx', kind: 'Deployment', name: 'web', namespace: 'shop' },
      { rule: 'netpol-default-deny', reason: 'policies come from the cluster baseline (Calico GlobalNetworkPolicy)', kind: 'Namespace', name: 'shop' },
    ]);
    const report = formatReport([{ ...result, platform: 'shop', env: 'prod' }]);
    expect(report).toContain('  suppressed (2 reasons):');
    expect(report).toContain('    pss-read-only-root-fs: nginx writes its cache to /var/cache/nginx\n      Deployment/web (prod)\n');
  });

  it('apply only to the annotated object', () => {
    const other = structuredClone(web());
    other.object.metadata.name = 'other';
    const found = rules([web({ [SUPPRESS_ANNOTATION]: 'pss-read-only-root-fs: reason' }), other, pdb, ns()]);
    expect(found).toContain('Deployment/other pss-read-only-root-fs');
    expect(found).not.toContain('Deployment/web pss-read-only-root-fs');
  });

  it('need a reason: without one the finding stays and the suppression is an error', () => {
    const result = validateObjects([web({ [SUPPRESS_ANNOTATION]: 'pss-read-only-root-fs' }), pdb, ns()], { policy: 'restricted' });
    expect(result.findings.map((f) => `${f.rule} ${f.severity} ${f.path}`)).toEqual([
      'pss-read-only-root-fs error spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem',
      'suppression-invalid error metadata.annotations["gitops.io/suppress"]',
      'netpol-default-deny error metadata.name',
    ]);
    expect(result.suppressions).toEqual([]);
  });

  it('of a rule inactive at the level are neither used nor stale (shared bases across environments)', () => {
    const result = validateObjects([web({ [SUPPRESS_ANNOTATION]: 'pss-read-only-root-fs: nginx cache' }), pdb, ns()], { policy: 'baseline' });
    expect(result.findings).toEqual([]);
    expect(result.suppressions.map((s) => s.rule)).toEqual(['pss-read-only-root-fs']);
  });

  it('cannot silence schema errors', () => {
    const bad = web({ [SUPPRESS_ANNOTATION]: 'schema-unknown-field: old field' });
    bad.object.spec.replica = 2;
    expect(rules([bad, pdb, ns()], 'baseline')).toEqual(['Deployment/web schema-unknown-field', 'Deployment/web suppression-invalid']);
  });
});
