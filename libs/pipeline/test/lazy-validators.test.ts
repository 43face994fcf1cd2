import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { lazyRuntimeModule, lazyValidatorModule, lazyValidators } from '../src/lazy-validators';

const root = join(import.meta.dirname, '../../..');
// Inside the repository (its git-ignored cache), so the bundle resolves node_modules as a platform bundle does.
mkdirSync(join(root, '.cache'), { recursive: true });
const dir = mkdtempSync(join(root, '.cache', 'test-lazy-validators-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A bundle of an entry using two models (one of them a custom kind), with or without the plugin. */
async function bundle(name: string, lazy: boolean): Promise<{ file: string; bytes: number }> {
  const entry = join(dir, `${name}-entry.mjs`);
  writeFileSync(
    entry,
    "export { Deployment } from 'kubernetes-models/apps/v1/Deployment';\n" + "export { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';\n" +
      // Istio's models use the older runtime (@kubernetes-models/validate 3.x: register + validate).
      "export { Gateway } from '@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway';\n",
  );
  const outfile = join(dir, `${name}.mjs`);
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
    metafile: true,
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    external: ['re2-wasm'], // read beside its own files, as the CLI's platform bundles have it (apps/gitops/bin/build.mjs EXTERNAL)
    plugins: lazy ? [lazyValidators] : [],
  });
  return { file: outfile, bytes: result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].bytes };
}

describe('lazy kubernetes-models validators in platform bundles', () => {
  it('leave the validators out of the bundle, and validate exactly as the bundled ones when called', async () => {
    const eager = await bundle('eager', false);
    const lazy = await bundle('lazy', true);
    expect(lazy.bytes).toBeLessThan(eager.bytes / 2);

    for (const b of [eager, lazy]) {
      const { Deployment, Gateway, PrometheusRule } = await import(pathToFileURL(b.file).href);
      const spec = { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'a', image: 'a:1' }] } } };
      expect(() => new Deployment({ metadata: { name: 'ok' }, spec }).validate()).not.toThrow();
      expect(() => new Deployment({ metadata: { name: 'bad' }, spec: { ...spec, replicas: 'three' } }).validate()).toThrow(/data\/spec\/replicas must be integer/);
      // A validator with RE2 patterns (the duration of \`for\`), loaded from the package's CommonJS build on first call.
      const rule = (r: object) => new PrometheusRule({ metadata: { name: 'r' }, spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', ...r }] }] } });
      expect(() => rule({ for: '5m' }).validate()).not.toThrow();
      expect(() => rule({ for: 'soon' }).validate()).toThrow(/data\/spec\/groups\/0\/rules\/0\/for must match pattern/);
      // Through the older runtime: its schemas (and the ObjectMeta one they reference) registered on first call.
      const gateway = (port: unknown) => new Gateway({ metadata: { name: 'g' }, spec: { servers: [{ hosts: ['*'], port: { number: port, name: 'http', protocol: 'HTTP' } }] } });
      expect(() => gateway(80).validate()).not.toThrow();
      expect(() => gateway('eighty').validate()).toThrow(/data\/spec\/servers\/0\/port\/number must be integer/);
      expect(() => new Gateway({ metadata: { name: 7 as unknown as string } }).validate()).toThrow(/data\/metadata\/name must be string/);
    }
    // The older runtime's ajv instance and formats are not built when the bundle loads.
    expect(readFileSync(lazy.file, 'utf8')).not.toContain('ajv-formats-draft2019');
    expect(readFileSync(eager.file, 'utf8')).toContain('ajv-formats-draft2019');
  });

  it('replaces only modules whose one export is validate, and only when the CommonJS build is there', () => {
    const mjs = join(root, 'node_modules/kubernetes-models/_schemas/IoK8sApiAppsV1Deployment.mjs');
    expect(lazyValidatorModule(mjs, ['validate'])).toContain('IoK8sApiAppsV1Deployment.js');
    expect(lazyValidatorModule(mjs, ['addSchema'])).toBeUndefined();
    expect(lazyValidatorModule(mjs, ['validate', 'schema'])).toBeUndefined();
    expect(lazyValidatorModule(join(dir, 'missing/_schemas/X.mjs'), ['validate'])).toBeUndefined();
    const runtime = join(root, 'node_modules/@kubernetes-models/istio/node_modules/@kubernetes-models/validate/dist/index.node.mjs');
    expect(lazyRuntimeModule(runtime, ['validate', 'register'])).toContain('validate/dist/index.js');
    expect(lazyRuntimeModule(runtime, ['formats', 'runValidateFunc'])).toBeUndefined();
  });
});
