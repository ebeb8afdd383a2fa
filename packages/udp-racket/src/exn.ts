// biome-ignore-all lint/complexity/noArguments: Racket arity counts the arguments actually passed
// Racket's exception hierarchy (Racket reference §10.2 "Exceptions") as JS classes.
//
//   Exn → ExnFail → ExnFailContract → ExnFailContractArity
//             └──→ ExnFailNetwork → ExnFailNetworkErrno
//   Exn → ExnBreak                      (not an ExnFail, as in Racket)
//
// Every instance carries its Racket struct name under `Symbol.for('@udpkit/udp-racket.exn')`,
// so the predicates and `instanceof` keep working when two copies of this package are loaded
// in one process (DESIGN.md "Errors").

const KIND = Symbol.for('@udpkit/udp-racket.exn');

/** Racket struct names, most specific last. */
export type ExnKind =
  | 'exn'
  | 'exn:fail'
  | 'exn:fail:contract'
  | 'exn:fail:contract:arity'
  | 'exn:fail:network'
  | 'exn:fail:network:errno'
  | 'exn:break';

function kindOf(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const k = (v as Record<symbol, unknown>)[KIND];
  return typeof k === 'string' ? k : undefined;
}

function isKind(v: unknown, kind: string): boolean {
  const k = kindOf(v);
  return k !== undefined && (k === kind || k.startsWith(`${kind}:`));
}

function codeOf(kind: ExnKind): string {
  return kind.toUpperCase().replace(/:/g, '_');
}

/** `exn`: the root of Racket's exceptions. `message` is Racket's message text, byte for byte. */
export class Exn extends Error {
  /** Stable code derived from the Racket struct name, e.g. `EXN_FAIL_NETWORK_ERRNO`. */
  declare readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    const kind = (new.target as unknown as { kind: ExnKind }).kind ?? 'exn';
    Object.defineProperty(this, KIND, { value: kind, enumerable: false });
    Object.defineProperty(this, 'code', { value: codeOf(kind), enumerable: true });
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true });
  }

  /** The Racket struct name, e.g. `exn:fail:contract`. */
  get kind(): ExnKind {
    return (this as unknown as Record<symbol, ExnKind>)[KIND]!;
  }

  static readonly kind: ExnKind = 'exn';

  static override [Symbol.hasInstance](v: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass `instanceof` asks about
    return isKind(v, (this as unknown as { kind: ExnKind }).kind);
  }
}

/** `exn:fail`. */
export class ExnFail extends Exn {
  static override readonly kind: ExnKind = 'exn:fail';
}

/** `exn:fail:contract`: a bad argument (wrong type, index out of range, wrong state). */
export class ExnFailContract extends ExnFail {
  static override readonly kind: ExnKind = 'exn:fail:contract';
}

/** `exn:fail:contract:arity`: wrong number of arguments. */
export class ExnFailContractArity extends ExnFailContract {
  static override readonly kind: ExnKind = 'exn:fail:contract:arity';
}

/** `exn:fail:network`: socket-state errors (`udp socket is closed`, …). */
export class ExnFailNetwork extends ExnFail {
  static override readonly kind: ExnKind = 'exn:fail:network';
}

/** `exn:fail:network:errno`: a system error; `errno` is Racket's `(code . posix)` / `(code . gai)` pair. */
export class ExnFailNetworkErrno extends ExnFailNetwork {
  static override readonly kind: ExnKind = 'exn:fail:network:errno';
  declare readonly errno: readonly [code: number, kind: 'posix' | 'gai'];

  constructor(message: string, errno: readonly [number, 'posix' | 'gai'], options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, 'errno', { value: Object.freeze([errno[0], errno[1]]), enumerable: true });
  }
}

/** `exn:break`: the `{ signal }` of an `EnableBreak` procedure was aborted. Not an `ExnFail`. */
export class ExnBreak extends Exn {
  static override readonly kind: ExnKind = 'exn:break';
  constructor(message = 'user break', options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const isExn = (v: unknown): v is Exn => isKind(v, 'exn');
export const isExnFail = (v: unknown): v is ExnFail => isKind(v, 'exn:fail');
export const isExnFailContract = (v: unknown): v is ExnFailContract => isKind(v, 'exn:fail:contract');
export const isExnFailContractArity = (v: unknown): v is ExnFailContractArity => isKind(v, 'exn:fail:contract:arity');
export const isExnFailNetwork = (v: unknown): v is ExnFailNetwork => isKind(v, 'exn:fail:network');
export const isExnFailNetworkErrno = (v: unknown): v is ExnFailNetworkErrno => isKind(v, 'exn:fail:network:errno');
export const isExnBreak = (v: unknown): v is ExnBreak => isKind(v, 'exn:break');
