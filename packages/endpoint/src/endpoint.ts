// Cowan's NetworkEndpoints: the endpoint type, make-network-endpoint, network-endpoint? and the
// four accessors. An endpoint is immutable: its state lives in private fields, read through
// getters; canonical text is computed on first use and cached; bytes are made only when asked for.

import { NetworkEndpointError, show } from './errors.js';
import { isHostName } from './hostname.js';
import { canonicalIP, formatIP, ipBytes, ipFamilyOfCached } from './ip.js';
import { isLocalAddress, isLocalName } from './local.js';
import { lookupServicePort } from './services.js';

/** A host as make-network-endpoint takes it. `false`, `null` and `undefined` mean omitted (= `true`). */
export type NetworkHost = string | Uint8Array | boolean | null | undefined;
/** A port number 0–65535, or a service name such as `"tftp"` (or a decimal string such as `"69"`). */
export type NetworkPort = number | string;

const RAW6 = 7;
const BRAND = Symbol.for('@udpkit/endpoint.NetworkEndpoint');
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A network endpoint: a host (`true` for any local address, an IPv4/IPv6 address, or a host name,
 * resolved or not) plus a port. Make one with makeNetworkEndpoint, parseNetworkEndpoint or
 * networkEndpointFromAddressInfo. The read-only properties mirror the accessors but never throw.
 */
export class NetworkEndpoint {
  /** Host name, when the endpoint was made from one. */
  readonly #name: string | undefined;
  /** `true`, address text, or undefined (unresolved name). IPv6 text is made canonical on first use. */
  #address: string | true | undefined;
  /** 0 (`true` or a name), 4, 6 (canonical IPv6 text), or RAW6 (IPv6 text as given). */
  #kind: number;
  readonly #port: number;

  /** @internal Use makeNetworkEndpoint. */
  constructor(name: string | undefined, address: string | true | undefined, family: 0 | 4 | 6, port: number) {
    this.#name = name;
    this.#address = address;
    this.#kind = family === 6 ? RAW6 : family;
    this.#port = port;
  }

  /** The port number. */
  get port(): number {
    return this.#port;
  }

  /** The host name this endpoint was made from, or undefined for `true` and numeric hosts. */
  get name(): string | undefined {
    return this.#name;
  }

  /**
   * Canonical numeric address text (RFC 5952 for IPv6, with `%zone`), `true` for any local address,
   * or undefined for a host name that has not been resolved.
   */
  get address(): string | true | undefined {
    if (this.#kind === RAW6) {
      this.#address = canonicalIP(this.#address as string, 6);
      this.#kind = 6;
    }
    return this.#address;
  }

  /** 4 or 6 for an address; undefined for `true` and for unresolved names. */
  get family(): 4 | 6 | undefined {
    const kind = this.#kind;
    return kind === 0 ? undefined : kind === 4 ? 4 : 6;
  }

  /** The name if known, else the canonical numeric address, or `true` (network-endpoint-host). */
  get host(): string | true {
    return this.#name ?? (this.address as string | true);
  }

  /** `HOST:PORT`, `[IPV6]:PORT`, or `*:PORT` for `true`: the format parseNetworkEndpoint reads. */
  toString(): string {
    return formatEndpoint(this);
  }

  toJSON(): string {
    return formatEndpoint(this);
  }

  get [Symbol.toStringTag](): string {
    return 'NetworkEndpoint';
  }

  [INSPECT](): string {
    const name = this.#name;
    const extra = name !== undefined && this.#kind !== 0 ? ` (${name})` : '';
    return `NetworkEndpoint <${formatEndpoint(this)}>${extra}`;
  }
}
Object.defineProperty(NetworkEndpoint.prototype, BRAND, { value: true });

/** The endpoint's text: the address when it has one, else the name; IPv6 in brackets; `*` for `true`. */
export function formatEndpoint(ep: NetworkEndpoint): string {
  const address = ep.address;
  const port = ep.port;
  if (address === true) return `*:${port}`;
  if (address === undefined) return `${ep.name}:${port}`;
  return ep.family === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Makes a resolved endpoint: the name kept as its host, carrying an address. @internal */
export function resolvedEndpoint(ep: NetworkEndpoint, address: string, family: 4 | 6): NetworkEndpoint {
  return new NetworkEndpoint(ep.name, address, family, ep.port);
}

// network-endpoint?
/** `(network-endpoint? obj)`: true for endpoints made by any copy of this package. */
export function isNetworkEndpoint(value: unknown): value is NetworkEndpoint {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

/** Throws ERR_ENDPOINT_ARGUMENT unless value is an endpoint. @internal */
export function checkEndpoint(value: unknown, who: string): NetworkEndpoint {
  if (!isNetworkEndpoint(value)) {
    throw new NetworkEndpointError('ERR_ENDPOINT_ARGUMENT', who, `expected a network endpoint; given ${show(value)}`);
  }
  return value;
}

function badPort(who: string, value: unknown, portIsOnlyArgument: boolean): NetworkEndpointError {
  const hint = portIsOnlyArgument && typeof value !== 'number' ? ' (with one argument, that argument is the port)' : '';
  if (typeof value === 'string' && !/^\d+$/.test(value)) {
    return new NetworkEndpointError('ERR_ENDPOINT_PORT', who, `unknown service name ${show(value)}${hint}`);
  }
  const what =
    typeof value === 'number' || typeof value === 'string'
      ? 'an integer from 0 to 65535'
      : 'an integer from 0 to 65535 or a service name';
  return new NetworkEndpointError('ERR_ENDPOINT_PORT', who, `port must be ${what}; given ${show(value)}${hint}`);
}

function badHost(who: string, value: unknown): NetworkEndpointError {
  let what: string;
  if (typeof value === 'string') {
    if (value.length === 0) what = 'host must not be an empty string';
    else if (value.indexOf(':') >= 0) what = `not a valid IPv6 address: ${show(value)}`;
    else if (/^[\d.]+$/.test(value) && /\d/.test(value)) what = `not a valid IPv4 address: ${show(value)}`;
    else what = `not a valid host name: ${show(value)}`;
  } else if (value instanceof Uint8Array) {
    what = `a bytevector host must have 4 (IPv4) or 16 (IPv6) bytes; given ${show(value)}`;
  } else {
    what = `host must be a string, a Uint8Array of 4 or 16 bytes, or true; given ${show(value)}`;
  }
  return new NetworkEndpointError('ERR_ENDPOINT_HOST', who, what);
}

/** make-network-endpoint with the procedure name used in messages. @internal */
export function createEndpoint(host: unknown, port: unknown, who: string, portIsOnlyArgument = false): NetworkEndpoint {
  // Port: an exact integer 0–65535 or a service name (Cowan); checked first, it is the cheapest.
  let p: number;
  if (typeof port === 'number') {
    p = port & 0xffff; // an integer 0–65535 is unchanged; also turns -0 into 0
    if (p !== port) throw badPort(who, port, portIsOnlyArgument);
  } else {
    const looked = typeof port === 'string' ? lookupServicePort(port) : undefined;
    if (looked === undefined) throw badPort(who, port, portIsOnlyArgument);
    p = looked;
  }
  let ep: NetworkEndpoint;
  if (typeof host === 'string') {
    const family = ipFamilyOfCached(host);
    if (family !== 0) {
      ep = new NetworkEndpoint(undefined, host, family, p);
    } else if (isHostName(host)) {
      ep = new NetworkEndpoint(host, undefined, 0, p);
    } else {
      throw badHost(who, host);
    }
  } else if (host === true || host === false || host === null || host === undefined) {
    return new NetworkEndpoint(undefined, true, 0, p); // any local address: port 0 always valid
  } else if (host instanceof Uint8Array && (host.length === 4 || host.length === 16)) {
    ep = new NetworkEndpoint(undefined, formatIP(host), host.length === 4 ? 4 : 6, p);
  } else {
    throw badHost(who, host);
  }
  // Port 0 only for a local host (Cowan).
  if (p === 0) {
    const address = ep.address;
    const local = address === undefined ? isLocalName(ep.name!) : isLocalAddress(address as string, ep.family!);
    if (!local) {
      throw new NetworkEndpointError(
        'ERR_ENDPOINT_PORT',
        who,
        `port 0 (the OS picks a port) is only valid for a local host; given host ${show(ep.host)}`,
      );
    }
  }
  return ep;
}

function tooManyArguments(args: IArguments): void {
  for (let i = 2; i < args.length; i++) {
    if (args[i] !== undefined) {
      throw new NetworkEndpointError(
        'ERR_ENDPOINT_ARGUMENT',
        'make-network-endpoint',
        `expects at most 2 arguments (host, port); given ${args.length}`,
      );
    }
  }
}

// make-network-endpoint
/**
 * `(make-network-endpoint [host] [network-port])`. With no argument: any local address and an
 * OS-chosen port (`#t`, 0). With one argument, that argument is the port. An `undefined` argument
 * counts as omitted; a `false`/`null`/`undefined` host means `true`.
 */
export function makeNetworkEndpoint(port?: NetworkPort): NetworkEndpoint;
export function makeNetworkEndpoint(host: NetworkHost, port?: NetworkPort): NetworkEndpoint;
export function makeNetworkEndpoint(host?: unknown, port?: unknown): NetworkEndpoint {
  // biome-ignore lint/complexity/noArguments: a rest parameter would allocate an array on every call (hot path)
  if (arguments.length > 2) tooManyArguments(arguments);
  if (port === undefined) {
    if (host === undefined) return new NetworkEndpoint(undefined, true, 0, 0);
    return createEndpoint(true, host, 'make-network-endpoint', true);
  }
  return createEndpoint(host, port, 'make-network-endpoint');
}

function unresolved(who: string, ep: NetworkEndpoint): NetworkEndpointError {
  return new NetworkEndpointError(
    'ERR_ENDPOINT_UNRESOLVED',
    who,
    `the host name ${show(ep.name)} has not been resolved to an address; resolve it first with resolveNetworkEndpoint`,
    { hostname: ep.name! },
  );
}

// network-endpoint-bytevector-address
/** `(network-endpoint-bytevector-address ep)`: the address as 4 or 16 fresh bytes, or `true`. */
export function networkEndpointBytevectorAddress(ep: NetworkEndpoint): Uint8Array | true {
  const who = 'network-endpoint-bytevector-address';
  checkEndpoint(ep, who);
  const address = ep.address;
  if (address === undefined) throw unresolved(who, ep);
  if (address === true) return true;
  return ipBytes(address, ep.family!);
}

// network-endpoint-string-address
/** `(network-endpoint-string-address ep)`: canonical numeric address text, or `true`. */
export function networkEndpointStringAddress(ep: NetworkEndpoint): string | true {
  const who = 'network-endpoint-string-address';
  checkEndpoint(ep, who);
  const address = ep.address;
  if (address === undefined) throw unresolved(who, ep);
  return address;
}

// network-endpoint-host
/** `(network-endpoint-host ep)`: the host name if known, else the numeric address text, or `true`. */
export function networkEndpointHost(ep: NetworkEndpoint): string | true {
  checkEndpoint(ep, 'network-endpoint-host');
  return ep.host;
}

// network-endpoint-port
/** `(network-endpoint-port ep)`: the port number (service names were resolved when it was made). */
export function networkEndpointPort(ep: NetworkEndpoint): number {
  checkEndpoint(ep, 'network-endpoint-port');
  return ep.port;
}

/** 4 or 6 for an endpoint with an address; undefined for `true` and for unresolved host names. */
export function networkEndpointFamily(ep: NetworkEndpoint): 4 | 6 | undefined {
  checkEndpoint(ep, 'network-endpoint-family');
  return ep.family;
}
