// Name lookups. Racket resolves hostnames with getaddrinfo and uses the first address; Node's
// `dns.lookup` (verbatim order) calls the same getaddrinfo. Numeric hosts are answered at once,
// so the Star procedures never wait for them, and node:dgram gets a `lookup` option that answers
// synchronously (racket-udp.md "Node 20 facts": `address()` is valid right after `bind()`).

import dns from 'node:dns';
import net from 'node:net';
import { errnoOf, type RacketErrno, systemErrorText } from './errno.js';
import { ExnFailNetworkErrno } from './exn.js';

/** node:dgram `lookup` option: every host we pass to node:dgram is already numeric. */
export function numericLookup(
  hostname: string,
  _options: unknown,
  callback: (err: Error | null, address: string, family: number) => void,
): void {
  callback(null, hostname, net.isIP(hostname) === 6 ? 6 : 4);
}

/** 4 or 6 for a numeric address, 0 for a name. */
export const ipFamily = (host: string): 0 | 4 | 6 => net.isIP(host) as 0 | 4 | 6;

/** On an IPv6 socket an IPv4 address is used as `::ffff:a.b.c.d`, as getaddrinfo's AI_V4MAPPED does. */
export function forSocketFamily(ip: string, family: 4 | 6): string {
  return family === 6 && net.isIPv4(ip) ? `::ffff:${ip}` : ip;
}

/** Resolve `host` to its first address; `family` restricts the lookup (multicast: IPv4 only). */
export function lookupHost(host: string, family: 0 | 4 = 0): Promise<string> {
  // getaddrinfo("") fails with EAI_NONAME; dns.lookup('') would answer null instead.
  if (host === '') return Promise.reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }));
  const numeric = ipFamily(host);
  if (numeric !== 0) {
    if (family === 4 && numeric === 6) {
      // getaddrinfo with AF_INET on an IPv6 literal: EAI_ADDRFAMILY.
      return Promise.reject(Object.assign(new Error('EAI_ADDRFAMILY'), { code: 'EAI_ADDRFAMILY' }));
    }
    return Promise.resolve(host);
  }
  return new Promise((resolve, reject) => {
    dns.lookup(host, { family }, (err, address) => (err ? reject(err) : resolve(address)));
  });
}

/**
 * `WHO: can't resolve address\n  address: H\n  port number: P\n  system error: …; gai_err=N`
 * (the port line is left out when there is no port, as Racket does).
 */
export function resolveError(
  who: string,
  what: string,
  host: string,
  port: number | false | undefined,
  err: unknown,
): ExnFailNetworkErrno {
  const errno: RacketErrno = errnoOf(err);
  const portLine = port === false || port === undefined ? '' : `\n  port number: ${port}`;
  return new ExnFailNetworkErrno(
    `${who}: ${what}\n  address: ${host}${portLine}\n  system error: ${systemErrorText(errno)}`,
    errno,
    { cause: err },
  );
}
