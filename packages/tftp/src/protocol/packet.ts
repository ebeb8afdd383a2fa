// TFTP packet codec (RFC 1350 §5, RFC 2347 OACK) in the style of dns-packet:
// `encode(packet, buf?, offset?)`, `encodingLength(packet)`, `decode(bytes, offset?)`.
// `decode` never throws: hostile bytes give `{ ok: false, error }` with a typed reason.
// DATA/ACK are the hot path: no copies (DATA's payload is a view), no closures.

import { tftpErrorMessage } from './errors.js';

/** Opcodes (RFC 1350 §5; OACK from RFC 2347). */
export const Opcode = { RRQ: 1, WRQ: 2, DATA: 3, ACK: 4, ERROR: 5, OACK: 6 } as const;
export type OpName = keyof typeof Opcode;

export type TransferMode = 'netascii' | 'octet';

/** Options in wire order as `[name, value]`; `decode` gives lower-case names (RFC 2347: case-insensitive). */
export type TftpOptions = ReadonlyArray<readonly [name: string, value: string]>;

export interface RrqPacket {
  readonly op: 'RRQ';
  readonly filename: string;
  readonly mode: TransferMode;
  readonly options: TftpOptions;
}
export interface WrqPacket {
  readonly op: 'WRQ';
  readonly filename: string;
  readonly mode: TransferMode;
  readonly options: TftpOptions;
}
export interface DataPacket {
  readonly op: 'DATA';
  /** The 16-bit wire block number. */
  readonly block: number;
  /** On decode: a view into the datagram, not a copy. */
  readonly data: Uint8Array;
}
export interface AckPacket {
  readonly op: 'ACK';
  readonly block: number;
}
export interface ErrorPacket {
  readonly op: 'ERROR';
  readonly code: number;
  /** Raw peer text on decode (Latin-1); sanitize before logging. */
  readonly message: string;
}
export interface OackPacket {
  readonly op: 'OACK';
  readonly options: TftpOptions;
}
export type RequestPacket = RrqPacket | WrqPacket;
export type TftpPacket = RrqPacket | WrqPacket | DataPacket | AckPacket | ErrorPacket | OackPacket;

/** Typed reasons `decode` gives. */
export type ParseErrorCode =
  | 'truncated'
  | 'bad-opcode'
  | 'missing-nul'
  | 'empty-filename'
  | 'bad-mode'
  | 'unsupported-mode'
  | 'bad-option'
  | 'duplicate-option'
  | 'too-long'
  | 'non-ascii'
  | 'control-char';

export interface ParseError {
  readonly code: ParseErrorCode;
  readonly message: string;
  /** The ERROR code a server should answer a bad request with: 8 for option faults, else 4. */
  readonly tftpCode: number;
}

export type DecodeResult =
  | { readonly ok: true; readonly packet: TftpPacket }
  | { readonly ok: false; readonly error: ParseError };

/**
 * Limits for requests and OACKs (RFC 1350 requests are nominally ≤ 512 bytes; we accept up to 1 KiB
 * and the client machines send what they are given — keep requests ≤ 512 when building them).
 */
export const MAX_REQUEST_SIZE = 1024;
export const MAX_SENT_REQUEST_SIZE = 512;
export const MAX_FILENAME_LENGTH = 512;
export const MAX_OPTION_NAME_LENGTH = 64;
export const MAX_OPTION_VALUE_LENGTH = 255;
export const MAX_OPTION_COUNT = 32;
/** Largest DATA payload (RFC 2348 blksize upper bound). */
export const MAX_BLKSIZE = 65464;
export const DEFAULT_BLKSIZE = 512;

/** Options whose values must be decimal digits (RFC 2348, 2349, 7440, tftp-hpa utimeout, rollover draft). */
export const NUMERIC_OPTIONS: ReadonlySet<string> = new Set([
  'blksize',
  'timeout',
  'tsize',
  'windowsize',
  'utimeout',
  'rollover',
]);
const MAX_NUMERIC_DIGITS = 16;

export interface DecodeLimits {
  maxRequestSize?: number;
  maxFilenameLength?: number;
}

// ---------------------------------------------------------------------------------------------
// decode

const fail = (code: ParseErrorCode, message: string, tftpCode = 4): DecodeResult => ({
  ok: false,
  error: { code, message, tftpCode },
});
const TRUNCATED = 'truncated';

// scanField results below 0
const MISSING_NUL = -1;
const CONTROL = -2;
const NON_ASCII = -3;
const TOO_LONG = -4;

/** Index of the NUL ending a printable-ASCII field starting at `start`, or a negative reason. */
function scanField(bytes: Uint8Array, start: number, end: number, max: number): number {
  const stop = Math.min(end, start + max + 1);
  for (let i = start; i < stop; i++) {
    const c = bytes[i]!;
    if (c === 0) return i;
    if (c > 0x7e) return c === 0x7f ? CONTROL : NON_ASCII;
    if (c < 0x20) return CONTROL;
  }
  return stop < end ? TOO_LONG : MISSING_NUL;
}

function fieldError(r: number, what: string, tftpCode: number): DecodeResult {
  switch (r) {
    case CONTROL:
      return fail('control-char', `${what} contains a control character`, tftpCode);
    case NON_ASCII:
      return fail('non-ascii', `${what} contains a non-ASCII byte`, tftpCode);
    case TOO_LONG:
      return fail('too-long', `${what} is too long`, tftpCode);
    default:
      return fail('missing-nul', `${what} is not NUL-terminated`, tftpCode);
  }
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function lower(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    s += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 32 : c);
  }
  return s;
}

function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > MAX_NUMERIC_DIGITS) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Parses `[name\0 value\0]…` from `pos` to `end` (RFC 2347); trailing NUL padding is tolerated. */
function decodeOptions(bytes: Uint8Array, pos: number, end: number): TftpOptions | DecodeResult {
  const options: [string, string][] = [];
  while (pos < end) {
    if (bytes[pos] === 0) {
      // Some boot ROMs pad requests with NULs: accept padding that is all zero.
      for (let i = pos; i < end; i++) if (bytes[i] !== 0) return fail('bad-option', 'empty option name', 8);
      break;
    }
    const nameEnd = scanField(bytes, pos, end, MAX_OPTION_NAME_LENGTH);
    if (nameEnd < 0) return fieldError(nameEnd, 'option name', 8);
    const name = lower(bytes, pos, nameEnd);
    pos = nameEnd + 1;
    if (pos >= end) return fail('bad-option', `option ${name} has no value`, 8);
    const valueEnd = scanField(bytes, pos, end, MAX_OPTION_VALUE_LENGTH);
    if (valueEnd < 0) return fieldError(valueEnd, `value of option ${name}`, 8);
    const value = latin1(bytes, pos, valueEnd);
    pos = valueEnd + 1;
    for (let i = 0; i < options.length; i++) {
      if (options[i]![0] === name) return fail('duplicate-option', `option ${name} appears twice`, 8);
    }
    if (NUMERIC_OPTIONS.has(name) && !isDigits(value)) {
      return fail('bad-option', `option ${name} needs a decimal value`, 8);
    }
    if (options.length === MAX_OPTION_COUNT) return fail('too-long', 'too many options', 8);
    options.push([name, value]);
  }
  return options;
}

function decodeRequest(
  op: 'RRQ' | 'WRQ',
  bytes: Uint8Array,
  start: number,
  end: number,
  limits: DecodeLimits | undefined,
): DecodeResult {
  const maxSize = limits?.maxRequestSize ?? MAX_REQUEST_SIZE;
  if (end - start > maxSize) return fail('too-long', `request longer than ${maxSize} bytes`);
  let pos = start + 2;
  const fnEnd = scanField(bytes, pos, end, limits?.maxFilenameLength ?? MAX_FILENAME_LENGTH);
  if (fnEnd < 0) return fieldError(fnEnd, 'filename', 4);
  if (fnEnd === pos) return fail('empty-filename', 'empty filename');
  const filename = latin1(bytes, pos, fnEnd);
  pos = fnEnd + 1;
  const modeEnd = scanField(bytes, pos, end, 16);
  if (modeEnd < 0) {
    if (modeEnd === TOO_LONG) return fail('bad-mode', 'unknown transfer mode');
    return fieldError(modeEnd, 'mode', 4);
  }
  const m = lower(bytes, pos, modeEnd);
  let mode: TransferMode;
  if (m === 'octet') mode = 'octet';
  else if (m === 'netascii') mode = 'netascii';
  else if (m === 'mail') return fail('unsupported-mode', 'mail mode is not supported');
  else return fail('bad-mode', 'unknown transfer mode');
  const options = decodeOptions(bytes, modeEnd + 1, end);
  if (!Array.isArray(options)) return options as DecodeResult;
  return { ok: true, packet: { op, filename, mode, options } };
}

/**
 * Decodes one datagram (from `offset` to the end of `bytes`). Never throws.
 * Names of options are lower-cased; DATA's `data` is a view into `bytes`.
 */
export function decode(bytes: Uint8Array, offset = 0, limits?: DecodeLimits): DecodeResult {
  const end = bytes.length;
  if (!(offset >= 0) || end - offset < 2) return fail(TRUNCATED, 'datagram shorter than an opcode');
  const op = (bytes[offset]! << 8) | bytes[offset + 1]!;
  switch (op) {
    case 3: {
      if (end - offset < 4) return fail(TRUNCATED, 'DATA shorter than its header');
      if (end - offset - 4 > MAX_BLKSIZE) return fail('too-long', 'DATA longer than the largest block size');
      return {
        ok: true,
        packet: { op: 'DATA', block: (bytes[offset + 2]! << 8) | bytes[offset + 3]!, data: bytes.subarray(offset + 4) },
      };
    }
    case 4:
      // Trailing bytes after the block number are ignored (some stacks pad).
      if (end - offset < 4) return fail(TRUNCATED, 'ACK shorter than 4 bytes');
      return { ok: true, packet: { op: 'ACK', block: (bytes[offset + 2]! << 8) | bytes[offset + 3]! } };
    case 1:
      return decodeRequest('RRQ', bytes, offset, end, limits);
    case 2:
      return decodeRequest('WRQ', bytes, offset, end, limits);
    case 5: {
      if (end - offset < 4) return fail(TRUNCATED, 'ERROR shorter than 4 bytes');
      const code = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
      // Lenient on the message: an ERROR is never answered; a missing NUL ends it at the datagram end.
      let stop = offset + 4;
      const max = Math.min(end, stop + MAX_REQUEST_SIZE);
      while (stop < max && bytes[stop] !== 0) stop++;
      return { ok: true, packet: { op: 'ERROR', code, message: latin1(bytes, offset + 4, stop) } };
    }
    case 6: {
      if (end - offset > (limits?.maxRequestSize ?? MAX_REQUEST_SIZE)) return fail('too-long', 'OACK too long', 8);
      const options = decodeOptions(bytes, offset + 2, end);
      if (!Array.isArray(options)) return options as DecodeResult;
      return { ok: true, packet: { op: 'OACK', options } };
    }
    default:
      return fail('bad-opcode', `unknown opcode ${op}`);
  }
}

// ---------------------------------------------------------------------------------------------
// encode

function asciiLength(s: string, what: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c > 0x7f) throw new TypeError(`${what} must be ASCII without NUL`);
  }
  return s.length;
}

function optionsLength(options: TftpOptions): number {
  let n = 0;
  for (let i = 0; i < options.length; i++) {
    const o = options[i]!;
    n += asciiLength(o[0], 'option name') + asciiLength(o[1], 'option value') + 2;
  }
  return n;
}

/** Bytes `encode` writes for `packet`. */
export function encodingLength(packet: TftpPacket): number {
  switch (packet.op) {
    case 'DATA':
      return 4 + packet.data.length;
    case 'ACK':
      return 4;
    case 'ERROR':
      return 5 + packet.message.length;
    case 'OACK':
      return 2 + optionsLength(packet.options);
    case 'RRQ':
    case 'WRQ':
      return (
        4 + asciiLength(packet.filename, 'filename') + asciiLength(packet.mode, 'mode') + optionsLength(packet.options)
      );
  }
}

function writeString(buf: Uint8Array, pos: number, s: string, printable: boolean): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // ERROR texts: anything not printable ASCII becomes '?'.
    buf[pos++] = printable && (c < 0x20 || c > 0x7e) ? 0x3f : c;
  }
  buf[pos++] = 0;
  return pos;
}

function writeOptions(buf: Uint8Array, pos: number, options: TftpOptions): number {
  for (let i = 0; i < options.length; i++) {
    const o = options[i]!;
    pos = writeString(buf, pos, o[0], false);
    pos = writeString(buf, pos, o[1], false);
  }
  return pos;
}

function checkBlock(block: number): void {
  if (!(block >= 0 && block <= 0xffff) || block % 1 !== 0) throw new RangeError(`block ${block} is not a u16`);
}

/** Writes DATA's 4-byte header in place at `offset` (the payload follows at `offset + 4`). */
export function writeDataHeader(buf: Uint8Array, offset: number, block: number): void {
  buf[offset] = 0;
  buf[offset + 1] = 3;
  buf[offset + 2] = block >>> 8;
  buf[offset + 3] = block & 0xff;
}

/**
 * Encodes `packet` into `buf` at `offset` (a new buffer when omitted) and returns a view of the
 * bytes written. A DATA payload that already sits at `buf[offset + 4]` is not copied.
 * Throws (TypeError/RangeError) on invalid packets or a too-small buffer — decoding never throws.
 */
export function encode(packet: TftpPacket, buf?: Uint8Array, offset = 0): Uint8Array {
  const length = encodingLength(packet);
  if (buf === undefined) {
    buf = new Uint8Array(length);
    offset = 0;
  } else if (offset < 0 || offset + length > buf.length) {
    throw new RangeError(`buffer too small: ${length} bytes needed at offset ${offset}`);
  }
  let pos = offset;
  switch (packet.op) {
    case 'DATA': {
      checkBlock(packet.block);
      writeDataHeader(buf, offset, packet.block);
      const data = packet.data;
      if (!(data.buffer === buf.buffer && data.byteOffset === buf.byteOffset + offset + 4)) buf.set(data, offset + 4);
      break;
    }
    case 'ACK':
      checkBlock(packet.block);
      buf[pos] = 0;
      buf[pos + 1] = 4;
      buf[pos + 2] = packet.block >>> 8;
      buf[pos + 3] = packet.block & 0xff;
      break;
    case 'ERROR':
      checkBlock(packet.code);
      buf[pos] = 0;
      buf[pos + 1] = 5;
      buf[pos + 2] = packet.code >>> 8;
      buf[pos + 3] = packet.code & 0xff;
      writeString(buf, pos + 4, packet.message, true);
      break;
    case 'OACK':
      buf[pos] = 0;
      buf[pos + 1] = 6;
      writeOptions(buf, pos + 2, packet.options);
      break;
    default:
      buf[pos] = 0;
      buf[pos + 1] = packet.op === 'RRQ' ? 1 : 2;
      pos = writeString(buf, pos + 2, packet.filename, false);
      pos = writeString(buf, pos, packet.mode, false);
      writeOptions(buf, pos, packet.options);
  }
  return buf.subarray(offset, offset + length);
}

/** ACK fast path: 4 bytes into `buf` at `offset` (a new 4-byte buffer when omitted). */
export function encodeAck(block: number, buf?: Uint8Array, offset = 0): Uint8Array {
  if (buf === undefined) {
    buf = new Uint8Array(4);
    offset = 0;
  }
  buf[offset] = 0;
  buf[offset + 1] = 4;
  buf[offset + 2] = (block >>> 8) & 0xff;
  buf[offset + 3] = block & 0xff;
  return offset === 0 && buf.length === 4 ? buf : buf.subarray(offset, offset + 4);
}

/** An ERROR packet; `message` defaults to the standard text of `code`. */
export function encodeError(code: number, message?: string): Uint8Array {
  return encode({ op: 'ERROR', code, message: message ?? tftpErrorMessage(code) });
}

/** Looks an option up by name, case-insensitively. */
export function getOption(options: TftpOptions, name: string): string | undefined {
  const n = name.toLowerCase();
  for (let i = 0; i < options.length; i++) {
    const o = options[i]!;
    if (o[0].toLowerCase() === n) return o[1];
  }
  return undefined;
}
