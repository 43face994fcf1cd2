/**
 * Issue 19 item 6: the leak scan finds one planted case of every kind in scan-corpus/leaks/ (each
 * case folder is scanned as if it were a repository root), reports file, line and kind and never
 * the value, and finds nothing in scan-corpus/clean/ (references, placeholders, encrypted files and
 * the declared TEST-key locations).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanTree } from '../src';

const CORPUS = join(__dirname, 'scan-corpus');
const expected = JSON.parse(readFileSync(join(CORPUS, 'expected.json'), 'utf8')) as Record<string, Array<[string, number, string]>>;

describe('scan corpus', () => {
  it('has one case folder per expected entry', () => {
    expect(readdirSync(join(CORPUS, 'leaks')).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s', async (name, want) => {
    const dir = join(CORPUS, 'leaks', name);
    const findings = await scanTree(dir);
    expect(findings.map((f) => [f.file, f.line, f.kind])).toEqual(want);
    // The value never appears in what is reported.
    for (const [file] of want) {
      // every planted value has a digit; names and paths in details have none
      const values = (readFileSync(join(dir, file), 'utf8').match(/[A-Za-z0-9+/_!.-]*\d[A-Za-z0-9+/_!.-]*/g) ?? []).filter((v) => v.length >= 8);
      for (const f of findings) for (const v of values) expect(f.detail).not.toContain(v);
    }
  });

  it('finds nothing in the clean cases (references, placeholders, declared TEST-key locations)', async () => {
    expect(await scanTree(join(CORPUS, 'clean'))).toEqual([]);
  });
});
