// biome-ignore-all lint/complexity/noArguments: arity is checked like Racket, on the real argument count
// The channel type and Cowan's eleven procedures (seed 000), on @udpkit/udp-racket.
//
// Connecting is done in user space: the OS socket is never connected. The channel remembers its
// peer; `datagram-channel-send` is `udpSendTo` the peer, send-to other endpoints keeps working
// (Racket's `udp-send-to` refuses on a connected socket), and receives skip datagrams from
// anyone else (Cowan's "ignore"). Why not connect() the socket: on Linux, disconnecting (or
// reconnecting, which node does as disconnect + connect) a socket whose port the OS chose
// unbinds that port — the channel's local endpoint would change under its user. See README.md,
// "How connect works".

import { isNetworkEndpoint, makeNetworkEndpoint, type NetworkEndpoint, resolveNetworkEndpoint } from '@udpkit/endpoint';
import {
  udpAddresses,
  udpBind,
  udpClose,
  udpOpenSocket,
  udpReceiveDatagram,
  udpSendTo,
  udpSendToStar,
} from '@udpkit/udp-racket';

/** What the sends return once the datagram is handed to the OS: one shared resolved Promise. */
const SENT: Promise<void> = Promise.resolve();

import { CHANNEL_TAG, checkArity, checkRange, isOptions, type WaitOptions } from './args.js';
import { channelStateError, contractViolation, rename } from './errors.js';

export type { NetworkEndpoint };

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
/** How udp-racket's printer shows an object inside a message. */
const RACKET_PRINT = Symbol.for('@udpkit/udp-racket.print');
/** A udp-racket socket. */
export type Udp = Awaited<ReturnType<typeof udpOpenSocket>>;

/**
 * What `datagramChannelReceiveFrom` resolves to: the sender, `true` when the whole datagram fit
 * in the range (the seed's second value), and the datagram's full length in bytes (Cowan's later
 * text; larger than the range when truncated).
 */
export type ReceiveResult = [sender: NetworkEndpoint, complete: boolean, byteCount: number];

/**
 * A datagram channel. A disjoint type: only this package's procedures make one. Its fields are
 * internal; use the procedures. Disposable (`using` / `await using` close it).
 */
export class DatagramChannel {
  /** @internal The socket (for an output-only channel: the IPv4 one). */
  u: Udp;
  /** @internal Output-only channels: the IPv6 socket, opened on the first IPv6 destination. */
  u6: Udp | undefined = undefined;
  /** @internal Output-only channels: u6 while it is being opened. */
  u6Opening: Promise<Udp> | undefined = undefined;
  /** @internal */
  readonly outputOnly: boolean;
  /** @internal 4 or 6: the family of `u`. */
  readonly family: 4 | 6;
  /** @internal Bound to the wildcard because the endpoint's host was `#t`. */
  readonly anyHost: boolean;
  /** @internal */
  closed = false;
  /** @internal The socket that sends to the peer (u, or u6 of an output-only channel). */
  connU: Udp | undefined = undefined;
  /** @internal The peer's address, as handed to udpSendTo; port 0 when not connected. */
  remoteHost = '';
  /** @internal */
  remotePort = 0;
  /** @internal The peer's address as the OS reports senders (learnt from the first datagram). */
  remoteSeen = '';
  /** @internal */
  remoteEndpoint: NetworkEndpoint | undefined = undefined;
  /** @internal One-entry cache of the last sender's endpoint (the hot path allocates nothing). */
  lastHost = '';
  /** @internal */
  lastPort = 0;
  /** @internal */
  lastEndpoint: NetworkEndpoint | undefined = undefined;
  /** @internal Socket option values set by the user, replayed on a lazily opened u6. */
  replay: ((u: Udp) => unknown)[] | undefined = undefined;

  /** @internal */
  constructor(u: Udp, outputOnly: boolean, family: 4 | 6, anyHost: boolean) {
    this.u = u;
    this.outputOnly = outputOnly;
    this.family = family;
    this.anyHost = anyHost;
  }

  get [Symbol.toStringTag](): string {
    return CHANNEL_TAG;
  }

  toString(): string {
    return '#<datagram-channel>';
  }

  [INSPECT](): string {
    return '#<datagram-channel>';
  }

  /** Closes the channel (idempotent). */
  [Symbol.dispose](): void {
    closeChannel(this);
  }

  /** Closes the channel (idempotent). */
  [Symbol.asyncDispose](): Promise<void> {
    closeChannel(this);
    return Promise.resolve();
  }
}

Object.defineProperty(DatagramChannel.prototype, RACKET_PRINT, { value: '#<datagram-channel>' });

function closeChannel(ch: DatagramChannel): void {
  if (ch.closed) return;
  ch.closed = true;
  ch.remotePort = 0;
  ch.remoteEndpoint = undefined;
  ch.lastEndpoint = undefined;
  try {
    udpClose(ch.u);
  } catch {
    // already closed below us: nothing to do
  }
  const u6 = ch.u6;
  if (u6 !== undefined) {
    ch.u6 = undefined;
    try {
      udpClose(u6);
    } catch {
      // idem
    }
  }
  ch.u6Opening?.then(
    (u) => {
      try {
        udpClose(u);
      } catch {
        // idem
      }
    },
    () => {},
  );
}

/** @internal The channel argument's contract and the closed check. */
export function checkChannel(who: string, channel: unknown): DatagramChannel {
  if (!(channel instanceof DatagramChannel)) throw contractViolation(who, 'datagram-channel?', channel);
  if (channel.closed) throw channelStateError(who, 'channel is closed');
  return channel;
}

/** @internal The endpoint for a datagram from host/port: cached, so the hot path allocates nothing. */
export function senderEndpoint(ch: DatagramChannel, host: string, port: number): NetworkEndpoint {
  if (port === ch.remotePort && host === ch.remoteSeen) return ch.remoteEndpoint!;
  if (port === ch.lastPort && host === ch.lastHost) return ch.lastEndpoint!;
  const ep = makeNetworkEndpoint(host, port);
  ch.lastHost = host;
  ch.lastPort = port;
  ch.lastEndpoint = ep;
  return ep;
}

/**
 * @internal On a connected channel: false for a datagram from anyone but the peer. The fast path
 * is one number and one string comparison; the address text is compared canonically only when the
 * OS spells it differently from us (then its spelling is learnt).
 */
export function fromPeer(ch: DatagramChannel, host: string, port: number): boolean {
  if (port !== ch.remotePort) return false;
  if (host === ch.remoteSeen) return true;
  let same = false;
  try {
    same = makeNetworkEndpoint(host, port).address === ch.remoteEndpoint!.address;
  } catch {
    // not an address the endpoint package takes: not the peer
  }
  if (same) ch.remoteSeen = host;
  return same;
}

/** @internal The error to raise when a receive on the channel failed below us. */
export function receiveError(ch: DatagramChannel, error: unknown, who: string): unknown {
  if (ch.closed) return channelStateError(who, 'channel is closed');
  return rename(error, who);
}

/**
 * The numeric host (or `true`) and port of an endpoint; a host name is resolved now, with
 * `resolveNetworkEndpoint` (names are looked up each time they are used, never cached here).
 * `family` 4 asks only for IPv4 addresses (an IPv4 channel can use no other).
 */
export async function resolveTarget(
  ep: NetworkEndpoint,
  signal: AbortSignal | undefined,
  family: 0 | 4 = 0,
): Promise<[host: string | true, port: number]> {
  let host = ep.address;
  if (host === undefined) {
    const options: { signal?: AbortSignal; family: 0 | 4 } = { family };
    if (signal !== undefined) options.signal = signal;
    host = (await resolveNetworkEndpoint(ep, options)).address!;
  }
  return [host, ep.port];
}

/**
 * The host text to hand to udp-racket for a destination, given the socket's family. `#t` (any
 * local address) as a destination means this host: the loopback address.
 */
function destinationHost(host: string | true, family: 4 | 6): string {
  if (host === true) return family === 6 ? '::1' : '127.0.0.1';
  // An IPv4 destination on an IPv6 (dual-stack) socket: the IPv4-mapped form.
  if (family === 6 && host.indexOf(':') < 0) return `::ffff:${host}`;
  return host;
}

function familyOf(host: string): 4 | 6 {
  return host.indexOf(':') < 0 ? 4 : 6;
}

/** @internal The socket an output-only channel sends to `host` with (opens u6 when needed). */
async function socketFor(ch: DatagramChannel, host: string | true): Promise<Udp> {
  if (!ch.outputOnly || host === true || ch.family === 6 || familyOf(host) === 4) return ch.u;
  if (ch.u6 !== undefined) return ch.u6;
  if (ch.u6Opening === undefined) {
    ch.u6Opening = (async () => {
      const u = await udpOpenSocket('::', false);
      for (const apply of ch.replay ?? []) {
        try {
          await apply(u);
        } catch {
          // an option IPv6 does not take (e.g. an IPv4 multicast interface): skip it
        }
      }
      return u;
    })();
  }
  const u = await ch.u6Opening;
  if (ch.closed) throw new Error('closed');
  ch.u6 = u;
  return u;
}

// ---------------------------------------------------------------------------------------------
// make-datagram-channel, make-output-only-datagram-channel, datagram-channel?

const MAKE = 'make-datagram-channel';

/**
 * `(make-datagram-channel [endpoint])`: a channel bound to `endpoint` (default
 * `(make-network-endpoint #t 0)`: every local IPv4 address, a port the OS picks). Socket plus
 * bind; a host name in the endpoint is resolved first. The host decides the family: `#t` and
 * IPv4 addresses give an IPv4 socket, IPv6 addresses (`'::'` for every local address, dual-stack
 * where the OS allows) an IPv6 one.
 */
export function makeDatagramChannel(options?: WaitOptions): Promise<DatagramChannel>;
export function makeDatagramChannel(endpoint?: NetworkEndpoint, options?: WaitOptions): Promise<DatagramChannel>;
export async function makeDatagramChannel(
  endpoint?: NetworkEndpoint | WaitOptions,
  options?: WaitOptions,
): Promise<DatagramChannel> {
  if (isOptions(endpoint) && options === undefined) {
    options = endpoint;
    endpoint = undefined;
  }
  checkArity(MAKE, arguments, 0, 1);
  if (endpoint !== undefined && !isNetworkEndpoint(endpoint))
    throw contractViolation(MAKE, 'network-endpoint?', endpoint);
  const signal = options?.signal;
  signal?.throwIfAborted();
  let host: string | true = true;
  let port = 0;
  if (endpoint !== undefined) [host, port] = await resolveTarget(endpoint, signal);
  const bindHost = host === true ? false : host;
  let u: Udp;
  try {
    u = await udpOpenSocket(bindHost, false);
  } catch (error) {
    throw rename(error, MAKE);
  }
  try {
    await udpBind(u, bindHost, port);
  } catch (error) {
    udpClose(u);
    throw rename(error, MAKE);
  }
  const local = udpAddresses(u, true)[0] as string;
  return new DatagramChannel(u, false, familyOf(local), host === true);
}

const MAKE_OUT = 'make-output-only-datagram-channel';

/**
 * `(make-output-only-datagram-channel)`: a channel for sending only, not bound (socket only;
 * the OS binds it to an ephemeral port at its first send, as POSIX does). Its socket is IPv4,
 * as Racket's `(udp-open-socket)`; the first send to an IPv6 destination opens a second, IPv6
 * socket, so it sends to either family. Receiving on it is an error.
 */
export async function makeOutputOnlyDatagramChannel(options?: WaitOptions): Promise<DatagramChannel> {
  checkArity(MAKE_OUT, arguments, 0, 0, true);
  options?.signal?.throwIfAborted();
  let u: Udp;
  try {
    u = await udpOpenSocket(false, false);
  } catch (error) {
    throw rename(error, MAKE_OUT);
  }
  return new DatagramChannel(u, true, 4, true);
}

/** `(datagram-channel? obj)` */
export function isDatagramChannel(obj: unknown): obj is DatagramChannel {
  if (arguments.length !== 1) checkArity('datagram-channel?', arguments, 1, 1, true);
  return obj instanceof DatagramChannel;
}

// ---------------------------------------------------------------------------------------------
// endpoints

const LOCAL = 'datagram-channel-local-endpoint';

/**
 * `(datagram-channel-local-endpoint channel)`: the local endpoint, with the real port (never 0),
 * or `false` when there is none (an output-only channel before its first send). A channel made
 * with host `#t` reports host `#t` while it is bound to the wildcard; once connected, the OS
 * reports the specific local address the connection uses.
 */
export function datagramChannelLocalEndpoint(channel: DatagramChannel): NetworkEndpoint | false {
  if (arguments.length !== 1) checkArity(LOCAL, arguments, 1, 1, true);
  const ch = checkChannel(LOCAL, channel);
  let host: string;
  let port: number;
  try {
    const a = udpAddresses(ch.u, true) as [string, number, string, number];
    host = a[0];
    port = a[1];
  } catch (error) {
    throw rename(error, LOCAL);
  }
  if (port === 0) return false;
  const wildcard = host === '0.0.0.0' || host === '::';
  return makeNetworkEndpoint(wildcard && ch.anyHost ? true : host, port);
}

const REMOTE = 'datagram-channel-remote-endpoint';

/**
 * `(datagram-channel-remote-endpoint channel)`: the endpoint the channel is connected to (its
 * numeric address as the OS reports it, acceptable to `datagramChannelConnect`), or `false`.
 */
export function datagramChannelRemoteEndpoint(channel: DatagramChannel): NetworkEndpoint | false {
  if (arguments.length !== 1) checkArity(REMOTE, arguments, 1, 1, true);
  const ch = checkChannel(REMOTE, channel);
  return ch.remoteEndpoint ?? false;
}

// ---------------------------------------------------------------------------------------------
// connect / disconnect

const CONNECT = 'datagram-channel-connect!';

/**
 * `(datagram-channel-connect! channel endpoint)`: connects the channel to a peer: from then on
 * `datagramChannelSend` sends to it and receives ignore datagrams from anyone else, while
 * `datagramChannelSendTo` still reaches any endpoint. Port 0 is an error. A host name is resolved
 * first (`{ signal }` cancels that). Reconnecting replaces the peer. Done in user space: the OS
 * socket stays unconnected, and the channel's local endpoint never changes.
 */
export async function datagramChannelConnect(
  channel: DatagramChannel,
  endpoint: NetworkEndpoint,
  options?: WaitOptions,
): Promise<void> {
  checkArity(CONNECT, arguments, 2, 2, true);
  if (!(channel instanceof DatagramChannel)) throw contractViolation(CONNECT, 'datagram-channel?', channel);
  if (!isNetworkEndpoint(endpoint)) throw contractViolation(CONNECT, 'network-endpoint?', endpoint);
  if (channel.closed) throw channelStateError(CONNECT, 'channel is closed');
  if (endpoint.port === 0) {
    throw contractViolation(CONNECT, 'network-endpoint? with a port in 1..65535', endpoint);
  }
  const signal = options?.signal;
  signal?.throwIfAborted();
  const [host, port] = await resolveTarget(endpoint, signal, channel.family === 4 && !channel.outputOnly ? 4 : 0);
  if (channel.closed) throw channelStateError(CONNECT, 'channel is closed');
  let u: Udp;
  try {
    u = await socketFor(channel, host);
  } catch (error) {
    throw receiveError(channel, error, CONNECT);
  }
  const dest = destinationHost(host, u === channel.u ? channel.family : 6);
  channel.remotePort = 0; // while the fields change
  channel.connU = u;
  channel.remoteHost = dest;
  channel.remoteSeen = dest;
  // The caller's endpoint itself when it is already exactly that (e.g. a received sender).
  channel.remoteEndpoint =
    endpoint.name === undefined && endpoint.address === dest ? endpoint : makeNetworkEndpoint(dest, port);
  channel.remotePort = port;
}

const DISCONNECT = 'datagram-channel-disconnect!';

/**
 * `(datagram-channel-disconnect! channel)`: back to unconnected (POSIX: connect() with
 * AF_UNSPEC). Synchronous: nothing to wait for. No error on a channel that is not connected.
 */
export function datagramChannelDisconnect(channel: DatagramChannel): void {
  if (arguments.length !== 1) checkArity(DISCONNECT, arguments, 1, 1, true);
  const ch = checkChannel(DISCONNECT, channel);
  ch.remotePort = 0;
  ch.remoteHost = '';
  ch.remoteSeen = '';
  ch.remoteEndpoint = undefined;
  ch.connU = undefined;
}

// ---------------------------------------------------------------------------------------------
// send-to / send

const SEND_TO = 'datagram-channel-send-to';

/**
 * `(datagram-channel-send-to channel endpoint bytevector [start [end]])`: sends
 * `bytes[start, end)` (defaults 0 and the length) to `endpoint`, connected or not. A host name
 * is resolved first. An IPv4 destination on an IPv6 channel is sent to its IPv4-mapped address.
 */
export function datagramChannelSendTo(
  channel: DatagramChannel,
  endpoint: NetworkEndpoint,
  bytes: Uint8Array,
  options?: WaitOptions,
): Promise<void>;
export function datagramChannelSendTo(
  channel: DatagramChannel,
  endpoint: NetworkEndpoint,
  bytes: Uint8Array,
  start?: number,
  options?: WaitOptions,
): Promise<void>;
export function datagramChannelSendTo(
  channel: DatagramChannel,
  endpoint: NetworkEndpoint,
  bytes: Uint8Array,
  start?: number,
  end?: number,
  options?: WaitOptions,
): Promise<void>;
export function datagramChannelSendTo(
  channel: DatagramChannel,
  endpoint: NetworkEndpoint,
  bytes: Uint8Array,
  start?: number | WaitOptions,
  end?: number | WaitOptions,
  options?: WaitOptions,
): Promise<void> {
  let s: number;
  let e: number;
  let host: string | true | undefined;
  try {
    if (arguments.length < 3 || arguments.length > 5) checkArity(SEND_TO, arguments, 3, 5);
    if (typeof start === 'object' && start !== null) {
      options = start;
      start = undefined;
    } else if (typeof end === 'object' && end !== null) {
      options = end;
      end = undefined;
    }
    if (!(channel instanceof DatagramChannel)) throw contractViolation(SEND_TO, 'datagram-channel?', channel);
    if (!isNetworkEndpoint(endpoint)) throw contractViolation(SEND_TO, 'network-endpoint?', endpoint);
    e = checkRange(SEND_TO, bytes, start, end);
    s = (start as number | undefined) ?? 0;
    if (channel.closed) throw channelStateError(SEND_TO, 'channel is closed');
    if (endpoint.port === 0) {
      throw contractViolation(SEND_TO, 'network-endpoint? with a port in 1..65535', endpoint);
    }
    if (options !== undefined) options.signal?.throwIfAborted();
    host = endpoint.address;
  } catch (error) {
    return Promise.reject(error);
  }
  // Hot path: a numeric destination on a bound channel is sent at once.
  if (host !== undefined && !channel.outputOnly) {
    try {
      if (udpSendToStar(channel.u, destinationHost(host, channel.family), endpoint.port, bytes, s, e)) return SENT;
    } catch (error) {
      return Promise.reject(receiveError(channel, error, SEND_TO));
    }
  }
  return sendToWaiting(channel, endpoint, host, bytes, s, e, options?.signal);
}

/** The rest of send-to: resolve a name, open an output-only channel's IPv6 socket, then send. */
async function sendToWaiting(
  channel: DatagramChannel,
  endpoint: NetworkEndpoint,
  host: string | true | undefined,
  bytes: Uint8Array,
  s: number,
  e: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (host === undefined) {
    host = (await resolveTarget(endpoint, signal, channel.family === 4 && !channel.outputOnly ? 4 : 0))[0];
    if (channel.closed) throw channelStateError(SEND_TO, 'channel is closed');
  }
  try {
    const u = await socketFor(channel, host);
    const family = u === channel.u ? channel.family : 6;
    await udpSendTo(u, destinationHost(host, family), endpoint.port, bytes, s, e);
  } catch (error) {
    throw receiveError(channel, error, SEND_TO);
  }
}

const SEND = 'datagram-channel-send';

/**
 * `(datagram-channel-send channel bytevector [start [end]])`: sends `bytes[start, end)` to the
 * endpoint the channel is connected to. Not connected → `ExnFailNetwork`
 * `datagram-channel-send: channel is not connected`.
 */
export function datagramChannelSend(channel: DatagramChannel, bytes: Uint8Array, options?: WaitOptions): Promise<void>;
export function datagramChannelSend(
  channel: DatagramChannel,
  bytes: Uint8Array,
  start?: number,
  options?: WaitOptions,
): Promise<void>;
export function datagramChannelSend(
  channel: DatagramChannel,
  bytes: Uint8Array,
  start?: number,
  end?: number,
  options?: WaitOptions,
): Promise<void>;
export function datagramChannelSend(
  channel: DatagramChannel,
  bytes: Uint8Array,
  start?: number | WaitOptions,
  end?: number | WaitOptions,
  options?: WaitOptions,
): Promise<void> {
  let s: number;
  let e: number;
  let u: Udp | undefined;
  try {
    if (arguments.length < 2 || arguments.length > 4) checkArity(SEND, arguments, 2, 4);
    if (typeof start === 'object' && start !== null) {
      options = start;
      start = undefined;
    } else if (typeof end === 'object' && end !== null) {
      options = end;
      end = undefined;
    }
    if (!(channel instanceof DatagramChannel)) throw contractViolation(SEND, 'datagram-channel?', channel);
    e = checkRange(SEND, bytes, start, end);
    s = (start as number | undefined) ?? 0;
    if (channel.closed) throw channelStateError(SEND, 'channel is closed');
    u = channel.connU;
    if (u === undefined) throw channelStateError(SEND, 'channel is not connected');
    if (options !== undefined) options.signal?.throwIfAborted();
  } catch (error) {
    return Promise.reject(error);
  }
  try {
    if (udpSendToStar(u, channel.remoteHost, channel.remotePort, bytes, s, e)) return SENT;
  } catch (error) {
    return Promise.reject(receiveError(channel, error, SEND));
  }
  // Not reached with a numeric peer (udp-send-to* only declines while a name is looked up).
  return udpSendTo(u, channel.remoteHost, channel.remotePort, bytes, s, e).catch((error: unknown) => {
    throw receiveError(channel, error, SEND);
  });
}

// ---------------------------------------------------------------------------------------------
// receive-from

const RECEIVE = 'datagram-channel-receive-from';

/** @internal Contract, state and range checks of the receive family; returns the end. */
export function checkReceive(who: string, channel: unknown, bytes: unknown, start: unknown, end: unknown): number {
  if (!(channel instanceof DatagramChannel)) throw contractViolation(who, 'datagram-channel?', channel);
  const e = checkRange(who, bytes, start, end);
  if (channel.closed) throw channelStateError(who, 'channel is closed');
  if (channel.outputOnly) throw channelStateError(who, 'channel is output-only');
  return e;
}

/**
 * `(datagram-channel-receive-from channel bytevector [start [end]])`: waits for a datagram and
 * stores it into `bytes[start, end)` (defaults 0 and the length); what does not fit is
 * discarded. Resolves to `[sender, complete, byteCount]`: `complete` is false when the datagram
 * was truncated, `byteCount` is its full length (so `min(byteCount, end - start)` bytes were
 * stored). A connected channel only returns datagrams from its peer. `{ signal }` cancels the
 * wait (rejects with `signal.reason`; the datagram, if any, stays queued).
 *
 * Hot path: argument checks, then one udp-racket receive (which takes a queued datagram at once);
 * the sender's endpoint comes from a one-entry cache (or is the peer's, when connected).
 */
export function datagramChannelReceiveFrom(
  channel: DatagramChannel,
  bytes: Uint8Array,
  options?: WaitOptions,
): Promise<ReceiveResult>;
export function datagramChannelReceiveFrom(
  channel: DatagramChannel,
  bytes: Uint8Array,
  start?: number,
  options?: WaitOptions,
): Promise<ReceiveResult>;
export function datagramChannelReceiveFrom(
  channel: DatagramChannel,
  bytes: Uint8Array,
  start?: number,
  end?: number,
  options?: WaitOptions,
): Promise<ReceiveResult>;
export function datagramChannelReceiveFrom(
  channel: DatagramChannel,
  bytes: Uint8Array,
  start?: number | WaitOptions,
  end?: number | WaitOptions,
  options?: WaitOptions,
): Promise<ReceiveResult> {
  let s: number;
  let e: number;
  try {
    if (arguments.length < 2 || arguments.length > 4) checkArity(RECEIVE, arguments, 2, 4);
    if (typeof start === 'object' && start !== null) {
      options = start;
      start = undefined;
    } else if (typeof end === 'object' && end !== null) {
      options = end;
      end = undefined;
    }
    e = checkReceive(RECEIVE, channel, bytes, start, end);
    s = (start as number | undefined) ?? 0;
    if (options !== undefined) options.signal?.throwIfAborted();
  } catch (error) {
    return Promise.reject(error);
  }
  return receiveLoop(channel, bytes, s, e, options);
}

async function receiveLoop(
  channel: DatagramChannel,
  bytes: Uint8Array,
  s: number,
  e: number,
  options: WaitOptions | undefined,
): Promise<ReceiveResult> {
  const u = channel.u;
  for (;;) {
    let r: [number, string, number, number];
    try {
      r = await udpReceiveDatagram(u, bytes, s, e, options);
    } catch (error) {
      throw receiveError(channel, error, RECEIVE);
    }
    const host = r[1];
    const port = r[2];
    if (channel.remotePort !== 0 && !(port === channel.remotePort && host === channel.remoteSeen)) {
      if (!fromPeer(channel, host, port)) continue;
    }
    const length = r[3];
    return [senderEndpoint(channel, host, port), length <= e - s, length];
  }
}

// ---------------------------------------------------------------------------------------------
// close

const CLOSE = 'datagram-channel-close';

/**
 * `(datagram-channel-close channel)`: closes the socket(s) and abandons the channel. Idempotent.
 * Pending receives reject with `datagram-channel-receive-from: channel is closed`.
 */
export function datagramChannelClose(channel: DatagramChannel): void {
  if (arguments.length !== 1) checkArity(CLOSE, arguments, 1, 1, true);
  if (!(channel instanceof DatagramChannel)) throw contractViolation(CLOSE, 'datagram-channel?', channel);
  closeChannel(channel);
}
