import { describe, expect, it } from 'vitest';
import { isDeepStrictEqual } from 'node:util';
import { baseOf, difference } from '../src';
import { jsonEqual } from '../src/split';

// Versions in environment order; the reference (prod) is the last.
const PROD = 1;

describe('baseOf / difference', () => {
  const dev = { spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: '1' } } }] } } } };
  const prod = { spec: { replicas: 3, template: { spec: { containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: '2' } } }] } } } };

  it('keeps every field all versions have, at the reference value, named list items by name', () => {
    expect(baseOf([dev, prod], PROD, true)).toEqual(prod);
    expect(difference(prod, baseOf([dev, prod], PROD, true), true)).toBeUndefined();
  });

  it('patches only the versions that differ from the reference, with the container name to merge on', () => {
    const base = baseOf([dev, prod], PROD, true);
    expect(difference(dev, base, true)).toEqual({ spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', resources: { limits: { cpu: '1' } } }] } } } });
  });

  it('leaves out a field some version lacks, so no patch ever has to delete', () => {
    const a = { spec: { x: 1, y: 2 } };
    const b = { spec: { x: 1 } };
    expect(baseOf([a, b], PROD, true)).toEqual({ spec: { x: 1 } });
    expect(difference(a, { spec: { x: 1 } }, true)).toEqual({ spec: { y: 2 } });
  });

  it('keeps a replaced list at the reference value (a patch replaces it whole)', () => {
    const a = { spec: { args: ['--a'] } };
    const b = { spec: { args: ['--b'] } };
    expect(baseOf([a, b], PROD, true)).toEqual(b);
    expect(difference(a, b, true)).toEqual(a);
  });

  it('leaves out a list kustomize merges item by item (env, ports, finalizers) when it differs', () => {
    const a = { spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] }] } } } };
    const b = { spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'B', value: '2' }], ports: [{ containerPort: 81 }] }] } } } };
    expect(baseOf([a, b], PROD, true)).toEqual({ spec: { template: { spec: { containers: [{ name: 'c' }] } } } });
    expect(baseOf([{ metadata: { finalizers: ['x'] } }, { metadata: { finalizers: ['y'] } }], PROD, false)).toEqual({});
  });

  it('leaves out a field whose shape differs or that is null somewhere', () => {
    expect(baseOf([{ v: 1 }, { v: '1' }], PROD, true)).toEqual({});
    expect(baseOf([{ v: null }, { v: 1 }], PROD, true)).toEqual({});
    expect(baseOf([{ v: { a: 1 } }, { v: [1] }], PROD, true)).toEqual({});
  });

  it('does not merge named items of custom kinds (kustomize replaces their lists)', () => {
    const a = { spec: { items: [{ name: 'a', x: 1 }] } };
    const b = { spec: { items: [{ name: 'a', x: 2 }] } };
    expect(baseOf([a, b], PROD, false)).toEqual(b);
    expect(difference(a, b, false)).toEqual(a);
  });

  it('returns nothing when the versions are equal', () => {
    expect(difference(dev, dev, true)).toBeUndefined();
  });
});

describe('jsonEqual', () => {
  it('answers as util.isDeepStrictEqual on JSON data (key order ignored, arrays ordered, types strict)', () => {
    const values: unknown[] = [
      null, 0, 1, -0, NaN, '', '1', true, false, [], {}, [1, 2], [2, 1], [1, [2]], { a: 1, b: 2 }, { b: 2, a: 1 }, { a: 1 }, { a: 1, b: undefined },
      { a: [1, { b: null }] }, { a: [1, { b: 0 }] }, { '0': 1 }, [1], { a: { b: { c: 'x' } } }, { a: { b: { c: 'y' } } },
    ];
    for (const a of values) for (const b of values) expect(jsonEqual(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(isDeepStrictEqual(a, b));
  });
});
