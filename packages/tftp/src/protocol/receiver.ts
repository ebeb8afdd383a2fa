// The ACK side of a transfer (server WRQ, client RRQ), lockstep (RFC 1350) or windowed (RFC 7440).
// - Delivers in-order blocks; ACKs at the end of each window, at once for a short (final) block,
//   and on a gap ACKs the last in-order block (once per gap) so the sender restarts there.
// - A repeat of the block last ACKed is ACKed again (the ACK was lost); other duplicates are
//   dropped. The timer resends the last ACK (or OACK / request) with backoff, bounded.
// - Giving up: on silence, not on a count of our own timers. Once DATA flows the sender drives the
//   retransmissions (RFC 1350; RFC 7440 §4), with exponential backoff up to its maximum RTO
//   (RFC 1123 §4.2.3.2, RFC 6298 §5.5), and our backstop is shorter than its late retries: counting
//   backstops would give up while the sender still retries (a windowed download under 10% loss failed
//   so). So we fail only after no progress for (maxRetries + 1) × maxRto — the longest schedule a
//   sender with the same bounds can run (with a negotiated timeout T: (maxRetries + 1) × T, as the
//   sender's, RFC 2349). The backstop re-ACK still backs off to that cap; gaps and repeats of the
//   last ACKed block are re-ACKed at once, whatever the timer.
// - After the final ACK: `finish`, then dally (RFC 1350 §6 / RFC 1123 §4.2.3.1 spirit): re-ACK the
//   final block if it comes again, `close` when the dally time is over.
// - Max file size is enforced as data arrives (ERROR 3).

import { wideBlock, wireBlock } from './blocks.js';
import { TftpErrorCode } from './errors.js';
import type { MachineAction, ReceiverConfig } from './machine.js';
import { checkRequestSize, TransferMachine } from './machine.js';
import { acceptOack, defaultParams } from './options.js';
import { encode, encodeAck, type RrqPacket, type TftpPacket } from './packet.js';

export class Receiver extends TransferMachine {
  readonly role: 'server' | 'client';
  readonly #request: RrqPacket | undefined;
  readonly #rolloverDefault: 0 | 1;
  readonly #maxSize: number | undefined;
  readonly #dallyMs: number | undefined;
  /** Request (client, until answered) or OACK (server, until DATA 1). */
  #control: Uint8Array | undefined;
  /** Next in-order block expected (wide). */
  #next = 1;
  /** Last block ACKed (0 = ACK 0 / OACK). */
  #lastAck = 0;
  /** ACK when this block arrives in order (RFC 7440 window end). */
  #windowEnd = 1;
  #gapAcked = false;
  /** When the last fresh ACK went out (-1: none, or it was resent → Karn). */
  #ackSentAt = -1;
  /** When the last ACK (or OACK) went out, fresh or resent. */
  #lastAckAt = 0;
  #final = 0;
  #dallyReacks = 0;
  /** When the transfer last progressed (entered 'transfer' or took an in-order block). */
  #progressAt = 0;

  constructor(config: ReceiverConfig) {
    super(config, config.role === 'server' ? config.negotiation.params : defaultParams(config.rolloverBase ?? 0));
    this.role = config.role;
    this.#maxSize = config.maxSize;
    this.#dallyMs = config.dallyMs;
    if (config.role === 'server') {
      this._oack = config.negotiation.oack.length > 0 ? config.negotiation.oack : undefined;
      this.#request = undefined;
      this.#rolloverDefault = config.negotiation.params.rolloverBase;
    } else {
      checkRequestSize(config.request);
      if (config.request.op !== 'RRQ') throw new TypeError('a client receiver sends an RRQ');
      this.#request = config.request;
      this.#rolloverDefault = config.rolloverBase ?? 0;
    }
  }

  /** Bytes delivered so far. */
  get received(): number {
    return this._bytes;
  }

  protected _onStart(now: number, actions: MachineAction[]): void {
    this.#progressAt = now; // a real clock does not start at 0
    if (this.#request !== undefined) {
      this.#control = encode(this.#request);
      this._send(this.#control, actions);
      this.#lastAckAt = now;
      this._state = 'requesting';
      this._schedule(now + this._rto.rto, actions);
      return;
    }
    this._negotiated(this._params, this._oack, actions);
    this._state = 'transfer';
    this.#progressAt = now;
    if (this._oack !== undefined) {
      // RFC 2347: a WRQ with options is answered by OACK; DATA 1 acknowledges it.
      this.#control = encode({ op: 'OACK', options: this._oack });
      this._send(this.#control, actions);
      this.#lastAck = 0;
      this.#windowEnd = this._params.windowsize;
      this.#ackSentAt = now;
      this.#lastAckAt = now;
    } else this.#sendAck(0, now, actions);
    this._schedule(now + this._rto.rto, actions);
  }

  #sendAck(n: number, now: number, actions: MachineAction[]): void {
    this._send(encodeAck(wireBlock(n, this._params.rolloverBase)), actions);
    this.#lastAck = n;
    this.#windowEnd = n + this._params.windowsize;
    this.#ackSentAt = now;
    this.#lastAckAt = now;
  }

  protected _onPacket(packet: TftpPacket, now: number, actions: MachineAction[]): void {
    switch (this._state) {
      case 'transfer':
        switch (packet.op) {
          case 'DATA':
            this.#onData(packet.block, packet.data, now, actions);
            return;
          case 'OACK':
            // Our ACK 0 was lost and the server repeats its OACK: ACK 0 again (no progress yet only).
            this._duplicates++;
            if (this.role === 'client' && this.#next === 1) {
              this._retransmits++;
              this.#sendAck(0, now, actions);
              this.#ackSentAt = -1;
            }
            return;
          case 'ERROR':
            if (
              this.role === 'server' &&
              this._oack !== undefined &&
              this.#next === 1 &&
              packet.code === TftpErrorCode.OptionRefused
            ) {
              // The client read our OACK and declined: a normal end for the server.
              this._finish(now, actions, 'option-probe');
              this._close(actions);
            } else this._peerError(packet.code, packet.message, now, actions, false);
            return;
          default:
            this._protocolError(`unexpected ${packet.op} while receiving`, now, actions);
            return;
        }
      case 'requesting':
        this.#onFirstAnswer(packet, now, actions);
        return;
      case 'dallying':
        if (packet.op === 'DATA') {
          const a = wideBlock(packet.block, this.#final, this._params.rolloverBase);
          this._duplicates++;
          if (a === this.#final && this.#dallyReacks < this._maxRetries) {
            // The sender did not get our final ACK: say it again (RFC 1350 §6 dally).
            this.#dallyReacks++;
            this._retransmits++;
            this._send(encodeAck(packet.block), actions);
            // It backs off: give its next resend as long again (unless the dally was set explicitly).
            if (this.#dallyMs === undefined) this._schedule(now + this.#dallyDefault(now - this.#progressAt), actions);
            this.#progressAt = now;
          }
        }
        return;
      default:
    }
  }

  /** Client RRQ: DATA 1 (plain, RFC 1350), OACK (RFC 2347) or ERROR. */
  #onFirstAnswer(packet: TftpPacket, now: number, actions: MachineAction[]): void {
    const request = this.#request!;
    switch (packet.op) {
      case 'DATA':
        if (packet.block !== 1) return;
        // Options, if asked, were ignored: RFC 1350 defaults.
        this._negotiated(defaultParams(this.#rolloverDefault), undefined, actions);
        this._state = 'transfer';
        this.#windowEnd = 1;
        this.#ackSentAt = this._retries === 0 ? this._start : -1;
        this._retries = 0;
        this.#onData(packet.block, packet.data, now, actions);
        return;
      case 'OACK': {
        const check = acceptOack(request, packet.options, this.#rolloverDefault);
        if (!check.ok) {
          this._fail(now, actions, 'bad-oack', `unacceptable OACK: ${check.error.message}`, {}, 8, check.error.message);
          return;
        }
        this._negotiated(check.params, packet.options, actions);
        if (this._retries === 0) this._rto.sample(now - this._start);
        const tsize = check.params.tsize;
        if (this.#maxSize !== undefined && tsize !== undefined && tsize > this.#maxSize) {
          const message = `File too large (${tsize} > ${this.#maxSize} bytes).`;
          this._fail(now, actions, 'too-large', message, {}, TftpErrorCode.DiskFull, message);
          return;
        }
        this._state = 'transfer';
        this._retries = 0;
        // No estimate yet: a backoff of the request / OACK lasts until a clean sample (rto.ts).
        this.#progressAt = now;
        this.#sendAck(0, now, actions);
        this._schedule(now + this._rto.rto, actions);
        return;
      }
      case 'ERROR':
        this._peerError(packet.code, packet.message, now, actions, request.options.length > 0);
        return;
      default:
        this._protocolError(`unexpected ${packet.op} in answer to RRQ`, now, actions);
    }
  }

  #onData(wire: number, data: Uint8Array, now: number, actions: MachineAction[]): void {
    const w = this._params.windowsize;
    const a = wideBlock(wire, this.#next - 1 + w, this._params.rolloverBase);
    if (a === this.#next) {
      const len = data.length;
      const blksize = this._params.blksize;
      if (len > blksize) {
        this._protocolError(`DATA block ${a} has ${len} bytes, more than blksize ${blksize}`, now, actions);
        return;
      }
      if (this.#maxSize !== undefined && this._bytes + len > this.#maxSize) {
        const message = `File too large (more than ${this.#maxSize} bytes).`;
        this._fail(now, actions, 'too-large', message, {}, TftpErrorCode.DiskFull, message);
        return;
      }
      if (this.#ackSentAt >= 0) {
        this._rto.sample(now - this.#ackSentAt);
        this.#ackSentAt = -1;
      }
      actions.push({ type: 'deliver', block: a, offset: this._bytes, data });
      this._bytes += len;
      this._blocks++;
      this.#next = a + 1;
      this.#gapAcked = false;
      this._retries = 0;
      // Progress after our ACK: without a first-send time, the rto.ts cap does not apply here.
      this._rto.progress(now - this.#lastAckAt);
      const waited = now - this.#progressAt;
      this.#progressAt = now;
      if (len < blksize) {
        this.#final = a;
        this.#sendAck(a, now, actions);
        this._finish(now, actions, 'complete');
        this._state = 'dallying';
        this._schedule(now + (this.#dallyMs ?? this.#dallyDefault(waited)), actions);
        return;
      }
      if (a >= this.#windowEnd) this.#sendAck(a, now, actions);
      this._schedule(now + this.#ackTimeout(), actions);
    } else if (a < this.#next) {
      this._duplicates++;
      if (a === this.#lastAck && a > 0) {
        // The sender resent the block we last ACKed: our ACK was lost.
        this._retransmits++;
        this.#sendAck(a, now, actions);
        this.#ackSentAt = -1;
        this._schedule(now + this.#ackTimeout(), actions);
      }
    } else if (!this.#gapAcked) {
      // RFC 7440 §4: a gap — ACK the last in-order block so the sender restarts after it.
      this.#gapAcked = true;
      this.#sendAck(this.#next - 1, now, actions);
      this._schedule(now + this.#ackTimeout(), actions);
    }
  }

  /**
   * Once DATA flows, the DATA sender's timer does the retransmitting (a duplicate DATA is re-ACKed);
   * ours is a backstop, twice as long unless a timeout was negotiated, so both sides do not resend at once;
   * it backs off with our RTO, to the same cap (maxRto).
   */
  #ackTimeout(): number {
    return this._rto.fixed ? this._rto.rto : Math.min(2 * this._rto.rto, this._rto.max);
  }

  /**
   * Server (WRQ): long enough to re-ACK the client's first two resends of the final block if our
   * final ACK is lost (RFC 1350 §6) — else the upload that succeeded fails on the client: with a
   * negotiated timeout T they come at +T and +2T; otherwise at +RTO and +3·RTO of the sender, an RTO
   * that progress brought back to its estimate or its unsampled initial 1 s. (It was one T, or
   * max(2·RTO, 1 s): a first resend at the initial 1 s came just after it.) The server's dally holds
   * no transfer slot. Client (RRQ): short, since a lost final ACK only costs the server a failed
   * transfer after the client has its file (the io layer unrefs the dallying channel, so it never
   * keeps a process alive).
   * Both: at least 3 × the time the final block took to come (`waited`, since the previous progress
   * or re-ACK) — a sender that had to resend it backed off, its next resend is up to 2 × that
   * away — up to the silence horizon.
   */
  #dallyDefault(waited: number): number {
    const t = this._params.timeoutMs;
    const base =
      this.role === 'client'
        ? (t ?? Math.max(2 * this._rto.rto, 1000))
        : t !== undefined
          ? 3 * t
          : Math.max(4 * this._rto.rto, 4000);
    return Math.max(base, Math.min(3 * waited, (this._maxRetries + 1) * this._rto.max));
  }

  protected _onTimeout(now: number, actions: MachineAction[]): void {
    switch (this._state) {
      case 'dallying':
        this._close(actions);
        return;
      case 'requesting':
        if (!this._retry(now, actions, 'an answer to RRQ')) return;
        this._retransmits++;
        this._send(this.#control!, actions);
        this.#lastAckAt = now;
        break;
      case 'transfer': {
        // Silence horizon (see the top): the sender's whole retry schedule, not our timer count.
        const giveUpAt = this.#progressAt + (this._maxRetries + 1) * this._rto.max;
        this._timeouts++;
        if (now >= giveUpAt) {
          const silent = Math.round(now - this.#progressAt);
          const what = `DATA block ${this.#next} (nothing new for ${silent} ms, ${this._retries} re-ACKs)`;
          this._fail(now, actions, 'timeout', `timed out waiting for ${what}`, {});
          return;
        }
        this._retries++;
        this._rto.backoff();
        this._retransmits++;
        if (this.#next === 1 && this.role === 'server' && this.#control !== undefined) {
          this._send(this.#control, actions);
          this.#lastAckAt = now;
        } else this.#sendAck(this.#next - 1, now, actions);
        this.#ackSentAt = -1;
        this.#gapAcked = false;
        const next = now + (this.#next === 1 ? this._rto.rto : this.#ackTimeout());
        this._schedule(Math.min(next, giveUpAt), actions);
        return;
      }
      default:
        return;
    }
    this._schedule(now + this._rto.rto, actions);
  }
}
