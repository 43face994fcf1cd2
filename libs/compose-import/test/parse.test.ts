/** Parsing like compose: several files, anchors and merge keys, x- fields, extends, profiles, schema errors. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCompose } from '../src/load';
import { checkDependencies } from '../src/graph';

const shop = (f: string) => join(__dirname, 'compose/shop', f);
const load = (profiles: string[] = []) =>
  loadCompose({ files: [shop('compose.yaml'), shop('compose.override.yaml')], envFiles: [shop('shop.env')], profiles, shellEnv: {} });

const tmp = mkdtempSync(join(tmpdir(), 'compose-parse-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
/** A compose file of its own for one error case. */
const file = (text: string, name = `c${n++}.yaml`) => {
  writeFileSync(join(tmp, name), text);
  return join(tmp, name);
};
const errorOf = (f: () => unknown): { message: string; exitCode?: number } => {
  try {
    f();
  } catch (e) {
    return e as { message: string; exitCode?: number };
  }
  throw new Error('expected an error');
};

describe('loadCompose', () => {
  it('merges -f files in order: maps by key, ports appended, scalars replaced', () => {
    const c = load();
    expect(c.services.api.environment).toMatchObject({ LOG_LEVEL: 'debug', REDIS_HOST: 'cache' });
    expect(c.services.api.ports).toEqual(['8000:8000', { target: 9102, protocol: 'tcp' }, '127.0.0.1:9000:9000']);
    expect(c.services.cache.deploy.resources.limits.memory).toBe('300m');
    expect(c.name).toBe('shop');
  });

  it('resolves anchors, merge keys and interpolation from the env file', () => {
    const c = load();
    expect(c.services.migrate.image).toBe('ghcr.io/example/shop-api:1.4.2');
    expect(c.services.migrate.environment.DATABASE_URL).toBe('postgres://shop:db-Kf83nQ2xLm5R@db:5432/shop');
    expect(c.services.migrate.logging).toEqual({ driver: 'json-file', options: { 'max-size': '10m' } });
    // $$ survives as a single $ for the container's shell.
    expect(c.services.db.healthcheck.test).toEqual(['CMD-SHELL', 'pg_isready -U $POSTGRES_USER']);
    expect(c.extensions).toEqual(['x-app', 'x-logging']);
  });

  it('the shell environment wins over the env file', () => {
    const c = loadCompose({ files: [shop('compose.yaml')], envFiles: [shop('shop.env')], shellEnv: { API_TAG: '2.0.0' } });
    expect(c.services.api.image).toBe('ghcr.io/example/shop-api:2.0.0');
  });

  it('reads .env beside the first file when no --env-file is given', () => {
    const f = file('services:\n  web:\n    image: nginx:${NGINX_TAG}\n', 'with-dotenv.yaml');
    writeFileSync(join(tmp, '.env'), 'NGINX_TAG=1.27.2\n');
    expect(loadCompose({ files: [f], shellEnv: {} }).services.web.image).toBe('nginx:1.27.2');
    rmSync(join(tmp, '.env'));
  });

  it('resolves extends from another file', () => {
    const c = load();
    expect(c.services.proxy.image).toBe('nginxinc/nginx-unprivileged:1.27.2-alpine');
    expect(c.services.proxy.read_only).toBe(true);
    expect(c.services.proxy.ports).toEqual(['80:8080']);
    expect(c.services.proxy.extends).toBeUndefined();
  });

  it('keeps only services of the selected profiles', () => {
    expect(Object.keys(load().services).sort()).toEqual(['api', 'cache', 'db', 'migrate', 'proxy']);
    const withWorkers = load(['workers']);
    expect(Object.keys(withWorkers.services)).toContain('worker');
    expect(withWorkers.skippedByProfile).toEqual({ debug: ['debug'] });
  });

  it('a required variable without value is an error naming the file and field (exit 2)', () => {
    const e = errorOf(() => loadCompose({ files: [shop('compose.yaml')], envFiles: [], shellEnv: {} }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/compose\.yaml: x-app\.environment\.DATABASE_URL: required variable DB_PASSWORD is missing a value: set DB_PASSWORD/);
  });

  it('validates against the Compose schema: file, service and field named', () => {
    const f = file('services:\n  web:\n    image: nginx:1.27\n    restrat: always\n    ports: {a: 1}\n');
    const e = errorOf(() => loadCompose({ files: [f], shellEnv: {} }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/c\d+\.yaml: service "web", field "restrat": unknown field "restrat"/);
    expect(e.message).toMatch(/service "web", field "ports": must be array/);
  });

  it('rejects YAML that does not parse and files that do not exist', () => {
    const e = errorOf(() => loadCompose({ files: [file('services: [\n')], shellEnv: {} }));
    expect(e.message).toMatch(/not valid YAML/);
    expect(errorOf(() => loadCompose({ files: [join(tmp, 'missing.yaml')], shellEnv: {} })).message).toMatch(/no such compose file/);
  });

  it('depends_on: an unknown service and a cycle are errors naming file, service and field', () => {
    const unknown = loadCompose({ files: [file('services:\n  a:\n    image: x:1\n    depends_on: [ghost]\n')], shellEnv: {} });
    const e1 = errorOf(() => checkDependencies(unknown));
    expect(e1.exitCode).toBe(2);
    expect(e1.message).toMatch(/service "a", field "depends_on\.ghost": depends on unknown service "ghost"/);
    const cycle = loadCompose({ files: [file('services:\n  a:\n    image: x:1\n    depends_on: [b]\n  b:\n    image: x:1\n    depends_on:\n      a: {condition: service_healthy}\n')], shellEnv: {} });
    expect(errorOf(() => checkDependencies(cycle)).message).toMatch(/dependency cycle a -> b -> a/);
  });

  it('a dependency left out by a profile says which profile enables it', () => {
    const c = loadCompose({ files: [file('services:\n  a:\n    image: x:1\n    depends_on: [b]\n  b:\n    image: x:1\n    profiles: [extra]\n')], shellEnv: {} });
    expect(errorOf(() => checkDependencies(c)).message).toMatch(/only enabled by profile extra \(add --profile extra\)/);
  });

  it('extends cycles and missing bases are reported', () => {
    const f = file('services:\n  a:\n    extends: b\n  b:\n    extends: a\n    image: x:1\n');
    expect(errorOf(() => loadCompose({ files: [f], shellEnv: {} })).message).toMatch(/circular extends/);
  });
});
