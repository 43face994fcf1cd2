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
 * reads them) are replaced; the older `addSchema()` form registers schemas in the bundled ajv
 * instance at load time, and anything else is bundled as it is.
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

export const lazyValidators: Plugin = {
  name: 'gitops-lazy-validators',
  setup(build) {
    build.onLoad({ filter: SCHEMA_MODULE }, async (args) => {
      const { init, parse } = await import('es-module-lexer');
      await init;
      const [, exports] = parse(readFileSync(args.path, 'utf8'), args.path);
      const contents = lazyValidatorModule(args.path, exports.map((e) => e.n));
      return contents === undefined ? undefined : { contents, loader: 'js' };
    });
  },
};
