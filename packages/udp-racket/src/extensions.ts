// biome-ignore-all lint/complexity/noArguments: Racket arity counts the arguments actually passed
// EXTENSIONS — not part of racket/udp, not in the `racket` map. They exist for
// @udpkit/datagram-channel (Cowan's datagram channels) and TFTP on top of it. Names in error
// messages are Racket-style names of the extension (`udp-receive-datagram`, …).

import { argCount, checkArity, checkPositiveInteger, truthy } from './contract.js';
import type { PrimitiveEvt } from './evt.js';
import { setsockopt } from './options.js';
import { checkReceive, type DatagramResult, waitFor } from './receive.js';
import { checkSendTo, sendAsync } from './send.js';
import {
  checkOpen,
  checkUdp,
  clampBufferRequest,
  DEFAULT_BUFFER_SIZE,
  effectiveBufferSize,
  type Udp,
} from './socket.js';
import { makeReceiveEvt } from './udp-evts.js';

export type { DatagramResult };

const abortReason = (signal: AbortSignal): unknown => signal.reason;

/**
 * Extension. Like `udpReceive`, but resolves to `[n, host, port, length]` where `length` is the
 * datagram's full length (greater than `n` when it was truncated to `[start, end)`). With
 * `{ signal }`, aborting rejects with `signal.reason` (not ExnBreak) and consumes nothing.
 */
export function udpReceiveDatagram(
  u: Udp,
  bytes: Uint8Array,
  start?: number,
  end?: number,
  options?: { signal?: AbortSignal | null },
): Promise<DatagramResult> {
  const who = 'udp-receive-datagram';
  try {
    const argc = options === undefined ? argCount(arguments) : end === undefined ? (start === undefined ? 2 : 3) : 4;
    checkArity(who, argc, 2, 4);
    const e = checkReceive(who, u, bytes, start, end);
    const s = start === undefined ? 0 : Number(start);
    const r = u.take(bytes, s, e, true);
    if (r !== undefined) return Promise.resolve(r as DatagramResult);
    const signal = options?.signal ?? null;
    if (signal !== null) signal.throwIfAborted();
    return waitFor(who, u, bytes, s, e, true, signal, abortReason);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** Extension. Never waits: `[n, host, port, length]` or `[false, false, false, false]`. */
export function udpReceiveDatagramStar(
  u: Udp,
  bytes: Uint8Array,
  start?: number,
  end?: number,
): DatagramResult | [false, false, false, false] {
  const who = 'udp-receive-datagram*';
  checkArity(who, argCount(arguments), 2, 4);
  const e = checkReceive(who, u, bytes, start, end);
  const r = u.take(bytes, start === undefined ? 0 : Number(start), e, true);
  return r === undefined ? [false, false, false, false] : (r as DatagramResult);
}

/** Extension. An evt that, when chosen, receives like `udpReceiveDatagram` and syncs to `[n, host, port, length]`. */
export function udpReceiveDatagramEvt(
  u: Udp,
  bytes: Uint8Array,
  start?: number,
  end?: number,
): PrimitiveEvt<DatagramResult> {
  const who = 'udp-receive-datagram-evt';
  checkArity(who, argCount(arguments), 2, 4);
  return makeReceiveEvt<DatagramResult>(who, true, u, bytes, start, end);
}

/**
 * Extension. Like `udpSendTo`, but also on a connected socket, to any destination (Cowan's
 * `datagram-channel-send-to`). The socket stays connected to its peer.
 */
export function udpSendToAny(
  u: Udp,
  host: string,
  port: number,
  bytes: Uint8Array,
  start?: number,
  end?: number,
): Promise<void> {
  const who = 'udp-send-to-any';
  try {
    const s = checkSendTo(who, argCount(arguments), u, host, port, bytes, start, end);
    return sendAsync(who, s, true);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** Extension. SO_SNDBUF (clamped like Linux); recorded and replayed on an unbound socket. */
export function udpSetSendBufferSize(u: Udp, size: number): void {
  const who = 'udp-set-send-buffer-size!';
  checkArity(who, argCount(arguments), 2, 2);
  const s = checkUdp(who, u);
  const n = checkPositiveInteger(who, size);
  checkOpen(who, s);
  const req = clampBufferRequest(n, 'send');
  setsockopt(who, s, (k) => k.setSendBufferSize(req));
  s.sendBufferRequest = req;
}

/** Extension. The effective SO_SNDBUF (what Linux reports: twice the request). */
export function udpSendBufferSize(u: Udp): number {
  const who = 'udp-send-buffer-size';
  checkArity(who, argCount(arguments), 1, 1);
  const s = checkUdp(who, u);
  checkOpen(who, s);
  if (s.sock !== null) {
    try {
      return s.sock.getSendBufferSize();
    } catch {
      // fall through
    }
  }
  return s.sendBufferRequest ? effectiveBufferSize(s.sendBufferRequest, 'send') : DEFAULT_BUFFER_SIZE;
}

/** Extension. The effective SO_RCVBUF; also the bound of the in-process receive queue. */
export function udpReceiveBufferSize(u: Udp): number {
  const who = 'udp-receive-buffer-size';
  checkArity(who, argCount(arguments), 1, 1);
  const s = checkUdp(who, u);
  checkOpen(who, s);
  if (s.sock !== null) {
    try {
      return s.sock.getRecvBufferSize();
    } catch {
      // fall through
    }
  }
  return s.rcvLimit;
}

/** Extension. SO_BROADCAST (on by default, as Racket's sockets allow broadcasting). */
export function udpSetBroadcast(u: Udp, on: unknown): void {
  const who = 'udp-set-broadcast!';
  checkArity(who, argCount(arguments), 2, 2);
  const s = checkUdp(who, u);
  checkOpen(who, s);
  const flag = truthy(on);
  setsockopt(who, s, (k) => k.setBroadcast(flag));
  s.broadcast = flag;
}

/** Extension. Whether SO_BROADCAST is on. */
export function udpBroadcast(u: Udp): boolean {
  const who = 'udp-broadcast?';
  checkArity(who, argCount(arguments), 1, 1);
  const s = checkUdp(who, u);
  checkOpen(who, s);
  return s.broadcast;
}

/** Extension. Datagrams dropped because the receive queue was full (works on a closed socket too). */
export function udpDroppedCount(u: Udp): number {
  checkArity('udp-dropped-count', argCount(arguments), 1, 1);
  return checkUdp('udp-dropped-count', u).dropped;
}

/**
 * Extension. Like node:dgram's `socket.unref()`: the socket no longer keeps the Node.js process
 * alive, now or after a later bind. Used by TFTP to dally after a final ACK (RFC 1350 §6) without
 * holding the process open. Idempotent; a no-op on a closed socket.
 */
export function udpUnref(u: Udp): void {
  checkArity('udp-unref', argCount(arguments), 1, 1);
  const s = checkUdp('udp-unref', u);
  s.ref = false;
  s.sock?.unref();
}

/** Extension. Undoes `udpUnref`: the socket keeps the process alive again (the default). */
export function udpRef(u: Udp): void {
  checkArity('udp-ref', argCount(arguments), 1, 1);
  const s = checkUdp('udp-ref', u);
  s.ref = true;
  s.sock?.ref();
}
