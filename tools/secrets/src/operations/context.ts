/** Shared plumbing for the file operations: format, store settings and error naming. */
import { readFileSync } from 'node:fs';
import { formatForPath, type Format, type StoreOptions } from '../stores';
import { loadEffectiveConfig, storeOptionsFromConfig, type SopsConfig } from '../sops-config';
import { openDocument, type OpenDocument } from '../document';
import { fsRefusalCode, SopsError, withFile, type SopsErrorCode } from '../errors';
import { withFileLock, writeFileAtomic, type LockOptions } from '../safe-write';
import type { IdentityOptions } from '../identities';

export interface FileOptions extends IdentityOptions, StoreOptions {
  /** Override the format implied by the extension. */
  format?: Format;
  /** `.sops.yaml` to use; `false` for none; default: discovered from the cwd like the sops CLI. */
  config?: string | false;
  /** Lock behaviour of commands that rewrite the file (timeout, wait notice). */
  lock?: LockOptions;
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

/** The file's bytes. Every operation reads through here, so a missing file is reported one way everywhere. */
export function readInput(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SopsError('FILE_NOT_FOUND', 'the file does not exist', path);
    // Any other refusal (EACCES, EIO) is a failure by the one filesystem rule (fsErrorExitCode), not a format error.
    const why: Partial<Record<SopsErrorCode, string>> = { NOT_A_FOLDER: 'a file is in the way, not a folder', NOT_A_FILE: 'it is a folder' };
    const refusal = fsRefusalCode(code, 'read');
    throw new SopsError(refusal, `cannot read file: ${why[refusal] ? `${why[refusal]} (${code})` : (code ?? 'error')}`, path);
  }
}

/** Replace a file atomically (temp file in the same folder, fsync, rename). Callers hold its lock. */
export function writeOutput(path: string, data: Buffer | string): void {
  writeFileAtomic(path, data);
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

/** Run a read-modify-write of `path` under its lock (the read happens inside `fn`). */
export async function lockedFile<T>(path: string, opts: FileOptions, fn: () => Promise<T>): Promise<T> {
  try {
    return await withFileLock(path, fn, opts.lock);
  } catch (e) {
    throw withFile(e, path);
  }
}
