// Runs one protocol machine (protocol/index.ts's driving contract) over one datagram channel with
// one timer. Shared by the client and the server.
//
// Transfer IDs (RFC 1350 §4): the channel is left unconnected and the driver checks every
// datagram's source itself, so that a stranger is seen and answered with ERROR 5 (the only
// non-fatal error) while the transfer goes on. (Connecting the channel would make it drop
// strangers silently, see @udpkit/datagram-channel "How connect works"; `unknownTid: 'drop'`
// does that instead, as seed 000 describes.)
//
// Hot path: datagrams are taken synchronously, in the socket event that brought them (a readable
// watch drains the channel with the non-blocking receive: no Promise or microtask per datagram),
// so an ACK's DATA leaves in that same event; one receive buffer per transfer, reused; a cached
// view per datagram length; sends go straight from the machine's block slots; the timer is
// re-armed only when the machine asks.

import {
  type DatagramChannel,
  datagramChannelClose,
  datagramChannelConnect,
  datagramChannelReceiveFromStar,
  datagramChannelSendTo,
  datagramChannelUnref,
  datagramChannelWatchReadable,
} from '@udpkit/datagram-channel';
import { type NetworkEndpoint, networkEndpointEqual } from '@udpkit/endpoint';
import { toTftpError } from '../errors.js';
import { TftpTransferError } from '../protocol/errors.js';
import type { FinishReason, MachineAction, MachineEvent, TransferStats } from '../protocol/machine.js';
import type { TransferParams } from '../protocol/options.js';
import { encodeError, type TftpOptions } from '../protocol/packet.js';
import type { Receiver } from '../protocol/receiver.js';
import type { Sender } from '../protocol/sender.js';
import { BusyPoller } from './busy-poll.js';

export type DriverOutcome =
  | { readonly ok: true; readonly reason: FinishReason; readonly stats: TransferStats }
  | { readonly ok: false; readonly error: TftpTransferError; readonly stats: TransferStats };

export interface DriverHooks {
  /** Sender: fill `buffer` with block `block`'s bytes; a number < buffer.length ends the file. */
  fill?(buffer: Uint8Array, block: number, offset: number): number | Promise<number>;
  /** Receiver: consume or copy `data` now (a view into the receive buffer). A Promise pauses receiving (backpressure). */
  deliver?(data: Uint8Array, block: number, offset: number): void | Promise<void>;
  /**
   * Receiver: runs after the last block is delivered and before the final ACK leaves, so that the
   * peer is told "done" only once the data is safe (flushed / committed). A rejection sends the
   * ERROR of `toTftpError(reason)` instead of the ACK and fails the transfer.
   */
  commit?(): Promise<void>;
  /** Parameters are known (server: at start; client: at the first answer). */
  negotiated?(params: TransferParams, oack: TftpOptions | undefined): void;
}

export interface DriverOptions {
  readonly channel: DatagramChannel;
  readonly machine: Sender | Receiver;
  /** The peer's transfer endpoint when known (server); a client learns it from the first answer. */
  readonly peer?: NetworkEndpoint | undefined;
  /** Client: where the request goes (the server's well-known port); its address must answer. */
  readonly requestTo?: NetworkEndpoint | undefined;
  readonly hooks: DriverHooks;
  /** Receive buffer size (bytes): at least 4 + blksize + 1 so an oversized DATA is seen as such. */
  readonly receiveSize: number;
  /** 'error' (default): answer strangers with ERROR 5. 'drop': connect the channel and let it drop them. */
  readonly unknownTid?: 'error' | 'drop';
  /**
   * Reflection bound: give up silently after this many timeouts while the peer has sent nothing
   * since its request (server: a spoofed request must not make us resend to a victim for long).
   */
  readonly unverifiedRetries?: number;
  /** Busy-poll for this many microseconds after each datagram to or from the peer (0 = never): see busy-poll.ts. */
  readonly busyPoll?: number;
}

/** ERROR 5 (RFC 1350 §4), shared: never modified. */
const UNKNOWN_TID = encodeError(5);
/** At most this many ERROR 5 answers per second and transfer (a flood must not be reflected). */
const MAX_TID_ERRORS_PER_SECOND = 10;

const now = (): number => performance.now();

export class TransferDriver {
  readonly #ch: DatagramChannel;
  readonly #m: Sender | Receiver;
  readonly #hooks: DriverHooks;
  readonly #requestTo: NetworkEndpoint | undefined;
  readonly #dropStrangers: boolean;
  readonly #unverifiedRetries: number;
  readonly #poller: BusyPoller | undefined;
  #peer: NetworkEndpoint | undefined;
  /** The last endpoint object found equal to the peer (the channel reuses sender objects). */
  #peerSeen: NetworkEndpoint | undefined;
  #heard = false;
  #buf: Uint8Array;
  #view: Uint8Array;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = 0;
  /** Events are held (a commit runs): timeouts wait. */
  #holding = false;
  #timeoutPending = false;
  /** Receiving waits for this (sink backpressure, a fill in progress does not matter). */
  #wait: Promise<void> | undefined;
  /** A `#wait` is being waited for (receiving resumes when it settles). */
  #parked = false;
  /** Inside `#drain` (a close during it must not start another). */
  #draining = false;
  #unwatch: (() => void) | undefined;
  #closed = false;
  #settled = false;
  #tidErrors = 0;
  #tidWindow = 0;
  #lastSend: Promise<void> | undefined;
  #resolveOutcome!: (o: DriverOutcome) => void;
  #resolveClosed!: () => void;
  readonly outcome: Promise<DriverOutcome>;
  /** Resolves when the machine closed (after dallying) and the channel is closed. */
  readonly closed: Promise<void>;

  constructor(options: DriverOptions) {
    this.#ch = options.channel;
    this.#m = options.machine;
    this.#hooks = options.hooks;
    this.#peer = options.peer;
    this.#peerSeen = options.peer;
    this.#requestTo = options.requestTo;
    this.#dropStrangers = options.unknownTid === 'drop';
    this.#unverifiedRetries = options.unverifiedRetries ?? Number.POSITIVE_INFINITY;
    this.#poller = options.busyPoll ? new BusyPoller(options.busyPoll) : undefined;
    this.#buf = new Uint8Array(Math.max(options.receiveSize, 1028));
    this.#view = this.#buf;
    this.outcome = new Promise((resolve) => {
      this.#resolveOutcome = resolve;
    });
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
  }

  get machine(): Sender | Receiver {
    return this.#m;
  }
  get peer(): NetworkEndpoint | undefined {
    return this.#peer;
  }
  get isClosed(): boolean {
    return this.#closed;
  }
  get isSettled(): boolean {
    return this.#settled;
  }

  /** Starts the machine and the receive loop. Resolves `outcome` at finish/fail. */
  async start(): Promise<DriverOutcome> {
    if (this.#dropStrangers && this.#peer !== undefined) await datagramChannelConnect(this.#ch, this.#peer);
    this.#addWait(this.#event({ type: 'start' }));
    if (this.#closed) return this.outcome;
    try {
      this.#unwatch = datagramChannelWatchReadable(this.#ch, this.#onReadable);
    } catch (error) {
      // The channel failed under us (closed): nothing will arrive.
      this.#localFailure(error);
      this.#shutdown();
      return this.outcome;
    }
    this.#onReadable();
    return this.outcome;
  }

  /** Give up locally: the machine sends ERROR `code` to a known peer, then fails 'aborted' (or just closes while dallying). */
  abort(code = 0, message?: string, cause?: unknown): void {
    if (this.#closed) return;
    const ev: MachineEvent = { type: 'abort', code, cause };
    this.#event(message === undefined ? ev : { ...ev, message });
  }

  /** Close now, whatever the state (after `outcome`: ends a dally early). */
  close(): void {
    if (this.#closed) return;
    if (!this.#settled) {
      this.abort(0, 'Transfer aborted.');
      if (this.#closed) return;
    }
    this.#shutdown();
  }

  #event(ev: MachineEvent): Promise<void> | undefined {
    if (this.#closed) return undefined;
    return this.#perform(this.#m.handle(ev, now()));
  }

  /** The channel has datagrams (or closed), a wait ended, or the transfer starts: receive what is queued. */
  readonly #onReadable = (): void => {
    try {
      this.#drain();
    } catch (error) {
      this.#draining = false;
      this.#crash(error);
    }
  };

  /** Takes every queued datagram, synchronously, until none is left or receiving must wait. */
  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    const ch = this.#ch;
    while (!this.#closed) {
      if (this.#wait !== undefined) {
        this.#park();
        break;
      }
      let r: [NetworkEndpoint, boolean, number] | [false, false, false];
      try {
        r = datagramChannelReceiveFromStar(ch, this.#buf);
      } catch (error) {
        this.#draining = false;
        if (this.#closed) return;
        // The channel failed under us: nothing more will arrive.
        this.#localFailure(error);
        this.#shutdown();
        return;
      }
      const from = r[0];
      if (from === false) break;
      let n = r[2] as number;
      const buf = this.#buf;
      if (n > buf.length) n = buf.length;
      if (from !== this.#peerSeen && !this.#checkSource(from, n)) continue;
      this.#heard = true;
      let view = this.#view;
      if (view.length !== n) view = this.#view = buf.subarray(0, n);
      const t = now();
      this.#poller?.received(t);
      this.#addWait(this.#perform(this.#m.handle({ type: 'datagram', bytes: view }, t)));
    }
    this.#draining = false;
  }

  /** Receiving pauses until `#wait` settles (a failure fails the transfer), then goes on. */
  #park(): void {
    if (this.#parked) return;
    this.#parked = true;
    const w = this.#wait!;
    const resume = (): void => {
      this.#parked = false;
      // Waits added meanwhile were joined with this one into the newer `#wait`.
      if (this.#wait === w) this.#wait = undefined;
      this.#onReadable();
    };
    w.then(resume, (error: unknown) => {
      try {
        this.#localFailure(error);
      } catch (e) {
        this.#crash(e);
      }
      if (this.#wait === w) this.#wait = undefined;
      resume();
    });
  }

  /** Receiving waits for `p` too (backpressure, a connect, a commit). */
  #addWait(p: Promise<void> | undefined): void {
    if (p === undefined) return;
    const w = this.#wait;
    this.#wait = w === undefined ? p : Promise.all([w, p]).then(ignore);
  }

  /** A bug or a hook that threw where it must not: fail the transfer, never the process. */
  #crash(error: unknown): void {
    try {
      this.#localFailure(error);
    } catch {
      // the machine refused too: just close
    }
    this.#shutdown();
  }

  /** False for a datagram that is not from the peer (answered with ERROR 5 when allowed). */
  #checkSource(from: NetworkEndpoint, n: number): boolean {
    const peer = this.#peer;
    if (peer === undefined) {
      // Client, first answer: any port of the server's address (RFC 1350 §4), a TFTP answer opcode.
      const to = this.#requestTo;
      const op = n >= 2 ? (this.#buf[0]! << 8) | this.#buf[1]! : 0;
      if (to === undefined || from.port === 0 || op < 3 || op > 6) return false;
      if (from.address !== to.address && !sameAddress(from, to)) return false;
      this.#peer = from;
      this.#peerSeen = from;
      if (this.#dropStrangers) {
        // From now on the channel itself filters (seed 000: connect to the transfer port).
        this.#addWait(datagramChannelConnect(this.#ch, from));
      }
      return true;
    }
    if (networkEndpointEqual(from, peer)) {
      this.#peerSeen = from;
      return true;
    }
    this.#stranger(from, n);
    return false;
  }

  /** RFC 1350 §4: a packet from another TID gets ERROR 5 and the transfer goes on. */
  #stranger(from: NetworkEndpoint, n: number): void {
    if (this.#dropStrangers || from.port === 0) return;
    // Never answer an ERROR (RFC 1350 §7).
    if (n >= 2 && this.#buf[0] === 0 && this.#buf[1] === 5) return;
    const t = now();
    if (t - this.#tidWindow > 1000) {
      this.#tidWindow = t;
      this.#tidErrors = 0;
    }
    if (++this.#tidErrors > MAX_TID_ERRORS_PER_SECOND) return;
    datagramChannelSendTo(this.#ch, from, UNKNOWN_TID).catch(ignore);
  }

  /** Performs actions in order; returns a Promise when receiving must wait (backpressure / commit). */
  #perform(actions: MachineAction[]): Promise<void> | undefined {
    let wait: Promise<void> | undefined;
    let sent = false;
    for (;;) {
      let written = -1;
      for (let i = 0; i < actions.length; i++) {
        const a = actions[i]!;
        switch (a.type) {
          case 'send':
            this.#send(a.bytes);
            sent = true;
            break;
          case 'set-timer':
            this.#arm(a.at);
            break;
          case 'clear-timer':
            this.#disarm();
            break;
          case 'negotiated':
            this.#hooks.negotiated?.(a.params, a.oack);
            break;
          case 'need-data': {
            const r = this.#fill(a.buffer, a.block, a.offset);
            if (typeof r === 'number') written = r;
            break;
          }
          case 'deliver': {
            let p: void | Promise<void>;
            try {
              p = this.#hooks.deliver?.(a.data, a.block, a.offset);
            } catch (error) {
              p = Promise.reject(error);
            }
            if (p !== undefined) wait = wait === undefined ? p : Promise.all([wait, p]).then(ignore);
            // The final block: commit before the final ACK goes out.
            if (this.#hooks.commit !== undefined) {
              const f = finishIndex(actions, i + 1);
              if (f >= 0) return this.#commitThen(actions, i + 1, wait);
            }
            break;
          }
          case 'finish':
            this.#settle({ ok: true, reason: a.reason, stats: a.stats });
            // What is left is the dally after the final ACK (RFC 1350 §6): it must never keep
            // the process alive, so neither may the channel it listens on.
            datagramChannelUnref(this.#ch);
            break;
          case 'fail':
            this.#settle({ ok: false, error: a.error, stats: a.stats });
            break;
          case 'close':
            this.#shutdown();
            break;
        }
      }
      if (written < 0 || this.#closed) {
        // One poll per batch of sends (a window), not after the last ERROR or final ACK.
        if (sent && !this.#settled) this.#poller?.sent(now());
        return wait;
      }
      actions = this.#m.handle({ type: 'data-written', length: written }, now());
    }
  }

  /** Holds the rest of `actions` (final ACK, finish, dally timer) until the commit hook is done. */
  async #commitThen(actions: MachineAction[], from: number, before: Promise<void> | undefined): Promise<void> {
    this.#holding = true;
    try {
      if (before !== undefined) await before;
      await this.#hooks.commit!();
    } catch (error) {
      this.#holding = false;
      if (this.#closed) return;
      const e = toTftpError(error);
      // The peer gets the ERROR instead of the final ACK; the machine (dallying by now) just closes.
      this.#send(encodeError(e.errorCode, e.message));
      const stats = this.#m.stats(now());
      this.#settle({
        ok: false,
        error: new TftpTransferError('aborted', `transfer aborted: ${e.message}`, {
          tftpCode: e.errorCode,
          cause: error,
        }),
        stats,
      });
      this.#event({ type: 'abort' });
      this.#shutdown();
      return;
    }
    this.#holding = false;
    if (this.#closed) return;
    const p = this.#perform(actions.slice(from));
    if (this.#timeoutPending) {
      this.#timeoutPending = false;
      this.#onTimer();
    }
    if (p !== undefined) await p;
  }

  #fill(buffer: Uint8Array, block: number, offset: number): number | undefined {
    let r: number | Promise<number>;
    try {
      r = this.#hooks.fill!(buffer, block, offset);
    } catch (error) {
      this.#localFailure(error);
      return undefined;
    }
    if (typeof r === 'number') return r;
    r.then(
      (length) => {
        if (this.#closed) return;
        try {
          this.#addWait(this.#perform(this.#m.handle({ type: 'data-written', length }, now())));
        } catch (error) {
          this.#crash(error);
        }
      },
      (error) => this.#localFailure(error),
    );
    return undefined;
  }

  /** A source, sink or channel failed here: tell the peer (ERROR from `toTftpError`) and fail. */
  #localFailure(error: unknown): void {
    if (this.#closed) return;
    const e = toTftpError(error);
    this.#event({ type: 'abort', code: e.errorCode, message: e.message, cause: error });
  }

  #send(bytes: Uint8Array): void {
    // send-to also on a connected channel ('drop'): the connect may still be under way.
    const to = this.#peer ?? this.#requestTo;
    if (to === undefined) return;
    const p = datagramChannelSendTo(this.#ch, to, bytes);
    // A send handed to the OS at once returns one shared resolved Promise: watch it only once.
    if (p === this.#lastSend) return;
    this.#lastSend = p;
    p.then(undefined, this.#onSendError);
  }

  readonly #onSendError = (error: unknown): void => {
    // A send failing (unreachable network, closed channel) ends the transfer rather than waiting for timeouts.
    if (!this.#closed && !this.#settled) this.#localFailure(error);
  };

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    const t = setTimeout(this.#onTimer, Math.max(0, at - now()));
    t.unref(); // a timer never keeps the process alive (dallying included)
    this.#timer = t;
  }

  #disarm(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  readonly #onTimer = (): void => {
    try {
      this.#timeout();
    } catch (error) {
      this.#crash(error);
    }
  };

  #timeout(): void {
    this.#timer = undefined;
    if (this.#closed) return;
    if (this.#holding) {
      this.#timeoutPending = true;
      return;
    }
    if (!this.#heard && now() >= this.#timerAt && this.#m.stats().timeouts >= this.#unverifiedRetries) {
      // The peer never answered: stop resending to an address that may be spoofed (reflection).
      const stats = this.#m.stats(now());
      this.#settle({
        ok: false,
        error: new TftpTransferError('timeout', 'timed out: the peer never answered', {}),
        stats,
      });
      this.#shutdown();
      return;
    }
    this.#addWait(this.#event({ type: 'timeout' }));
  }

  #settle(outcome: DriverOutcome): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolveOutcome(outcome);
  }

  #shutdown(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#disarm();
    this.#unwatch?.();
    this.#unwatch = undefined;
    datagramChannelClose(this.#ch);
    if (!this.#settled) {
      this.#settle({
        ok: false,
        error: new TftpTransferError('aborted', 'transfer aborted: channel closed', {}),
        stats: this.#m.stats(now()),
      });
    }
    this.#resolveClosed();
  }
}

function ignore(): void {}

/** Index of a 'finish' with reason 'complete' at or after `from`, else -1. */
function finishIndex(actions: MachineAction[], from: number): number {
  for (let i = from; i < actions.length; i++) {
    const a = actions[i]!;
    if (a.type === 'finish' && a.reason === 'complete') return i;
  }
  return -1;
}

/** Same host (canonical compare, IPv4-mapped = IPv4), ports ignored. */
export function sameAddress(a: NetworkEndpoint, b: NetworkEndpoint): boolean {
  return unmapped(a.address) === unmapped(b.address);
}

function unmapped(address: string | true | undefined): string | true | undefined {
  if (typeof address === 'string' && address.startsWith('::ffff:') && address.indexOf('.') > 0) return address.slice(7);
  return address;
}
