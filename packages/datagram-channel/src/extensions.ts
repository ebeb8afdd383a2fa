// biome-ignore-all lint/complexity/noArguments: arity is checked like Racket, on the real argument count
// Beyond Cowan's text (most of it is in Java NIO's DatagramChannel, the proposal's model):
// a non-blocking receive, a receive evt for udp-racket's `sync`, async iteration over incoming
// datagrams, socket options and multicast. Names follow DESIGN.md's rule applied to the Scheme
// name each would have (`datagram-channel-receive-from*` → `datagramChannelReceiveFromStar`).

import { isNetworkEndpoint } from '@udpkit/endpoint';
import {
  type Evt,
  udpBroadcast,
  udpDroppedCount,
  udpMulticastJoinGroup,
  udpMulticastLeaveGroup,
  udpMulticastSetInterface,
  udpReceiveBufferSize,
  udpReceiveDatagramEvt,
  udpReceiveDatagramStar,
  udpRef,
  udpSendBufferSize,
  udpSetBroadcast,
  udpSetReceiveBufferSize,
  udpSetSendBufferSize,
  udpSetTtl,
  udpTtl,
  udpUnref,
} from '@udpkit/udp-racket';
import { checkArity, isOptions, type WaitOptions } from './args.js';
import {
  checkChannel,
  checkReceive,
  DatagramChannel,
  datagramChannelReceiveFrom,
  fromPeer,
  type NetworkEndpoint,
  type ReceiveResult,
  receiveError,
  resolveTarget,
  senderEndpoint,
  type Udp,
} from './channel.js';
import { channelStateError, contractViolation, rename } from './errors.js';

// ---------------------------------------------------------------------------------------------
// non-blocking receive

const RECEIVE_STAR = 'datagram-channel-receive-from*';

/**
 * `(datagram-channel-receive-from* channel bytevector [start [end]])` — extension: like
 * `datagramChannelReceiveFrom`, but never waits: `[false, false, false]` when no datagram is
 * queued. (As in udp-racket, a datagram sent a moment ago on loopback becomes visible only after
 * one turn of the event loop.)
 */
export function datagramChannelReceiveFromStar(
  channel: DatagramChannel,
  bytes: Uint8Array,
  start?: number,
  end?: number,
): ReceiveResult | [false, false, false] {
  if (arguments.length < 2 || arguments.length > 4) checkArity(RECEIVE_STAR, arguments, 2, 4);
  const e = checkReceive(RECEIVE_STAR, channel, bytes, start, end);
  const s = start ?? 0;
  for (;;) {
    let r: [number, string, number, number] | [false, false, false, false];
    try {
      r = udpReceiveDatagramStar(channel.u, bytes, s, e);
    } catch (error) {
      throw rename(error, RECEIVE_STAR);
    }
    if (r[0] === false) return [false, false, false];
    const host = r[1];
    const port = r[2];
    if (channel.remotePort !== 0 && !fromPeer(channel, host, port)) continue;
    return [senderEndpoint(channel, host, port), r[3] <= e - s, r[3]];
  }
}

// ---------------------------------------------------------------------------------------------
// receive evt

const RECEIVE_EVT = 'datagram-channel-receive-from-evt';

/** A udp-racket evt whose sync result is `T` (udp-racket's own `Evt` class). */
export type { Evt };

/** udp-racket's evt protocol (see its evt.ts): a branded 'prim' evt with ready/commit/watch. */
const EVT_BRAND = Symbol.for('@udpkit/udp-racket.evt');
const RACKET_PRINT = Symbol.for('@udpkit/udp-racket.print');

interface PrimitiveLike<T> {
  ready(): boolean;
  commit(): T | Promise<T>;
  watch(wake: () => void): () => void;
}

/**
 * The channel's receive evt: udp-racket's datagram evt, plus the channel's rules when chosen —
 * named errors, and on a connected channel datagrams from others skipped (if only such
 * datagrams were queued, the sync goes on waiting for the peer's, as a handle-evt would).
 */
class ChannelReceiveEvt implements PrimitiveLike<ReceiveResult> {
  readonly evtKind = 'prim' as const;
  readonly #channel: DatagramChannel;
  readonly #inner: PrimitiveLike<[number, string, number, number]>;
  readonly #bytes: Uint8Array;
  readonly #start: number;
  readonly #end: number;

  constructor(
    channel: DatagramChannel,
    inner: PrimitiveLike<[number, string, number, number]>,
    bytes: Uint8Array,
    start: number,
    end: number,
  ) {
    this.#channel = channel;
    this.#inner = inner;
    this.#bytes = bytes;
    this.#start = start;
    this.#end = end;
  }

  ready(): boolean {
    return this.#channel.closed || this.#inner.ready();
  }

  watch(wake: () => void): () => void {
    return this.#inner.watch(wake);
  }

  commit(): ReceiveResult | Promise<ReceiveResult> {
    const ch = this.#channel;
    if (ch.closed) throw channelStateError(RECEIVE_EVT, 'channel is closed');
    let r: [number, string, number, number] | Promise<[number, string, number, number]>;
    try {
      r = this.#inner.commit();
    } catch (error) {
      throw receiveError(ch, error, RECEIVE_EVT);
    }
    if (r instanceof Promise)
      return r.then(
        (v) => this.#finish(v),
        (error) => Promise.reject(receiveError(ch, error, RECEIVE_EVT)),
      );
    return this.#finish(r);
  }

  #finish(r: [number, string, number, number]): ReceiveResult | Promise<ReceiveResult> {
    const ch = this.#channel;
    const host = r[1];
    const port = r[2];
    if (ch.remotePort !== 0 && !fromPeer(ch, host, port)) {
      return datagramChannelReceiveFrom(ch, this.#bytes, this.#start, this.#end).catch((error: unknown) => {
        throw rename(error, RECEIVE_EVT, RECEIVE);
      });
    }
    return [senderEndpoint(ch, host, port), r[3] <= this.#end - this.#start, r[3]];
  }
}
Object.defineProperty(ChannelReceiveEvt.prototype, EVT_BRAND, { value: true });
Object.defineProperty(ChannelReceiveEvt.prototype, RACKET_PRINT, { value: '#<datagram-channel-receive-evt>' });

const RECEIVE = 'datagram-channel-receive-from';

/**
 * `(datagram-channel-receive-from-evt channel bytevector [start [end]])` — extension: an evt
 * for udp-racket's `sync` / `syncTimeout` / `choiceEvt` that is ready when a datagram is
 * queued; when chosen it receives it, and its result is `[sender, complete, byteCount]`, as
 * `datagramChannelReceiveFrom` resolves. Checks its arguments (and that the channel can receive)
 * at once, synchronously; on a channel closed later it is ready and raises
 * `datagram-channel-receive-from-evt: channel is closed` when chosen. On a connected channel,
 * when it is chosen for a datagram from another endpoint, that datagram is skipped and the sync
 * goes on waiting for the peer's (like a handle-evt's handler, outside any timeout).
 */
export function datagramChannelReceiveFromEvt(
  channel: DatagramChannel,
  bytes: Uint8Array,
  start?: number,
  end?: number,
): Evt<ReceiveResult> {
  if (arguments.length < 2 || arguments.length > 4) checkArity(RECEIVE_EVT, arguments, 2, 4);
  const e = checkReceive(RECEIVE_EVT, channel, bytes, start, end);
  const s = start ?? 0;
  const inner = udpReceiveDatagramEvt(channel.u, bytes, s, e) as unknown as PrimitiveLike<
    [number, string, number, number]
  >;
  return new ChannelReceiveEvt(channel, inner, bytes, s, e) as unknown as Evt<ReceiveResult>;
}

// ---------------------------------------------------------------------------------------------
// readable watch

const WATCH = 'datagram-channel-watch-readable';
/** The watch's receive evt is only watched, never chosen: it needs a range, not a buffer. */
const NO_BYTES = new Uint8Array(1);

/**
 * `(datagram-channel-watch-readable channel on-readable)` — extension: calls `onReadable()`
 * synchronously, from the socket's own event (no Promise, no microtask), each time a datagram is
 * queued on the channel, and once when the channel closes. Returns a function that stops it
 * (idempotent). For receive loops that drain the channel with `datagramChannelReceiveFromStar`:
 * a datagram is then handled in the event that brought it, one turn sooner and with no
 * allocation beyond the receive itself. While a watch is installed the channel has a receiver
 * waiting, as during a `datagramChannelReceiveFrom` (asynchronous socket errors are consumed as
 * a receive consumes them). A callback that throws does not disturb the channel: the error is
 * rethrown on a microtask.
 */
export function datagramChannelWatchReadable(channel: DatagramChannel, onReadable: () => void): () => void {
  if (arguments.length !== 2) checkArity(WATCH, arguments, 2, 2, true);
  checkReceive(WATCH, channel, NO_BYTES, undefined, undefined);
  if (typeof onReadable !== 'function') throw contractViolation(WATCH, 'procedure?', onReadable);
  const inner = udpReceiveDatagramEvt(channel.u, NO_BYTES) as unknown as PrimitiveLike<unknown>;
  const wake = (): void => {
    try {
      onReadable();
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  };
  let unwatch: (() => void) | undefined = inner.watch(wake);
  return () => {
    const u = unwatch;
    unwatch = undefined;
    u?.();
  };
}

// ---------------------------------------------------------------------------------------------
// async iteration

/** One datagram yielded by `datagramChannelIncoming`: its own copy of the bytes. */
export interface IncomingDatagram {
  /** The sender. */
  endpoint: NetworkEndpoint;
  /** A copy of the datagram's bytes (at most `maxSize` of them). */
  data: Uint8Array;
  /** false when the datagram was longer than `maxSize` and was cut. */
  complete: boolean;
  /** The datagram's full length. */
  byteCount: number;
}

export interface IncomingOptions extends WaitOptions {
  /** Longest datagram kept whole; longer ones are cut (complete: false). Default 65535. */
  maxSize?: number;
}

const INCOMING = 'datagram-channel-incoming';

/**
 * Extension: the channel's incoming datagrams as an async iterable, each `{ endpoint, data,
 * complete, byteCount }` with its own copy of the bytes. Pull-based: one receive per `next()`,
 * nothing is read ahead, so the only queue is the socket's own bounded one (udp-racket's, plus
 * the kernel's; what overflows is dropped and counted, see `datagramChannelDroppedCount`).
 * The iteration ends when the channel is closed; aborting `signal` makes it throw
 * `signal.reason`; `break` / `return()` stop it, also while a `next()` is waiting (that
 * `next()` then resolves `{ done: true }`). Arguments are checked at once.
 */
export function datagramChannelIncoming(
  channel: DatagramChannel,
  options?: IncomingOptions,
): AsyncIterableIterator<IncomingDatagram, undefined, undefined> {
  checkArity(INCOMING, arguments, 1, 1);
  if (!(channel instanceof DatagramChannel)) throw contractViolation(INCOMING, 'datagram-channel?', channel);
  const maxSize = options?.maxSize ?? 65535;
  if (!Number.isSafeInteger(maxSize) || maxSize < 0) {
    throw contractViolation(INCOMING, 'exact-nonnegative-integer?', maxSize);
  }
  if (channel.closed) throw channelStateError(INCOMING, 'channel is closed');
  if (channel.outputOnly) throw channelStateError(INCOMING, 'channel is output-only');
  return new Incoming(channel, maxSize, options?.signal);
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

class Incoming implements AsyncIterableIterator<IncomingDatagram, undefined, undefined> {
  #channel: DatagramChannel;
  #maxSize: number;
  #scratch: Uint8Array | undefined;
  /** Aborted by return(): wakes a waiting next(). */
  #stop = new AbortController();
  #options: { signal: AbortSignal };
  #userSignal: AbortSignal | undefined;

  constructor(channel: DatagramChannel, maxSize: number, signal: AbortSignal | undefined) {
    this.#channel = channel;
    this.#maxSize = maxSize;
    this.#scratch = new Uint8Array(maxSize);
    this.#userSignal = signal;
    this.#options = {
      signal: signal === undefined ? this.#stop.signal : AbortSignal.any([signal, this.#stop.signal]),
    };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<IncomingDatagram, undefined>> {
    const scratch = this.#scratch;
    const channel = this.#channel;
    if (scratch === undefined || channel.closed) return this.#finish();
    let r: ReceiveResult;
    try {
      r = await datagramChannelReceiveFrom(channel, scratch, 0, this.#maxSize, this.#options);
    } catch (error) {
      if (channel.closed || this.#stop.signal.aborted) return this.#finish();
      this.#finish();
      throw this.#userSignal?.aborted ? this.#userSignal.reason : rename(error, INCOMING);
    }
    const n = Math.min(r[2], this.#maxSize);
    return { done: false, value: { endpoint: r[0], data: scratch.slice(0, n), complete: r[1], byteCount: r[2] } };
  }

  return(): Promise<IteratorResult<IncomingDatagram, undefined>> {
    return Promise.resolve(this.#finish());
  }

  /** Cleanup: wake a waiting next(), drop the buffer. The channel stays open. */
  #finish(): IteratorReturnResult<undefined> {
    if (this.#scratch !== undefined) {
      this.#scratch = undefined;
      this.#stop.abort();
    }
    return DONE;
  }
}

// ---------------------------------------------------------------------------------------------
// socket options

/** Applies a setter to the channel's socket(s); output-only channels remember it for their IPv6 socket. */
function setOption<R>(who: string, channel: unknown, apply: (u: Udp) => R): R {
  const ch = checkChannel(who, channel);
  let result: R;
  try {
    result = apply(ch.u);
  } catch (error) {
    throw rename(error, who);
  }
  if (ch.outputOnly) {
    if (ch.replay === undefined) ch.replay = [];
    ch.replay.push(apply);
    if (ch.u6 !== undefined) {
      try {
        apply(ch.u6);
      } catch {
        // an option that IPv6 does not take: the IPv4 socket has it
      }
    }
  }
  return renameAsync(result, who);
}

function getOption<R>(who: string, channel: unknown, get: (u: Udp) => R): R {
  const ch = checkChannel(who, channel);
  try {
    return renameAsync(get(ch.u), who);
  } catch (error) {
    throw rename(error, who);
  }
}

function renameAsync<R>(result: R, who: string): R {
  if (result instanceof Promise) {
    return result.then(undefined, (error) => {
      throw rename(error, who);
    }) as R;
  }
  return result;
}

/** `datagram-channel-set-ttl!` — extension: IP time-to-live (unicast hops) of sent datagrams, 1–255. */
export function datagramChannelSetTtl(channel: DatagramChannel, ttl: number): void {
  checkArity('datagram-channel-set-ttl!', arguments, 2, 2, true);
  setOption('datagram-channel-set-ttl!', channel, (u) => udpSetTtl(u, ttl));
}

/** `datagram-channel-ttl` — extension. */
export function datagramChannelTtl(channel: DatagramChannel): number {
  checkArity('datagram-channel-ttl', arguments, 1, 1, true);
  return getOption('datagram-channel-ttl', channel, (u) => udpTtl(u));
}

/** `datagram-channel-set-broadcast!` — extension: SO_BROADCAST (on by default, as in Racket). */
export function datagramChannelSetBroadcast(channel: DatagramChannel, on: unknown): void {
  checkArity('datagram-channel-set-broadcast!', arguments, 2, 2, true);
  setOption('datagram-channel-set-broadcast!', channel, (u) => udpSetBroadcast(u, on as boolean));
}

/** `datagram-channel-broadcast` — extension. */
export function datagramChannelBroadcast(channel: DatagramChannel): boolean {
  checkArity('datagram-channel-broadcast', arguments, 1, 1, true);
  return getOption('datagram-channel-broadcast', channel, (u) => udpBroadcast(u));
}

/** `datagram-channel-set-receive-buffer-size!` — extension: SO_RCVBUF (Linux doubles it, within rmem_max). */
export function datagramChannelSetReceiveBufferSize(channel: DatagramChannel, size: number): void {
  checkArity('datagram-channel-set-receive-buffer-size!', arguments, 2, 2, true);
  setOption('datagram-channel-set-receive-buffer-size!', channel, (u) => udpSetReceiveBufferSize(u, size));
}

/** `datagram-channel-receive-buffer-size` — extension. */
export function datagramChannelReceiveBufferSize(channel: DatagramChannel): number {
  checkArity('datagram-channel-receive-buffer-size', arguments, 1, 1, true);
  return getOption('datagram-channel-receive-buffer-size', channel, (u) => udpReceiveBufferSize(u));
}

/** `datagram-channel-set-send-buffer-size!` — extension: SO_SNDBUF. */
export function datagramChannelSetSendBufferSize(channel: DatagramChannel, size: number): void {
  checkArity('datagram-channel-set-send-buffer-size!', arguments, 2, 2, true);
  setOption('datagram-channel-set-send-buffer-size!', channel, (u) => udpSetSendBufferSize(u, size));
}

/** `datagram-channel-send-buffer-size` — extension. */
export function datagramChannelSendBufferSize(channel: DatagramChannel): number {
  checkArity('datagram-channel-send-buffer-size', arguments, 1, 1, true);
  return getOption('datagram-channel-send-buffer-size', channel, (u) => udpSendBufferSize(u));
}

/**
 * `datagram-channel-dropped-count` — extension: how many arriving datagrams the socket's
 * bounded queue dropped because nobody received them in time (udp-racket's count).
 */
export function datagramChannelDroppedCount(channel: DatagramChannel): number {
  checkArity('datagram-channel-dropped-count', arguments, 1, 1, true);
  return getOption('datagram-channel-dropped-count', channel, (u) => udpDroppedCount(u));
}

/**
 * Extension. Like node:dgram's `socket.unref()`: an open channel no longer keeps the Node.js
 * process alive (pending receives just never complete if the process ends). TFTP uses it to
 * dally after a final ACK without holding the process open. Idempotent.
 */
export function datagramChannelUnref(channel: DatagramChannel): void {
  checkArity('datagram-channel-unref', arguments, 1, 1, true);
  setOption('datagram-channel-unref', channel, (u) => udpUnref(u));
}

/** Extension. Undoes `datagramChannelUnref`: the channel keeps the process alive (the default). */
export function datagramChannelRef(channel: DatagramChannel): void {
  checkArity('datagram-channel-ref', arguments, 1, 1, true);
  setOption('datagram-channel-ref', channel, (u) => udpRef(u));
}

// ---------------------------------------------------------------------------------------------
// multicast

/** A multicast group or interface: an address string, or an endpoint (its port is ignored). */
export type HostLike = string | NetworkEndpoint;

async function hostText(who: string, value: unknown, signal?: AbortSignal): Promise<string> {
  if (typeof value === 'string') return value;
  if (!isNetworkEndpoint(value)) throw contractViolation(who, '(or/c string? network-endpoint?)', value);
  let host = value.address;
  if (host === undefined) host = (await resolveTarget(value, signal))[0];
  if (host === true) throw contractViolation(who, 'network-endpoint? with an address', value);
  return host;
}

async function multicast(
  who: string,
  args: IArguments,
  channel: unknown,
  group: unknown,
  iface: unknown,
  options: WaitOptions | undefined,
  op: typeof udpMulticastJoinGroup,
): Promise<void> {
  checkArity(who, args, 2, 3);
  if (isOptions(iface)) {
    options = iface;
    iface = undefined;
  }
  const ch = checkChannel(who, channel);
  if (!(typeof group === 'string' || isNetworkEndpoint(group))) {
    throw contractViolation(who, '(or/c string? network-endpoint?)', group);
  }
  if (
    !(iface === undefined || iface === false || iface === null || typeof iface === 'string' || isNetworkEndpoint(iface))
  ) {
    throw contractViolation(who, '(or/c string? network-endpoint? #f)', iface);
  }
  options?.signal?.throwIfAborted();
  const g = await hostText(who, group, options?.signal);
  const i =
    iface === undefined || iface === false || iface === null ? false : await hostText(who, iface, options?.signal);
  if (ch.closed) throw channelStateError(who, 'channel is closed');
  try {
    await op(ch.u, g, i);
  } catch (error) {
    throw rename(error, who);
  }
}

/**
 * `(datagram-channel-multicast-join-group! channel group [interface])` — extension: joins a
 * multicast group (IP_ADD_MEMBERSHIP) on `interface` (an address; omitted or `false`: the OS
 * picks). Receive it on a channel bound to the wildcard or the group address.
 */
export function datagramChannelMulticastJoinGroup(
  channel: DatagramChannel,
  group: HostLike,
  iface?: HostLike | false | WaitOptions,
  options?: WaitOptions,
): Promise<void> {
  return multicast(
    'datagram-channel-multicast-join-group!',
    arguments,
    channel,
    group,
    iface,
    options,
    udpMulticastJoinGroup,
  );
}

/** `(datagram-channel-multicast-leave-group! channel group [interface])` — extension. */
export function datagramChannelMulticastLeaveGroup(
  channel: DatagramChannel,
  group: HostLike,
  iface?: HostLike | false | WaitOptions,
  options?: WaitOptions,
): Promise<void> {
  return multicast(
    'datagram-channel-multicast-leave-group!',
    arguments,
    channel,
    group,
    iface,
    options,
    udpMulticastLeaveGroup,
  );
}

/**
 * `(datagram-channel-multicast-set-interface! channel interface)` — extension: the interface
 * (an address, or `false` for the OS's choice) multicast datagrams are sent from.
 */
export function datagramChannelMulticastSetInterface(channel: DatagramChannel, iface: string | false): Promise<void> {
  checkArity('datagram-channel-multicast-set-interface!', arguments, 2, 2, true);
  return setOption('datagram-channel-multicast-set-interface!', channel, (u) => udpMulticastSetInterface(u, iface));
}
