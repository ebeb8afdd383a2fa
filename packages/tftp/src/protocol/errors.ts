// TFTP error codes (RFC 1350 §5 + RFC 2347 for code 8), their texts, and the error class the
// transfer machines report with `fail`.

/** The ERROR packet codes 0–8 (RFC 1350 §5, RFC 2347). */
export const TftpErrorCode = {
  NotDefined: 0,
  FileNotFound: 1,
  AccessViolation: 2,
  DiskFull: 3,
  IllegalOperation: 4,
  UnknownTransferId: 5,
  FileExists: 6,
  NoSuchUser: 7,
  OptionRefused: 8,
} as const;
export type TftpErrorCode = (typeof TftpErrorCode)[keyof typeof TftpErrorCode];

/** The standard wire texts (RFC 1350 Appendix; code 8 from RFC 2347), used when no message is given. */
export const TFTP_ERROR_MESSAGES: readonly string[] = Object.freeze([
  'Not defined, see error message (if any).',
  'File not found.',
  'Access violation.',
  'Disk full or allocation exceeded.',
  'Illegal TFTP operation.',
  'Unknown transfer ID.',
  'File already exists.',
  'No such user.',
  'Option negotiation refused.',
]);

const NAMES = [
  'not defined',
  'file not found',
  'access violation',
  'disk full or allocation exceeded',
  'illegal TFTP operation',
  'unknown transfer ID',
  'file already exists',
  'no such user',
  'option negotiation refused',
];

/** Short lower-case name of a code for messages, e.g. `error 1 (file not found)`; `unknown error` beyond 8. */
export function tftpErrorName(code: number): string {
  return NAMES[code] ?? 'unknown error';
}

/** The standard wire text of a code (code 0's text beyond 8). */
export function tftpErrorMessage(code: number): string {
  return TFTP_ERROR_MESSAGES[code] ?? TFTP_ERROR_MESSAGES[0]!;
}

/**
 * Makes a peer-controlled string safe to print: non-printable and non-ASCII characters become
 * `\xNN`, backslashes are doubled, and the result is cut at `max` characters (an ellipsis marks a cut).
 */
export function sanitizePeerText(text: string, max = 200): string {
  let out = '';
  const n = Math.min(text.length, max);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c < 0x7f) out += text[i];
    else out += `\\x${(c & 0xff).toString(16).padStart(2, '0')}`;
  }
  return text.length > max ? `${out}…` : out;
}

/** Why a transfer machine failed (the `code` of a {@link TftpTransferError}). */
export type TransferErrorCode =
  /** no answer after the bounded retries */
  | 'timeout'
  /** the peer sent an ERROR packet (`tftpCode`, `peerMessage`) */
  | 'peer-error'
  /** the peer broke the protocol (bad packet, wrong opcode, oversized DATA); ERROR 4 was sent */
  | 'protocol-error'
  /** the server's OACK was not acceptable (RFC 2347); ERROR 8 was sent */
  | 'bad-oack'
  /** the file exceeds the maximum size; ERROR 3 was sent */
  | 'too-large'
  /** the local side aborted (`abort` event); an ERROR was sent when a peer was known */
  | 'aborted';

const MARK = Symbol.for('@udpkit/tftp.TftpTransferError');

export interface TftpTransferErrorOptions {
  /** The TFTP error code received (peer-error) or sent (others), if any. */
  tftpCode?: number | undefined;
  /** The peer's ERROR text, raw (use {@link sanitizePeerText} before logging). */
  peerMessage?: string | undefined;
  /**
   * The request carried options and the server's first answer was an ERROR other than 1, 2, 3, 6
   * or 7 (8 above all): it may not accept options (RFC 2347), so a client may retry once without
   * them (`withoutOptions(request)`, a new machine and a fresh port).
   */
  retryWithoutOptions?: boolean;
  cause?: unknown;
}

/** The error a machine's `fail` action carries. `code` is stable; instance checks use {@link isTftpTransferError}. */
export class TftpTransferError extends Error {
  readonly code: TransferErrorCode;
  readonly tftpCode: number | undefined;
  readonly peerMessage: string | undefined;
  readonly retryWithoutOptions: boolean;

  constructor(code: TransferErrorCode, message: string, options: TftpTransferErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TftpTransferError';
    this.code = code;
    this.tftpCode = options.tftpCode;
    this.peerMessage = options.peerMessage;
    this.retryWithoutOptions = options.retryWithoutOptions ?? false;
    Object.defineProperty(this, MARK, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isTftpTransferError(value);
  }
}

/** True for a {@link TftpTransferError}, even one from another copy of this package. */
export function isTftpTransferError(value: unknown): value is TftpTransferError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARK] === true;
}
