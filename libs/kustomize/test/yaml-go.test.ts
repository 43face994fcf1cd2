/**
 * Generated YAML is read by Go's YAML 1.1 (kubectl, Argo CD, sigs.k8s.io/yaml): a string that YAML 1.1
 * resolves to another type must be written quoted, or the API server receives a boolean where it
 * wants a string (`value: on` in an env var was rejected by kube-apiserver 1.36, libs/cluster).
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toYaml } from '../src';

const TRICKY = ['on', 'off', 'yes', 'no', 'y', 'n', 'On', 'YES', 'true', 'False', '0755', '0x1F', '1_000', '60:00', '2026-01-01', '~', 'null', '1e3', '.inf'];

describe('toYaml is safe for YAML 1.1 readers', () => {
  it('every string stays a string when read as YAML 1.1', () => {
    const value = { env: TRICKY.map((v) => ({ name: 'X', value: v })), args: TRICKY };
    const back = parse(toYaml(value), { version: '1.1' });
    expect(back).toEqual(value);
  });

  it('real booleans and numbers stay unquoted', () => {
    expect(toYaml({ a: true, b: 5, c: 'plain' })).toBe('a: true\nb: 5\nc: plain\n');
  });
});
