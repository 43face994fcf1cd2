/** What the `secrets` subcommands share: counted words, and the exit code of a SOPS library error. */
import { SopsError } from '@gitops/secrets';
import { findingsError, usageError } from '../../args';

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Exit codes for the library's errors, by code: a file that does not exist, is not SOPS, cannot be read or is given
 * a bad path is bad input (2); a file that does not decrypt, a missing key, an unusable key source,
 * a held lock or a write the filesystem refused is a failure (1).
 */
export function sopsErrors<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (e) {
      if (!(e instanceof SopsError)) throw e;
      const input = ['FILE_NOT_FOUND', 'METADATA_NOT_FOUND', 'INVALID_METADATA', 'INVALID_FORMAT', 'ALREADY_ENCRYPTED', 'UNSUPPORTED', 'CONFIG'].includes(e.code);
      throw input ? usageError(e.message) : findingsError(e.message);
    }
  };
}
