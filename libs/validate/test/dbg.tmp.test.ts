import { test } from 'vitest';
import { join } from 'node:path';
import { validateObjects } from '../src';
import { CORPUS, loadDir } from './helpers';
test('bench', () => {
  const base = loadDir(join(CORPUS, 'clean'));
  const objs = [];
  for (let i = 0; i < 50; i++) for (const o of base) { const c = structuredClone(o); if (c.object.metadata.namespace) c.object.metadata.namespace += i; else c.object.metadata.name += i; objs.push(c); }
  for (let k = 0; k < 4; k++) {
    const t0 = performance.now();
    const r = validateObjects(objs, { policy: 'restricted', declaredSecrets: [{ name: 'registry-pull', keys: ['.dockerconfigjson'] }, { name: 'api-secrets', keys: ['jwt-secret'] }] });
    console.log(objs.length, r.findings.length, performance.now() - t0, JSON.stringify(r.findings[0]));
  }
});
