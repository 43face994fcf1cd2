import { describe, expect, it } from 'vitest';
import { cpuQuantity, durationSeconds, memoryQuantity, shellSplit } from '../src/units';
import { httpCheck, parseImage } from '../src/map';

describe('compose value formats', () => {
  it('durations', () => {
    expect(durationSeconds('1m30s')).toBe(90);
    expect(durationSeconds('500ms')).toBe(1);
    expect(durationSeconds('2h')).toBe(7200);
    expect(durationSeconds(undefined)).toBeUndefined();
    expect(() => durationSeconds('soon')).toThrow(/not a duration/);
  });
  it('byte sizes and CPUs', () => {
    expect(memoryQuantity('1g')).toBe('1Gi');
    expect(memoryQuantity('300m')).toBe('300Mi');
    expect(memoryQuantity('50M')).toBe('50Mi');
    expect(memoryQuantity('1.5gb')).toBe('1536Mi');
    expect(cpuQuantity('0.25')).toBe('250m');
    expect(cpuQuantity(2)).toBe('2000m');
    expect(() => memoryQuantity('lots')).toThrow(/byte size/);
  });
  it('splits commands like a shell', () => {
    expect(shellSplit(`serve --name "a b" 'c d' e\\ f`)).toEqual(['serve', '--name', 'a b', 'c d', 'e f']);
    expect(() => shellSplit('echo "x')).toThrow(/unterminated/);
  });
  it('recognises local curl/wget checks only', () => {
    expect(httpCheck(['sh', '-c', 'curl -f http://localhost:8080/login/ || exit 1'])).toEqual({ tool: 'curl', https: false, port: 8080, path: '/login/' });
    expect(httpCheck(['wget', '-q', '--spider', 'http://127.0.0.1:8080/'])).toMatchObject({ port: 8080, path: '/' });
    expect(httpCheck(['curl', '--fail', 'http://example.com/'])).toBeUndefined();
    expect(httpCheck(['sh', '-c', 'curl -f http://localhost/ && rm -rf /tmp/x'])).toBeUndefined();
  });
  it('parses image references', () => {
    expect(parseImage('docker.io/postgres:16-alpine')).toEqual({ repo: 'docker.io/postgres', tag: '16-alpine', digest: undefined });
    expect(parseImage('localhost:5000/app')).toEqual({ repo: 'localhost:5000/app', digest: undefined });
  });
});
