// Option negotiation: RFC 2347 (framework), 2348 (blksize), 2349 (timeout, tsize), 7440
// (windowsize), tftp-hpa's utimeout, and the rollover option (draft; 0 or 1).
// Pure functions: the server side turns a request + policy into an OACK (or an ERROR); the client
// side checks an OACK against what it asked.

import { TftpErrorCode } from './errors.js';
import { DEFAULT_BLKSIZE, MAX_BLKSIZE, type RequestPacket, type TftpOptions, type TransferMode } from './packet.js';

export const MIN_BLKSIZE = 8;
export const MIN_TIMEOUT = 1;
export const MAX_TIMEOUT = 255;
export const MIN_UTIMEOUT = 10_000;
export const MAX_UTIMEOUT = 255_000_000;
export const MAX_WINDOWSIZE = 65535;
/** Default bound on a server's bytes in flight (windowsize × blksize), see {@link ServerPolicy.maxWindowBytes}. */
export const DEFAULT_MAX_WINDOW_BYTES = 1024 * 1024;

export type RolloverBase = 0 | 1;

/** The parameters a transfer runs with once negotiation is over. */
export interface TransferParams {
  readonly blksize: number;
  readonly windowsize: number;
  /** Fixed retransmission timeout (ms) from a negotiated `timeout`/`utimeout`; undefined → adaptive. */
  readonly timeoutMs: number | undefined;
  /** The transfer size if known (RRQ: the server's answer; WRQ: the client's statement). */
  readonly tsize: number | undefined;
  /** Block number after 65535: 0 (the common wrap) or 1. */
  readonly rolloverBase: RolloverBase;
}

/** Checks a `rolloverBase` option (server and client): 0 or 1. */
export function checkRolloverBase(who: string, base: unknown): RolloverBase {
  if (base !== 0 && base !== 1) throw new RangeError(`${who}: rolloverBase must be 0 or 1, got ${String(base)}`);
  return base;
}

export function defaultParams(rolloverBase: RolloverBase = 0): TransferParams {
  return { blksize: DEFAULT_BLKSIZE, windowsize: 1, timeoutMs: undefined, tsize: undefined, rolloverBase };
}

/** What a server is willing to grant. */
export interface ServerPolicy {
  /** Never acknowledge any option: always a plain RFC 1350 reply. */
  refuseAll?: boolean;
  /** Option names never acknowledged (case-insensitive), e.g. `['blksize']` for fragile boot ROMs. */
  refuse?: Iterable<string>;
  /** Cap for blksize (lowered to it, never raised; default 65464). */
  maxBlksize?: number;
  /** Cap for windowsize (default 65535). */
  maxWindowsize?: number;
  /** Bound on windowsize × blksize (default 1 MiB): windowsize is lowered to fit, at least 1. */
  maxWindowBytes?: number;
  /** WRQ: a stated tsize above this is refused with ERROR 3. */
  maxFileSize?: number;
  /** RRQ: the size of the file (octet mode), answered to `tsize`; omit when unknown. */
  fileSize?: number;
  /** Grant the rollover option (default true). */
  rollover?: boolean;
  /** Block number after 65535 when no rollover option is negotiated (default 0). */
  rolloverBase?: RolloverBase;
}

export type ServerNegotiation =
  | {
      readonly ok: true;
      /** Options for the OACK, in request order; empty → plain reply (DATA 1 / ACK 0). */
      readonly oack: TftpOptions;
      readonly params: TransferParams;
    }
  | { readonly ok: false; readonly error: { readonly code: number; readonly message: string } };

function num(value: string): number {
  // decode() guarantees digits for known numeric options; anything else is NaN.
  return /^[0-9]{1,16}$/.test(value) ? Number(value) : Number.NaN;
}

/**
 * Server side (RFC 2347): the OACK for `request` under `policy`, or the ERROR to send instead.
 * Only options asked for and supported are acknowledged; invalid or out-of-range values are ignored
 * (not acknowledged), except that blksize/windowsize above a cap are lowered to it.
 */
export function negotiateServer(request: RequestPacket, policy: ServerPolicy = {}): ServerNegotiation {
  const refused = new Set<string>();
  if (policy.refuse) for (const name of policy.refuse) refused.add(name.toLowerCase());
  const isWrite = request.op === 'WRQ';
  let blksize = DEFAULT_BLKSIZE;
  let windowsize = 1;
  let timeoutMs: number | undefined;
  let utimeoutMs: number | undefined;
  let tsize: number | undefined;
  let rolloverBase: RolloverBase = policy.rolloverBase ?? 0;
  const oack: [string, string][] = [];
  let windowIndex = -1;

  for (const [rawName, value] of request.options) {
    const name = rawName.toLowerCase();
    const v = num(value);
    if (name === 'tsize' && isWrite && Number.isFinite(v) && request.mode === 'octet') {
      // RFC 2349: the server may refuse a WRQ whose stated size is too big (ERROR 3), even with options off.
      if (policy.maxFileSize !== undefined && v > policy.maxFileSize) {
        return {
          ok: false,
          error: { code: TftpErrorCode.DiskFull, message: `File too large (tsize ${v} > ${policy.maxFileSize}).` },
        };
      }
    }
    if (policy.refuseAll || refused.has(name) || !Number.isFinite(v)) continue;
    switch (name) {
      case 'blksize': // RFC 2348: 8–65464; the server may answer a smaller value
        if (v < MIN_BLKSIZE) break;
        blksize = Math.min(v, policy.maxBlksize ?? MAX_BLKSIZE, MAX_BLKSIZE);
        if (blksize < MIN_BLKSIZE) {
          blksize = DEFAULT_BLKSIZE;
          break;
        }
        oack.push(['blksize', String(blksize)]);
        break;
      case 'timeout': // RFC 2349: 1–255 s, echoed unchanged
        if (v < MIN_TIMEOUT || v > MAX_TIMEOUT) break;
        timeoutMs = v * 1000;
        oack.push(['timeout', String(v)]);
        break;
      case 'utimeout': // tftp-hpa: µs, echoed unchanged
        if (v < MIN_UTIMEOUT || v > MAX_UTIMEOUT) break;
        utimeoutMs = v / 1000;
        oack.push(['utimeout', String(v)]);
        break;
      case 'tsize': // RFC 2349
        if (request.mode !== 'octet') break; // netascii size is not knowable
        if (isWrite) {
          tsize = v;
          oack.push(['tsize', String(v)]);
        } else if (policy.fileSize !== undefined) {
          tsize = policy.fileSize;
          oack.push(['tsize', String(policy.fileSize)]);
        }
        break;
      case 'windowsize': // RFC 7440: 1–65535, the server may lower it
        if (v < 1 || v > MAX_WINDOWSIZE) break;
        windowsize = Math.max(1, Math.min(v, policy.maxWindowsize ?? MAX_WINDOWSIZE));
        windowIndex = oack.length;
        oack.push(['windowsize', String(windowsize)]);
        break;
      case 'rollover':
        if (policy.rollover === false || (v !== 0 && v !== 1)) break;
        rolloverBase = v as RolloverBase;
        oack.push(['rollover', String(v)]);
        break;
      default: // unknown options are ignored (RFC 2347)
    }
  }
  if (windowIndex >= 0) {
    // Bound bytes in flight: big blocks × big windows overflow socket buffers and our memory.
    const maxBytes = policy.maxWindowBytes ?? DEFAULT_MAX_WINDOW_BYTES;
    windowsize = Math.max(1, Math.min(windowsize, Math.floor(maxBytes / blksize)));
    oack[windowIndex] = ['windowsize', String(windowsize)];
  }
  return {
    ok: true,
    oack,
    params: { blksize, windowsize, timeoutMs: utimeoutMs ?? timeoutMs, tsize, rolloverBase },
  };
}

/** What a client wants to ask for. */
export interface ClientOptionRequest {
  blksize?: number;
  windowsize?: number;
  /** Seconds, 1–255 (RFC 2349). */
  timeout?: number;
  /** Microseconds (tftp-hpa). */
  utimeout?: number;
  /** RRQ: `true` asks the server for the size (sends 0). WRQ: the size being sent. Ignored for netascii. */
  tsize?: number | boolean;
  rollover?: RolloverBase;
}

/** The request options for `want` (tsize is omitted in netascii mode, RFC 2349). Throws on out-of-range values. */
export function buildRequestOptions(op: 'RRQ' | 'WRQ', mode: TransferMode, want: ClientOptionRequest): TftpOptions {
  const out: [string, string][] = [];
  const check = (name: string, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${name} must be an integer in ${lo}–${hi}`);
    out.push([name, String(v)]);
  };
  if (want.blksize !== undefined) check('blksize', want.blksize, MIN_BLKSIZE, MAX_BLKSIZE);
  if (want.windowsize !== undefined) check('windowsize', want.windowsize, 1, MAX_WINDOWSIZE);
  if (want.timeout !== undefined) check('timeout', want.timeout, MIN_TIMEOUT, MAX_TIMEOUT);
  if (want.utimeout !== undefined) check('utimeout', want.utimeout, MIN_UTIMEOUT, MAX_UTIMEOUT);
  if (want.tsize !== undefined && want.tsize !== false && mode === 'octet') {
    if (op === 'RRQ') out.push(['tsize', '0']);
    else if (typeof want.tsize === 'number') check('tsize', want.tsize, 0, Number.MAX_SAFE_INTEGER);
  }
  if (want.rollover !== undefined) check('rollover', want.rollover, 0, 1);
  return out;
}

export type OackCheck =
  | { readonly ok: true; readonly params: TransferParams }
  | { readonly ok: false; readonly error: { readonly code: 8; readonly message: string } };

/**
 * Client side (RFC 2347): checks the server's OACK against the request. The server may not add
 * options, may not raise blksize/windowsize, must echo timeout/utimeout/rollover (and a WRQ's
 * tsize) unchanged; anything else → ERROR 8. Options not echoed keep their defaults.
 */
export function acceptOack(request: RequestPacket, oack: TftpOptions, rolloverDefault: RolloverBase = 0): OackCheck {
  const asked = new Map<string, string>();
  for (const [name, value] of request.options) asked.set(name.toLowerCase(), value);
  const refuse = (message: string): OackCheck => ({ ok: false, error: { code: 8, message } });
  let blksize = DEFAULT_BLKSIZE;
  let windowsize = 1;
  let timeoutMs: number | undefined;
  let utimeoutMs: number | undefined;
  let tsize: number | undefined;
  let rolloverBase = rolloverDefault;
  const seen = new Set<string>();
  for (const [rawName, value] of oack) {
    const name = rawName.toLowerCase();
    if (seen.has(name)) return refuse(`option ${name} acknowledged twice`);
    seen.add(name);
    const want = asked.get(name);
    if (want === undefined) return refuse(`option ${name} was not requested`);
    const v = num(value);
    const w = num(want);
    switch (name) {
      case 'blksize':
        if (!(v >= MIN_BLKSIZE && v <= w)) return refuse(`bad blksize ${value}`);
        blksize = v;
        break;
      case 'windowsize':
        if (!(v >= 1 && v <= w)) return refuse(`bad windowsize ${value}`);
        windowsize = v;
        break;
      case 'timeout':
        if (v !== w) return refuse(`bad timeout ${value}`);
        timeoutMs = v * 1000;
        break;
      case 'utimeout':
        if (v !== w) return refuse(`bad utimeout ${value}`);
        utimeoutMs = v / 1000;
        break;
      case 'tsize':
        if (!Number.isFinite(v) || (request.op === 'WRQ' && v !== w)) return refuse(`bad tsize ${value}`);
        tsize = v;
        break;
      case 'rollover':
        if (v !== w || (v !== 0 && v !== 1)) return refuse(`bad rollover ${value}`);
        rolloverBase = v as RolloverBase;
        break;
      default: // an option we asked for but do not interpret: nothing to check
    }
  }
  return { ok: true, params: { blksize, windowsize, timeoutMs: utimeoutMs ?? timeoutMs, tsize, rolloverBase } };
}
