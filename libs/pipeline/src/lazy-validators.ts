/**
 * An esbuild plugin for platform bundles: the JSON-schema validators of kubernetes-models are
 * loaded on their first call instead of with the model classes.
 *
 * Every model module imports its precompiled ajv validator (`_schemas/<Type>.mjs`), 2 of the 4 MB
 * of the platforms' bundles, which Node parsed on every run (about 45 ms of `gitops generate`)
 * although generation never validates: `gitops validate` checks objects with its own registry of
 * models (libs/validate). Such an import is replaced by a `validate` that requires the package's
 * own CommonJS build of the same validator on its first call, so a platform that does call
 * `model.validate()` gets exactly the validator it would have had. Bundling it lazily instead (a
 * `require()` that esbuild wraps) did not help: the cost is parsing, not running.
 *
 * Only modules whose one export is `validate` (the packages' standalone validators, as es-module-lexer
 * reads them) are replaced, and anything else is bundled as it is, with one exception: the older
 * validation runtime (`@kubernetes-models/validate` 3.x, exporting `register` and `validate`, which
 * @kubernetes-models/istio still uses) builds an ajv instance with every format at load time (ajv,
 * ajv-formats, ajv-formats-draft2019 and its own require()s: about 15 ms of every `gitops generate`).
 * Its shim keeps the schemas registered before the first `validate` and hands them to the package's
 * CommonJS build, loaded then.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Plugin } from 'esbuild';

const SCHEMA_MODULE = /[\\/]node_modules[\\/](?:kubernetes-models|@kubernetes-models[\\/][^\\/]+)[\\/]_schemas[\\/][^\\/]+\.mjs$/;

/** The shim for a validator module with these export names, or undefined to bundle the module as it is. */
export function lazyValidatorModule(path: string, exportNames: readonly string[]): string | undefined {
  const cjs = path.replace(/\.mjs$/, '.js');
  if (exportNames.length !== 1 || exportNames[0] !== 'validate' || !existsSync(cjs)) return undefined;
  return [
    "import { createRequire } from 'node:module';",
    'let real;',
    // ajv's contract: the result is the return value, the errors are a property of the function.
    'export function validate(data, options) {',
    `  real ??= createRequire(${JSON.stringify(path)})(${JSON.stringify(cjs)}).validate;`,
    '  const ok = real(data, options);',
    '  validate.errors = real.errors;',
    '  return ok;',
    '}',
  ].join('\n');
}

const RUNTIME_MODULE = /[\\/]node_modules[\\/]@kubernetes-models[\\/]validate[\\/]dist[\\/]index(\.node)?\.mjs$/;

/** The shim for the 3.x validation runtime (exports exactly `register` and `validate`), or undefined to bundle it as it is. */
export function lazyRuntimeModule(path: string, exportNames: readonly string[]): string | undefined {
  // Node's import resolves the package's `index.node.mjs`, its require the one CommonJS build.
  const cjs = path.replace(/index(\.node)?\.mjs$/, 'index.js');
  if ([...exportNames].sort().join() !== 'register,validate' || !existsSync(cjs)) return undefined;
  return [
    "import { createRequire } from 'node:module';",
    'let real;',
    'const pending = [];',
    'export function register(id, schema) {',
    '  if (real) real.register(id, schema);',
    '  else pending.push([id, schema]);',
    '}',
    'export function validate(id, data) {',
    `  if (!real) {`,
    `    real = createRequire(${JSON.stringify(path)})(${JSON.stringify(cjs)});`,
    '    for (const [id, schema] of pending.splice(0)) real.register(id, schema);',
    '  }',
    '  return real.validate(id, data);',
    '}',
  ].join('\n');
}

/** The export names of an ES module, as es-module-lexer reads them. */
async function exportNames(path: string): Promise<string[]> {
  const { init, parse } = await import('es-module-lexer');
  await init;
  const [, exports] = parse(readFileSync(path, 'utf8'), path);
  return exports.map((e) => e.n);
}

export const lazyValidators: Plugin = {
  name: 'gitops-lazy-validators',
  setup(build) {
    build.onLoad({ filter: SCHEMA_MODULE }, async (args) => {
      const contents = lazyValidatorModule(args.path, await exportNames(args.path));
      return contents === undefined ? undefined : { contents, loader: 'js' };
    });
    build.onLoad({ filter: RUNTIME_MODULE }, async (args) => {
      const contents = lazyRuntimeModule(args.path, await exportNames(args.path));
      return contents === undefined ? undefined : { contents, loader: 'js' };
    });
  },
};
