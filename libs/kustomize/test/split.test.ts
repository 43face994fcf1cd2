import { describe, expect, it } from 'vitest';
import { difference, intersect } from '../src';

describe('intersect / difference', () => {
  const dev = { spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: '1' } } }] } } } };
  const prod = { spec: { replicas: 3, template: { spec: { containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: '2' } } }] } } } };

  it('keeps only what every version shares, named list items by name', () => {
    expect(intersect([dev, prod], true)).toEqual({ spec: { template: { spec: { containers: [{ name: 'a', image: 'x' }] } } } });
  });

  it('patches carry only the difference, with the container name to merge on', () => {
    const base = intersect([dev, prod], true);
    expect(difference(prod, base, true)).toEqual({ spec: { replicas: 3, template: { spec: { containers: [{ name: 'a', resources: { limits: { cpu: '2' } } }] } } } });
  });

  it('leaves lists that differ out of the base so a patch replaces them whole', () => {
    const a = { spec: { args: ['--a'] } };
    const b = { spec: { args: ['--b'] } };
    expect(intersect([a, b], true)).toEqual({});
    expect(difference(b, {}, true)).toEqual(b);
  });

  it('does not merge named items of custom kinds (JSON merge patch replaces lists)', () => {
    const a = { spec: { containers: [{ name: 'a', x: 1 }] } };
    const b = { spec: { containers: [{ name: 'a', x: 2 }] } };
    expect(intersect([a, b], false)).toEqual({});
  });

  it('returns nothing when the versions are equal', () => {
    expect(difference(dev, dev, true)).toBeUndefined();
  });
});
