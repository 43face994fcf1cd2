/**
 * The CEL schemas of the vendored CRDs, kept as JSON between validate processes: the cached map is
 * the parsed one, a changed CRD file is a new entry (the old one goes), a damaged entry is parsed again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCelSchemas } from '../src/schema/cel';

const THIRD_PARTY = fileURLToPath(new URL('../../../third_party', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gitops-cel-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CEL schema cache', () => {
  const thirdParty = join(dir, 'third_party');
  const cache = join(dir, '.cache');
  mkdirSync(join(thirdParty, 'crds'), { recursive: true });
  for (const f of ['cert-manager.io_issuers.yaml', 'cert-manager.io_clusterissuers.yaml']) cpSync(join(THIRD_PARTY, 'crds', f), join(thirdParty, 'crds', f));
  const entries = () => readdirSync(cache).filter((f) => f.startsWith('cel-schemas-'));

  it('writes the parsed schemas once and reads the same map back', () => {
    const parsed = loadCelSchemas(thirdParty, cache);
    expect([...parsed.keys()].sort()).toEqual(['cert-manager.io/v1/ClusterIssuer', 'cert-manager.io/v1/Issuer']);
    expect(entries()).toHaveLength(1);
    const cached = loadCelSchemas(thirdParty, cache);
    expect(cached).toEqual(parsed);
    expect(JSON.stringify(cached.get('cert-manager.io/v1/Issuer'))).toContain('x-kubernetes-validations');
    // It is really read: a marker written into the entry comes back.
    const [entry] = entries();
    writeFileSync(join(cache, entry), JSON.stringify({ 'example.com/v1/Marker': { type: 'object' } }));
    expect([...loadCelSchemas(thirdParty, cache).keys()]).toEqual(['example.com/v1/Marker']);
    writeFileSync(join(cache, entry), JSON.stringify(Object.fromEntries(parsed)));
  });

  it('a changed CRD is a new entry; the old one is removed', () => {
    const [before] = entries();
    const file = join(thirdParty, 'crds', 'cert-manager.io_issuers.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('kind: Issuer', 'kind: RenamedIssuer'));
    const parsed = loadCelSchemas(thirdParty, cache);
    expect(parsed.has('cert-manager.io/v1/RenamedIssuer')).toBe(true);
    expect(parsed.has('cert-manager.io/v1/Issuer')).toBe(false);
    expect(entries()).toHaveLength(1);
    expect(entries()[0]).not.toBe(before);
  });

  it('a damaged entry is parsed again and rewritten', () => {
    const [entry] = entries();
    writeFileSync(join(cache, entry), '{"truncated');
    expect(loadCelSchemas(thirdParty, cache).has('cert-manager.io/v1/RenamedIssuer')).toBe(true);
    expect(JSON.parse(readFileSync(join(cache, entry), 'utf8'))).toHaveProperty(['cert-manager.io/v1/ClusterIssuer']);
  });
});
