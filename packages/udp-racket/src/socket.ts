// biome-ignore-all lint/complexity/noArguments: Racket arity counts the arguments actually passed
// The udp object and its state (Racket reference §15.3.2 "UDP"; racket-udp.md "Behaviour").
//
// node:dgram has no OS socket before bind, so a Udp starts as recorded state only (family,
// options, multicast joins) and creates its dgram socket when it is bound — by `udpBind`, by
// the auto-bind of a send, or by `udpConnect` — then replays the recorded options on it.
// Incoming datagrams go straight to a waiting receiver, else into a queue bounded like a
// kernel receive buffer (`rcvLimit` bytes; excess dropped and counted in `dropped`).

import dgram from 'node:dgram';
import fs from 'node:fs';
import { errnoOf, type RacketErrno, systemErrorText } from './errno.js';
import { ExnFailNetwork, ExnFailNetworkErrno } from './exn.js';
import { numericLookup } from './lookup.js';
import { UDP_PRINT } from './print.js';

/** Linux's default SO_RCVBUF/SO_SNDBUF (net.core.rmem_default / wmem_default). */
export const DEFAULT_BUFFER_SIZE = 212992;
/** Each queued datagram costs its length plus this, like the kernel's per-packet overhead. */
export const DATAGRAM_OVERHEAD = 256;
/** Linux's SOCK_MIN_RCVBUF-ish floor for SO_RCVBUF. */
const MIN_BUFFER_SIZE = 2304;

let rmemMax: number | undefined;
let wmemMax: number | undefined;
function procLimit(file: string): number {
  try {
    const n = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isFinite(n) && n > 0 ? n : DEFAULT_BUFFER_SIZE;
  } catch {
    return DEFAULT_BUFFER_SIZE;
  }
}
function maxBuffer(kind: 'recv' | 'send'): number {
  if (kind === 'recv') {
    if (rmemMax === undefined) rmemMax = procLimit('/proc/sys/net/core/rmem_max');
    return rmemMax;
  }
  if (wmemMax === undefined) wmemMax = procLimit('/proc/sys/net/core/wmem_max');
  return wmemMax;
}
/** What Linux makes of `setsockopt(SO_RCVBUF/SO_SNDBUF, n)`: 2 × min(n, max), at least a floor. */
export function effectiveBufferSize(n: number, kind: 'recv' | 'send'): number {
  return Math.max(2 * Math.min(n, maxBuffer(kind)), MIN_BUFFER_SIZE);
}
export function clampBufferRequest(n: number, kind: 'recv' | 'send'): number {
  return Math.min(n, maxBuffer(kind));
}

/** A looked-up name (for Star sends), or the lookup's error. */
export type NameEntry = { ip: string; at: number; refreshing: boolean } | { error: unknown };

/** A pending receive (udpReceive and friends). */
export interface Waiter {
  bytes: Uint8Array;
  start: number;
  end: number;
  /** Resolve with `[n, host, port, length]` (extension) instead of `[n, host, port]`. */
  full: boolean;
  who: string;
  resolve: (v: never) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | null;
  onAbort: (() => void) | null;
  /** sync/timeout on a lone receive evt waits as a receiver, with this timer. */
  timer: NodeJS.Timeout | null;
  /** Links of the socket's waiter list (no array churn per datagram). */
  prev: Waiter | null;
  next: Waiter | null;
}

interface NodeDgramState {
  handle?: { bind(ip: string, port: number, flags: number): number };
  connectState?: number;
}

let stateSymbol: symbol | undefined;
/** node:dgram's internal state (used only to re-bind after the disconnect a reconnect needs). */
function dgramState(sock: dgram.Socket): NodeDgramState | undefined {
  stateSymbol ??= Object.getOwnPropertySymbols(sock).find((s) => s.description === 'state symbol');
  return stateSymbol ? ((sock as unknown as Record<symbol, NodeDgramState>)[stateSymbol] ?? undefined) : undefined;
}

const UDP_BRAND = Symbol.for('@udpkit/udp-racket.udp');

/** A Racket UDP socket. Opaque: use the `udp…` procedures. Prints as `#<udp>`. */
export class Udp {
  /** 4 or 6: fixed by `udpOpenSocket`'s arguments. */
  readonly family: 4 | 6;
  /** The node:dgram socket, once bound (explicitly, by a send, or by a connect). */
  sock: dgram.Socket | null = null;
  closed = false;
  /** Racket's `udp-bound?` flag: set by `udp-bind!` and by sends, not by `udp-connect!`. */
  bound = false;
  /** Racket's `udp-connected?` flag. */
  connected = false;
  peerHost = '0.0.0.0';
  peerPort = 0;
  /** The numeric address given to bind (null: wildcard), reused to re-bind after a reconnect. */
  bindIp: string | null = null;
  reuse = false;
  /** Bound explicitly to a nonzero port: Linux keeps it across a disconnect. */
  portLocked = false;

  // Options, recorded so they can be set and read before there is an OS socket.
  ttl = 64;
  multicastTtl = 1;
  multicastLoopback = true;
  multicastInterface: string | null = null;
  broadcast = true;
  /** Whether the OS socket keeps the Node.js process alive (extensions `udpRef`/`udpUnref`). */
  ref = true;
  recvBufferRequest = 0;
  sendBufferRequest = 0;
  /** Multicast joins: group, interface address as given (null: any), its device. */
  readonly memberships: Array<[group: string, iface: string | null, device: string | null]> = [];

  // Receive queue: a ring of (buffer, host, port), bounded by rcvLimit bytes.
  private qBuf: (Buffer | undefined)[] = new Array(16);
  private qHost: string[] = new Array(16);
  private qPort: number[] = new Array(16);
  private qHead = 0;
  qLen = 0;
  private qBytes = 0;
  rcvLimit = DEFAULT_BUFFER_SIZE;
  /** Datagrams dropped because the queue was full. */
  dropped = 0;

  /** Receivers waiting for a datagram, first come first served: a doubly linked list. */
  waitHead: Waiter | null = null;
  private waitTail: Waiter | null = null;
  /** Evt watchers (sync): called when a datagram is queued or the socket closes. */
  readonly watchers: Array<() => void> = [];
  /** An asynchronous error (ICMP port unreachable, a failed queued send) for the next send. */
  pendingError: unknown = null;
  /** Receive evts being synced right now (they consume pending errors, as recvfrom does). */
  receiveEvts = 0;
  /** Per-socket cache of resolved names, so Star sends can use them later. */
  readonly names = new Map<string, NameEntry>();

  private captured: unknown = null;
  private capturing = false;
  readonly onMessage: (msg: Buffer, rinfo: dgram.RemoteInfo) => void;
  readonly onError: (err: Error) => void;

  constructor(family: 4 | 6) {
    this.family = family;
    Object.defineProperty(this, UDP_BRAND, { value: true });
    this.onMessage = (msg, rinfo) => this.receive(msg, rinfo.address, rinfo.port);
    this.onError = (err) => {
      if (this.capturing) this.captured = err;
      // ICMP errors surface on recvmsg. Racket reports them on the next send (racket-udp.md),
      // unless a receive attempt (recvfrom) picks the error up first and treats it as "no
      // datagram": a waiting receiver or receive evt consumes it.
      else if (this.waitHead === null && this.receiveEvts === 0) this.pendingError = err;
    };
  }

  /**
   * Linux makes an IPv6 socket bound to a specific IPv6 address IPv6-only (`__inet6_bind`):
   * IPv4 destinations then fail (sendto: ENETUNREACH; connect: EAFNOSUPPORT).
   */
  get v6only(): boolean {
    const ip = this.bindIp;
    return this.family === 6 && ip !== null && ip !== '::' && !ip.toLowerCase().startsWith('::ffff:');
  }

  /** Idempotent close (`udpClose` raises on a second call; this does not). */
  [Symbol.dispose](): void {
    if (!this.closed) this.close();
  }

  // ---- OS socket ------------------------------------------------------------------------------

  /** Create the dgram socket and bind it; returns the bind error, if any. Replays options. */
  openOs(ip: string | null, port: number): unknown {
    const sock = dgram.createSocket({
      type: this.family === 6 ? 'udp6' : 'udp4',
      reuseAddr: this.reuse,
      lookup: numericLookup as never,
    });
    sock.on('error', this.onError);
    sock.on('message', this.onMessage);
    const err = this.capture(() =>
      sock.bind({ port, address: ip ?? (this.family === 6 ? '::' : '0.0.0.0'), exclusive: true }),
    );
    if (err) {
      sock.close();
      return err;
    }
    this.sock = sock;
    this.bindIp = ip;
    if (!this.ref) sock.unref();
    this.replayOptions(sock);
    return null;
  }

  private replayOptions(sock: dgram.Socket): void {
    const tryIt = (f: () => void) => {
      try {
        f();
      } catch {
        // validated when recorded; nothing sensible to report at bind time
      }
    };
    if (this.broadcast) tryIt(() => sock.setBroadcast(true));
    if (this.ttl !== 64) tryIt(() => sock.setTTL(this.ttl));
    if (this.multicastTtl !== 1) tryIt(() => sock.setMulticastTTL(this.multicastTtl));
    if (!this.multicastLoopback) tryIt(() => sock.setMulticastLoopback(false));
    if (this.multicastInterface !== null) tryIt(() => sock.setMulticastInterface(this.multicastInterface!));
    if (this.recvBufferRequest) tryIt(() => sock.setRecvBufferSize(this.recvBufferRequest));
    if (this.sendBufferRequest) tryIt(() => sock.setSendBufferSize(this.sendBufferRequest));
    for (const [group, iface] of this.memberships) tryIt(() => sock.addMembership(group, iface ?? undefined));
  }

  /** Run a node:dgram call whose failure is emitted synchronously as 'error'. */
  capture(f: () => void): unknown {
    this.capturing = true;
    this.captured = null;
    try {
      f();
    } catch (e) {
      this.captured = e;
    } finally {
      this.capturing = false;
    }
    const err = this.captured;
    this.captured = null;
    return err;
  }

  /** Make sure there is a bound OS socket (auto-bind to the wildcard, ephemeral port). */
  ensureOs(): unknown {
    return this.sock ? null : this.openOs(this.bindIp, 0);
  }

  /**
   * Connect the OS socket. Node refuses connect() on a connected socket while Linux (and
   * Racket) allow it, so disconnect first; Linux then forgets an ephemeral port, which we
   * re-bind so that the local port survives the reconnect as it does in Racket.
   */
  connectOs(ip: string, port: number): Promise<unknown> {
    const sock = this.sock!;
    if (this.connected) {
      this.osDisconnectKeepingPort(sock);
      this.connected = false;
    }
    return new Promise((resolve) => {
      let done = false;
      sock.connect(port, ip, (err?: unknown) => {
        if (!done) resolve(err ?? null);
        done = true;
      });
      this.okHost = null;
      try {
        const peer = sock.remoteAddress();
        this.connected = true;
        this.peerHost = peer.address;
        this.peerPort = peer.port;
        done = true;
        resolve(null);
      } catch {
        // not connected: the callback brings the error on the next tick
      }
    });
  }

  /** Disconnect the OS socket; if Linux dropped the (ephemeral) port, bind it again. */
  private osDisconnectKeepingPort(sock: dgram.Socket): void {
    const before = sock.address().port;
    try {
      sock.disconnect();
    } catch {
      // node:dgram already considers it disconnected (a failed re-connect)
    }
    if (before !== 0 && sock.address().port === 0) {
      const handle = dgramState(sock)?.handle;
      const wild = this.family === 6 ? '::' : '0.0.0.0';
      handle?.bind(this.bindIp ?? wild, before, this.reuse ? 4 : 0);
    }
  }

  /**
   * Send to another destination on a connected socket (extension `udpSendToAny`): Linux allows
   * sendto() there but node:dgram does not, so disconnect, send, and connect again in one
   * synchronous step (datagrams from others that slip in meanwhile are filtered in `receive`).
   */
  sendWhileConnected(
    bytes: Uint8Array,
    start: number,
    len: number,
    port: number,
    ip: string,
    cb: ((err: Error | null) => void) | undefined,
  ): void {
    const sock = this.sock!;
    if (port === this.peerPort && ip === this.peerHost) {
      sock.send(bytes, start, len, cb);
      return;
    }
    this.osDisconnectKeepingPort(sock);
    try {
      sock.send(bytes, start, len, port, ip, cb);
    } finally {
      try {
        sock.connect(this.peerPort, this.peerHost);
      } catch (err) {
        this.pendingError = err;
      }
    }
  }

  /** Completion callback of sends nobody waits for: keep an error for the next send. */
  readonly onSendDone = (err: Error | null): void => {
    if (err) {
      this.okHost = null;
      // Racket raises this in the Star send itself; the best we can do is raise it from the
      // next send to the same destination (a send elsewhere is not disturbed).
      if ((err as { code?: string }).code !== 'ECANCELED' && !this.closed) {
        this.sendError = err;
        this.sendErrorHost = this.probeHost;
        this.sendErrorPort = this.probePort;
      }
    } else {
      this.okHost = this.probeHost;
      this.okPort = this.probePort;
    }
  };
  /** A Star send's failure reported after the call returned, for its destination. */
  sendError: unknown = null;
  sendErrorHost: string | null = null;
  sendErrorPort = 0;
  /** The last destination a Star send was confirmed to reach ('' = the connected peer). */
  okHost: string | null = null;
  okPort = 0;
  probeHost: string | null = null;
  probePort = 0;

  disconnectOs(): void {
    if (!this.connected) return;
    this.okHost = null;
    this.connected = false;
    this.peerHost = '0.0.0.0';
    this.peerPort = 0;
    const sock = this.sock;
    if (sock === null) return;
    try {
      sock.disconnect();
    } catch {
      // not connected at the OS level
    }
    // Linux forgets a port it chose (or that bind got as 0) on disconnect: the socket receives
    // nothing until a send binds it again. If our reconnect re-bind pinned the port, emulate
    // that by dropping the OS socket; the next send creates a new one (options replayed).
    if (!this.portLocked && sock.address().port !== 0) {
      sock.off('message', this.onMessage);
      sock.close();
      this.sock = null;
    }
  }

  // ---- receiving ------------------------------------------------------------------------------

  /** A datagram from node:dgram (also the test hook for the bounded queue). */
  receive(msg: Buffer, host: string, port: number): void {
    if (this.connected && (port !== this.peerPort || host !== this.peerHost)) return;
    const w = this.waitHead;
    if (w !== null) {
      const next = w.next;
      this.waitHead = next;
      if (next === null) this.waitTail = null;
      else {
        next.prev = null;
        w.next = null;
      }
      deliver(w, msg, host, port);
      return;
    }
    const cost = msg.length + DATAGRAM_OVERHEAD;
    if (this.qBytes + cost > this.rcvLimit) {
      this.dropped++;
      return;
    }
    this.push(msg, host, port, cost);
    if (this.watchers.length > 0) this.notify();
  }

  private push(msg: Buffer, host: string, port: number, cost: number): void {
    let cap = this.qBuf.length;
    if (this.qLen === cap) {
      const nb: (Buffer | undefined)[] = new Array(cap * 2);
      const nh: string[] = new Array(cap * 2);
      const np: number[] = new Array(cap * 2);
      for (let i = 0; i < this.qLen; i++) {
        const j = (this.qHead + i) % cap;
        nb[i] = this.qBuf[j];
        nh[i] = this.qHost[j]!;
        np[i] = this.qPort[j]!;
      }
      this.qBuf = nb;
      this.qHost = nh;
      this.qPort = np;
      this.qHead = 0;
      cap *= 2;
    }
    const t = (this.qHead + this.qLen) % cap;
    this.qBuf[t] = msg;
    this.qHost[t] = host;
    this.qPort[t] = port;
    this.qLen++;
    this.qBytes += cost;
  }

  /** Append a receiver to the waiter list. */
  addWaiter(w: Waiter): void {
    const tail = this.waitTail;
    if (tail === null) this.waitHead = w;
    else {
      tail.next = w;
      w.prev = tail;
    }
    this.waitTail = w;
  }

  /** Remove a receiver from the waiter list (no-op if it is not in it). */
  removeWaiter(w: Waiter): void {
    if (w.prev === null && this.waitHead !== w) return;
    const { prev, next } = w;
    if (prev === null) this.waitHead = next;
    else prev.next = next;
    if (next === null) this.waitTail = prev;
    else next.prev = prev;
    w.prev = null;
    w.next = null;
  }

  /** Take the next queued datagram into `bytes[start, end)`; `undefined` if none. */
  take(bytes: Uint8Array, start: number, end: number, full: boolean): Array<number | string> | undefined {
    // A receive attempt is a recvfrom in Racket: it consumes a pending socket error.
    this.pendingError = null;
    if (this.qLen === 0) return undefined;
    const h = this.qHead;
    const msg = this.qBuf[h]!;
    const host = this.qHost[h]!;
    const port = this.qPort[h]!;
    this.qBuf[h] = undefined;
    this.qHead = (h + 1) % this.qBuf.length;
    this.qLen--;
    this.qBytes -= msg.length + DATAGRAM_OVERHEAD;
    const n = copyInto(msg, bytes, start, end);
    return full ? [n, host, port, msg.length] : [n, host, port];
  }

  /** Drop everything queued (close). */
  clearQueue(): void {
    this.qBuf = new Array(16);
    this.qHost = new Array(16);
    this.qPort = new Array(16);
    this.qHead = 0;
    this.qLen = 0;
    this.qBytes = 0;
  }

  notify(): void {
    const ws = this.watchers.length === 1 ? this.watchers : this.watchers.slice();
    for (let i = ws.length - 1; i >= 0; i--) ws[i]!();
  }

  /** Close: wake receivers with `WHO: udp socket is closed`, discard queued datagrams. */
  close(): void {
    this.closed = true;
    this.clearQueue();
    const sock = this.sock;
    if (sock) {
      sock.off('message', this.onMessage);
      try {
        sock.close();
      } catch {
        // already closed
      }
      // keep the error listener: late ICMP errors must not crash the process
    }
    let w = this.waitHead;
    this.waitHead = null;
    this.waitTail = null;
    while (w !== null) {
      const next = w.next;
      w.prev = null;
      w.next = null;
      cleanupWaiter(w);
      w.reject(closedError(w.who));
      w = next;
    }
    if (this.watchers.length > 0) this.notify();
  }
}

Object.defineProperty(Udp.prototype, UDP_PRINT, { value: '#<udp>' });
Object.defineProperty(Udp.prototype, Symbol.toStringTag, { value: 'udp' });

/** `udp?` — true for sockets of any copy of this package. */
export function isUdpValue(v: unknown): v is Udp {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[UDP_BRAND] === true;
}

/** Copy what fits of `msg` into `bytes[start, end)`; the rest is discarded (Racket docs). */
export function copyInto(msg: Buffer, bytes: Uint8Array, start: number, end: number): number {
  const len = msg.length;
  if (len <= end - start) {
    // the whole datagram fits: one native copy, no view
    if (len > 0) bytes.set(msg, start);
    return len;
  }
  const n = end - start;
  if (n > 0) bytes.set(msg.subarray(0, n), start);
  return n;
}

export function deliver(w: Waiter, msg: Buffer, host: string, port: number): void {
  const n = copyInto(msg, w.bytes, w.start, w.end);
  if (w.signal !== null || w.timer !== null) cleanupWaiter(w);
  (w.resolve as (v: unknown) => void)(w.full ? [n, host, port, msg.length] : [n, host, port]);
}

export function cleanupWaiter(w: Waiter): void {
  if (w.timer !== null) clearTimeout(w.timer);
  w.timer = null;
  if (w.signal !== null && w.onAbort !== null) w.signal.removeEventListener('abort', w.onAbort);
  w.signal = null;
  w.onAbort = null;
}

// ---- errors -----------------------------------------------------------------------------------

/** `WHO: MSG\n  socket: #<udp>` (exn:fail:network, no errno). */
export function socketError(who: string, msg: string): ExnFailNetwork {
  return new ExnFailNetwork(`${who}: ${msg}\n  socket: #<udp>`);
}
export const closedError = (who: string) => socketError(who, 'udp socket is closed');

/** `WHO: BASE\n  <lines>\n  system error: TEXT; errno=N` (exn:fail:network:errno). */
export function systemError(who: string, base: string, lines: string, err: unknown, errno?: RacketErrno) {
  const e = errno ?? errnoOf(err);
  return new ExnFailNetworkErrno(`${who}: ${base}${lines}\n  system error: ${systemErrorText(e)}`, e, {
    cause: err,
  });
}

/** Throw the closed error if `u` is closed. */
export function checkOpen(who: string, u: Udp): void {
  if (u.closed) throw closedError(who);
}

/** `udp?` contract check. */
export function checkUdp(who: string, v: unknown): Udp {
  if (!isUdpValue(v)) throw contractErrorUdp(who, v);
  return v;
}

import { contractError } from './contract.js';

const contractErrorUdp = (who: string, v: unknown) => contractError(who, 'udp?', v);
