// biome-ignore-all lint/complexity/noArguments: Racket arity counts the arguments actually passed
// udp-send-ready-evt, udp-receive-ready-evt, udp-send-to-evt, udp-send-evt, udp-receive!-evt
// (Racket reference §15.3.2). Only the chosen evt acts: a receive evt consumes a datagram and a
// send evt sends only in commit(). Errors surface when the evt is chosen, with the evt's name as
// who. On a closed socket the ready-evts are ready (and sync to themselves).

import { argCount, argCount4, checkArity, checkBytes, checkIndex, checkRange } from './contract.js';
import { PrimitiveEvt, type Unwatch, type Wake } from './evt.js';
import { UDP_PRINT } from './print.js';
import { breakReason, type DatagramResult, type ReceiveResult, waitFor } from './receive.js';
import { checkSend, checkSendTo, sendAsync } from './send.js';
import { checkUdp, closedError, socketError, type Udp } from './socket.js';

/** Watch a socket for queued datagrams and close. */
export function watchUdp(u: Udp, wake: Wake): Unwatch {
  u.watchers.push(wake);
  return () => {
    const i = u.watchers.indexOf(wake);
    if (i >= 0) u.watchers.splice(i, 1);
  };
}

class UdpSendReadyEvt extends PrimitiveEvt<UdpSendReadyEvt> {
  constructor(readonly udp: Udp) {
    super();
  }
  /** node:dgram never blocks a send. */
  ready(): boolean {
    return true;
  }
  commit(): UdpSendReadyEvt {
    return this;
  }
}
Object.defineProperty(UdpSendReadyEvt.prototype, UDP_PRINT, { value: '#<udp-send-ready-evt>' });

class UdpReceiveReadyEvt extends PrimitiveEvt<UdpReceiveReadyEvt> {
  constructor(readonly udp: Udp) {
    super();
  }
  ready(): boolean {
    const u = this.udp;
    // A pending socket error (ICMP) makes the socket readable too, as poll(2) reports it.
    return u.closed || (u.bound && (u.qLen > 0 || u.pendingError !== null));
  }
  commit(): UdpReceiveReadyEvt {
    return this;
  }
  override watch(wake: Wake): Unwatch {
    return watchUdp(this.udp, wake);
  }
}
Object.defineProperty(UdpReceiveReadyEvt.prototype, UDP_PRINT, { value: '#<udp-receive-ready-evt>' });

/** Receive evt (also the extension's datagram evt when `full`). */
export class UdpReceiveEvt<T> extends PrimitiveEvt<T> {
  constructor(
    readonly udp: Udp,
    readonly bytes: Uint8Array,
    readonly start: number,
    readonly end: number,
    readonly full: boolean,
    readonly who: string,
  ) {
    super();
  }
  ready(): boolean {
    const u = this.udp;
    if (u.closed || !u.bound) return true;
    // polling is a recvfrom in Racket: it consumes a pending socket error
    u.pendingError = null;
    return u.qLen > 0;
  }
  commit(): T {
    const u = this.udp;
    if (u.closed) throw closedError(this.who);
    if (!u.bound) throw socketError(this.who, 'udp socket is not bound');
    return u.take(this.bytes, this.start, this.end, this.full) as T;
  }
  /** Synced alone: wait as a receiver does (the datagram is delivered straight into `bytes`). */
  override waitAlone(timeoutMs: number | undefined, onTimeout: () => unknown, signal: AbortSignal | null): Promise<T> {
    return waitFor(
      this.who,
      this.udp,
      this.bytes,
      this.start,
      this.end,
      this.full,
      signal,
      breakReason,
      timeoutMs,
      onTimeout,
    );
  }
  override watch(wake: Wake): Unwatch {
    const u = this.udp;
    u.receiveEvts++;
    const unwatch = watchUdp(u, wake);
    return () => {
      u.receiveEvts--;
      unwatch();
    };
  }
}
Object.defineProperty(UdpReceiveEvt.prototype, UDP_PRINT, { value: '#<udp-receive-evt>' });

class UdpSendEvtImpl extends PrimitiveEvt<void> {
  constructor(
    readonly who: string,
    readonly args: ReturnType<typeof checkSend>,
  ) {
    super();
  }
  ready(): boolean {
    return true;
  }
  /** Sends as udp-send-to / udp-send would; the result settles when node:dgram reports the send. */
  commit(): Promise<void> {
    return sendAsync(this.who, this.args, false);
  }
}
Object.defineProperty(UdpSendEvtImpl.prototype, UDP_PRINT, { value: '#<udp-send-evt>' });

/** `(udp-send-ready-evt udp-socket)`: ready when a send would not block (always, on Node). */
export function udpSendReadyEvt(udpSocket: Udp): PrimitiveEvt<PrimitiveEvt<unknown>> {
  checkArity('udp-send-ready-evt', argCount(arguments), 1, 1);
  return new UdpSendReadyEvt(checkUdp('udp-send-ready-evt', udpSocket));
}

/** `(udp-receive-ready-evt udp-socket)`: ready when a receive would not block; syncs to itself. */
export function udpReceiveReadyEvt(udpSocket: Udp): PrimitiveEvt<PrimitiveEvt<unknown>> {
  checkArity('udp-receive-ready-evt', argCount(arguments), 1, 1);
  return new UdpReceiveReadyEvt(checkUdp('udp-receive-ready-evt', udpSocket));
}

/** `(udp-send-to-evt udp-socket hostname port-no bstr [start-pos end-pos])`: sends only if chosen. */
export function udpSendToEvt(
  udpSocket: Udp,
  hostname: string,
  portNo: number,
  bstr: Uint8Array,
  startPos?: number,
  endPos?: number,
): PrimitiveEvt<void> {
  const who = 'udp-send-to-evt';
  const s = checkSendTo(who, argCount(arguments), udpSocket, hostname, portNo, bstr, startPos, endPos);
  return new UdpSendEvtImpl(who, s);
}

/** `(udp-send-evt udp-socket bstr [start-pos end-pos])`: sends only if chosen. */
export function udpSendEvt(udpSocket: Udp, bstr: Uint8Array, startPos?: number, endPos?: number): PrimitiveEvt<void> {
  const who = 'udp-send-evt';
  const s = checkSend(who, argCount(arguments), udpSocket, bstr, startPos, endPos);
  return new UdpSendEvtImpl(who, s);
}

/** Contracts of the receive evts, then the evt (no intermediate allocations: hot path). */
export function makeReceiveEvt<T>(
  who: string,
  full: boolean,
  a0: unknown,
  a1: unknown,
  a2: unknown,
  a3: unknown,
): UdpReceiveEvt<T> {
  const u = checkUdp(who, a0);
  const b = checkBytes(who, a1);
  const start = checkIndex(who, a2) ?? 0;
  const end = checkRange(who, b, start, checkIndex(who, a3));
  return new UdpReceiveEvt<T>(u, b, start, end, full, who);
}

/**
 * `(udp-receive!-evt udp-socket bstr [start-pos end-pos])`: when chosen, receives as
 * udp-receive! and syncs to `[n, host, port]`; `bstr` is untouched unless chosen.
 */
export function udpReceiveEvt(
  udpSocket: Udp,
  bstr: Uint8Array,
  startPos?: number,
  endPos?: number,
): PrimitiveEvt<ReceiveResult> {
  const who = 'udp-receive!-evt';
  checkArity(who, arguments.length > 4 ? argCount(arguments) : argCount4(udpSocket, bstr, startPos, endPos), 2, 4);
  return makeReceiveEvt<ReceiveResult>(who, false, udpSocket, bstr, startPos, endPos);
}

export type { DatagramResult };
