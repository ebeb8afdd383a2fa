// biome-ignore-all lint/complexity/noArguments: Racket arity counts the arguments actually passed
// Racket's evts and sync (Racket reference §11.2.1 "Events"), small enough to read in one go.
//
// The protocol. An evt is an object branded with Symbol.for('@udpkit/udp-racket.evt') and one
// of three shapes (`evtKind`):
//   'prim'   — a primitive evt with three methods:
//                ready(): boolean        would commit() succeed now? must not act
//                commit(): T | Promise<T> act and return the sync result (or throw); called
//                                         only right after ready() returned true, in the same
//                                         synchronous step, and only for the chosen evt
//                watch(wake): unwatch    call wake() whenever ready() may have become true
//                waitAlone?(ms, onTimeout, signal)  optional fast path when the evt is synced
//                                         alone (not ready, no wraps): wait and act in one go
//                                         (a receive evt waits like udp-receive!)
//   'choice' — `choices`: the evts of choice-evt
//   'wrap'   — `inner` and `wrapper`: wrap-evt / handle-evt (the wrapper gets the inner result)
// sync flattens choices and wraps into primitive leaves, asks every leaf ready(), picks one
// ready leaf uniformly at random (Racket's fair choice), commits only that one and applies its
// wrappers. When nothing is ready it watches every leaf and tries again on each wake.

import { type BreakOptions, splitBreakOptions } from './breaks.js';
import { argCount, arityError, checkArity, checkProcedure, contractError } from './contract.js';
import { EVT_BRAND, isEvtValue } from './evt-brand.js';
import { ExnBreak } from './exn.js';
import { UDP_PRINT } from './print.js';

export type Wake = () => void;
export type Unwatch = () => void;

/** Base of every evt. `T` is the sync result. */
export abstract class Evt<T = unknown> {
  /** Type-level only: the sync result. */
  declare readonly __result?: T;
  abstract readonly evtKind: 'prim' | 'choice' | 'wrap';
}
Object.defineProperty(Evt.prototype, EVT_BRAND, { value: true });

/** The sync result type of an evt type. */
export type EvtResult<E> = E extends Evt<infer T> ? T : never;

/** A primitive evt (see the protocol above). */
export abstract class PrimitiveEvt<T = unknown> extends Evt<T> {
  readonly evtKind = 'prim' as const;
  abstract ready(): boolean;
  abstract commit(): T | Promise<T>;
  /** Default: never becomes ready by itself. */
  watch(_wake: Wake): Unwatch {
    return noop;
  }
  /**
   * Optional fast path, used when this evt is synced alone and is not ready: wait, act, and
   * settle like sync would (`onTimeout()` after `timeoutMs`, ExnBreak on `signal`); or return
   * `undefined` to let sync watch it the general way.
   */
  waitAlone?(
    timeoutMs: number | undefined,
    onTimeout: () => unknown,
    signal: AbortSignal | null,
  ): Promise<T> | undefined;
}

const noop = () => {};
const returnFalse = () => false;

class ChoiceEvt<T> extends Evt<T> {
  readonly evtKind = 'choice' as const;
  constructor(readonly choices: readonly Evt<unknown>[]) {
    super();
  }
}
Object.defineProperty(ChoiceEvt.prototype, UDP_PRINT, { value: '#<choice-evt>' });

class WrapEvt<T> extends Evt<T> {
  readonly evtKind = 'wrap' as const;
  constructor(
    readonly inner: Evt<unknown>,
    readonly wrapper: (v: never) => unknown,
    readonly handle: boolean,
  ) {
    super();
  }
}
Object.defineProperty(WrapEvt.prototype, UDP_PRINT, { value: '#<evt>' });

class AlwaysEvt extends PrimitiveEvt<AlwaysEvt> {
  ready(): boolean {
    return true;
  }
  commit(): AlwaysEvt {
    return this;
  }
}
Object.defineProperty(AlwaysEvt.prototype, UDP_PRINT, { value: '#<always-evt>' });

class NeverEvt extends PrimitiveEvt<never> {
  ready(): boolean {
    return false;
  }
  commit(): never {
    throw new Error('never-evt committed');
  }
}
Object.defineProperty(NeverEvt.prototype, UDP_PRINT, { value: '#<never-evt>' });

/** `always-evt`: always ready; its sync result is itself. */
export const alwaysEvt: Evt<Evt<unknown>> = new AlwaysEvt();
/** `never-evt`: never ready. */
export const neverEvt: Evt<never> = new NeverEvt();

/** `(evt? v)`. */
export function isEvt(v: unknown): v is Evt<unknown> {
  checkArity('evt?', argCount(arguments), 1, 1);
  return isEvtValue(v);
}

/** `(choice-evt evt ...)`. */
export function choiceEvt<E extends Evt<unknown>[]>(...evts: E): Evt<EvtResult<E[number]>> {
  for (const e of evts) if (!isEvtValue(e)) throw contractError('choice-evt', 'evt?', e);
  return new ChoiceEvt<EvtResult<E[number]>>(evts);
}

/** `(wrap-evt evt wrap)`: the sync result is `wrap(result)`. */
export function wrapEvt<T, U>(evt: Evt<T>, wrap: (v: T) => U): Evt<Awaited<U>> {
  checkArity('wrap-evt', argCount(arguments), 2, 2);
  if (!isEvtValue(evt)) throw contractError('wrap-evt', 'evt?', evt);
  checkProcedure('wrap-evt', wrap);
  return new WrapEvt(evt, wrap as (v: never) => unknown, false);
}

/** `(handle-evt evt handle)`: like wrap-evt; `handle` runs in tail position of sync. */
export function handleEvt<T, U>(evt: Evt<T>, handle: (v: T) => U): Evt<Awaited<U>> {
  checkArity('handle-evt', argCount(arguments), 2, 2);
  if (!isEvtValue(evt)) throw contractError('handle-evt', 'evt?', evt);
  checkProcedure('handle-evt', handle);
  return new WrapEvt(evt, handle as (v: never) => unknown, true);
}

// ---- sync ---------------------------------------------------------------------------------------

type Wrappers = Array<(v: never) => unknown> | null;
interface Leaf {
  prim: PrimitiveEvt<unknown>;
  wraps: Wrappers;
}

function flatten(who: string, evts: readonly unknown[], wraps: Wrappers, out: Leaf[]): void {
  for (const e of evts) {
    if (!isEvtValue(e)) throw contractError(who, 'evt?', e);
    const evt = e as Evt<unknown>;
    if (evt.evtKind === 'prim') out.push({ prim: evt as PrimitiveEvt<unknown>, wraps });
    else if (evt.evtKind === 'choice') flatten(who, (evt as ChoiceEvt<unknown>).choices, wraps, out);
    else {
      const w = evt as WrapEvt<unknown>;
      flatten(who, [w.inner], wraps === null ? [w.wrapper] : [w.wrapper, ...wraps], out);
    }
  }
}

const NOT_READY: unique symbol = Symbol('not ready');

function applyWraps(v: unknown, wraps: Wrappers): unknown {
  if (wraps === null) return v;
  for (const f of wraps) {
    v = v instanceof Promise ? v.then(f as (x: unknown) => unknown) : (f as (x: unknown) => unknown)(v);
  }
  return v;
}

/** Choose one ready leaf at random (reservoir sampling), commit it, apply its wrappers. */
function attempt(leaves: readonly Leaf[]): unknown {
  let chosen: Leaf | undefined;
  let ready = 0;
  for (const leaf of leaves) {
    if (leaf.prim.ready()) {
      ready++;
      if (ready === 1 || Math.random() * ready < 1) chosen = leaf;
    }
  }
  if (chosen === undefined) return NOT_READY;
  return applyWraps(chosen.prim.commit(), chosen.wraps);
}

/** Longest setTimeout delay; longer timeouts wait forever. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * The core of sync, sync/timeout and sync/enable-break.
 * `timeout`: undefined = forever, 0 = poll (after yielding to the event loop once), else ms.
 */
function syncCore(
  who: string,
  evts: readonly unknown[],
  timeout: number | undefined,
  onTimeout: (() => unknown) | null,
  signal: AbortSignal | null,
): Promise<unknown> {
  // Fast path: one primitive evt.
  if (evts.length === 1 && isEvtValue(evts[0]) && (evts[0] as Evt<unknown>).evtKind === 'prim') {
    const e = evts[0] as PrimitiveEvt<unknown>;
    if (signal?.aborted) return Promise.reject(new ExnBreak());
    try {
      if (e.ready()) return Promise.resolve(e.commit());
    } catch (err) {
      return Promise.reject(err);
    }
    if (timeout !== 0 && e.waitAlone !== undefined) {
      const p = e.waitAlone(
        timeout !== undefined && timeout <= MAX_DELAY ? timeout : undefined,
        onTimeout === null ? returnFalse : () => onTimeout(),
        signal,
      );
      if (p !== undefined) return p;
    }
  }
  let leaves: Leaf[];
  try {
    leaves = [];
    flatten(who, evts, null, leaves);
    // A pending break is raised as soon as breaks are enabled, before any evt is polled
    // (racket 8.7: `(sync/enable-break always-evt)` with a pending break raises exn:break).
    if (signal?.aborted) return Promise.reject(new ExnBreak());
    const r = attempt(leaves);
    if (r !== NOT_READY) return Promise.resolve(r);
  } catch (e) {
    return Promise.reject(e);
  }
  const timedOut = () => (onTimeout ? onTimeout() : false);
  if (timeout === 0) {
    // A poll. Node reads sockets only in the event loop's poll phase, so a loopback datagram
    // sent just now becomes visible a turn later: look again after passing through one poll
    // phase (two setImmediate hops, since we may be called from inside the poll phase).
    return new Promise((resolve, reject) => {
      let hops = 0;
      const again = () => {
        try {
          const r = attempt(leaves);
          if (r !== NOT_READY) resolve(r);
          else if (++hops < 2) setImmediate(again);
          else resolve(timedOut());
        } catch (e) {
          reject(e);
        }
      };
      setImmediate(again);
    });
  }
  return new Promise((resolve, reject) => {
    let done = false;
    const unwatches: Unwatch[] = [];
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      if (done) return;
      finish();
      reject(new ExnBreak());
    };
    const finish = () => {
      done = true;
      for (const u of unwatches) u();
      if (timer !== undefined) clearTimeout(timer);
      if (signal !== null) signal.removeEventListener('abort', onAbort);
    };
    const wake = () => {
      if (done) return;
      let r: unknown;
      try {
        r = attempt(leaves);
      } catch (e) {
        finish();
        reject(e);
        return;
      }
      if (r === NOT_READY) return;
      finish();
      resolve(r);
    };
    for (const leaf of leaves) unwatches.push(leaf.prim.watch(wake));
    if (timeout !== undefined && timeout <= MAX_DELAY) {
      timer = setTimeout(() => {
        if (done) return;
        finish();
        try {
          resolve(timedOut());
        } catch (e) {
          reject(e);
        }
      }, timeout);
    }
    if (signal !== null) signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** `(sync evt ...)` → the chosen evt's result. With no evts, waits forever. */
export function sync<E extends Evt<unknown>[]>(...evts: E): Promise<EvtResult<E[number]>> {
  return syncCore('sync', evts, undefined, null, null) as Promise<EvtResult<E[number]>>;
}

/**
 * `(sync/timeout timeout evt ...)`: `timeout` in seconds first; `false` (or `null`) waits
 * forever, `0` polls, a function is called on timeout and its result returned; resolves to
 * `false` on timeout.
 */
export function syncTimeout<E extends Evt<unknown>[], F = false>(
  timeout: number | false | null | (() => F),
  ...evts: E
): Promise<EvtResult<E[number]> | F | false> {
  const who = 'sync/timeout';
  try {
    if (arguments.length === 0) throw arityError(who, 0, 1, Number.POSITIVE_INFINITY);
    let ms: number | undefined;
    let thunk: (() => unknown) | null = null;
    if (timeout === false || timeout === null) ms = undefined;
    else if (typeof timeout === 'function') {
      thunk = timeout;
      ms = 0;
    } else if (typeof timeout === 'number' && timeout >= 0) {
      ms = timeout === Number.POSITIVE_INFINITY ? undefined : timeout * 1000;
    } else throw contractError(who, '(or/c #f (and/c real? (not/c negative?)) (-> any))', timeout);
    return syncCore(who, evts, ms, thunk, null) as Promise<EvtResult<E[number]> | F | false>;
  } catch (e) {
    return Promise.reject(e);
  }
}

/**
 * `(sync/enable-break evt ...)`, with `{ signal }` last: aborting rejects with ExnBreak and no
 * evt is chosen. An already-aborted signal is Racket's pending break: ExnBreak at once, even
 * when an evt is ready.
 */
export function syncEnableBreak<E extends Array<Evt<unknown> | BreakOptions>>(
  ...evtsAndOptions: E
): Promise<EvtResult<E[number]>> {
  const [evts, opts] = splitBreakOptions(evtsAndOptions);
  return syncCore('sync/enable-break', evts, undefined, null, opts?.signal ?? null) as Promise<EvtResult<E[number]>>;
}
