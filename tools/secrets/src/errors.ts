/**
 * Every error this package throws. Messages name files, key paths and recipients,
 * never plaintext values or identities: they end up in CI logs. Callers decide by `code`, never by
 * message text: "no key" (`NO_DECRYPTION_KEY`, see `isNoKey`) versus a broken file (`MAC_MISMATCH`,
 * `DECRYPT_FAILED`, `INVALID_*`, `METADATA_NOT_FOUND`) versus a key source that is configured but
 * unusable (`IDENTITY_SOURCE_FAILED`) versus the filesystem refusing a write (`WRITE_FAILED`).
 */
export type SopsErrorCode =
  | 'MAC_MISMATCH'
  /** No identity opens the file: none is configured, or none matches a recipient. */
  | 'NO_DECRYPTION_KEY'
  /** An identity source is configured but cannot be used (SOPS_AGE_KEY_FILE unreadable, SOPS_AGE_KEY_CMD failing). */
  | 'IDENTITY_SOURCE_FAILED'
  /** The file to read does not exist (bad input: a mistyped path). */
  | 'FILE_NOT_FOUND'
  | 'METADATA_NOT_FOUND'
  | 'INVALID_METADATA'
  | 'INVALID_FORMAT'
  | 'DECRYPT_FAILED'
  | 'UNSUPPORTED'
  | 'CONFIG'
  | 'ALREADY_ENCRYPTED'
  /** Another process holds the file's lock longer than the timeout. */
  | 'LOCKED'
  /** The filesystem refused to create or replace a file (permissions, full disk, missing folder). */
  | 'WRITE_FAILED';

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

/** "No key": no identity is configured, or none opens the file. The file itself may be fine. */
export function isNoKey(e: unknown): e is SopsError {
  return e instanceof SopsError && e.code === 'NO_DECRYPTION_KEY';
}

/**
 * The filesystem or another process stopped the operation (a write refused, a lock held too long,
 * or a raw Node system error such as EISDIR/ENOTDIR/EACCES): a failure (exit 1), not bad input.
 */
export function isIoFailure(e: unknown): boolean {
  if (e instanceof SopsError) return e.code === 'WRITE_FAILED' || e.code === 'LOCKED';
  return typeof e === 'object' && e !== null && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * Re-throw with the file name attached, keeping the code. A system error (it has `syscall`: the
 * filesystem refused an operation; reads are wrapped before they get here) becomes WRITE_FAILED;
 * any other error is wrapped as INVALID_FORMAT (parsers throw those).
 */
export function withFile(e: unknown, file: string): SopsError {
  if (e instanceof SopsError) {
    if (e.file) return e;
    return new SopsError(e.code, e.message, file);
  }
  const sys = e as NodeJS.ErrnoException | undefined;
  if (sys && typeof sys === 'object' && typeof sys.syscall === 'string') {
    return new SopsError('WRITE_FAILED', `cannot write: ${sys.code ?? 'error'}${sys.path ? ` (${sys.path})` : ''}`, file);
  }
  return new SopsError('INVALID_FORMAT', e instanceof Error ? e.message : String(e), file);
}
