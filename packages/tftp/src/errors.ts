// TFTP error codes as an Error class: RFC 1350 §5 ("ERROR packet") + RFC 2347 (code 8).
// Pattern (DESIGN.md "Errors"): one class, a stable `code` string, `cause` kept, and an instance
// check through a `Symbol.for` marker so it works across two copies of the package in a process.
// The numeric codes and their texts are protocol/errors.ts's (`TftpErrorCode`, RFC 1350 §5).
import { type TftpErrorCode, tftpErrorMessage, tftpErrorName } from './protocol/errors.js';

/** Stable string codes, one per ErrorCode value, for `switch (err.code)`. */
export type TftpErrorCodeString =
  | 'ERR_TFTP_NOT_DEFINED'
  | 'ERR_TFTP_FILE_NOT_FOUND'
  | 'ERR_TFTP_ACCESS_VIOLATION'
  | 'ERR_TFTP_DISK_FULL'
  | 'ERR_TFTP_ILLEGAL_OPERATION'
  | 'ERR_TFTP_UNKNOWN_TRANSFER_ID'
  | 'ERR_TFTP_FILE_EXISTS'
  | 'ERR_TFTP_NO_SUCH_USER'
  | 'ERR_TFTP_OPTION_REFUSED';

const CODES: readonly TftpErrorCodeString[] = [
  'ERR_TFTP_NOT_DEFINED',
  'ERR_TFTP_FILE_NOT_FOUND',
  'ERR_TFTP_ACCESS_VIOLATION',
  'ERR_TFTP_DISK_FULL',
  'ERR_TFTP_ILLEGAL_OPERATION',
  'ERR_TFTP_UNKNOWN_TRANSFER_ID',
  'ERR_TFTP_FILE_EXISTS',
  'ERR_TFTP_NO_SUCH_USER',
  'ERR_TFTP_OPTION_REFUSED',
];

const MARK = Symbol.for('@udpkit/tftp.TftpError');

function isErrorNumber(n: unknown): n is TftpErrorCode {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 8;
}

/**
 * A TFTP error: what a handler throws to make the server answer `ERROR errorCode message`.
 * Without a message, the standard wire text of the code is used (`'File not found.'`).
 *
 * `message` is what goes on the wire: keep it short ASCII and never put a local path in it.
 * (A transfer that fails is reported by protocol/'s `TftpTransferError`, not by this class.)
 */
export class TftpError extends Error {
  /** The wire ErrorCode, 0–8. */
  readonly errorCode: TftpErrorCode;
  /** Stable string form of `errorCode`, e.g. `ERR_TFTP_FILE_NOT_FOUND`. */
  readonly code: TftpErrorCodeString;

  constructor(errorCode: TftpErrorCode, message?: string, options?: { cause?: unknown }) {
    if (!isErrorNumber(errorCode)) throw new RangeError(`TFTP error code must be an integer 0-8, got ${errorCode}`);
    super(message ?? tftpErrorMessage(errorCode), options);
    this.name = 'TftpError';
    this.errorCode = errorCode;
    this.code = CODES[errorCode]!;
  }

  /** Short name of the code for messages, e.g. `error 1 (file not found)`. */
  get description(): string {
    return tftpErrorName(this.errorCode);
  }

  /** The stable string code for a numeric code (codes above 8 map to `ERR_TFTP_NOT_DEFINED`). */
  static codeString(errorCode: number): TftpErrorCodeString {
    return isErrorNumber(errorCode) ? CODES[errorCode]! : 'ERR_TFTP_NOT_DEFINED';
  }

  static {
    Object.defineProperty(TftpError.prototype, MARK, { value: true });
  }
}

// `instanceof TftpError` uses the marker (works across package copies); subclasses keep the
// ordinary prototype check.
Object.defineProperty(TftpError, Symbol.hasInstance, {
  value: function hasInstance(this: Function, value: unknown): boolean {
    if (this === TftpError) return isTftpError(value);
    return Function.prototype[Symbol.hasInstance].call(this, value);
  },
});

/** True for a `TftpError` from any copy of this package. */
export function isTftpError(value: unknown): value is TftpError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARK] === true;
}

// errno → TFTP code, as tftp-hpa's nak() does (ENOENT → 1, EACCES → 2, ENOSPC → 3, EEXIST → 6).
const ERRNO: Readonly<Record<string, TftpErrorCode>> = {
  ENOENT: 1,
  ENOTDIR: 1,
  EACCES: 2,
  EPERM: 2,
  EROFS: 2,
  ELOOP: 2,
  EISDIR: 2,
  ENAMETOOLONG: 2,
  ENOSPC: 3,
  EDQUOT: 3,
  EFBIG: 3,
  EEXIST: 6,
};

/**
 * Whatever a handler threw, as a `TftpError` safe to send: a `TftpError` passes through,
 * a Node fs error maps by errno with the RFC text (never the original message, which holds local
 * paths), and anything else becomes code 0 `not defined` with the original kept as `cause`.
 */
export function toTftpError(error: unknown): TftpError {
  if (isTftpError(error)) return error;
  const errno = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const mapped = typeof errno === 'string' ? ERRNO[errno] : undefined;
  return new TftpError(mapped ?? 0, undefined, { cause: error });
}
