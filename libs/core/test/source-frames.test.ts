/** Frames of bundled code map back to the TypeScript line and column, from inline and linked maps, on demand. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { mappedStack, stackPositions } from '../src/source-frames';

const dir = mkdtempSync(join(tmpdir(), 'gitops-frames-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const source = join(dir, 'spec.ts');
// Line 4, column 9 (1-based) is where `new Error` is thrown.
writeFileSync(source, ["type Port = number;", "const ports: Port[] = [80];", "export function broken(): never {", "  throw new Error(`port ${ports[0]} broke`);", "}", ''].join('\n'));

/** Bundles spec.ts and returns a stack frame at the generated position of its `new Error` (vitest maps real stacks itself). */
async function frameIn(sourcemap: 'inline' | 'linked'): Promise<{ stack: string; bundle: string }> {
  const bundle = join(dir, `bundle-${sourcemap}.mjs`);
  await build({ entryPoints: [source], outfile: bundle, bundle: true, format: 'esm', platform: 'node', sourcemap, sourcesContent: false, banner: { js: '// a line the source does not have\n' }, logLevel: 'silent' });
  const lines = readFileSync(bundle, 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('new Error('));
  const column = lines[line].indexOf('new Error(');
  return { stack: `Error: port 80 broke\n    at broken (${pathToFileURL(bundle).href}:${line + 1}:${column + 1})`, bundle };
}

describe('source frames', () => {
  it.each(['inline', 'linked'] as const)('maps a frame of a bundle with a %s map to the TypeScript position', async (kind) => {
    const { stack, bundle } = await frameIn(kind);
    expect(stack).toContain(bundle);
    expect(stackPositions(stack)).toEqual([{ file: source, line: 4, column: 9 }]);
    expect(mappedStack(stack)).toBe(`Error: port 80 broke\n    at broken (${source}:4:9)`);
  });

  it('takes no Node-internal position for a file', () => {
    expect(stackPositions('TypeError: x\n    at new NodeError (node:internal/errors:405:5)\n    at f (/srv/app/a.js:3:7)')).toEqual([{ file: '/srv/app/a.js', line: 3, column: 7 }]);
  });

  it('leaves a position without a map as it is', () => {
    const stack = `Error: x\n    at f (${join(dir, 'nothing-here.js')}:3:7)`;
    expect(stackPositions(stack)).toEqual([{ file: join(dir, 'nothing-here.js'), line: 3, column: 7 }]);
    expect(mappedStack(stack)).toBe(stack);
  });
});
