// Argument checks shared by every procedure: arity first, then each argument's contract in
// order, all before any I/O (DESIGN.md). A trailing `{ signal }` options object does not count
// for arity, and neither do trailing `undefined`s.

import { isNetworkEndpoint } from '@udpkit/endpoint';
import { arityMismatch, contractViolation, rangeError } from './errors.js';

/** The options object taken by every procedure that can wait. */
export interface WaitOptions {
  /** Aborting it rejects the call with `signal.reason` (`AbortSignal.timeout(ms)` works). */
  signal?: AbortSignal | undefined;
}

/** Marker property that tells a channel apart from an options object cheaply. */
export const CHANNEL_TAG = 'datagram-channel';

/** An options object: a non-null object that is not bytes, an endpoint or a channel. */
export function isOptions(value: unknown): value is WaitOptions {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Uint8Array) &&
    (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] !== CHANNEL_TAG &&
    !isNetworkEndpoint(value)
  );
}

/**
 * Throws the arity error when the arguments, minus a trailing options object at a position
 * past the required ones and minus trailing `undefined`s, do not number between min and max.
 * `fixed` prints `expected:` (procedures without optional arguments).
 */
export function checkArity(who: string, args: IArguments, min: number, max: number, fixed = false): void {
  let n = args.length;
  if (n > min && isOptions(args[n - 1])) n--;
  while (n > 0 && args[n - 1] === undefined) n--;
  if (n < min || n > max) throw arityMismatch(who, n, fixed ? min : undefined);
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Checks `bytes`, `start`, `end` of a send or receive and returns the end (an omitted end is
 * the length of the bytes — the seed's "plus one" is a slip). Racket's contracts and texts.
 */
export function checkRange(who: string, bytes: unknown, start: unknown, end: unknown): number {
  if (!(bytes instanceof Uint8Array)) throw contractViolation(who, 'bytes?', bytes);
  const length = bytes.length;
  let s = 0;
  if (start !== undefined) {
    if (!isIndex(start)) throw contractViolation(who, 'exact-nonnegative-integer?', start);
    s = start;
  }
  let e = length;
  if (end !== undefined) {
    if (!isIndex(end)) throw contractViolation(who, 'exact-nonnegative-integer?', end);
    e = end;
  }
  if (s > length) throw rangeError(who, 'starting', s, 0, length, bytes);
  if (e < s || e > length) throw rangeError(who, 'ending', e, s, length, bytes);
  return e;
}
