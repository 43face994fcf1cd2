/** The emitted library reads like hand-written code: shared constants, literals, no machine paths. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { lit } from '../src/emit';
import { planImport } from '../src/import';

const fx = (f: string) => join(__dirname, 'fixtures', f);

describe('emitted library', () => {
  const netbox = planImport({ platform: 'netbox', files: [fx('netbox-docker/docker-compose.yml')], shellEnv: {} });

  it('factors out what YAML anchors shared into src/common.ts', () => {
    const shared = netbox.files.get('src/common.ts')!;
    expect(shared).toMatch(/\/\*\* Used by netbox, netbox-worker, netbox-housekeeping\. \*\/\nexport const netboxEnv: EnvVarSpec\[\] = \[/);
    const worker = netbox.files.get('src/components/netbox-worker.ts')!;
    expect(worker).toContain("import { netboxEnv, netboxVolumes } from '../common';");
    expect(worker).toContain('  env: netboxEnv,\n');
  });

  it('one module per service, assembled by src/index.ts', () => {
    expect([...netbox.files.keys()].filter((f) => f.startsWith('src/components/')).sort()).toEqual(
      ['netbox', 'netbox-housekeeping', 'netbox-worker', 'postgres', 'redis', 'redis-cache'].map((n) => `src/components/${n}.ts`).sort(),
    );
    expect(netbox.files.get('src/index.ts')).toContain('components: [netbox, netboxWorker, netboxHousekeeping, postgres, redis, redisCache],');
  });

  it('bound config files stay files, read by src/config.ts', () => {
    expect(netbox.files.get('config/netbox-configuration/configuration.py')).toContain('import');
    expect(netbox.files.get('src/config.ts')).toContain("file('netbox-configuration/configuration.py')");
  });

  it('records no path of this machine', () => {
    for (const [f, text] of netbox.files) expect(text, f).not.toContain(__dirname);
  });

  it('writes literals a person would', () => {
    expect(lit({ name: 'a', 'app.kubernetes.io/name': "it's" })).toBe("{ name: 'a', 'app.kubernetes.io/name': 'it\\'s' }");
    const script = 'set -e\n'.repeat(20) + 'echo ${HOME} `id` \\n';
    expect(lit(script)).toBe('`' + 'set -e\n'.repeat(20) + 'echo \\${HOME} \\`id\\` \\\\n`');
    expect(eval(lit(script))).toBe(script);
  });
});
