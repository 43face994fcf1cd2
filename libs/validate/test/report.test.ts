import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatReport, RULES, validateObjects, type RenderedObject } from '../src';
import { CLEAN_DECLARED, CORPUS, loadDir, loadFile } from './helpers';

describe('report', () => {
  it('groups platform, env, object; one line per finding: file kind/name path rule: message', () => {
    const broken = loadFile(join(CORPUS, 'broken/references/ref-service.yaml'));
    const clean = loadDir(join(CORPUS, 'clean'));
    const report = formatReport([
      { platform: 'shop', env: 'dev', ...validateObjects(broken, { policy: 'privileged', platform: 'shop', env: 'dev' }) },
      { platform: 'shop', env: 'prod', ...validateObjects(clean, { policy: 'restricted', declaredSecrets: CLEAN_DECLARED }) },
      { platform: 'blog', env: 'dev', ...validateObjects(clean, { policy: 'none' }) },
    ]);
    const lines = report.split('\n');
    expect(lines[0]).toBe('shop');
    expect(lines[1]).toBe('  dev: 4 objects, 4 errors, 0 warnings, 0 suppressions');
    expect(lines).toContain('    Service/web/orphan (broken/references/ref-service.yaml)');
    expect(lines).toContain(
      '      error   broken/references/ref-service.yaml Service/orphan spec.selector ref-service-selector: selector app=wbe matches no pod template in namespace web',
    );
    expect(lines).toContain('  prod: 42 objects, 0 errors, 0 warnings, 0 suppressions');
    expect(lines.indexOf('blog')).toBeGreaterThan(lines.indexOf('  prod: 42 objects, 0 errors, 0 warnings, 0 suppressions'));
    expect(lines).toContain(
      '      warning clean/shop/api.yaml Deployment/api spec.template.spec.imagePullSecrets[0].name ref-image-pull-secret: image pull Secret "registry-pull" is neither rendered nor declared in namespace shop',
    );
    expect(lines.at(-2)).toBe('total: 88 objects, 5 errors, 1 warning');
  });

  it('prints each suppression reason once per platform, with the objects and environments it holds in', () => {
    const s = (name: string, rule = 'ha-replicas', reason = 'singleton by design') => ({ rule, reason, kind: 'Deployment', name, namespace: 'ns' });
    const result = (env: string, suppressions: ReturnType<typeof s>[]) => ({ platform: 'shop', env, findings: [], objects: 3, suppressions });
    const report = formatReport([
      result('dev', [s('beat'), s('vector'), s('api', 'ha-pdb', 'one replica')]),
      result('staging', [s('beat'), s('vector')]),
      result('prod', [s('beat')]),
    ]);
    expect(report.split('\n').slice(0, 9)).toEqual([
      'shop',
      '  dev: 3 objects, 0 errors, 0 warnings, 3 suppressions',
      '  staging: 3 objects, 0 errors, 0 warnings, 2 suppressions',
      '  prod: 3 objects, 0 errors, 0 warnings, 1 suppression',
      '  suppressed (2 reasons):',
      '    ha-replicas: singleton by design',
      '      Deployment/beat (dev, staging, prod)',
      '      Deployment/vector (dev, staging)',
      '    ha-pdb: one replica',
    ]);
    expect(report.match(/singleton by design/g)).toHaveLength(1);
  });

  it('results are plain JSON', () => {
    const result = validateObjects(loadFile(join(CORPUS, 'broken/schema/schema-invalid.yaml')), { policy: 'none', platform: 'p', env: 'e' });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expect(result.findings[0]).toEqual({
      severity: 'error',
      rule: 'schema-invalid',
      platform: 'p',
      env: 'e',
      source: 'broken/schema/schema-invalid.yaml',
      kind: 'Deployment',
      name: 'web',
      path: 'spec.replicas',
      message: 'must be integer',
    });
  });

  it('documents every rule', () => {
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z]+(-[a-z0-9]+)+$/);
      expect(r.description.length).toBeGreaterThan(10);
      expect(r.rationale.length).toBeGreaterThan(10);
      expect(r.appliesTo.length).toBeGreaterThan(5);
    }
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });
});

// Timing is reported by `npm run bench`, not asserted here (a loaded CI machine would make it flaky).
describe('scale', () => {
  it('validates ~2000 objects in one call, every finding located by rule and path', () => {
    const base = loadDir(join(CORPUS, 'clean'));
    const objects: RenderedObject[] = [];
    for (let i = 0; objects.length < 2000; i++) {
      for (const o of base) {
        const c = structuredClone(o);
        if (c.object.metadata.namespace) c.object.metadata.namespace += `-${i}`;
        else c.object.metadata.name += `-${i}`;
        objects.push(c);
      }
    }
    const result = validateObjects(objects, { policy: 'restricted', declaredSecrets: CLEAN_DECLARED });
    expect(result.objects).toBe(objects.length);
    expect(result.findings.every((f) => f.rule && f.kind && f.name && typeof f.path === 'string')).toBe(true);
  });
});
