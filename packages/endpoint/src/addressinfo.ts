// Conversion between endpoints and the `{ address, port, family }` objects node:dgram uses
// (`rinfo` of a 'message' event, `socket.address()`, `socket.remoteAddress()`; ours, not Cowan's).

import { checkEndpoint, createEndpoint, type NetworkEndpoint } from './endpoint.js';
import { NetworkEndpointError, show } from './errors.js';

/** An address as node:dgram and node:net report it. */
export interface NetworkAddressInfo {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

/**
 * An endpoint from a node:dgram address object (`rinfo`, `socket.address()`). `family` is optional;
 * when present (`'IPv4'`/`'IPv6'`, or 4/6 as Node 18.0–18.3 reported it) it must match the address.
 */
export function networkEndpointFromAddressInfo(info: {
  address: string;
  port: number;
  family?: string | number;
}): NetworkEndpoint {
  const who = 'network-endpoint-from-address-info';
  if (typeof info !== 'object' || info === null) {
    throw new NetworkEndpointError('ERR_ENDPOINT_ARGUMENT', who, `expected { address, port }; given ${show(info)}`);
  }
  const address = info.address;
  if (typeof address !== 'string' || address.length === 0) {
    throw new NetworkEndpointError('ERR_ENDPOINT_HOST', who, `address must be an IP address; given ${show(address)}`);
  }
  const ep = createEndpoint(address, info.port, who);
  const family = info.family;
  if (ep.family === undefined) {
    throw new NetworkEndpointError('ERR_ENDPOINT_HOST', who, `address must be an IP address; given ${show(address)}`);
  }
  if (family !== undefined) {
    const f = family === 'IPv4' || family === 4 ? 4 : family === 'IPv6' || family === 6 ? 6 : 0;
    if (f !== ep.family) {
      throw new NetworkEndpointError(
        'ERR_ENDPOINT_HOST',
        who,
        `family ${show(family)} does not match the address ${show(address)}`,
      );
    }
  }
  return ep;
}

export interface ToAddressInfoOptions {
  /** What `true` (any local address) becomes: 4 → `0.0.0.0`, 6 → `::` (the default). */
  family?: 4 | 6;
}

/**
 * The node:dgram address object of an endpoint: canonical address text (with `%zone`), port, and
 * `'IPv4'`/`'IPv6'`. `true` becomes the wildcard address of options.family (default `::`, which a
 * dual-stack udp6 socket binds on all IPv4 and IPv6 addresses). An unresolved host name throws
 * ERR_ENDPOINT_UNRESOLVED: resolve it first.
 */
export function networkEndpointToAddressInfo(ep: NetworkEndpoint, options?: ToAddressInfoOptions): NetworkAddressInfo {
  const who = 'network-endpoint-to-address-info';
  checkEndpoint(ep, who);
  const address = ep.address;
  if (address === true) {
    const family = options?.family ?? 6;
    if (family !== 4 && family !== 6) {
      throw new NetworkEndpointError('ERR_ENDPOINT_ARGUMENT', who, `family must be 4 or 6; given ${show(family)}`);
    }
    return family === 4
      ? { address: '0.0.0.0', port: ep.port, family: 'IPv4' }
      : { address: '::', port: ep.port, family: 'IPv6' };
  }
  if (address === undefined) {
    throw new NetworkEndpointError(
      'ERR_ENDPOINT_UNRESOLVED',
      who,
      `the host name ${show(ep.name)} has not been resolved to an address; resolve it first with resolveNetworkEndpoint`,
      { hostname: ep.name! },
    );
  }
  return { address, port: ep.port, family: ep.family === 4 ? 'IPv4' : 'IPv6' };
}
