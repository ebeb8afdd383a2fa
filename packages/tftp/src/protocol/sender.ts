// The DATA side of a transfer (server RRQ, client WRQ), lockstep (RFC 1350) or windowed (RFC 7440).
// - Sends up to `windowsize` blocks past the last ACK, then waits; an ACK restarts the window right
//   after the acknowledged block (a gap ACK makes it resend the rest).
// - Sorcerer's Apprentice (RFC 1123 §4.2.3.1): an ACK at or below the last one processed changes
//   nothing; DATA is resent only when the timer expires.
// - Adaptive RTO (RFC 1123 §4.2.3.2) with Karn's rule: samples only from blocks sent once — per
//   block, so a window-end or gap ACK (RFC 7440) of a block sent once is a sample even if other
//   blocks of the window were lost. A backoff ends at the next clean sample, or on an ACK of new
//   data timed as an answer to the resend (a loss, not a too-short RTO: rto.ts).
// - Block data lives in `windowsize + 1` slots of 4 + blksize bytes (header written in place, one
//   block read ahead), allocated lazily and reused: no per-packet copies.

import { wideBlock, wireBlock } from './blocks.js';
import { TftpErrorCode } from './errors.js';
import type { MachineAction, MachineEvent, SenderConfig } from './machine.js';
import { checkRequestSize, TransferMachine } from './machine.js';
import { acceptOack, defaultParams } from './options.js';
import { encode, type TftpPacket, type WrqPacket, writeDataHeader } from './packet.js';

export class Sender extends TransferMachine {
  readonly role: 'server' | 'client';
  readonly #request: WrqPacket | undefined;
  readonly #rolloverDefault: 0 | 1;
  /** Request (client) or OACK (server) bytes, resent on the timer until answered. */
  #control: Uint8Array | undefined;
  #slots: (Uint8Array | undefined)[] = [];
  #views: (Uint8Array | undefined)[] = [];
  #lens: number[] = [];
  #slotCount = 0;
  /** Highest block acknowledged (wide). */
  #acked = 0;
  /** Next block to (re)send in the current window. */
  #next = 1;
  /** Highest block ever sent. */
  #maxSent = 0;
  /** Highest block whose data is in a slot. */
  #buffered = 0;
  /** The final (short) block once known, else 0. */
  #final = 0;
  /** The block an outstanding need-data asks for, else 0. */
  #pending = 0;
  /** Per slot: when its block was sent, or -1 once it was resent (Karn: no sample from it). */
  #sentAt: number[] = [];
  /** Per slot: when its block was last sent (first send or resend). */
  #lastSentAt: number[] = [];
  /** Per slot: when its block was first sent. */
  #firstSentAt: number[] = [];

  constructor(config: SenderConfig) {
    super(config, config.role === 'server' ? config.negotiation.params : defaultParams(config.rolloverBase ?? 0));
    this.role = config.role;
    if (config.role === 'server') {
      this._oack = config.negotiation.oack.length > 0 ? config.negotiation.oack : undefined;
      this.#request = undefined;
      this.#rolloverDefault = config.negotiation.params.rolloverBase;
    } else {
      checkRequestSize(config.request);
      if (config.request.op !== 'WRQ') throw new TypeError('a client sender sends a WRQ');
      this.#request = config.request;
      this.#rolloverDefault = config.rolloverBase ?? 0;
    }
  }

  protected _onStart(now: number, actions: MachineAction[]): void {
    if (this.#request !== undefined) {
      this.#control = encode(this.#request);
      this._send(this.#control, actions);
      this._state = 'requesting';
      this._schedule(now + this._rto.rto, actions);
      return;
    }
    this._negotiated(this._params, this._oack, actions);
    if (this._oack !== undefined) {
      // RFC 2347: the OACK is acknowledged with ACK 0 before DATA 1.
      this.#control = encode({ op: 'OACK', options: this._oack });
      this._send(this.#control, actions);
      this._state = 'oack-sent';
      this._schedule(now + this._rto.rto, actions);
    } else this.#begin(now, actions);
  }

  #begin(now: number, actions: MachineAction[]): void {
    this._state = 'transfer';
    this._retries = 0;
    // No estimate yet: a backoff of the OACK / request lasts until a clean sample (rto.ts).
    this._cancelTimer(actions);
    this.#slotCount = this._params.windowsize + 1;
    this.#pump(now, actions);
  }

  protected _onPacket(packet: TftpPacket, now: number, actions: MachineAction[]): void {
    switch (this._state) {
      case 'transfer':
        if (packet.op === 'ACK') this.#onAck(packet.block, now, actions);
        else if (packet.op === 'OACK')
          this._duplicates++; // a repeated OACK: our DATA 1 is on its way or the timer resends it
        else if (packet.op === 'ERROR') this._peerError(packet.code, packet.message, now, actions, false);
        else this._protocolError(`unexpected ${packet.op} while sending`, now, actions);
        return;
      case 'oack-sent':
        if (packet.op === 'ACK') {
          if (packet.block !== 0) return;
          if (this._retries === 0) this._rto.sample(now - this._start);
          this.#begin(now, actions);
        } else if (packet.op === 'ERROR') {
          if (packet.code === TftpErrorCode.OptionRefused) {
            // UEFI reads tsize from the OACK, then ends with ERROR 8: a normal end for the server.
            this._finish(now, actions, 'option-probe');
            this._close(actions);
          } else this._peerError(packet.code, packet.message, now, actions, false);
        } else this._protocolError(`unexpected ${packet.op} before ACK 0`, now, actions);
        return;
      case 'requesting':
        this.#onFirstAnswer(packet, now, actions);
        return;
      default:
    }
  }

  /** Client WRQ: ACK 0 (plain, RFC 1350) or OACK (RFC 2347) or ERROR. */
  #onFirstAnswer(packet: TftpPacket, now: number, actions: MachineAction[]): void {
    const request = this.#request!;
    if (packet.op === 'ACK') {
      if (packet.block !== 0) return;
      this._negotiated(defaultParams(this.#rolloverDefault), undefined, actions);
      if (this._retries === 0) this._rto.sample(now - this._start);
      this.#begin(now, actions);
    } else if (packet.op === 'OACK') {
      const check = acceptOack(request, packet.options, this.#rolloverDefault);
      if (!check.ok) {
        this._fail(now, actions, 'bad-oack', `unacceptable OACK: ${check.error.message}`, {}, 8, check.error.message);
        return;
      }
      this._negotiated(check.params, packet.options, actions);
      if (this._retries === 0) this._rto.sample(now - this._start);
      this.#begin(now, actions);
    } else if (packet.op === 'ERROR') {
      this._peerError(packet.code, packet.message, now, actions, request.options.length > 0);
    } else this._protocolError(`unexpected ${packet.op} in answer to WRQ`, now, actions);
  }

  protected override _onData(event: MachineEvent, now: number, actions: MachineAction[]): void {
    if (this._state !== 'transfer' || this.#pending === 0) throw new Error('data event without a pending need-data');
    const n = this.#pending;
    const idx = n % this.#slotCount;
    const slot = this.#slots[idx]!;
    const blksize = this._params.blksize;
    let length: number;
    if (event.type === 'data') {
      length = event.bytes.length;
      if (length > blksize) throw new RangeError(`block of ${length} bytes exceeds blksize ${blksize}`);
      slot.set(event.bytes, 4);
    } else if (event.type === 'data-written') {
      length = event.length;
      if (!(length >= 0 && length <= blksize && length % 1 === 0)) throw new RangeError(`bad data length ${length}`);
    } else throw new TypeError('not a data event');
    this.#pending = 0;
    writeDataHeader(slot, 0, wireBlock(n, this._params.rolloverBase));
    this.#lens[idx] = length;
    this.#buffered = n;
    if (length < blksize) this.#final = n;
    this.#pump(now, actions);
  }

  /** Sends what the window allows, asks for the next block, arms the timer if anything is in flight. */
  #pump(now: number, actions: MachineAction[]): void {
    const w = this._params.windowsize;
    let limit = this.#acked + w;
    if (this.#final !== 0 && limit > this.#final) limit = this.#final;
    const blksize = this._params.blksize;
    let sent = false;
    while (this.#next <= limit && this.#next <= this.#buffered) {
      const n = this.#next++;
      const idx = n % this.#slotCount;
      const len = this.#lens[idx]!;
      const slot = this.#slots[idx]!;
      actions.push({ type: 'send', bytes: len === blksize ? slot : slot.subarray(0, 4 + len) });
      sent = true;
      this.#lastSentAt[idx] = now;
      if (n <= this.#maxSent) {
        this._retransmits++;
        this.#sentAt[idx] = -1; // Karn: an ACK of it is ambiguous
      } else {
        this.#maxSent = n;
        this.#sentAt[idx] = this.#firstSentAt[idx] = now;
      }
    }
    // Ask for the next block while it fits the window, plus one read ahead.
    if (this.#pending === 0 && this.#final === 0 && this.#buffered < this.#acked + w + 1) {
      const n = this.#buffered + 1;
      const idx = n % this.#slotCount;
      let view = this.#views[idx];
      if (view === undefined) {
        const slot = new Uint8Array(4 + blksize);
        this.#slots[idx] = slot;
        view = this.#views[idx] = slot.subarray(4);
      }
      this.#pending = n;
      actions.push({ type: 'need-data', block: n, offset: (n - 1) * blksize, buffer: view });
    }
    // The timer runs from the last transmission: a window sent slowly (slow source) is not resent early.
    if (sent) this._schedule(now + this._rto.rto, actions);
    else if (this.#next - 1 <= this.#acked) this._cancelTimer(actions); // nothing in flight: waiting for the source
  }

  #onAck(wire: number, now: number, actions: MachineAction[]): void {
    const a = wideBlock(wire, this.#acked + this._params.windowsize, this._params.rolloverBase);
    if (a <= this.#acked || a > this.#maxSent) {
      // Sorcerer's Apprentice: a duplicate/old ACK changes nothing — no resend here.
      this._duplicates++;
      return;
    }
    // The ACK of a block sent once times its round trip (Karn's rule, per block).
    const idx = a % this.#slotCount;
    const sentAt = this.#sentAt[idx]!;
    if (sentAt >= 0) this._rto.sample(now - sentAt);
    for (let b = this.#acked + 1; b <= a; b++) this._bytes += this.#lens[b % this.#slotCount]!;
    this._blocks += a - this.#acked;
    this.#acked = a;
    this._retries = 0;
    // Progress: a backoff ends here only if this ACK is timed as an answer to the resend (a loss),
    // else at the next clean sample (Karn, RFC 6298 §5; see rto.ts).
    this._rto.progress(now - this.#lastSentAt[idx]!, now - this.#firstSentAt[idx]!);
    if (a === this.#final) {
      this._finish(now, actions, 'complete');
      this._close(actions);
      return;
    }
    // RFC 7440: the next window starts right after the acknowledged block.
    this.#next = a + 1;
    this._deadline = undefined;
    this.#pump(now, actions);
  }

  protected _onTimeout(now: number, actions: MachineAction[]): void {
    if (this._state === 'requesting' || this._state === 'oack-sent') {
      if (!this._retry(now, actions, this._state === 'requesting' ? 'an answer to WRQ' : 'ACK 0 of the OACK')) return;
      this._retransmits++;
      this._send(this.#control!, actions);
      this._schedule(now + this._rto.rto, actions);
      return;
    }
    if (this._state !== 'transfer' || this.#next - 1 <= this.#acked) return;
    if (!this._retry(now, actions, `ACK of block ${this.#acked + 1}`)) return;
    // Resend the window from the first unacknowledged block.
    this.#next = this.#acked + 1;
    this.#pump(now, actions);
    this._schedule(now + this._rto.rto, actions);
  }
}
