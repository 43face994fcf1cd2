/** The rule that decides what a server dry run may leave unchecked, without a server (the cases against the real kube-apiserver are in dry-run-cases.ts). */
import { describe, expect, it } from 'vitest';
import { createdByThisApply } from '../src';

describe('createdByThisApply', () => {
  it('only what this apply creates excuses a refusal', () => {
    const set = { namespaces: new Set(['a']), crds: [{ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', names: { kind: 'Widget' }, versions: [{ name: 'v1', served: true }, { name: 'v0', served: false }] } }] };
    expect(createdByThisApply({ namespace: 'a' }, set)).toEqual({ kind: 'Namespace', name: 'a' });
    expect(createdByThisApply({ namespace: 'elsewhere' }, set)).toBeUndefined();
    expect(createdByThisApply({ apiVersion: 'example.com/v1', kind: 'Widget' }, set)).toEqual({ kind: 'CustomResourceDefinition', name: 'widgets.example.com' });
    // A version the CRD does not serve, or another group: the server would refuse it after the apply too.
    expect(createdByThisApply({ apiVersion: 'example.com/v0', kind: 'Widget' }, set)).toBeUndefined();
    expect(createdByThisApply({ apiVersion: 'other.com/v1', kind: 'Widget' }, set)).toBeUndefined();
  });
});
