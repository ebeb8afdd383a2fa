// Which hosts are "local" for Cowan's rule that port 0 ("the OS picks an unused port") is only
// valid for a local host. Local means: `#t` (any local address); the wildcard addresses `0.0.0.0`
// and `::`; loopback `127.0.0.0/8` and `::1` (RFC 1122 §3.2.1.3, RFC 4291 §2.5.3), also as
// IPv4-mapped IPv6; an address of one of this machine's interfaces (os.networkInterfaces(), asked
// at the time of the call); the names `localhost` and `*.localhost` (RFC 6761 §6.3) and this
// machine's own name (os.hostname()).

import { hostname, networkInterfaces } from 'node:os';
import { canonicalIP, ipFamilyOf } from './ip.js';

function withoutZone(s: string): string {
  const p = s.indexOf('%');
  return p < 0 ? s : s.slice(0, p);
}

/** `canonical` is the canonical text (ip.ts canonicalIP) of an address of the given family. */
export function isLocalAddress(canonical: string, family: 4 | 6): boolean {
  let text = withoutZone(canonical);
  if (family === 6) {
    if (text === '::' || text === '::1') return true;
    if (text.startsWith('::ffff:') && text.indexOf('.') > 0) {
      text = text.slice(7);
      family = 4;
    }
  }
  if (family === 4 && (text === '0.0.0.0' || text.startsWith('127.'))) return true;
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      const f = ipFamilyOf(info.address);
      if (f !== 0 && withoutZone(canonicalIP(info.address, f)) === text) return true;
    }
  }
  return false;
}

/** True for `localhost`, `*.localhost` and this machine's host name (case-insensitive). */
export function isLocalName(name: string): boolean {
  const n = (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
  if (n === 'localhost' || n.endsWith('.localhost')) return true;
  try {
    return n === hostname().toLowerCase();
  } catch {
    return false;
  }
}
