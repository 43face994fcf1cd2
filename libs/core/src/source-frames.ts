/**
 * Stack frames of bundled code, mapped back to their TypeScript sources on demand.
 *
 * The prebuilt CLI and the compiled platforms carry source maps, but Node's own mapping
 * (`process.setSourceMapsEnabled(true)`) reads and indexes the map of every module at load time:
 * 30–60 ms of every command, for the rare error that needs a location. Only the error path pays
 * here: a frame's file is read once, its map (inline `data:` URL or a linked `.map` file) parsed
 * with Node's own `SourceMap`, and the position looked up.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * An absolute file position in a stack: `(/path:l:c)`, `at /path:l:c` or `file:///path:l:c` (a
 * `?query` is dropped). Not `node:internal/errors:405:5`, whose `/errors` is no file.
 */
const FRAME = /(?:file:\/\/|(?<=\(|at ))(\/[^\s():?]+)(?:\?[^\s():]*)?:(\d+):(\d+)/g;

const maps = new Map<string, SourceMap | null>();

function mapOf(file: string): SourceMap | null {
  if (maps.has(file)) return maps.get(file)!;
  let map: SourceMap | null = null;
  try {
    const text = readFileSync(file, 'utf8');
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
    if (url?.startsWith('data:')) map = new SourceMap(JSON.parse(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').toString('utf8')));
    else if (url && existsSync(resolve(dirname(file), url))) map = new SourceMap(JSON.parse(readFileSync(resolve(dirname(file), url), 'utf8')));
  } catch {
    map = null; // unreadable or not a map: the frame stays as it is
  }
  maps.set(file, map);
  return map;
}

/** `file`, 1-based `line` and `column` in its original source, when `file` has a source map that covers them. */
export function originalPosition(file: string, line: number, column: number): { file: string; line: number; column: number } | undefined {
  const map = mapOf(file);
  const entry = map?.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
  if (!entry?.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
  const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : resolve(dirname(file), entry.originalSource);
  return { file: source, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}

/** The absolute `path:line:column` positions in a stack (`file://` URLs and `?query` suffixes removed), each mapped to its source when it can be. */
export function stackPositions(stack: string): Array<{ file: string; line: number; column: number }> {
  const out: Array<{ file: string; line: number; column: number }> = [];
  for (const m of stack.matchAll(FRAME)) {
    const at = { file: m[1], line: Number(m[2]), column: Number(m[3]) };
    out.push(originalPosition(at.file, at.line, at.column) ?? at);
  }
  return out;
}

/** The stack text with every mappable position replaced by its source position (for GITOPS_DEBUG). */
export function mappedStack(stack: string): string {
  return stack.replace(FRAME, (whole, file: string, line: string, column: string) => {
    const at = originalPosition(file, Number(line), Number(column));
    return at ? `${at.file}:${at.line}:${at.column}` : whole;
  });
}
