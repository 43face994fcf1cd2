/**
 * Reads compose files the way `docker compose` does: YAML with anchors and merge keys, variable
 * interpolation from the env file(s) and the shell, validation of each file against the Compose
 * schema, `extends`, several files merged in order, and `profiles` selecting services.
 * Everything is in memory; problems are collected and thrown together (exit 2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { UserError } from '@gitops/core';
import { parseDotenv } from '@gitops/secrets-workflow';
import { interpolateTree, InterpolationError, type Lookup } from './interpolate';
import { mergeMapping, mergeService, splitVolume } from './merge';
import { schemaProblems } from './schema';

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface LoadOptions {
  /** Compose files, merged in order (like repeated `-f`). */
  files: string[];
  /** `--env-file` files; default: `.env` beside the first compose file, when it exists. */
  envFiles?: string[];
  /** Profiles to enable (services without `profiles` are always enabled). */
  profiles?: string[];
  /** Shell environment; it wins over env files, as in compose (default: process.env). */
  shellEnv?: Record<string, string | undefined>;
  /** Base folder for display paths in messages (default: cwd). */
  cwd?: string;
}

export interface LoadedCompose {
  /** Project directory: the first file's folder; relative paths resolve against it. */
  dir: string;
  /** The files as named in messages. */
  files: string[];
  name?: string;
  services: Record<string, Obj>;
  volumes: Record<string, Obj>;
  secrets: Record<string, Obj>;
  configs: Record<string, Obj>;
  networks: Record<string, Obj>;
  /** Service -> the file that (last) defined it, for messages. */
  serviceFile: Record<string, string>;
  /** Services left out because none of their profiles was selected. */
  skippedByProfile: Record<string, string[]>;
  /** Top-level `x-` extension fields (used for anchors; not carried). */
  extensions: string[];
  /** Variables from the env file(s) (the shell's are not listed). */
  envFileVariables: Record<string, string>;
  /** A variable of the project environment as Compose resolves it: the shell's, else the env file's. */
  variable: Lookup;
}

export function loadCompose(opts: LoadOptions): LoadedCompose {
  if (!opts.files.length) throw new UserError('import compose: name at least one compose file', 2);
  const cwd = opts.cwd ?? process.cwd();
  const show = (abs: string) => (relative(cwd, abs).startsWith('..') ? abs : relative(cwd, abs) || abs);
  const absFiles = opts.files.map((f) => resolve(cwd, f));
  for (const [i, f] of absFiles.entries()) if (!existsSync(f)) throw new UserError(`${opts.files[i]}: no such compose file`, 2);
  const dir = dirname(absFiles[0]);

  const envFileVariables: Record<string, string> = {};
  const envFiles = opts.envFiles?.length ? opts.envFiles.map((f) => resolve(cwd, f)) : existsSync(resolve(dir, '.env')) ? [resolve(dir, '.env')] : [];
  for (const f of envFiles) {
    if (!existsSync(f)) throw new UserError(`${show(f)}: no such env file`, 2);
    try {
      for (const [k, v] of parseDotenv(readFileSync(f, 'utf8'), show(f))) envFileVariables[k] = v;
    } catch (e) {
      throw new UserError((e as Error).message, 2);
    }
  }
  const shell = opts.shellEnv ?? process.env;
  const lookup: Lookup = (name) => shell[name] ?? envFileVariables[name];

  const problems: string[] = [];
  const cache = new Map<string, Obj>();
  /** Parse, interpolate and schema-check one file (once). */
  const readFile = (abs: string): Obj => {
    const hit = cache.get(abs);
    if (hit) return hit;
    const name = show(abs);
    let raw: unknown;
    try {
      raw = parse(readFileSync(abs, 'utf8'), { merge: true, maxAliasCount: 10_000 });
    } catch (e) {
      throw new UserError(`${name}: not valid YAML: ${(e as Error).message.split('\n')[0]}`, 2);
    }
    if (!isObj(raw)) throw new UserError(`${name}: a compose file must be a mapping with "services:"`, 2);
    let doc: Obj;
    try {
      doc = interpolateTree(raw, lookup, '') as Obj;
    } catch (e) {
      if (e instanceof InterpolationError) throw new UserError(`${name}: ${e.message}`, 2);
      throw e;
    }
    problems.push(...schemaProblems(doc, name));
    cache.set(abs, doc);
    return doc;
  };

  const docs = absFiles.map(readFile);
  if (problems.length) throw new UserError(`invalid compose file:\n${problems.map((p) => `  - ${p}`).join('\n')}`, 2);

  // extends, per file, before merging (as compose does).
  const resolved = docs.map((doc, i) => {
    const out: Record<string, Obj> = {};
    for (const name of Object.keys(doc.services ?? {})) out[name] = resolveExtends(doc, absFiles[i], name, readFile, show, dir, []);
    return out;
  });
  if (problems.length) throw new UserError(`invalid compose file:\n${problems.map((p) => `  - ${p}`).join('\n')}`, 2);

  const services: Record<string, Obj> = {};
  const serviceFile: Record<string, string> = {};
  let volumes: Obj = {};
  let secrets: Obj = {};
  let configs: Obj = {};
  let networks: Obj = {};
  let name: string | undefined;
  const extensions = new Set<string>();
  docs.forEach((doc, i) => {
    for (const [svc, def] of Object.entries(resolved[i])) {
      services[svc] = services[svc] ? mergeService(services[svc], def) : def;
      serviceFile[svc] = show(absFiles[i]);
    }
    volumes = mergeMapping(volumes, nullsToObjects(doc.volumes));
    secrets = mergeMapping(secrets, nullsToObjects(doc.secrets));
    configs = mergeMapping(configs, nullsToObjects(doc.configs));
    networks = mergeMapping(networks, nullsToObjects(doc.networks));
    if (typeof doc.name === 'string') name = doc.name;
    Object.keys(doc).filter((k) => k.startsWith('x-')).forEach((k) => extensions.add(k));
  });

  const selected = new Set(opts.profiles ?? []);
  const skippedByProfile: Record<string, string[]> = {};
  for (const [svc, def] of Object.entries(services)) {
    for (const k of Object.keys(def)) if (k.startsWith('x-')) delete def[k];
    const profiles: string[] = Array.isArray(def.profiles) ? def.profiles.map(String) : [];
    if (profiles.length && !selected.has('*') && !profiles.some((p) => selected.has(p))) {
      skippedByProfile[svc] = profiles;
      delete services[svc];
    }
  }
  if (!Object.keys(services).length) throw new UserError(`${opts.files.join(', ')}: no service to import (check --profile)`, 2);

  return {
    dir,
    files: absFiles.map(show),
    name,
    services,
    volumes: volumes as Record<string, Obj>,
    secrets: secrets as Record<string, Obj>,
    configs: configs as Record<string, Obj>,
    networks: networks as Record<string, Obj>,
    serviceFile,
    skippedByProfile,
    extensions: [...extensions].sort(),
    envFileVariables,
    variable: lookup,
  };

  function resolveExtends(doc: Obj, file: string, svc: string, read: (f: string) => Obj, showF: (f: string) => string, projectDir: string, stack: string[]): Obj {
    const def = doc.services?.[svc];
    const here = `${showF(file)}: service "${svc}"`;
    if (!isObj(def)) {
      problems.push(`${here}: not defined`);
      return {};
    }
    const ext = def.extends;
    if (ext === undefined) return rebase(def, dirname(file), projectDir);
    const key = `${file}#${svc}`;
    if (stack.includes(key)) {
      problems.push(`${here}, field "extends": circular extends (${[...stack, key].map((k) => k.split('#')[1]).join(' -> ')})`);
      return {};
    }
    const target = typeof ext === 'string' ? { service: ext } : (ext as { service: string; file?: string });
    const baseFile = target.file ? resolve(dirname(file), target.file) : file;
    if (!existsSync(baseFile)) {
      problems.push(`${here}, field "extends.file": ${target.file} does not exist`);
      return {};
    }
    const baseDoc = baseFile === file ? doc : read(baseFile);
    if (!isObj(baseDoc.services?.[target.service])) {
      problems.push(`${here}, field "extends.service": no service "${target.service}" in ${showF(baseFile)}`);
      return {};
    }
    const base = resolveExtends(baseDoc, baseFile, target.service, read, showF, projectDir, [...stack, key]);
    const { extends: _drop, ...own } = def;
    // depends_on is not inherited through extends (compose-spec).
    const { depends_on: _deps, ...inherited } = base;
    return mergeService(inherited, rebase(own, dirname(file), projectDir));
  }
}

const nullsToObjects = (v: unknown): Obj => (isObj(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, isObj(x) ? x : {}])) : {});

/** Relative paths of a service from another folder (extends.file) become absolute. */
function rebase(def: Obj, from: string, projectDir: string): Obj {
  if (from === projectDir) return def;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(from, p));
  const out = { ...def };
  if (typeof out.env_file === 'string') out.env_file = abs(out.env_file);
  else if (Array.isArray(out.env_file)) out.env_file = out.env_file.map((e: unknown) => (typeof e === 'string' ? abs(e) : isObj(e) ? { ...e, path: abs(String(e.path)) } : e));
  if (Array.isArray(out.volumes)) {
    out.volumes = out.volumes.map((v: unknown) => {
      if (isObj(v)) return v.type === 'bind' && typeof v.source === 'string' ? { ...v, source: abs(v.source) } : v;
      const parts = splitVolume(String(v));
      if (parts.length > 1 && /^\.{1,2}([\\/]|$)/.test(parts[0])) parts[0] = abs(parts[0]);
      return parts.join(':');
    });
  }
  return out;
}
