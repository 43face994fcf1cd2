/** `--force` never loses the library it replaces: a failed write puts the old one back. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planImport, writeImport } from '../src/import';

const root = mkdtempSync(join(tmpdir(), 'gitops-compose-force-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('import --force', () => {
  it('restores the old library when the replacement fails (here: no Nx to scaffold with)', async () => {
    const compose = join(root, 'compose.yaml');
    writeFileSync(compose, 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n');
    const lib = join(root, 'libs/platforms/web');
    mkdirSync(join(lib, 'src'), { recursive: true });
    writeFileSync(join(lib, 'src/index.ts'), '// the hand-written library\n');
    const planned = planImport({ platform: 'web', files: [compose], shellEnv: {} });
    await expect(writeImport(root, planned, { force: true })).rejects.toThrow(/nx g @gitops\/nx-plugin:platform web failed/);
    expect(readFileSync(join(lib, 'src/index.ts'), 'utf8')).toBe('// the hand-written library\n');
    expect(existsSync(join(root, 'tmp')) ? readdirSync(join(root, 'tmp')) : []).toEqual([]);
  });
});
