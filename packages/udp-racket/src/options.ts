// biome-ignore-all lint/complexity/noArguments: Racket arity counts the arguments actually passed
// udp-set-ttl!, udp-ttl, udp-set-receive-buffer-size! (Racket reference §15.3.2).
// Options are recorded on the Udp and replayed when the OS socket is created, so they can be set
// and read before binding, as in Racket. Getters return the recorded value (node:dgram cannot
// read these options back).

import { argCount, checkArity, checkByte, checkPositiveInteger } from './contract.js';
import { ExnFailNetwork } from './exn.js';
import { errorValueToString } from './print.js';
import { checkOpen, checkUdp, clampBufferRequest, effectiveBufferSize, systemError, type Udp } from './socket.js';

/** Racket CS's largest fixnum on 64-bit machines: 2^60 − 1. */
const MAX_FIXNUM = 2 ** 60 - 1;

/** Run a node:dgram setter; its error becomes `WHO: setsockopt failed`. */
export function setsockopt(who: string, u: Udp, f: (sock: NonNullable<Udp['sock']>) => void): void {
  if (u.sock === null) return;
  try {
    f(u.sock);
  } catch (err) {
    throw systemError(who, 'setsockopt failed', '', err);
  }
}

/** `(udp-set-ttl! udp-socket ttl)`: IP_TTL; 0 is refused by Linux (`Invalid argument; errno=22`). */
export function udpSetTtl(udpSocket: Udp, ttl: number): void {
  const who = 'udp-set-ttl!';
  checkArity(who, argCount(arguments), 2, 2);
  const u = checkUdp(who, udpSocket);
  const n = checkByte(who, ttl);
  checkOpen(who, u);
  if (n === 0) throw systemError(who, 'setsockopt failed', '', null, [22, 'posix']);
  setsockopt(who, u, (s) => s.setTTL(n));
  u.ttl = n;
}

/** `(udp-ttl udp-socket)` → the time-to-live (default 64). */
export function udpTtl(udpSocket: Udp): number {
  const who = 'udp-ttl';
  checkArity(who, argCount(arguments), 1, 1);
  const u = checkUdp(who, udpSocket);
  checkOpen(who, u);
  return u.ttl;
}

/**
 * `(udp-set-receive-buffer-size! udp-socket size)`: SO_RCVBUF, clamped like Linux
 * (2 × min(size, rmem_max)). Also bounds the in-process receive queue to the same size.
 */
export function udpSetReceiveBufferSize(udpSocket: Udp, size: number): void {
  const who = 'udp-set-receive-buffer-size!';
  checkArity(who, argCount(arguments), 2, 2);
  const u = checkUdp(who, udpSocket);
  const n = checkPositiveInteger(who, size);
  checkOpen(who, u);
  // Racket passes the size on as a fixnum: beyond that, exn:fail:network (racket 8.7).
  if (n > MAX_FIXNUM)
    throw new ExnFailNetwork(`${who}: given size is too large\n  given size: ${errorValueToString(size)}`);
  const req = clampBufferRequest(n, 'recv');
  setsockopt(who, u, (s) => s.setRecvBufferSize(req));
  u.recvBufferRequest = req;
  u.rcvLimit = effectiveBufferSize(req, 'recv');
}
