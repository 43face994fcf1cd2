/** scanTree finds plaintext secrets, by location and key name, never printing values. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { encryptDocument, scanTree } from '../src';
import { tempDir, testKey, writeFile } from './helpers';

const t = tempDir('sops-scan-');
afterAll(() => t.cleanup());
const PW = 'pl4intext-pa55word';
// Built at runtime so this test file itself holds no complete key literal.
const FAKE_AGE_KEY = 'AGE-SECRET-KEY-1' + 'QQQQPPPPZZZZRRRRYYYY9999XXXX8888GGGGFFFF2222TTTTVVVVDDDDWW';

function tree(files: Record<string, string>) {
  for (const [rel, content] of Object.entries(files)) {
    const dir = join(t.dir, rel, '..');
    mkdirSync(dir, { recursive: true });
    writeFile(dir, rel.split('/').pop()!, content);
  }
}

describe('scanTree', () => {
  it('reports plaintext Secrets, kustomize literals and files, and age keys outside the declared test-key locations', async () => {
    const alice = testKey('alice');
    const encrypted = await encryptDocument(`apiVersion: v1\nkind: Secret\nmetadata:\n    name: ok\nstringData:\n    password: ${PW}\n`, { format: 'yaml', recipients: [alice.recipient] });
    tree({
      'apps/db/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\nstringData:\n  password: ${PW}\n  empty: ""\ndata:\n  user: YWRtaW4=\n`,
      'apps/db/multi.yaml': `kind: ConfigMap\ndata:\n  a: b\n---\nkind: Secret\nmetadata:\n  name: second\ndata:\n  token: ${PW}\n`,
      'apps/db/secret.enc.yaml': encrypted,
      'apps/db/kustomization.yaml': `resources: [secret.yaml]\nsecretGenerator:\n  - name: gen\n    literals:\n      - API_KEY=${PW}\n      - OTHER=${PW}\n  - name: files-only\n    files: [a.txt]\n`,
      'apps/helm/templates/secret.yaml': `kind: Secret\nstringData:\n  password: {{ .Values.password }}\n`,
      'infra/keys.txt': `# created: now\n${FAKE_AGE_KEY}\n`,
      'docs/notes.md': `Never do this: ${FAKE_AGE_KEY}\n`,
      // Folder names are no exemption (only test-keys/, third_party/sops-fixtures/*/keys.txt and marked files are).
      'test/fixtures/keys.txt': `${FAKE_AGE_KEY}\n`,
      'examples/keys.txt': `${FAKE_AGE_KEY}\n`,
      'test-keys/example.agekey': `${FAKE_AGE_KEY}\n`,
      'tools/marked.txt': `# TEST KEY - public, never use for real secrets\n${FAKE_AGE_KEY}\n`,
      'environments/prod/latest-api/secrets/keys.txt': `${FAKE_AGE_KEY}\n`,
      'libs/platforms/contest/src/key.ts': `const k = '${FAKE_AGE_KEY}';\n`,
      'node_modules/pkg/secret.yaml': `kind: Secret\nstringData:\n  p: ${PW}\n`,
      '.git/config': FAKE_AGE_KEY,
      '.nx/cache/x.yaml': `kind: Secret\nstringData:\n  p: ${PW}\n`,
    });
    const findings = await scanTree(t.dir);
    expect(findings.map((f) => [f.file, f.line, f.kind])).toEqual([
      ['apps/db/kustomization.yaml', 5, 'kustomize-secret-literal'],
      ['apps/db/kustomization.yaml', 6, 'kustomize-secret-literal'],
      ['apps/db/kustomization.yaml', 8, 'kustomize-secret-file'],
      ['apps/db/multi.yaml', 9, 'k8s-secret-plaintext'],
      ['apps/db/secret.yaml', 7, 'k8s-secret-plaintext'],
      ['apps/db/secret.yaml', 10, 'k8s-secret-plaintext'],
      ['docs/notes.md', 1, 'age-private-key'],
      ['environments/prod/latest-api/secrets/keys.txt', 1, 'age-private-key'],
      ['examples/keys.txt', 1, 'age-private-key'],
      ['infra/keys.txt', 2, 'age-private-key'],
      ['libs/platforms/contest/src/key.ts', 1, 'age-private-key'],
      ['test/fixtures/keys.txt', 1, 'age-private-key'],
    ]);
    expect(findings[0].detail).toBe('secretGenerator gen: literal API_KEY');
    expect(findings[4].detail).toContain('stringData.password');
    const dump = JSON.stringify(findings);
    expect(dump).not.toContain(PW);
    expect(dump).not.toContain(FAKE_AGE_KEY);
    expect(dump).not.toContain('YWRtaW4=');
  });

  it('finds nothing in a clean tree', async () => {
    const clean = tempDir('sops-scan-clean-');
    try {
      writeFile(clean.dir, 'a.yaml', 'kind: ConfigMap\ndata:\n  a: b\n');
      expect(await scanTree(clean.dir)).toEqual([]);
    } finally {
      clean.cleanup();
    }
  });
});

describe('secretlint profiler', () => {
  it('is the one copy @secretlint/core uses, and scanning records no performance marks (upstream secretlint#1633)', async () => {
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    expect(createRequire(require.resolve('@secretlint/core')).resolve('@secretlint/profiler')).toBe(require.resolve('@secretlint/profiler'));
    tree({ 'profiled/a.env': `PASSWORD=${PW}\n`, 'profiled/b.yaml': 'kind: ConfigMap\n' });
    const marks = () => performance.getEntriesByType('mark').length;
    const before = marks();
    await scanTree(join(t.dir, 'profiled'));
    expect(marks()).toBe(before);
    // Control: with secretlint's own mark back, the same scan records marks (so the check above can fail).
    const { secretLintProfiler, SecretLintProfiler } = await import('@secretlint/profiler');
    const off = secretLintProfiler.mark;
    secretLintProfiler.mark = SecretLintProfiler.prototype.mark;
    try {
      await scanTree(join(t.dir, 'profiled'));
      expect(marks()).toBeGreaterThan(before);
      await secretLintProfiler.getEntries(); // its pending measures settle before marking is off again
    } finally {
      secretLintProfiler.mark = off;
    }
  });
});
