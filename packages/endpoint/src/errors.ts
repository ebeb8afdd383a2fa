// Errors of @udpkit/endpoint: one class, a stable `code` per kind, `cause` kept, and an instance
// check that also recognises errors made by another copy of this package (DESIGN.md, "Errors").
// Message texts are ours (Cowan's spec names no error types or texts); each starts with the
// procedure's Scheme name, e.g. `make-network-endpoint: ...`.

/** Stable error codes. */
export type NetworkEndpointErrorCode =
  /** A host that is not an IPv4/IPv6 address, a valid host name, 4 or 16 bytes, or `true`. */
  | 'ERR_ENDPOINT_HOST'
  /** A port that is not an integer 0–65535 or a known service name, or 0 with a non-local host. */
  | 'ERR_ENDPOINT_PORT'
  /** Any other bad argument: not an endpoint, too many arguments, bad options. */
  | 'ERR_ENDPOINT_ARGUMENT'
  /** Text that parseNetworkEndpoint cannot split into host and port. */
  | 'ERR_ENDPOINT_PARSE'
  /** An address was asked of an endpoint whose host name has not been resolved yet. */
  | 'ERR_ENDPOINT_UNRESOLVED'
  /** The resolver could not resolve a host name (`resolverCode` says why, e.g. ENOTFOUND). */
  | 'ERR_ENDPOINT_RESOLVE';

const MARK: unique symbol = Symbol.for('@udpkit/endpoint.NetworkEndpointError') as never;

export interface NetworkEndpointErrorOptions {
  cause?: unknown;
  /** The resolver's error code (ERR_ENDPOINT_RESOLVE only), e.g. `ENOTFOUND`, `EAI_AGAIN`. */
  resolverCode?: string;
  /** The host name being resolved (ERR_ENDPOINT_RESOLVE and ERR_ENDPOINT_UNRESOLVED). */
  hostname?: string;
}

export class NetworkEndpointError extends Error {
  /** Stable code, see NetworkEndpointErrorCode. */
  readonly code: NetworkEndpointErrorCode;
  /** The Scheme-style name of the procedure that raised it, e.g. `make-network-endpoint`. */
  readonly procedure: string;
  readonly resolverCode?: string;
  readonly hostname?: string;
  declare readonly [MARK]: true;

  constructor(
    code: NetworkEndpointErrorCode,
    procedure: string,
    message: string,
    options: NetworkEndpointErrorOptions = {},
  ) {
    super(`${procedure}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.procedure = procedure;
    if (options.resolverCode !== undefined) this.resolverCode = options.resolverCode;
    if (options.hostname !== undefined) this.hostname = options.hostname;
  }

  /** `instanceof` that works across two copies of the package in one process. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isNetworkEndpointError(value);
  }
}
Object.defineProperty(NetworkEndpointError.prototype, 'name', { value: 'NetworkEndpointError', configurable: true });
Object.defineProperty(NetworkEndpointError.prototype, MARK, { value: true });

/** True for errors raised by any copy of @udpkit/endpoint. */
export function isNetworkEndpointError(value: unknown): value is NetworkEndpointError {
  return typeof value === 'object' && value !== null && (value as { [MARK]?: unknown })[MARK] === true;
}

/** How a value is shown inside a message: strings quoted, bytes listed, the rest plainly. */
export function show(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return `[function ${value.name || '(anonymous)'}]`;
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof Uint8Array) {
        const head = Array.from(value.subarray(0, 20)).join(', ');
        return `Uint8Array(${value.length}) [${head}${value.length > 20 ? ', ...' : ''}]`;
      }
      if (Array.isArray(value)) return `Array(${value.length})`;
      const tag = Object.prototype.toString.call(value).slice(8, -1);
      return `[object ${tag}]`;
    }
    default:
      return String(value);
  }
}
