/**
 * Public compose files nobody here wrote (see fixtures/README.md) import, generate, render and
 * validate in every environment, in a temporary copy of the repository; nothing they declare as a
 * secret appears in plaintext in anything the import wrote or printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileApp, type PlatformSpec } from '@gitops/core';
import { environments, envNames } from '@gitops/environments';
import { planImport } from '../src/import';
import { toPlatformSpec } from '../src/spec';
import { changedFiles, gitops, plaintextHits, tempWorkspace } from './workspace';

const fx = (f: string) => join(__dirname, 'fixtures', f);
const scratch = mkdtempSync(join(tmpdir(), 'compose-fixtures-'));
// Airflow's file names its image `apache/airflow:|version|` until its docs build fills it in;
// its header says to set AIRFLOW_IMAGE_NAME (and AIRFLOW_UID) in an env file.
const airflowEnv = join(scratch, 'airflow.env');
writeFileSync(airflowEnv, 'AIRFLOW_IMAGE_NAME=apache/airflow:3.0.2\nAIRFLOW_UID=50000\n');

interface Case {
  platform: string;
  files: string[];
  envFiles?: string[];
  profiles?: string[];
  /** --image pins for build: services and unpinned images. */
  images?: Record<string, string>;
  /** Expected validation errors as "env kind/name rule" (the carried root user of Airflow's init job). */
  errors?: string[];
  components: number;
}

const CASES: Case[] = [
  { platform: 'nextcloud', files: [fx('nextcloud-redis-mariadb/compose.yaml')], components: 3 },
  {
    platform: 'golang-pg',
    files: [fx('nginx-golang-postgres/compose.yaml')],
    images: { backend: 'ghcr.io/example/backend:1.0.0', db: 'postgres:16.4', proxy: 'nginx:1.27.2' },
    components: 3,
  },
  {
    platform: 'prom-grafana', // not `monitoring`: the cluster's kube-prometheus-stack owns that namespace
    files: [fx('prometheus-grafana/compose.yaml')],
    images: { prometheus: 'prom/prometheus:v2.55.1', grafana: 'grafana/grafana:11.3.0' },
    components: 2,
  },
  { platform: 'wordpress', files: [fx('wordpress-mysql/compose.yaml')], images: { wordpress: 'wordpress:6.6.2-apache' }, components: 2 },
  { platform: 'netbox', files: [fx('netbox-docker/docker-compose.yml')], components: 6 },
  {
    platform: 'airflow',
    files: [fx('airflow/docker-compose.yaml')],
    envFiles: [airflowEnv],
    profiles: ['flower'],
    components: 9,
    errors: ['prod Job/airflow-init pss-run-as-non-root', 'prod Job/airflow-init pss-run-as-non-root'],
  },
];

let dir: string;
beforeAll(() => {
  dir = tempWorkspace();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

interface Finding {
  severity: string;
  rule: string;
  kind: string;
  name: string;
}

describe.each(CASES)('public compose file → platform $platform', (c) => {
  it('imports, generates, renders and validates in every environment', async () => {
    const before = new Set(changedFiles(dir));
    const args = ['import', 'compose', ...c.files, '--platform', c.platform, '--json'];
    for (const f of c.envFiles ?? []) args.push('--env-file', f);
    for (const p of c.profiles ?? []) args.push('--profile', p);
    for (const [s, ref] of Object.entries(c.images ?? {})) args.push('--image', `${s}=${ref}`);
    const res = await gitops(dir, args);
    expect(res.exitCode, res.stderr).toBe(c.errors ? 1 : 0);
    const summary = JSON.parse(res.stdout) as { validation: Array<{ env: string; findings: Finding[] }> };
    expect(summary.validation.map((v) => v.env).sort()).toEqual([...envNames].sort());
    const errors = summary.validation.flatMap((v) =>
      v.findings.filter((f) => f.severity === 'error').map((f) => `${v.env} ${f.kind}/${f.name} ${f.rule}`),
    );
    expect(errors).toEqual(c.errors ?? []);

    // Nothing the compose file calls a secret is in plaintext in what was written or printed.
    const planned = planImport({ platform: c.platform, files: c.files, envFiles: c.envFiles, profiles: c.profiles, images: c.images, shellEnv: process.env });
    expect(planned.plan.components).toHaveLength(c.components);
    // A value that the compose file also uses openly (e.g. a database name equal to the password) cannot be told apart; skip those.
    const open = JSON.stringify(planned.plan.components.map((x) => x.spec)) + JSON.stringify(planned.plan.configMaps);
    const values = [...planned.plan.secretValues.values()].flatMap((m) => [...m.values()]).filter((v) => v.length >= 6 && !open.includes(v));
    const written = changedFiles(dir).filter((f) => !before.has(f));
    expect(written.some((f) => f.startsWith(`environments/prod/${c.platform}/`))).toBe(true);
    expect(plaintextHits(dir, written, values, { stdout: res.stdout, stderr: res.stderr })).toEqual([]);

    // The written code (shared constants and all) compiles to exactly what the plan compiles to.
    const fromDisk = ((await import(pathToFileURL(join(dir, `libs/platforms/${c.platform}/src/index.ts`)).href)) as { platform: PlatformSpec }).platform;
    const inMemory = toPlatformSpec(planned.plan);
    for (const env of envNames) {
      const a = JSON.parse(JSON.stringify(compileApp(fromDisk, fromDisk.apps[0], environments[env])));
      expect(a, env).toEqual(JSON.parse(JSON.stringify(compileApp(inMemory, inMemory.apps[0], environments[env]))));
    }
  });
});

describe('the fixtures exercise what the issue lists', () => {
  it('secret values of the public files were found and scanned for', () => {
    const netbox = planImport({ platform: 'netbox', files: [fx('netbox-docker/docker-compose.yml')], shellEnv: {} });
    expect(netbox.plan.secretValues.get('netbox-env')?.get('SECRET_KEY')).toMatch(/^r\(m\)9nLG/);
    const golang = planImport({ platform: 'golang-pg', files: [fx('nginx-golang-postgres/compose.yaml')], shellEnv: {} });
    expect([...golang.plan.secretValues.get('db-password')!.keys()]).toEqual(['db-password']);
  });
});
