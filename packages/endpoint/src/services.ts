// Service names → port numbers, for the `network-port` argument of make-network-endpoint
// ("a string naming a standard service", Cowan). The OS table (`/etc/services`, or
// %SystemRoot%\System32\drivers\etc\services on Windows) is read lazily, once, synchronously, the
// first time a name is looked up; a built-in table of common IANA names answers when the OS table
// has no entry or does not exist. Names are case-insensitive (RFC 6335 §5.1). A UDP entry wins over
// a TCP one with the same name. Decimal digit strings are port numbers, as for getaddrinfo's
// `servname` (POSIX).

import { readFileSync } from 'node:fs';

/** Common IANA service names (https://www.iana.org/assignments/service-names-port-numbers). */
const BUILT_IN: Readonly<Record<string, number>> = {
  echo: 7,
  discard: 9,
  daytime: 13,
  qotd: 17,
  chargen: 19,
  'ftp-data': 20,
  ftp: 21,
  ssh: 22,
  telnet: 23,
  smtp: 25,
  time: 37,
  domain: 53,
  bootps: 67,
  bootpc: 68,
  tftp: 69,
  gopher: 70,
  finger: 79,
  http: 80,
  www: 80,
  kerberos: 88,
  pop3: 110,
  sunrpc: 111,
  auth: 113,
  nntp: 119,
  ntp: 123,
  'netbios-ns': 137,
  'netbios-dgm': 138,
  'netbios-ssn': 139,
  imap: 143,
  snmp: 161,
  'snmp-trap': 162,
  bgp: 179,
  ldap: 389,
  https: 443,
  'microsoft-ds': 445,
  isakmp: 500,
  syslog: 514,
  router: 520,
  ripng: 521,
  'dhcpv6-client': 546,
  'dhcpv6-server': 547,
  rtsp: 554,
  submission: 587,
  ipp: 631,
  ldaps: 636,
  'domain-s': 853,
  rsync: 873,
  ftps: 990,
  imaps: 993,
  pop3s: 995,
  socks: 1080,
  openvpn: 1194,
  'ms-sql-s': 1433,
  l2tp: 1701,
  radius: 1812,
  'radius-acct': 1813,
  nfs: 2049,
  mysql: 3306,
  'ms-wbt-server': 3389,
  stun: 3478,
  ipsec: 4500,
  'ipsec-nat-t': 4500,
  sip: 5060,
  sips: 5061,
  'xmpp-client': 5222,
  mdns: 5353,
  llmnr: 5355,
  postgresql: 5432,
  amqp: 5672,
  coap: 5683,
  'syslog-tls': 6514,
  'http-alt': 8080,
  memcache: 11211,
};

let osTable: Map<string, number> | undefined;

/** Parses services(5) text: `name port/protocol [aliases...] [# comment]`. */
export function parseServices(text: string): Map<string, number> {
  const udp = new Map<string, number>();
  const other = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const hash = raw.indexOf('#');
    const line = hash < 0 ? raw : raw.slice(0, hash);
    const fields = line.trim().split(/\s+/);
    if (fields.length < 2) continue;
    const [portText, protocol] = fields[1]!.split('/');
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) continue;
    const names = [fields[0]!, ...fields.slice(2)];
    const table = protocol === 'udp' ? udp : protocol === 'tcp' ? other : undefined;
    if (!table) continue;
    for (const name of names) {
      const key = name.toLowerCase();
      if (!table.has(key)) table.set(key, port);
    }
  }
  for (const [name, port] of udp) other.set(name, port);
  return other;
}

function servicesPath(): string {
  if (process.platform === 'win32') {
    return `${process.env.SystemRoot ?? 'C:\\Windows'}\\System32\\drivers\\etc\\services`;
  }
  return '/etc/services';
}

function loadOsTable(): Map<string, number> {
  if (osTable === undefined) {
    try {
      osTable = parseServices(readFileSync(servicesPath(), 'latin1'));
    } catch {
      osTable = new Map();
    }
  }
  return osTable;
}

/**
 * The port number of a service name (`"tftp"` → 69) or of a decimal string (`"69"` → 69);
 * undefined when the name is unknown.
 */
export function lookupServicePort(name: string): number | undefined {
  if (typeof name !== 'string' || name.length === 0) return undefined;
  if (name.length <= 5) {
    let value = 0;
    let i = 0;
    for (; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
    }
    if (i === name.length) return value <= 65535 ? value : undefined;
  }
  const key = name.toLowerCase();
  const fromOs = loadOsTable().get(key);
  if (fromOs !== undefined) return fromOs;
  return Object.hasOwn(BUILT_IN, key) ? BUILT_IN[key] : undefined;
}
