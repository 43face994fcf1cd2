/**
 * Every error this package throws. Messages name files, key paths and recipients,
 * never plaintext values or identities: they end up in CI logs.
 */
export type SopsErrorCode =
  | 'MAC_MISMATCH'
  | 'NO_DECRYPTION_KEY'
  | 'METADATA_NOT_FOUND'
  | 'INVALID_METADATA'
  | 'INVALID_FORMAT'
  | 'DECRYPT_FAILED'
  | 'UNSUPPORTED'
  | 'CONFIG'
  | 'ALREADY_ENCRYPTED'
  /** Another process holds the file's lock longer than the timeout. */
  | 'LOCKED';

export class SopsError extends Error {
  constructor(
    public readonly code: SopsErrorCode,
    message: string,
    public readonly file?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'SopsError';
  }
}

/** Re-throw with the file name attached, keeping the code. Non-SopsErrors are wrapped without their message when it may contain data. */
export function withFile(e: unknown, file: string): SopsError {
  if (e instanceof SopsError) {
    if (e.file) return e;
    return new SopsError(e.code, e.message, file);
  }
  return new SopsError('INVALID_FORMAT', e instanceof Error ? e.message : String(e), file);
}
