import { test } from 'vitest';
import { validateObjects } from '../src';
test('dbg', () => {
  const r = validateObjects([
    { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', creationTimestamp: null }, data: { a: 'b' } } },
    { object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } }, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i:1', resources: { limits: { cpu: '1x', memory: 5 } } }] } } } } },
    { object: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: 'argocd' }, spec: { project: 'p', destination: { server: 's' }, source: { repoURL: 'r', helm: { valuesObject: { a: { b: [1] } }, values: 'x: 1' } } } } },
    { object: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'a', namespace: 'argocd' }, spec: { description: 5 } } },
  ], { policy: 'none' });
  console.log(JSON.stringify(r.findings.map(f => [f.kind, f.rule, f.path, f.message])));
});
