// Endpoint text (ours; Cowan has none): `HOST:PORT`, `[IPV6]:PORT` (RFC 3986 §3.2.2 brackets;
// the zone id is written `%zone` as node:dgram reports it, not RFC 6874's URI form `%25zone`),
// `*:PORT` or `:PORT` for any local address (`true`), and `HOST`, `[IPV6]`, a bare IPv6 address or
// `*` without a port. PORT is a number or a service name.

import { createEndpoint, type NetworkEndpoint } from './endpoint.js';
import { NetworkEndpointError, show } from './errors.js';

export interface ParseNetworkEndpointOptions {
  /**
   * The port when the text has none. Default 0, the spec's default for an omitted port, which is
   * valid only for local hosts: `parseNetworkEndpoint('example.com')` throws ERR_ENDPOINT_PORT
   * unless a defaultPort is given (e.g. `{ defaultPort: 'tftp' }`).
   */
  defaultPort?: number | string;
}

const WHO = 'parse-network-endpoint';

function syntax(text: string, why: string): NetworkEndpointError {
  return new NetworkEndpointError('ERR_ENDPOINT_PARSE', WHO, `${why}: ${show(text)}`);
}

/** Parses endpoint text, as written by toString(), into an endpoint. */
export function parseNetworkEndpoint(text: string, options: ParseNetworkEndpointOptions = {}): NetworkEndpoint {
  if (typeof text !== 'string') {
    throw new NetworkEndpointError('ERR_ENDPOINT_ARGUMENT', WHO, `expected a string; given ${show(text)}`);
  }
  const defaultPort = options?.defaultPort ?? 0;
  let host: string | true;
  let port: string | number = defaultPort;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) throw syntax(text, 'missing "]"');
    host = text.slice(1, close);
    if (host.indexOf(':') < 0) throw syntax(text, 'only an IPv6 address may be written in brackets');
    const rest = text.slice(close + 1);
    if (rest.length > 0) {
      if (!rest.startsWith(':')) throw syntax(text, 'expected ":" and a port after "]"');
      port = portText(text, rest.slice(1));
    }
  } else {
    const first = text.indexOf(':');
    const last = text.lastIndexOf(':');
    if (first >= 0 && first !== last) {
      host = text; // a bare IPv6 address: no port
    } else if (first >= 0) {
      host = text.slice(0, first);
      port = portText(text, text.slice(first + 1));
      if (host === '') host = '*';
    } else {
      host = text;
    }
    if (host === '*') host = true;
  }
  if (host === '') throw syntax(text, 'missing host');
  return createEndpoint(host, port, WHO);
}

function portText(text: string, port: string): string | number {
  if (port.length === 0) throw syntax(text, 'missing port after ":"');
  return port;
}
