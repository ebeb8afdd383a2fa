// Endpoint equality (not specified by Cowan; ours). Two endpoints are equal when their ports are
// equal and their hosts are the same:
//   - `true` equals only `true` (not `0.0.0.0` or `::`);
//   - an endpoint with an address (numeric, or a resolved name) is compared by its canonical
//     address (RFC 5952), so `::1` equals `0:0:0:0:0:0:0:1`; an IPv4-mapped address
//     `::ffff:a.b.c.d` equals `a.b.c.d` (RFC 4291 §2.5.5.2: the same IPv4 node, as a dual-stack
//     socket reports it); zone ids must match exactly (`fe80::1%eth0` ≠ `fe80::1%eth1` ≠ `fe80::1`);
//   - an unresolved host name is compared by name, ASCII case-insensitively, ignoring one trailing
//     dot; it never equals an endpoint with an address (nothing is looked up).

import { checkEndpoint, type NetworkEndpoint } from './endpoint.js';

function hostKey(ep: NetworkEndpoint): string {
  const address = ep.address;
  if (address === true) return '*';
  if (address === undefined) {
    const name = ep.name!;
    return (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
  }
  if (ep.family === 4) return address;
  if (address.startsWith('::ffff:') && address.indexOf('.') > 0) return address.slice(7);
  return `[${address}]`;
}

/** True when a and b denote the same host (see above) and the same port. */
export function networkEndpointEqual(a: NetworkEndpoint, b: NetworkEndpoint): boolean {
  checkEndpoint(a, 'network-endpoint=?');
  checkEndpoint(b, 'network-endpoint=?');
  return a === b || (a.port === b.port && hostKey(a) === hostKey(b));
}

/**
 * A string that is the same for equal endpoints and different otherwise: use it as a Map key
 * (e.g. one session per peer). It has the form of toString (`1.2.3.4:69`, `[::1]:69`, `*:69`,
 * `name:69`) with IPv4-mapped addresses unmapped and names lower-cased.
 */
export function networkEndpointKey(ep: NetworkEndpoint): string {
  checkEndpoint(ep, 'network-endpoint-key');
  return `${hostKey(ep)}:${ep.port}`;
}
