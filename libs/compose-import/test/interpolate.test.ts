import { describe, expect, it } from 'vitest';
import { interpolate, InterpolationError } from '../src/interpolate';

const vars: Record<string, string> = { SET: 'value', EMPTY: '', INNER: 'inner' };
const run = (s: string) => interpolate(s, (n) => vars[n], 'services.x.image');

describe('interpolation like docker compose', () => {
  it('substitutes $VAR and ${VAR}; unset is empty', () => {
    expect(run('a-$SET-${SET}-${UNSET}-$UNSET.')).toBe('a-value-value--.');
  });
  it(':- applies to unset and empty, - only to unset', () => {
    expect(run('${UNSET:-d} ${EMPTY:-d} ${SET:-d}')).toBe('d d value');
    expect(run('${UNSET-d} ${EMPTY-d} ${SET-d}')).toBe('d  value');
  });
  it('defaults nest and interpolate', () => {
    expect(run('${UNSET:-${INNER}-x}')).toBe('inner-x');
  });
  it(':+ and + give the alternative only when set', () => {
    expect(run('${SET:+alt} ${EMPTY:+alt} ${EMPTY+alt} ${UNSET+alt}')).toBe('alt  alt ');
  });
  it('? and :? fail with the message, naming the field', () => {
    expect(() => run('${UNSET?give it}')).toThrow(/services\.x\.image: required variable UNSET is missing a value: give it/);
    expect(() => run('${EMPTY:?no empty}')).toThrow(InterpolationError);
    expect(run('${EMPTY?ok when empty}')).toBe('');
  });
  it('$$ is a literal dollar and stops interpolation', () => {
    expect(run('$$SET $${SET} $$(id -u)')).toBe('$SET ${SET} $(id -u)');
  });
  it('rejects malformed expressions', () => {
    expect(() => run('${SET')).toThrow(/unterminated/);
    expect(() => run('${1BAD}')).toThrow(/invalid interpolation/);
    expect(() => run('${SET!x}')).toThrow(/invalid interpolation/);
  });
});
