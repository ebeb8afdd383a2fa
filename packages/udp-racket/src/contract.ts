// biome-ignore-all lint/complexity/noArguments: Racket arity counts the arguments actually passed
// Arity and contract checks, in Racket's order: arity first, then each argument's contract in
// order, then index ranges — all before any I/O (DESIGN.md "Errors"; racket-udp.md
// "Exceptions and message texts"). Message texts are Racket 8.7's, byte for byte.

import { ExnFailContract, ExnFailContractArity } from './exn.js';
import { errorValueToString } from './print.js';

/** Arguments as counted by Racket: trailing `undefined`s mean "omitted" and do not count. */
export function argCount(args: ArrayLike<unknown>): number {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  return n;
}

/**
 * `argCount` of a call with at most 4 arguments, from the parameters themselves (hot paths: no
 * `arguments` object). Callers use `argCount(arguments)` when `arguments.length` is larger.
 */
export function argCount4(a: unknown, b: unknown, c: unknown, d: unknown): number {
  return d !== undefined ? 4 : c !== undefined ? 3 : b !== undefined ? 2 : a !== undefined ? 1 : 0;
}

/** `argCount4` for up to 6 arguments. */
export function argCount6(a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, f: unknown): number {
  return f !== undefined ? 6 : e !== undefined ? 5 : argCount4(a, b, c, d);
}

/** `WHO: arity mismatch;` — procedures with optional arguments print only the `given:` line. */
export function arityError(who: string, given: number, min: number, max: number): ExnFailContractArity {
  const expected =
    min === max ? `\n  expected: ${min}` : max === Number.POSITIVE_INFINITY ? `\n  expected: at least ${min}` : '';
  return new ExnFailContractArity(
    `${who}: arity mismatch;\n the expected number of arguments does not match the given number${expected}\n  given: ${given}`,
  );
}

export function checkArity(who: string, given: number, min: number, max: number): void {
  if (given < min || given > max) throw arityError(who, given, min, max);
}

/** `WHO: contract violation\n  expected: C\n  given: V`. */
export function contractError(who: string, expected: string, given: unknown): ExnFailContract {
  return new ExnFailContract(
    `${who}: contract violation\n  expected: ${expected}\n  given: ${errorValueToString(given)}`,
  );
}

/** `#f` is `false`, and `null` is accepted as `#f` too (DESIGN.md "Values"). */
export const isFalse = (v: unknown): v is false | null => v === false || v === null;

/** An `any/c` flag: false for `false`/`null`/`undefined`, true otherwise. */
export const truthy = (v: unknown): boolean => !(v === false || v === null || v === undefined);

/** An exact integer as a JS number (integral numbers and bigints), else `undefined`. */
export function exactInteger(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

export function checkString(who: string, v: unknown): string {
  if (typeof v !== 'string') throw contractError(who, 'string?', v);
  return v;
}

export function checkStringOrFalse(who: string, v: unknown): string | false {
  if (typeof v === 'string') return v;
  if (isFalse(v)) return false;
  throw contractError(who, '(or/c string? #f)', v);
}

/** `port-number?`: 1–65535. */
export function checkPort(who: string, v: unknown): number {
  const n = exactInteger(v);
  if (n === undefined || n < 1 || n > 65535) throw contractError(who, 'port-number?', v);
  return n;
}

/** `listen-port-number?`: 0–65535. */
export function checkListenPort(who: string, v: unknown): number {
  const n = exactInteger(v);
  if (n === undefined || n < 0 || n > 65535) throw contractError(who, 'listen-port-number?', v);
  return n;
}

export function checkPortOrFalse(who: string, v: unknown): number | false {
  if (isFalse(v)) return false;
  const n = exactInteger(v);
  if (n === undefined || n < 1 || n > 65535) throw contractError(who, '(or/c port-number? #f)', v);
  return n;
}

export function checkBytes(who: string, v: unknown): Uint8Array {
  if (!(v instanceof Uint8Array)) throw contractError(who, 'bytes?', v);
  return v;
}

/** An optional `exact-nonnegative-integer?` (start/end positions); `undefined` = omitted. */
export function checkIndex(who: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = exactInteger(v);
  if (n === undefined || n < 0) throw contractError(who, 'exact-nonnegative-integer?', v);
  return n;
}

export function checkPositiveInteger(who: string, v: unknown): number {
  const n = exactInteger(v);
  if (n === undefined || n < 1) throw contractError(who, 'exact-positive-integer?', v);
  return n;
}

/** `byte?`: 0–255. */
export function checkByte(who: string, v: unknown): number {
  const n = exactInteger(v);
  if (n === undefined || n < 0 || n > 255) throw contractError(who, 'byte?', v);
  return n;
}

/**
 * Racket's `check-range`: the start may equal the length; the ending range starts at `start`.
 * Returns the end (defaulting to the length). Call after all type contracts.
 */
export function checkRange(who: string, bytes: Uint8Array, start: number, end: number | undefined): number {
  const len = bytes.length;
  if (start > len) {
    throw new ExnFailContract(
      `${who}: starting index is out of range\n  starting index: ${errorValueToString(start)}\n  valid range: [0, ${len}]\n  byte string: ${errorValueToString(bytes)}`,
    );
  }
  if (end === undefined) return len;
  if (end < start || end > len) {
    throw new ExnFailContract(
      `${who}: ending index is out of range\n  ending index: ${errorValueToString(end)}\n  valid range: [${start}, ${len}]\n  byte string: ${errorValueToString(bytes)}`,
    );
  }
  return end;
}

/** `procedure?`. */
export function checkProcedure(who: string, v: unknown): (...args: never[]) => unknown {
  if (typeof v !== 'function') throw contractError(who, 'procedure?', v);
  return v as (...args: never[]) => unknown;
}
