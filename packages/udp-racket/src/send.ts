// biome-ignore-all lint/complexity/noArguments: Racket arity counts the arguments actually passed
// udp-send-to, udp-send, udp-send-to*, udp-send*, udp-send-to/enable-break,
// udp-send/enable-break (Racket reference §15.3.2; racket-udp.md "Behaviour", "bugs").
//
// node:dgram never blocks a send (libuv queues it), so the Star variants always queue and
// return true, unless a hostname still has to be looked up: then they start the lookup, return
// false, and a later call uses the answer. Errors that arrive after a send was queued (ICMP,
// a failed queued send) are kept and raised by the next send, as the kernel does for Racket.

import { type BreakOptions, splitBreakOptions } from './breaks.js';
import {
  argCount,
  argCount4,
  argCount6,
  checkArity,
  checkBytes,
  checkIndex,
  checkPort,
  checkRange,
  checkString,
} from './contract.js';
import { ExnBreak } from './exn.js';
import { forSocketFamily, ipFamily, lookupHost, resolveError } from './lookup.js';
import { checkOpen, checkUdp, type NameEntry, socketError, systemError, type Udp } from './socket.js';

/** Largest UDP payloads: 65535 − 20 − 8 (IPv4) and 65535 − 8 (IPv6). */
const MAX_V4 = 65507;
const MAX_V6 = 65527;

interface SendArgs {
  u: Udp;
  host: string | null;
  port: number;
  bytes: Uint8Array;
  start: number;
  end: number;
}

/** Arity, then each argument's contract, then the range — the send-to family. */
export function checkSendTo(
  who: string,
  argc: number,
  a0: unknown,
  a1: unknown,
  a2: unknown,
  a3: unknown,
  a4: unknown,
  a5: unknown,
): SendArgs {
  checkArity(who, argc, 4, 6);
  const u = checkUdp(who, a0);
  const host = checkString(who, a1);
  const port = checkPort(who, a2);
  const bytes = checkBytes(who, a3);
  const start = checkIndex(who, a4) ?? 0;
  const endArg = checkIndex(who, a5);
  const end = checkRange(who, bytes, start, endArg);
  return { u, host, port, bytes, start, end };
}

/** The send family (connected socket). */
export function checkSend(who: string, argc: number, a0: unknown, a1: unknown, a2: unknown, a3: unknown): SendArgs {
  checkArity(who, argc, 2, 4);
  const u = checkUdp(who, a0);
  const bytes = checkBytes(who, a1);
  const start = checkIndex(who, a2) ?? 0;
  const endArg = checkIndex(who, a3);
  const end = checkRange(who, bytes, start, endArg);
  return { u, host: null, port: 0, bytes, start, end };
}

/** State checks: closed, then connected (send-to) / not connected (send). */
export function checkSendState(who: string, s: SendArgs, anyDestination = false): void {
  checkOpen(who, s.u);
  if (s.host !== null) {
    if (s.u.connected && !anyDestination) throw socketError(who, 'udp socket is connected');
  } else if (!s.u.connected) throw socketError(who, 'udp socket is not connected');
}

/** How long a looked-up name serves Star sends before it is looked up again (in the background). */
const NAME_FRESH_MS = 5000;

/**
 * A numeric address for a Star send: the literal, or the socket's cached answer for the name;
 * `undefined` when a lookup is needed. A stale answer is still used while a fresh lookup runs;
 * a failed lookup is raised once.
 */
export function cachedIp(who: string, s: SendArgs): string | undefined {
  const host = s.host!;
  if (ipFamily(host) !== 0) return host;
  const hit = s.u.names.get(host);
  if (hit === undefined) return undefined;
  if ('ip' in hit) {
    if (performance.now() - hit.at > NAME_FRESH_MS && !hit.refreshing) {
      hit.refreshing = true;
      startLookup(s);
    }
    return hit.ip;
  }
  s.u.names.delete(host);
  throw resolveError(who, "can't resolve address", host, s.port, hit.error);
}

function remember(s: SendArgs, host: string, entry: NameEntry): void {
  if (s.u.names.size >= 64 && !s.u.names.has(host)) s.u.names.clear();
  s.u.names.set(host, entry);
}

/** Look `host` up (every blocking send does, as Racket does), and remember it for Star sends. */
export async function resolveFor(who: string, s: SendArgs): Promise<string> {
  const host = s.host!;
  if (ipFamily(host) !== 0) return host;
  try {
    const ip = await lookupHost(host);
    remember(s, host, { ip, at: performance.now(), refreshing: false });
    return ip;
  } catch (err) {
    throw resolveError(who, "can't resolve address", host, s.port, err);
  }
}

/** Start a lookup for a Star send; the answer (or error) waits in the socket's cache. */
function startLookup(s: SendArgs): void {
  const host = s.host!;
  lookupHost(host).then(
    (ip) => remember(s, host, { ip, at: performance.now(), refreshing: false }),
    (error: unknown) => remember(s, host, { error }),
  );
}

/**
 * Put the datagram on the wire (all checks done, `ip` numeric or null for the connected peer).
 * Auto-binds an unbound socket. With `wait`, resolves when node:dgram reports the send;
 * otherwise returns at once and keeps a late error for the next send.
 */
export function transmit(who: string, s: SendArgs, ip: string | null, wait: boolean): Promise<void> | undefined {
  const u = s.u;
  const len = s.end - s.start;
  // Racket binds an unbound socket before it sends, so a send that then fails leaves it bound.
  const bindErr = u.ensureOs();
  if (bindErr) throw systemError(who, 'send failed', '', bindErr);
  u.bound = true;
  let target: string | null = null;
  if (ip !== null) {
    const fam = ipFamily(ip);
    if (u.family === 4) {
      if (fam === 6) throw systemError(who, 'send failed', '', null, [97, 'posix']);
      target = ip;
    } else {
      target = forSocketFamily(ip, 6);
      if (u.v6only && target.toLowerCase().startsWith('::ffff:')) {
        throw systemError(who, 'send failed', '', null, [101, 'posix']);
      }
    }
    if (u.bindIp !== null) {
      const errno = boundSourceErrorMemo(u, target);
      if (errno !== 0) throw systemError(who, 'send failed', '', null, [errno, 'posix']);
    }
    if (len > (fam === 4 ? MAX_V4 : MAX_V6)) throw systemError(who, 'send failed', '', null, [90, 'posix']);
  } else if (len > MAX_V4 && len > (u.peerHost.includes(':') && !u.peerHost.startsWith('::ffff:') ? MAX_V6 : MAX_V4)) {
    throw systemError(who, 'send failed', '', null, [90, 'posix']);
  }
  if (u.pendingError !== null) {
    const err = u.pendingError;
    u.pendingError = null;
    throw systemError(who, 'send failed', '', err);
  }
  if (u.sendError !== null && u.sendErrorHost === (target ?? '') && u.sendErrorPort === s.port) {
    const err = u.sendError;
    u.sendError = null;
    throw systemError(who, 'send failed', '', err);
  }
  if (!wait) {
    // Star sends: node:dgram reports a send's outcome only through a callback (a tick later).
    // Ask for it on the first send to a destination; once one got through, further sends to
    // the same destination skip it (the hot path of a conversation). ICMP errors still arrive
    // as 'error' events and are raised by the next send.
    const key = target ?? '';
    if (key === u.okHost && s.port === u.okPort) put(u, s, len, target, undefined);
    else {
      u.probeHost = key;
      u.probePort = s.port;
      put(u, s, len, target, u.onSendDone);
    }
    return undefined;
  }
  return new Promise<void>((resolve, reject) => {
    put(u, s, len, target, (err: Error | null) => {
      if (err && (err as { code?: string }).code !== 'ECANCELED') reject(systemError(who, 'send failed', '', err));
      else resolve();
    });
  });
}

/** Hand the datagram to node:dgram (a whole byte string without offset/length: no slicing). */
function put(
  u: Udp,
  s: SendArgs,
  len: number,
  target: string | null,
  cb: ((err: Error | null) => void) | undefined,
): void {
  const sock = u.sock!;
  const whole = s.start === 0 && len === s.bytes.length;
  if (target === null) {
    if (whole) sock.send(s.bytes, cb);
    else sock.send(s.bytes, s.start, len, cb);
  } else if (u.connected) u.sendWhileConnected(s.bytes, s.start, len, s.port, target, cb);
  else if (whole) sock.send(s.bytes, s.port, target, cb);
  else sock.send(s.bytes, s.start, len, s.port, target, cb);
}

const MAPPED = '::ffff:';
const isMapped = (ip: string) => ip.length > 7 && ip.slice(0, 7).toLowerCase() === MAPPED;

// One-entry memo of boundSourceError: a conversation sends from one source to one peer.
let memoFamily: 4 | 6 = 4;
let memoSrc = '';
let memoDst = '';
let memoErrno = 0;

function boundSourceErrorMemo(u: Udp, target: string): number {
  const src = u.bindIp!;
  if (src === memoSrc && target === memoDst && u.family === memoFamily) return memoErrno;
  const errno = boundSourceError(u, target);
  memoFamily = u.family;
  memoSrc = src;
  memoDst = target;
  memoErrno = errno;
  return errno;
}

/**
 * Errors Linux gives at once for the bound source address, checked here so that Star sends
 * raise them too (node:dgram reports a send's failure only a tick later): an IPv6 socket bound
 * to a v4-mapped address speaks only IPv4 (EAFNOSUPPORT for an IPv6 destination); a source in
 * 127.0.0.0/8 cannot reach other hosts (EINVAL), except 0.0.0.0, multicast and broadcast.
 */
function boundSourceError(u: Udp, target: string): number {
  const src = u.bindIp!;
  let src4: string | null = src;
  let dst4: string | null = target;
  if (u.family === 6) {
    if (!isMapped(src)) return 0;
    if (!isMapped(target)) return 97;
    src4 = src.slice(7);
    dst4 = target.slice(7);
  }
  if (!src4.startsWith('127.') || dst4.startsWith('127.')) return 0;
  if (dst4 === '0.0.0.0' || dst4 === '255.255.255.255') return 0;
  const first = Number.parseInt(dst4, 10);
  if (first >= 224 && first <= 239) return 0;
  return 22;
}

/** Shared body of the Promise-returning sends. */
export async function sendAsync(
  who: string,
  s: SendArgs,
  anyDestination: boolean,
  signal?: AbortSignal | null,
): Promise<void> {
  checkSendState(who, s, anyDestination);
  let ip: string | null = null;
  if (s.host !== null) {
    if (ipFamily(s.host) !== 0) ip = s.host;
    else {
      if (signal?.aborted) throw new ExnBreak();
      ip = signal ? await raceBreak(resolveFor(who, s), signal) : await resolveFor(who, s);
      checkSendState(who, s, anyDestination);
    }
  }
  return transmit(who, s, ip, true);
}

function raceBreak<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ExnBreak());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) reject(new ExnBreak());
        else resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Shared body of the Star sends: true when queued, false when a name lookup is still running. */
export function sendStar(who: string, s: SendArgs): boolean {
  checkSendState(who, s);
  let ip: string | null = null;
  if (s.host !== null) {
    const cached = cachedIp(who, s);
    if (cached === undefined) {
      startLookup(s);
      return false;
    }
    ip = cached;
  }
  transmit(who, s, ip, false);
  return true;
}

/**
 * `(udp-send-to udp-socket hostname port-no bstr [start-pos end-pos])` → `Promise<void>`.
 * An empty byte string is sent as an empty datagram (Racket 8.7 hangs instead: not reproduced).
 */
export function udpSendTo(
  udpSocket: Udp,
  hostname: string,
  portNo: number,
  bstr: Uint8Array,
  startPos?: number,
  endPos?: number,
): Promise<void> {
  try {
    const s = checkSendTo('udp-send-to', argCount(arguments), udpSocket, hostname, portNo, bstr, startPos, endPos);
    return sendAsync('udp-send-to', s, false);
  } catch (e) {
    return Promise.reject(e);
  }
}

/** `(udp-send udp-socket bstr [start-pos end-pos])` → `Promise<void>` (connected sockets). */
export function udpSend(udpSocket: Udp, bstr: Uint8Array, startPos?: number, endPos?: number): Promise<void> {
  try {
    const s = checkSend('udp-send', argCount(arguments), udpSocket, bstr, startPos, endPos);
    checkSendState('udp-send', s);
    const p = transmit('udp-send', s, null, true);
    return p!;
  } catch (e) {
    return Promise.reject(e);
  }
}

/** `(udp-send-to* …)` → `boolean`, never waits. */
export function udpSendToStar(
  udpSocket: Udp,
  hostname: string,
  portNo: number,
  bstr: Uint8Array,
  startPos?: number,
  endPos?: number,
): boolean {
  const argc =
    arguments.length > 6 ? argCount(arguments) : argCount6(udpSocket, hostname, portNo, bstr, startPos, endPos);
  const s = checkSendTo('udp-send-to*', argc, udpSocket, hostname, portNo, bstr, startPos, endPos);
  return sendStar('udp-send-to*', s);
}

/** `(udp-send* udp-socket bstr [start-pos end-pos])` → `boolean`, never waits. */
export function udpSendStar(udpSocket: Udp, bstr: Uint8Array, startPos?: number, endPos?: number): boolean {
  const argc = arguments.length > 4 ? argCount(arguments) : argCount4(udpSocket, bstr, startPos, endPos);
  const s = checkSend('udp-send*', argc, udpSocket, bstr, startPos, endPos);
  return sendStar('udp-send*', s);
}

/**
 * `(udp-send-to/enable-break … )` → `Promise<void>`; last argument `{ signal }`.
 * Either the datagram is sent or the call rejects with ExnBreak, not both. A send only waits
 * for a name lookup, so that is when a break can happen.
 */
export function udpSendToEnableBreak(
  udpSocket: Udp,
  hostname: string,
  portNo: number,
  bstr: Uint8Array,
  ...rest: Array<number | BreakOptions | undefined>
): Promise<void> {
  try {
    const [args, opts] = splitBreakOptions([udpSocket, hostname, portNo, bstr, ...rest]);
    const s = checkSendTo(
      'udp-send-to/enable-break',
      argCount(args),
      args[0],
      args[1],
      args[2],
      args[3],
      args[4],
      args[5],
    );
    return sendAsync('udp-send-to/enable-break', s, false, opts?.signal ?? null);
  } catch (e) {
    return Promise.reject(e);
  }
}

/** `(udp-send/enable-break udp-socket bstr [start-pos end-pos])`; last argument `{ signal }`. */
export function udpSendEnableBreak(
  udpSocket: Udp,
  bstr: Uint8Array,
  ...rest: Array<number | BreakOptions | undefined>
): Promise<void> {
  try {
    const [args] = splitBreakOptions([udpSocket, bstr, ...rest]);
    const s = checkSend('udp-send/enable-break', argCount(args), args[0], args[1], args[2], args[3]);
    checkSendState('udp-send/enable-break', s);
    return transmit('udp-send/enable-break', s, null, true)!;
  } catch (e) {
    return Promise.reject(e);
  }
}
