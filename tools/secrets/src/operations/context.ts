/** Shared plumbing for the file operations: format, store settings and error naming. */
import { readFileSync, writeFileSync } from 'node:fs';
import { formatForPath, type Format, type StoreOptions } from '../stores';
import { loadEffectiveConfig, storeOptionsFromConfig, type SopsConfig } from '../sops-config';
import { openDocument, type OpenDocument } from '../document';
import { withFile } from '../errors';
import type { IdentityOptions } from '../identities';

export interface FileOptions extends IdentityOptions, StoreOptions {
  /** Override the format implied by the extension. */
  format?: Format;
  /** `.sops.yaml` to use; `false` for none; default: discovered from the cwd like the sops CLI. */
  config?: string | false;
}

export interface FileContext {
  format: Format;
  storeOptions: StoreOptions;
  config?: { path: string; config: SopsConfig };
}

export function fileContext(path: string, opts: FileOptions): FileContext {
  const config = loadEffectiveConfig(opts.config, opts.env);
  const fromConfig = storeOptionsFromConfig(config?.config);
  const storeOptions: StoreOptions = {
    yamlIndent: opts.yamlIndent ?? fromConfig.yamlIndent,
    jsonIndent: opts.jsonIndent ?? fromConfig.jsonIndent,
    jsonBinaryIndent: opts.jsonBinaryIndent ?? fromConfig.jsonBinaryIndent,
  };
  return { format: opts.format ?? formatForPath(path), storeOptions, config };
}

export function readInput(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw withFile(new Error(`cannot read file: ${(e as NodeJS.ErrnoException).code ?? 'error'}`), path);
  }
}

export function writeOutput(path: string, data: Buffer | string): void {
  writeFileSync(path, data);
}

/** Read, decrypt and MAC-verify a file. Errors carry the file name. */
export async function openFile(path: string, opts: FileOptions = {}): Promise<OpenDocument & { context: FileContext }> {
  try {
    const context = fileContext(path, opts);
    const doc = await openDocument(readInput(path), { ...opts, ...context.storeOptions, format: context.format });
    return { ...doc, context };
  } catch (e) {
    throw withFile(e, path);
  }
}

/** Run `fn`, naming `path` in any error it throws. */
export async function inFile<T>(path: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw withFile(e, path);
  }
}
