import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { DeclaredSecret, RenderedObject } from '../src';

export const TEST_DIR = fileURLToPath(new URL('.', import.meta.url));
export const CORPUS = join(TEST_DIR, 'corpus');

export function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return yamlFiles(p);
      return /\.ya?ml$/.test(name) ? [p] : [];
    });
}

export function loadFile(file: string): RenderedObject[] {
  const source = relative(CORPUS, file);
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => {
      if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
      return d.toJS() as Record<string, any> | null;
    })
    .filter((o): o is Record<string, any> => o !== null)
    .map((object) => ({ object, source }));
}

export function loadDir(dir: string): RenderedObject[] {
  return yamlFiles(dir).flatMap(loadFile);
}

/** Secrets the clean corpus declares but does not render (the secrets tool creates them). */
export const CLEAN_DECLARED: DeclaredSecret[] = [
  { name: 'registry-pull', keys: ['.dockerconfigjson'] },
  { name: 'api-secrets', namespace: 'shop', keys: ['jwt-secret'] },
];
