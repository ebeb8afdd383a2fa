// biome-ignore-all lint/complexity/noArguments: Racket arity counts the arguments actually passed
// Breaks (Racket reference §10.6 "Breaks") mapped to AbortSignal: the `EnableBreak`
// procedures and `syncEnableBreak` take `{ signal }` as their last argument (it does not count
// for arity); aborting it rejects the call with ExnBreak (`user break`) and nothing is consumed.

import { isEvtValue } from './evt-brand.js';
import { isUdpValue } from './socket.js';

/** The last argument of the `EnableBreak` procedures. */
export interface BreakOptions {
  signal?: AbortSignal | null;
}

/** An options object: a plain object that is not one of our values. */
export function isBreakOptions(v: unknown): v is BreakOptions {
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v) || v instanceof Uint8Array || isUdpValue(v) || isEvtValue(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null || 'signal' in v;
}

/** Split `[...args, { signal }]` (trailing `undefined`s ignored) into the arguments and the options. */
export function splitBreakOptions(all: unknown[]): [unknown[], BreakOptions | undefined] {
  let n = all.length;
  while (n > 0 && all[n - 1] === undefined) n--;
  if (n > 0 && isBreakOptions(all[n - 1])) return [all.slice(0, n - 1), all[n - 1] as BreakOptions];
  return [all.slice(0, n), undefined];
}
