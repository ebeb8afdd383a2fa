// biome-ignore-all lint/complexity/noArguments: Racket arity counts the arguments actually passed
// udp-receive!, udp-receive!*, udp-receive!/enable-break (Racket reference §15.3.2).
// Hot path: one waiter object per call that has to wait, the datagram copied straight from the
// Buffer node:dgram gave us into the caller's bytes (socket.ts `deliver`).

import { type BreakOptions, splitBreakOptions } from './breaks.js';
import { argCount, arityError, checkArity, checkBytes, checkIndex, checkRange } from './contract.js';
import { ExnBreak } from './exn.js';
import { checkUdp, cleanupWaiter, closedError, isUdpValue, socketError, type Udp, type Waiter } from './socket.js';

export type ReceiveResult = [count: number, host: string, port: number];
export type DatagramResult = [count: number, host: string, port: number, length: number];

/** Contracts, range, then state (closed, not bound); returns the end position. */
export function checkReceive(who: string, u: unknown, bytes: unknown, start: unknown, end: unknown): number {
  const s = checkUdp(who, u);
  const b = checkBytes(who, bytes);
  const st = checkIndex(who, start) ?? 0;
  const en = checkIndex(who, end);
  const e = checkRange(who, b, st, en);
  if (s.closed) throw closedError(who);
  if (!s.bound) throw socketError(who, 'udp socket is not bound');
  return e;
}

/**
 * Wait for the next datagram (caller checked everything and the queue was empty). With a
 * `timeoutMs`, resolves to `onTimeout()` if nothing came (sync/timeout on a lone receive evt).
 */
export function waitFor(
  who: string,
  u: Udp,
  bytes: Uint8Array,
  start: number,
  end: number,
  full: boolean,
  signal: AbortSignal | null,
  abortReason: (signal: AbortSignal) => unknown,
  timeoutMs?: number,
  onTimeout?: () => unknown,
): Promise<never> {
  if (signal !== null || timeoutMs !== undefined) {
    return waitWithBreakOrTimeout(who, u, bytes, start, end, full, signal, abortReason, timeoutMs, onTimeout);
  }
  // The hot path: no closures, no context; the executor hands the resolvers over.
  const p = new Promise<never>(takeResolvers);
  const w: Waiter = {
    bytes,
    start,
    end,
    full,
    who,
    resolve: lastResolve!,
    reject: lastReject!,
    signal: null,
    onAbort: null,
    timer: null,
    prev: null,
    next: null,
  };
  lastResolve = null;
  lastReject = null;
  u.addWaiter(w);
  return p;
}

let lastResolve: ((v: never) => void) | null = null;
let lastReject: ((e: unknown) => void) | null = null;
function takeResolvers(resolve: (v: never) => void, reject: (e: unknown) => void): void {
  lastResolve = resolve;
  lastReject = reject;
}

function waitWithBreakOrTimeout(
  who: string,
  u: Udp,
  bytes: Uint8Array,
  start: number,
  end: number,
  full: boolean,
  signal: AbortSignal | null,
  abortReason: (signal: AbortSignal) => unknown,
  timeoutMs?: number,
  onTimeout?: () => unknown,
): Promise<never> {
  return new Promise<never>((resolve, reject) => {
    const w: Waiter = {
      bytes,
      start,
      end,
      full,
      who,
      resolve,
      reject,
      signal: null,
      onAbort: null,
      timer: null,
      prev: null,
      next: null,
    };
    u.addWaiter(w);
    const remove = () => {
      u.removeWaiter(w);
      cleanupWaiter(w);
    };
    if (signal !== null) {
      w.signal = signal;
      w.onAbort = () => {
        remove();
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', w.onAbort, { once: true });
    }
    if (timeoutMs !== undefined) {
      w.timer = setTimeout(() => {
        remove();
        try {
          (resolve as (v: unknown) => void)(onTimeout ? onTimeout() : false);
        } catch (e) {
          reject(e);
        }
      }, timeoutMs);
    }
  });
}

export const breakReason = (): ExnBreak => new ExnBreak();

/**
 * `(udp-receive! udp-socket bstr [start-pos end-pos])` → `Promise<[n, host, port]>`.
 * Stores at most `end − start` bytes; the rest of a longer datagram is discarded.
 */
export function udpReceive(
  udpSocket: Udp,
  bstr: Uint8Array,
  startPos?: number,
  endPos?: number,
): Promise<ReceiveResult> {
  // Fast path: `(udp-receive! u bstr)` on an open, bound socket — the same checks, inlined.
  if (
    arguments.length === 2 &&
    isUdpValue(udpSocket) &&
    bstr instanceof Uint8Array &&
    !udpSocket.closed &&
    udpSocket.bound
  ) {
    const r = udpSocket.take(bstr, 0, bstr.length, false);
    if (r !== undefined) return Promise.resolve(r as ReceiveResult);
    return waitFor('udp-receive!', udpSocket, bstr, 0, bstr.length, false, null, breakReason);
  }
  let argc = arguments.length;
  while (argc > 0 && arguments[argc - 1] === undefined) argc--;
  try {
    if (argc < 2 || argc > 4) throw arityError('udp-receive!', argc, 2, 4);
    const end = checkReceive('udp-receive!', udpSocket, bstr, startPos, endPos);
    const start = startPos === undefined ? 0 : Number(startPos);
    const r = udpSocket.take(bstr, start, end, false);
    if (r !== undefined) return Promise.resolve(r as ReceiveResult);
    return waitFor('udp-receive!', udpSocket, bstr, start, end, false, null, breakReason);
  } catch (e) {
    return Promise.reject(e);
  }
}

/** `(udp-receive!* udp-socket bstr [start-pos end-pos])` → `[n, host, port]` or `[false, false, false]`. */
export function udpReceiveStar(
  udpSocket: Udp,
  bstr: Uint8Array,
  startPos?: number,
  endPos?: number,
): ReceiveResult | [false, false, false] {
  checkArity('udp-receive!*', argCount(arguments), 2, 4);
  const end = checkReceive('udp-receive!*', udpSocket, bstr, startPos, endPos);
  const r = udpSocket.take(bstr, startPos === undefined ? 0 : Number(startPos), end, false);
  return r === undefined ? [false, false, false] : (r as ReceiveResult);
}

/**
 * `(udp-receive!/enable-break udp-socket bstr [start-pos end-pos])`, last argument `{ signal }`.
 * Aborting rejects with ExnBreak and consumes nothing; an already-aborted signal breaks only a
 * call that would wait.
 */
export function udpReceiveEnableBreak(
  udpSocket: Udp,
  bstr: Uint8Array,
  ...rest: Array<number | BreakOptions | undefined>
): Promise<ReceiveResult> {
  const who = 'udp-receive!/enable-break';
  try {
    const [args, opts] = splitBreakOptions([udpSocket, bstr, ...rest]);
    checkArity(who, argCount(args), 2, 4);
    const end = checkReceive(who, args[0], args[1], args[2], args[3]);
    const start = args[2] === undefined ? 0 : Number(args[2]);
    const r = udpSocket.take(bstr, start, end, false);
    if (r !== undefined) return Promise.resolve(r as ReceiveResult);
    const signal = opts?.signal ?? null;
    if (signal?.aborted) throw new ExnBreak();
    return waitFor(who, udpSocket, bstr, start, end, false, signal, breakReason);
  } catch (e) {
    return Promise.reject(e);
  }
}
