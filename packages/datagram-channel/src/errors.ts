// Errors of @udpkit/datagram-channel. We raise udp-racket's Racket exception classes
// (DESIGN.md, "Errors"), with Racket-shaped messages whose first word is the channel
// procedure's Scheme name, e.g. `datagram-channel-send: channel is not connected`.
// Errors that come up from udp-racket (system errors, e.g. `send failed … errno=111`) are
// re-raised as the same class with the same fields, the `udp-…` name replaced by ours, and the
// original kept as `cause`.

import { isNetworkEndpoint } from '@udpkit/endpoint';
import { ExnFailContract, ExnFailContractArity, ExnFailNetwork } from '@udpkit/udp-racket';

/** How a value prints inside a message, the way Racket prints it (cut at 256 characters). */
export function show(value: unknown): string {
  const text = showFull(value);
  return text.length > 256 ? `${text.slice(0, 253)}...` : text;
}

function showFull(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isNaN(value)
        ? '+nan.0'
        : value === Infinity
          ? '+inf.0'
          : value === -Infinity
            ? '-inf.0'
            : String(value);
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? '#t' : '#f';
    case 'undefined':
      return '#<void>';
    case 'symbol':
      return `'${value.description ?? ''}`;
    case 'function':
      return `#<procedure:${value.name || '...'}>`;
    default: {
      if (value === null) return '#f';
      if (value instanceof Uint8Array) return showBytes(value);
      if (isNetworkEndpoint(value)) return '#<network-endpoint>';
      const tag = (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag];
      if (tag === 'datagram-channel') return '#<datagram-channel>';
      if (Array.isArray(value)) return `'(${value.map(showFull).join(' ')})`;
      return '#<object>';
    }
  }
}

function showBytes(bytes: Uint8Array): string {
  let out = '#"';
  for (let i = 0; i < bytes.length && out.length < 260; i++) {
    const b = bytes[i]!;
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else if (b === 7) out += '\\a';
    else if (b === 8) out += '\\b';
    else if (b === 9) out += '\\t';
    else if (b === 10) out += '\\n';
    else if (b === 11) out += '\\v';
    else if (b === 12) out += '\\f';
    else if (b === 13) out += '\\r';
    else if (b === 27) out += '\\e';
    else out += `\\${b.toString(8)}`;
  }
  return `${out}"`;
}

/** `WHO: contract violation\n  expected: EXPECTED\n  given: VALUE` */
export function contractViolation(who: string, expected: string, given: unknown): ExnFailContract {
  return new ExnFailContract(`${who}: contract violation\n  expected: ${expected}\n  given: ${show(given)}`);
}

/**
 * Racket's arity message. `expected` is printed only for procedures without optional
 * arguments, as Racket does.
 */
export function arityMismatch(who: string, given: number, expected?: number): ExnFailContractArity {
  return new ExnFailContractArity(
    `${who}: arity mismatch;\n the expected number of arguments does not match the given number\n` +
      (expected === undefined ? '' : `  expected: ${expected}\n`) +
      `  given: ${given}`,
  );
}

/** `WHO: MSG\n  channel: #<datagram-channel>` — a channel-state error, like Racket's socket-state ones. */
export function channelStateError(who: string, msg: string): ExnFailNetwork {
  return new ExnFailNetwork(`${who}: ${msg}\n  channel: #<datagram-channel>`);
}

export function rangeError(
  who: string,
  which: 'starting' | 'ending',
  index: number,
  low: number,
  high: number,
  bytes: Uint8Array,
): ExnFailContract {
  return new ExnFailContract(
    `${who}: ${which} index is out of range\n  ${which} index: ${index}\n  valid range: [${low}, ${high}]\n  byte string: ${show(bytes)}`,
  );
}

/**
 * Re-raise an error from udp-racket under the channel procedure's name: same class, same own
 * fields (e.g. `errno`), `udp-…:` at the start of the message replaced, original as `cause`.
 * Anything else (an abort reason, our own errors) passes through untouched.
 */
export function rename(error: unknown, who: string, from?: string): unknown {
  if (!(error instanceof Error)) return error;
  const m =
    from === undefined
      ? /^udp-[a-z!*-]+:|^tcp-addresses:/.exec(error.message)
      : error.message.startsWith(`${from}:`)
        ? [`${from}:`]
        : null;
  if (m === null) return error;
  const copy = Object.create(Object.getPrototypeOf(error)) as Error;
  for (const key of Reflect.ownKeys(error)) {
    Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(error, key)!);
  }
  const message = who + error.message.slice(m[0]!.length - 1);
  Object.defineProperty(copy, 'message', { value: message, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(copy, 'cause', { value: error, writable: true, configurable: true, enumerable: false });
  if (typeof error.stack === 'string') {
    Object.defineProperty(copy, 'stack', {
      value: error.stack.replace(error.message, message),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  return copy;
}
