/**
 * Every error this package throws. Messages name files, key paths and recipients,
 * never plaintext values or identities: they end up in CI logs. Callers decide by `code`, never by
 * message text: "no key" (`NO_DECRYPTION_KEY`, see `isNoKey`) versus a broken file (`MAC_MISMATCH`,
 * `DECRYPT_FAILED`, `INVALID_*`, `METADATA_NOT_FOUND`) versus a key source that is configured but
 * unusable (`IDENTITY_SOURCE_FAILED`) versus the filesystem refusing a write (`WRITE_FAILED`, or
 * `NOT_A_FOLDER` when a file is in the way: fsErrorExitCode is the one errno rule);
 * SOPS_ERROR_CLASSES is the one table of what each code means for an exit code and a render.
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
  /** A file is where the path needs a folder (ENOTDIR): bad input, the path given is wrong. */
  | 'NOT_A_FOLDER'
  /** The filesystem refused to create or replace a file (permissions, read-only, full disk, /proc). */
  | 'WRITE_FAILED'
  /** A folder is where a file was named (EISDIR): the path (e.g. a KSOPS generator's list) is wrong. */
  | 'NOT_A_FILE'
  /** The filesystem refused to read a file that is there (permissions, I/O error). */
  | 'READ_FAILED';

/** How a caller treats an error code; see SOPS_ERROR_CLASSES. */
export interface SopsErrorClass {
  /** The exit code of a command that meets it: 2 bad input (a path or file given), 1 a failure. */
  exitCode: 1 | 2;
  /**
   * The file itself is the cause (what it holds, or its absence where it is listed): a render makes
   * it an error of that overlay and goes on. Otherwise (a key source, a lock, the filesystem, the
   * `.sops.yaml`) nothing says the file is wrong, and the whole run fails.
   */
  fileAtFault: boolean;
}

/**
 * The one classification of every code, read by the CLI (exit codes of `gitops secrets` and of any
 * command a SopsError reaches) and by the render (through the error's `exitCode`/`fileAtFault`
 * properties, so libraries that must not load this package at import time read them by name).
 */
export const SOPS_ERROR_CLASSES: Readonly<Record<SopsErrorCode, SopsErrorClass>> = {
  FILE_NOT_FOUND: { exitCode: 2, fileAtFault: true },
  METADATA_NOT_FOUND: { exitCode: 2, fileAtFault: true },
  INVALID_METADATA: { exitCode: 2, fileAtFault: true },
  INVALID_FORMAT: { exitCode: 2, fileAtFault: true },
  ALREADY_ENCRYPTED: { exitCode: 2, fileAtFault: true },
  UNSUPPORTED: { exitCode: 2, fileAtFault: true },
  /** A bad `.sops.yaml`, or a folder of the path that does not exist: bad input, but not this file's content. */
  CONFIG: { exitCode: 2, fileAtFault: false },
  /** fsErrorExitCode('ENOTDIR'); at fault as a listed file that is absent is. */
  NOT_A_FOLDER: { exitCode: 2, fileAtFault: true },
  MAC_MISMATCH: { exitCode: 1, fileAtFault: true },
  DECRYPT_FAILED: { exitCode: 1, fileAtFault: true },
  /** The file may be fine: no identity of ours is among its recipients (a render redacts instead). */
  NO_DECRYPTION_KEY: { exitCode: 1, fileAtFault: false },
  IDENTITY_SOURCE_FAILED: { exitCode: 1, fileAtFault: false },
  LOCKED: { exitCode: 1, fileAtFault: false },
  WRITE_FAILED: { exitCode: 1, fileAtFault: false },
  /** fsErrorExitCode('EISDIR'); at fault as NOT_A_FOLDER is: a render reports it as that overlay's error. */
  NOT_A_FILE: { exitCode: 1, fileAtFault: true },
  READ_FAILED: { exitCode: 1, fileAtFault: false },
};

export class SopsError extends Error {
  /** The message without the file in front: callers that name the file themselves (a render's overlay error) print this. */
  public readonly reason: string;

  constructor(
    public readonly code: SopsErrorCode,
    message: string,
    public readonly file?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'SopsError';
    this.reason = message;
  }

  /** SOPS_ERROR_CLASSES[code].exitCode (a property, so callers that do not import this package read it by name). */
  get exitCode(): 1 | 2 {
    return SOPS_ERROR_CLASSES[this.code].exitCode;
  }

  /** SOPS_ERROR_CLASSES[code].fileAtFault. */
  get fileAtFault(): boolean {
    return SOPS_ERROR_CLASSES[this.code].fileAtFault;
  }
}

/** "No key": no identity is configured, or none opens the file. The file itself may be fine. */
export function isNoKey(e: unknown): e is SopsError {
  return e instanceof SopsError && e.code === 'NO_DECRYPTION_KEY';
}

/**
 * The one rule for an operation the filesystem refused, by errno, for every command of the
 * repository (this package's codes and `gitops secrets`; `@gitops/core/fs` states the same rule for
 * `report --out` and `secrets keygen -o`): a file in the way where the path needs a folder (ENOTDIR)
 * is about the path given, bad input (2); any other refusal (EACCES, EISDIR, EROFS, ENOSPC,
 * ENAMETOOLONG, /proc's ENOENT although the folder exists) is a failure (1). Core keeps its own
 * copy (`folderErrorExitCode`): this package imports nothing of the workspace, and core must not
 * import this package (an age-encryption update would mark every project); a CLI test checks
 * that both agree.
 */
export function fsErrorExitCode(errno: string | undefined): 1 | 2 {
  return errno === 'ENOTDIR' ? 2 : 1;
}

/** A Node system error (it has `syscall`): the filesystem refused an operation. */
export function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  return typeof e === 'object' && e !== null && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * The code of a read or write the filesystem refused (not ENOENT: callers say what is missing), the
 * one place an errno becomes a code: a file in the way NOT_A_FOLDER, a folder read as a file
 * NOT_A_FILE, anything else READ_FAILED/WRITE_FAILED. Its class's exit code is fsErrorExitCode(errno)
 * (errors.test.ts checks every pair).
 */
export function fsRefusalCode(errno: string | undefined, op: 'read' | 'write'): SopsErrorCode {
  if (errno === 'ENOTDIR') return 'NOT_A_FOLDER';
  if (errno === 'EISDIR' && op === 'read') return 'NOT_A_FILE';
  return op === 'read' ? 'READ_FAILED' : 'WRITE_FAILED';
}

/** The SopsError of a refused write of `file` (`what` says which step), coded by fsRefusalCode. */
export function writeRefused(errno: string | undefined, what: string, file: string): SopsError {
  return new SopsError(fsRefusalCode(errno, 'write'), `${what}: ${errno ?? 'error'}`, file);
}

/**
 * The exit code of an error from this package: a SopsError's by SOPS_ERROR_CLASSES; a raw Node
 * system error by fsErrorExitCode; undefined for anything else (not this package's to say: a bug).
 */
export function sopsExitCode(e: unknown): 1 | 2 | undefined {
  if (e instanceof SopsError) return e.exitCode;
  return isSystemError(e) ? fsErrorExitCode(e.code) : undefined;
}

/**
 * Re-throw with the file name attached, keeping the code (IDENTITY_SOURCE_FAILED names its key source
 * instead). A system error (it has `syscall`: the filesystem refused an operation; reads are wrapped
 * before they get here) becomes writeRefused's code; any other error is wrapped as INVALID_FORMAT
 * (parsers throw those).
 */
export function withFile(e: unknown, file: string): SopsError {
  if (e instanceof SopsError) {
    // An unusable key source is the environment's fault, never the file's: naming the file would blame it.
    if (e.file || e.code === 'IDENTITY_SOURCE_FAILED') return e;
    return new SopsError(e.code, e.message, file);
  }
  if (isSystemError(e)) return writeRefused(e.code, `cannot write${e.path ? ` ${e.path}` : ''}`, file);
  return new SopsError('INVALID_FORMAT', e instanceof Error ? e.message : String(e), file);
}
