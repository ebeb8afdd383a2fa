// Name lookups. Racket resolves hostnames with getaddrinfo and uses the first address; Node's
// `dns.lookup` (verbatim order) calls the same getaddrinfo. Numeric hosts are answered at once,
// so the Star procedures never wait for them, and node:dgram gets a `lookup` option that answers
// synchronously (racket-udp.md "Node 20 facts": `address()` is valid right after `bind()`).

import dns from 'node:dns';
import net from 'node:net';
import { errnoOf, type RacketErrno, systemErrorText } from './errno.js';
import { ExnFailNetworkErrno } from './exn.js';

/**
 * node:dgram `lookup` option: every host we pass to node:dgram is already numeric and of the
 * socket's family, which node:dgram passes as the second argument.
 */
export function numericLookup(
  hostname: string,
  family: unknown,
  callback: (err: Error | null, address: string, family: number) => void,
): void {
  callback(null, hostname, family === 6 ? 6 : 4);
}

// One-entry memo: a server answering a peer sends to the same host string again and again.
let memoHost = '';
let memoFamily: 0 | 4 | 6 = 0;

/**
 * glibc accepts a `%scope` only on link-local IPv6 addresses (fe80::/10, ff02::/16-style
 * multicast); node's isIP accepts it on any. Such an address is a name that cannot be found.
 */
function badScope(host: string): boolean {
  const i = host.indexOf('%');
  if (i < 0) return false;
  const a = host.slice(0, i).toLowerCase();
  return !(/^fe[89ab][0-9a-f]:/.test(a) || /^ff[0-9a-f]2:/.test(a));
}

/** 4 or 6 for a numeric address, 0 for a name. */
export function ipFamily(host: string): 0 | 4 | 6 {
  if (host === memoHost) return memoFamily;
  let f = net.isIP(host) as 0 | 4 | 6;
  if (f === 6 && badScope(host)) f = 0;
  memoHost = host;
  memoFamily = f;
  return f;
}

/** On an IPv6 socket an IPv4 address is used as `::ffff:a.b.c.d`, as getaddrinfo's AI_V4MAPPED does. */
export function forSocketFamily(ip: string, family: 4 | 6): string {
  return family === 6 && ipFamily(ip) === 4 ? `::ffff:${ip}` : ip;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Resolve `host` to its first address; `family` restricts the lookup (multicast: IPv4 only). */
export function lookupHost(host: string, family: 0 | 4 = 0): Promise<string> {
  // getaddrinfo("") fails with EAI_NONAME (dns.lookup('') would answer null instead); so do
  // non-ASCII names, which glibc looks up as they are (no AI_IDN) where libuv would IDNA-map
  // them ("ＬＯＣＡＬＨＯＳＴ" is not "localhost"), and scoped non-link-local IPv6 addresses.
  if (host === '' || NON_ASCII.test(host) || (net.isIP(host) === 6 && badScope(host))) {
    return Promise.reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }));
  }
  const numeric = ipFamily(host);
  if (numeric !== 0) {
    if (family === 4 && numeric === 6) {
      // getaddrinfo with AF_INET on an IPv6 literal: EAI_ADDRFAMILY.
      return Promise.reject(Object.assign(new Error('EAI_ADDRFAMILY'), { code: 'EAI_ADDRFAMILY' }));
    }
    return Promise.resolve(host);
  }
  return new Promise((resolve, reject) => {
    dns.lookup(host, { family }, (err, address) => {
      if (!err) resolve(address);
      // libuv refuses names its IDNA step cannot encode (a label over 63 characters) with
      // EINVAL before asking getaddrinfo, which would say EAI_NONAME: report that, as Racket does.
      else if (err.code === 'EINVAL') reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND', cause: err }));
      else reject(err);
    });
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
