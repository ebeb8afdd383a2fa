// The event/action protocol shared by the transfer machines (h11 / quinn-proto style): the io layer
// calls `machine.handle(event, now)` and performs the returned actions in order. Times are
// milliseconds on any monotonic clock (e.g. `performance.now()`); the machine never reads a clock.

import {
  sanitizePeerText,
  TftpTransferError,
  type TftpTransferErrorOptions,
  type TransferErrorCode,
  tftpErrorMessage,
  tftpErrorName,
} from './errors.js';
import type { RolloverBase, TransferParams } from './options.js';
import {
  decode,
  encodeError,
  encodingLength,
  MAX_SENT_REQUEST_SIZE,
  type RequestPacket,
  type RrqPacket,
  type TftpOptions,
  type TftpPacket,
  type WrqPacket,
} from './packet.js';
import { RtoEstimator, type RtoOptions } from './rto.js';

export type MachineEvent =
  /** Begin: a client sends its request, a server its OACK / first DATA / ACK 0. Exactly once, first. */
  | { readonly type: 'start' }
  /** A decoded packet from the peer (TID already checked by io). */
  | { readonly type: 'packet'; readonly packet: TftpPacket }
  /** A raw datagram from the peer: decoded here; a malformed one is answered with ERROR 4 (fatal). */
  | { readonly type: 'datagram'; readonly bytes: Uint8Array }
  /** The timer set by the last `set-timer` fired. Early or stale timeouts are harmless. */
  | { readonly type: 'timeout' }
  /** Sender: the io wrote `length` bytes into the `buffer` of the last `need-data` (< blksize = end of file). */
  | { readonly type: 'data-written'; readonly length: number }
  /** Sender: the bytes of the block asked for by the last `need-data` (copied; < blksize = end of file). */
  | { readonly type: 'data'; readonly bytes: Uint8Array }
  /**
   * Give up locally (cancelled, source/sink failed). Sends ERROR `code` (default 0) with `message`
   * when the peer is known, then `fail` with code 'aborted'. While dallying: just `close`.
   */
  | { readonly type: 'abort'; readonly code?: number; readonly message?: string; readonly cause?: unknown };

export interface TransferStats {
  /** Payload bytes acknowledged (sender) or delivered (receiver), wire bytes in netascii. */
  readonly bytes: number;
  /** DATA blocks acknowledged / delivered. */
  readonly blocks: number;
  /** Packets sent again: DATA/request/OACK on the timer or after a gap ACK (sender); ACK/request/OACK (receiver). */
  readonly retransmits: number;
  /** Duplicate packets received: old or repeated ACKs (sender), DATA already delivered (receiver). */
  readonly duplicates: number;
  /** Timer expiries that caused a retransmission. */
  readonly timeouts: number;
  /** From `start` to `finish`/`fail` (ms). */
  readonly durationMs: number;
  readonly params: TransferParams;
  /** The options acknowledged by OACK, undefined for a plain RFC 1350 transfer. */
  readonly oack: TftpOptions | undefined;
  /** Smoothed round trip (ms) if measured. */
  readonly srttMs: number | undefined;
}

export type FinishReason =
  /** The transfer completed (final DATA acknowledged / delivered and acknowledged). */
  | 'complete'
  /** Server only: the client read our OACK and ended with ERROR 8 (UEFI tsize probe) — a normal end. */
  | 'option-probe';

export type MachineAction =
  /** Send a datagram to the peer. Sender DATA bytes live in a block slot reused once that block is ACKed: send before the next `handle` or copy. */
  | { readonly type: 'send'; readonly bytes: Uint8Array }
  /** (Re)arm the single timer to fire at `at` (replaces any previous one). */
  | { readonly type: 'set-timer'; readonly at: number }
  | { readonly type: 'clear-timer' }
  /** Parameters are now known (server: at start; client: on OACK or the first plain answer). Once. */
  | { readonly type: 'negotiated'; readonly params: TransferParams; readonly oack: TftpOptions | undefined }
  /**
   * Sender: fill `buffer` (exactly blksize bytes, a view into the block slot) with the bytes of wide
   * block `block` (1-based; `offset` = (block-1)·blksize, linear in octet mode only), then feed
   * `data-written` (or `data`). At most one is outstanding; it may be answered asynchronously.
   * Fewer than blksize bytes (0 included) end the file.
   */
  | { readonly type: 'need-data'; readonly block: number; readonly offset: number; readonly buffer: Uint8Array }
  /** Receiver: in-order payload of wide block `block` at stream `offset`; a view into the datagram — consume or copy now. */
  | { readonly type: 'deliver'; readonly block: number; readonly offset: number; readonly data: Uint8Array }
  /** The transfer succeeded; settle the caller now. A receiver keeps dallying until `close`. */
  | { readonly type: 'finish'; readonly reason: FinishReason; readonly stats: TransferStats }
  /** The transfer failed (any ERROR to send was emitted just before). */
  | { readonly type: 'fail'; readonly error: TftpTransferError; readonly stats: TransferStats }
  /** Nothing left to do: release the channel and timer. Always the machine's last action. */
  | { readonly type: 'close' };

export interface MachineTiming extends RtoOptions {
  /** Consecutive timeouts without progress before `fail` with 'timeout' (default 5). */
  maxRetries?: number;
}

/** A server machine is built from a successful {@link negotiateServer} result. */
export interface ServerSide {
  readonly role: 'server';
  readonly negotiation: { readonly oack: TftpOptions; readonly params: TransferParams };
}
/** A client machine sends `request` on `start` and learns the parameters from the answer. */
export interface ClientSide<R> {
  readonly role: 'client';
  /** Keep it ≤ 512 bytes encoded (MAX_SENT_REQUEST_SIZE). */
  readonly request: R;
  /** Rollover base when the server does not negotiate `rollover` (default 0). */
  readonly rolloverBase?: RolloverBase;
}
export type SenderConfig = MachineTiming & (ServerSide | ClientSide<WrqPacket>);
export type ReceiverConfig = MachineTiming & {
  /** Largest file accepted (bytes on the wire): more → ERROR 3 and `fail` 'too-large'. Also checked against an OACK tsize. */
  maxSize?: number;
  /** How long to linger after the final ACK (ms); default: server 3 × the negotiated timeout, else max(4·RTO, 4 s); client the timeout, else max(2·RTO, 1 s). */
  dallyMs?: number;
} & (ServerSide | ClientSide<RrqPacket>);

/** Requests we send stay within RFC 1350's nominal 512 bytes; throws RangeError (or TypeError for non-ASCII). */
export function checkRequestSize(request: RequestPacket): void {
  const n = encodingLength(request);
  if (n > MAX_SENT_REQUEST_SIZE) throw new RangeError(`request is ${n} bytes, more than ${MAX_SENT_REQUEST_SIZE}`);
}

export type MachineState = 'idle' | 'requesting' | 'oack-sent' | 'transfer' | 'dallying' | 'closed';

/**
 * Errors that answer the request itself (file not found, access violation, too big, exists, no such
 * user): retrying without options would get the same answer. Any other error to a request with
 * options — 8 above all, but also 0, 4 or odd codes from servers that choke on options — may be
 * retried plain (RFC 2347).
 */
const DEFINITE_ANSWERS: ReadonlySet<number> = new Set([1, 2, 3, 6, 7]);

/** Shared bookkeeping: timer, RTO, stats, error/finish plumbing. */
export abstract class TransferMachine {
  protected _state: MachineState = 'idle';
  protected _params: TransferParams;
  protected _oack: TftpOptions | undefined;
  protected _rto: RtoEstimator;
  protected readonly _timing: MachineTiming;
  protected readonly _maxRetries: number;
  protected _retries = 0;
  protected _bytes = 0;
  protected _blocks = 0;
  protected _retransmits = 0;
  protected _duplicates = 0;
  protected _timeouts = 0;
  protected _start = 0;
  protected _end: number | undefined;
  /** When the machine wants to wake up; undefined → no wake-up wanted. */
  protected _deadline: number | undefined;
  /** What the io timer is currently set to (it may be earlier than `_deadline`: lazy re-arming). */
  #timerAt: number | undefined;

  protected constructor(timing: MachineTiming, params: TransferParams) {
    this._timing = timing;
    this._maxRetries = timing.maxRetries ?? 5;
    this._params = params;
    this._rto = new RtoEstimator(timing, params.timeoutMs);
  }

  get state(): MachineState {
    return this._state;
  }
  get params(): TransferParams {
    return this._params;
  }
  /** True once `close` was emitted. */
  get closed(): boolean {
    return this._state === 'closed';
  }
  /** Current retransmission timeout (ms). */
  get rto(): number {
    return this._rto.rto;
  }

  stats(now: number = this._end ?? this._start): TransferStats {
    return {
      bytes: this._bytes,
      blocks: this._blocks,
      retransmits: this._retransmits,
      duplicates: this._duplicates,
      timeouts: this._timeouts,
      durationMs: (this._end ?? now) - this._start,
      params: this._params,
      oack: this._oack,
      srttMs: this._rto.srtt,
    };
  }

  /** Feed one event; returns the actions to perform, in order. Throws only on io contract misuse. */
  handle(event: MachineEvent, now: number): MachineAction[] {
    const actions: MachineAction[] = [];
    if (this._state === 'closed') return actions;
    switch (event.type) {
      case 'start':
        if (this._state !== 'idle') throw new Error('start was already handled');
        this._start = now;
        this._onStart(now, actions);
        break;
      case 'packet':
        if (this._state !== 'idle') this._onPacket(event.packet, now, actions);
        break;
      case 'datagram': {
        if (this._state === 'idle') break;
        const r = decode(event.bytes);
        if (r.ok) this._onPacket(r.packet, now, actions);
        else if (this._state === 'requesting') {
          // No peer locked in yet: ignore junk rather than answer it.
        } else if (this._state === 'dallying') {
          // Finished already: stay quiet.
        } else this._protocolError(`malformed packet from peer (${r.error.code})`, now, actions);
        break;
      }
      case 'timeout':
        this.#timerAt = undefined;
        if (this._deadline === undefined) break;
        if (now < this._deadline) {
          this.#arm(this._deadline, actions);
          break;
        }
        this._deadline = undefined;
        this._onTimeout(now, actions);
        break;
      case 'data':
      case 'data-written':
        this._onData(event, now, actions);
        break;
      case 'abort':
        this._onAbort(event, now, actions);
        break;
      default:
        throw new TypeError(`unknown event ${(event as { type: string }).type}`);
    }
    return actions;
  }

  protected abstract _onStart(now: number, actions: MachineAction[]): void;
  protected abstract _onPacket(packet: TftpPacket, now: number, actions: MachineAction[]): void;
  protected abstract _onTimeout(now: number, actions: MachineAction[]): void;
  protected _onData(_event: MachineEvent, _now: number, _actions: MachineAction[]): void {
    throw new Error('this machine takes no data events');
  }
  protected _onAbort(event: Extract<MachineEvent, { type: 'abort' }>, now: number, actions: MachineAction[]): void {
    if (this._state === 'dallying') {
      this._close(actions);
      return;
    }
    const code = event.code ?? 0;
    const message = event.message ?? tftpErrorMessage(code);
    this._fail(
      now,
      actions,
      'aborted',
      `transfer aborted: ${message}`,
      { tftpCode: code, cause: event.cause },
      // Before the first answer the peer's TID is unknown: nothing to tell.
      this._state === 'requesting' || this._state === 'idle' ? undefined : code,
      message,
    );
  }

  /** Wake up at `at` (replacing the current wish); only emits `set-timer` if the io timer would be late. */
  protected _schedule(at: number, actions: MachineAction[]): void {
    this._deadline = at;
    if (this.#timerAt === undefined || this.#timerAt > at) this.#arm(at, actions);
  }

  protected _cancelTimer(actions: MachineAction[]): void {
    this._deadline = undefined;
    if (this.#timerAt !== undefined) {
      this.#timerAt = undefined;
      actions.push({ type: 'clear-timer' });
    }
  }

  #arm(at: number, actions: MachineAction[]): void {
    this.#timerAt = at;
    actions.push({ type: 'set-timer', at });
  }

  /** Counts a timeout; false (after failing) when the retries are used up. */
  protected _retry(now: number, actions: MachineAction[], what: string): boolean {
    this._timeouts++;
    if (++this._retries > this._maxRetries) {
      this._fail(now, actions, 'timeout', `timed out waiting for ${what} after ${this._maxRetries} retries`, {});
      return false;
    }
    this._rto.backoff();
    return true;
  }

  protected _negotiated(params: TransferParams, oack: TftpOptions | undefined, actions: MachineAction[]): void {
    if (params !== this._params) {
      // A new estimator only if the timeout changes: a backoff of the request (no sample) carries
      // into the transfer (RFC 6298 §5.7 spirit; rto.ts).
      if (params.timeoutMs !== this._params.timeoutMs || params.timeoutMs !== undefined)
        this._rto = new RtoEstimator(this._timing, params.timeoutMs);
      this._params = params;
    }
    this._oack = oack;
    actions.push({ type: 'negotiated', params, oack });
  }

  protected _send(bytes: Uint8Array, actions: MachineAction[]): void {
    actions.push({ type: 'send', bytes });
  }

  protected _finish(now: number, actions: MachineAction[], reason: FinishReason): void {
    this._end = now;
    actions.push({ type: 'finish', reason, stats: this.stats(now) });
  }

  protected _close(actions: MachineAction[]): void {
    this._cancelTimer(actions);
    this._state = 'closed';
    actions.push({ type: 'close' });
  }

  /** Optionally sends ERROR `sendCode`, then `fail` + `close`. */
  protected _fail(
    now: number,
    actions: MachineAction[],
    code: TransferErrorCode,
    message: string,
    options: TftpTransferErrorOptions,
    sendCode?: number,
    sendMessage?: string,
  ): void {
    if (sendCode !== undefined) this._send(encodeError(sendCode, sendMessage), actions);
    this._end = now;
    const tftpCode = options.tftpCode ?? sendCode;
    actions.push({
      type: 'fail',
      error: new TftpTransferError(code, message, { ...options, tftpCode }),
      stats: this.stats(now),
    });
    this._close(actions);
  }

  protected _protocolError(message: string, now: number, actions: MachineAction[]): void {
    this._fail(now, actions, 'protocol-error', message, {}, 4, message);
  }

  /** An ERROR from the peer: never answered (RFC 1350 §7). */
  protected _peerError(code: number, peerMessage: string, now: number, actions: MachineAction[], retry: boolean): void {
    const text = peerMessage ? `: ${sanitizePeerText(peerMessage)}` : '';
    this._fail(now, actions, 'peer-error', `error ${code} (${tftpErrorName(code)}) from peer${text}`, {
      tftpCode: code,
      peerMessage,
      retryWithoutOptions: retry && !DEFINITE_ANSWERS.has(code),
    });
  }
}
