/** Where declared secrets live: one file per secret per environment, flat or per app as the layout says. */
import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { PlatformSpec } from '@gitops/core';
import { declaredSecretFiles, declaredSecretsOf, secretFilesFor, secretFilesOnDisk, type SecretsPlatform } from '../src';

const spec = (name: string, apps: Array<{ name: string; secrets?: string[] }>): SecretsPlatform => ({
  name,
  spec: { name, apps: apps.map((a) => ({ name: a.name, secrets: (a.secrets ?? []).map((s) => ({ name: s, keys: [{ name: 'k' }] })) })) } as unknown as PlatformSpec,
});

describe('declared secret files', () => {
  it('a single-app platform named like its app gets flat paths; others one folder per app', () => {
    const flat = declaredSecretFiles([spec('shop', [{ name: 'shop', secrets: ['db'] }])], 'dev');
    expect(flat.map((f) => [f.overlay, f.file])).toEqual([['environments/dev/shop', 'environments/dev/shop/secrets/db.enc.yaml']]);
    const nested = declaredSecretFiles([spec('suite', [{ name: 'web', secrets: ['b', 'a'] }, { name: 'api' }])]);
    expect(nested.map((f) => f.file)).toEqual(
      ['dev', 'staging', 'prod'].flatMap((env) => [`environments/${env}/suite/web/secrets/b.enc.yaml`, `environments/${env}/suite/web/secrets/a.enc.yaml`]),
    );
    expect(secretFilesFor(spec('x', [{ name: 'x', secrets: ['b', 'a'] }]).spec.apps[0])).toEqual(['secrets/a.enc.yaml', 'secrets/b.enc.yaml']);
  });

  it('declaredSecretsOf takes the namespace from the rendered objects', () => {
    const p = spec('shop', [{ name: 'shop', secrets: ['db'] }]);
    expect(declaredSecretsOf(p, 'shop', [{ kind: 'Namespace' }, { kind: 'Service', metadata: { namespace: 'shop-dev' } }])).toEqual([{ name: 'db', namespace: 'shop-dev', keys: ['k'] }]);
  });

  it('files on disk: only *.enc.yaml inside secrets/ folders of the platform', () => {
    const root = mkdtempSync(join(tmpdir(), 'gitops-declared-'));
    try {
      for (const f of ['environments/dev/shop/secrets/db.enc.yaml', 'environments/dev/shop/patches/x.enc.yaml', 'environments/dev/shop/secrets/notes.yaml', 'environments/prod/shop/a/secrets/c.enc.yml', 'environments/dev/other/secrets/z.enc.yaml']) {
        mkdirSync(dirname(join(root, f)), { recursive: true });
        writeFileSync(join(root, f), '');
      }
      expect(secretFilesOnDisk(root, 'shop')).toEqual(['environments/dev/shop/secrets/db.enc.yaml', 'environments/prod/shop/a/secrets/c.enc.yml']);
      expect(secretFilesOnDisk(root, 'shop', 'prod')).toEqual(['environments/prod/shop/a/secrets/c.enc.yml']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
