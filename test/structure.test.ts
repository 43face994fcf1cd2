/**
 * The package structure the READMEs describe, kept true by a test (issue 16): which workspace
 * library may import which, and every package.json declares exactly the workspace libraries its code
 * imports (runtime code in `dependencies`, test-only in `devDependencies`), so Nx's project graph and
 * `nx affected` see the real edges. Imports are read with TypeScript's own pre-processor.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');
const SCOPE = '@gitops/';

interface Pkg {
  dir: string;
  name: string;
  deps: Set<string>;
  devDeps: Set<string>;
}

function packages(): Pkg[] {
  const globs = ['apps', 'libs', 'libs/platforms', 'tools'];
  return globs.flatMap((g) =>
    readdirSync(join(root, g), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(g, d.name))
      .filter((dir) => {
        try {
          return statSync(join(root, dir, 'package.json')).isFile();
        } catch {
          return false;
        }
      })
      .map((dir) => {
        const pj = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
        const ws = (o: Record<string, string> = {}) => new Set(Object.keys(o).filter((k) => k.startsWith(SCOPE)));
        return { dir, name: pj.name as string, deps: ws(pj.dependencies), devDeps: ws(pj.devDependencies) };
      }),
  );
}

function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(join(root, d), { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (!['node_modules', 'dist', 'fixtures', 'platforms'].includes(e.name) || (e.name === 'platforms' && d !== 'libs')) walk(p);
      } else if (/\.(m|c)?tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Workspace packages a file imports (static, dynamic, `import type`, re-exports). */
function workspaceImports(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName).filter((m) => m.startsWith(SCOPE)).map((m) => m.split('/').slice(0, 2).join('/'));
}

const isTest = (file: string) => /(^|\/)(test|tests|__tests__)\//.test(file) || /\.test\.tsx?$/.test(file);

const pkgs = packages();
const byName = new Map(pkgs.map((p) => [p.name, p]));
const edges = new Map(
  pkgs.map((p) => {
    const src = new Set<string>();
    const test = new Set<string>();
    for (const f of sources(p.dir)) for (const m of workspaceImports(f)) if (m !== p.name) (isTest(f) ? test : src).add(m);
    return [p.name, { src, test: new Set([...test].filter((m) => !src.has(m))) }];
  }),
);

/** Runtime imports (src) of a package, as `from -> to` lines, for readable failures. */
const srcEdges = (name: string) => [...(edges.get(name)?.src ?? [])].map((to) => `${name} -> ${to}`);

describe('package structure', () => {
  it('finds the workspace packages and their imports', () => {
    expect(pkgs.length).toBeGreaterThan(10);
    expect(edges.get('@gitops/pipeline')?.src.has('@gitops/core')).toBe(true);
  });

  it('platforms import only core and environments', () => {
    const platforms = pkgs.filter((p) => p.dir.startsWith('libs/platforms/'));
    expect(platforms.length).toBeGreaterThanOrEqual(5);
    const bad = platforms.flatMap((p) => srcEdges(p.name)).filter((e) => !/-> @gitops\/(core|environments)$/.test(e));
    expect(bad).toEqual([]);
  });

  // Decision: the fast YAML reader (@gitops/yaml-read) is a leaf utility with no workspace imports
  // of its own; validate may read the vendored CRDs with it. Nothing else.
  it('validate and the SOPS library import no other workspace library (validate: only the leaf YAML reader)', () => {
    expect(srcEdges('@gitops/yaml-read')).toEqual([]);
    expect(srcEdges('@gitops/validate').filter((e) => !e.endsWith('-> @gitops/yaml-read'))).toEqual([]);
    expect(srcEdges('@gitops/secrets')).toEqual([]);
  });

  // Pipeline hands argocd the builds; argocd's own tests may build platforms through pipeline.
  it('argocd never imports pipeline', () => {
    expect(srcEdges('@gitops/argocd')).not.toContain('@gitops/argocd -> @gitops/pipeline');
    expect(srcEdges('@gitops/argocd').length).toBeGreaterThan(0);
  });

  it('every workspace import resolves to a workspace package', () => {
    const unknown = [...edges].flatMap(([from, e]) => [...e.src, ...e.test].filter((to) => !byName.has(to)).map((to) => `${from} -> ${to}`));
    expect(unknown).toEqual([]);
  });

  it('package.json dependencies are exactly the workspace libraries the code imports', () => {
    const problems = pkgs.flatMap((p) => {
      const e = edges.get(p.name)!;
      const out: string[] = [];
      for (const m of e.src) if (!p.deps.has(m)) out.push(`${p.dir}/package.json: imports ${m} in src/ but does not list it in dependencies`);
      for (const m of p.deps) if (!e.src.has(m)) out.push(`${p.dir}/package.json: lists ${m} in dependencies but src/ never imports it`);
      for (const m of e.test) if (!p.devDeps.has(m)) out.push(`${p.dir}/package.json: tests import ${m} but devDependencies do not list it`);
      for (const m of p.devDeps) if (!e.test.has(m)) out.push(`${p.dir}/package.json: lists ${m} in devDependencies but no test imports it (or src does: then it belongs in dependencies)`);
      return out;
    });
    expect(problems).toEqual([]);
  });

  it('no seed line references (they point into files outside the repository)', () => {
    const files = pkgs.filter((p) => p.dir.startsWith('libs/platforms/')).flatMap((p) => sources(p.dir));
    expect(files.length).toBeGreaterThan(50);
    const readmes = readdirSync(join(root, 'libs/platforms')).map((d) => join('libs/platforms', d, 'README.md'));
    const hits = [...files, ...readmes].flatMap((f) => {
      let text = '';
      try {
        text = readFileSync(join(root, f), 'utf8');
      } catch {
        return [];
      }
      return text.split('\n').flatMap((line, i) => (/\bL\d{1,5}\b/.test(line) ? [`${relative(root, join(root, f))}:${i + 1}`] : []));
    });
    expect(hits).toEqual([]);
  });
});
