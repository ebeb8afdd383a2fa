// biome-ignore-all lint/complexity/noArguments: Racket arity counts the arguments actually passed
// udp-open-socket, udp-bind!, udp-connect!, udp-close, udp?, udp-bound?, udp-connected?,
// udp-addresses (Racket reference §15.3.2; racket-udp.md "Behaviour").

import { argCount, checkArity, checkListenPort, checkPortOrFalse, checkStringOrFalse, truthy } from './contract.js';
import { ExnFailContract } from './exn.js';
import { forSocketFamily, ipFamily, lookupHost, resolveError } from './lookup.js';
import { errorValueToString } from './print.js';
import { checkOpen, checkUdp, closedError, isUdpValue, socketError, systemError, Udp } from './socket.js';

const EAFNOSUPPORT = [97, 'posix'] as const;

/**
 * `(udp-open-socket [family-hostname family-port-no])` → `Promise<Udp>`.
 * Nothing is bound. The family is IPv4 unless the arguments say otherwise: the first address
 * a lookup of `family-hostname` returns decides; a port alone gives IPv6 (getaddrinfo(NULL,
 * port) lists `::1` first), as Racket 8.7 does.
 */
export async function udpOpenSocket(
  familyHostname?: string | false | null,
  familyPortNo?: number | false | null,
): Promise<Udp> {
  const who = 'udp-open-socket';
  checkArity(who, argCount(arguments), 0, 2);
  const host = familyHostname === undefined ? false : checkStringOrFalse(who, familyHostname);
  const port = familyPortNo === undefined ? false : checkPortOrFalse(who, familyPortNo);
  if (host === false) return new Udp(port === false ? 4 : 6);
  let ip: string;
  try {
    ip = await lookupHost(host);
  } catch (err) {
    throw resolveError(who, "can't resolve address", host, port, err);
  }
  return new Udp(ipFamily(ip) === 6 ? 6 : 4);
}

/** `(udp? v)`. */
export function isUdp(v: unknown): v is Udp {
  checkArity('udp?', argCount(arguments), 1, 1);
  return isUdpValue(v);
}

/** `(udp-bound? udp-socket)` — the flags are readable on a closed socket too. */
export function isUdpBound(udpSocket: Udp): boolean {
  checkArity('udp-bound?', argCount(arguments), 1, 1);
  return checkUdp('udp-bound?', udpSocket).bound;
}

/** `(udp-connected? udp-socket)`. */
export function isUdpConnected(udpSocket: Udp): boolean {
  checkArity('udp-connected?', argCount(arguments), 1, 1);
  return checkUdp('udp-connected?', udpSocket).connected;
}

/**
 * `(udp-bind! udp-socket hostname-string port-no [reuse?])` → `Promise<void>`.
 * `udp socket is already bound` is an exn:fail:contract, as Racket 8.7 raises it.
 */
export async function udpBind(
  udpSocket: Udp,
  hostnameString: string | false | null,
  portNo: number,
  reuse?: unknown,
): Promise<void> {
  const who = 'udp-bind!';
  checkArity(who, argCount(arguments), 3, 4);
  const u = checkUdp(who, udpSocket);
  const host = checkStringOrFalse(who, hostnameString);
  const port = checkListenPort(who, portNo);
  const reusable = truthy(reuse);
  const assertBindable = () => {
    checkOpen(who, u);
    if (u.bound) throw new ExnFailContract(`${who}: udp socket is already bound\n  socket: #<udp>`);
  };
  assertBindable();
  let ip: string | null = null;
  if (host !== false) {
    try {
      ip = await lookupHost(host);
    } catch (err) {
      throw resolveError(who, "can't resolve address", host, port, err);
    }
    assertBindable();
  }
  const base = reusable ? "can't bind as reusable" : "can't bind";
  const lines = `\n  address: ${host === false ? '<unspec>' : host}\n  port number: ${port}`;
  // Racket tries every address getaddrinfo gives and reports the last failure; with no host on an
  // IPv4 socket that last try is `::`, so any failure reads "Address family not supported".
  const wildcardV4 = host === false && u.family === 4;
  if (ip !== null) {
    // bind(2) with the other family's address: EAFNOSUPPORT on IPv4, EINVAL on IPv6 sockets.
    if (u.family === 4 && ipFamily(ip) === 6) throw systemError(who, base, lines, null, EAFNOSUPPORT);
    if (u.family === 6 && ipFamily(ip) === 4) throw systemError(who, base, lines, null, [22, 'posix']);
  }
  if (u.sock !== null) {
    // Connected before being bound: the OS socket already has a port, and bind(2) says EINVAL.
    throw systemError(who, base, lines, null, wildcardV4 ? EAFNOSUPPORT : [22, 'posix']);
  }
  u.reuse = reusable;
  const err = u.openOs(ip, port);
  if (err) {
    u.reuse = false;
    throw systemError(who, base, lines, err, wildcardV4 ? EAFNOSUPPORT : undefined);
  }
  u.bound = true;
  u.portLocked = port !== 0;
}

/**
 * `(udp-connect! udp-socket hostname-string port-no)` → `Promise<void>`; `#f #f` disconnects.
 * The OS socket is really connected (so ICMP errors are reported as in Racket); connecting an
 * unbound socket gives it an ephemeral port without setting `udp-bound?`, as in Racket.
 */
export async function udpConnect(
  udpSocket: Udp,
  hostnameString: string | false | null,
  portNo: number | false | null,
): Promise<void> {
  const who = 'udp-connect!';
  checkArity(who, argCount(arguments), 3, 3);
  const u = checkUdp(who, udpSocket);
  const host = checkStringOrFalse(who, hostnameString);
  const port = checkPortOrFalse(who, portNo);
  if ((host === false) !== (port === false)) {
    throw new ExnFailContract(
      `${who}: last second and third arguments must be both #f or both non-#f\n  second argument: ${errorValueToString(hostnameString)}\n  third argument: ${errorValueToString(portNo)}`,
    );
  }
  checkOpen(who, u);
  if (host === false || port === false) {
    u.disconnectOs();
    return;
  }
  let ip: string;
  try {
    ip = await lookupHost(host);
  } catch (err) {
    throw resolveError(who, "can't resolve address", host, port, err);
  }
  checkOpen(who, u);
  const lines = `\n  address: ${host}\n  port number: ${port}`;
  // Linux auto-binds the socket before it looks at the address family (inet_dgram_connect).
  const bindErr = u.ensureOs();
  if (bindErr) throw systemError(who, "can't connect", lines, bindErr);
  if (u.family === 4 && ipFamily(ip) === 6) throw systemError(who, "can't connect", lines, null, EAFNOSUPPORT);
  // An IPv4 address on an IPv6-only socket: Racket connects with an AF_INET address
  // (EAFNOSUPPORT); a literal ::ffff: address gives ENETUNREACH.
  if (u.v6only && ipFamily(ip) === 4) throw systemError(who, "can't connect", lines, null, EAFNOSUPPORT);
  ip = forSocketFamily(ip, u.family);
  const err = await u.connectOs(ip, port);
  if (err) throw systemError(who, "can't connect", lines, err);
}

/** `(udp-close udp-socket)`: wakes pending receivers with `udp socket is closed`. */
export function udpClose(udpSocket: Udp): void {
  const who = 'udp-close';
  checkArity(who, argCount(arguments), 1, 1);
  const u = checkUdp(who, udpSocket);
  if (u.closed) throw socketError(who, 'udp socket was already closed');
  u.close();
}

/**
 * `(udp-addresses udp-port [port-numbers?])` → `[local, peer]` or
 * `[local, localPort, peer, peerPort]`. Unconnected: the peer is `"0.0.0.0"`/0 (also on IPv6);
 * unbound: `"0.0.0.0"` or `"::"`, port 0. On a closed socket the who is `tcp-addresses`, as in
 * Racket 8.7.
 */
export function udpAddresses(udpPort: Udp, portNumbers: true): [string, number, string, number];
export function udpAddresses(udpPort: Udp, portNumbers?: false | null): [string, string];
export function udpAddresses(udpPort: Udp, portNumbers?: unknown): [string, string] | [string, number, string, number];
export function udpAddresses(udpPort: Udp, portNumbers?: unknown): [string, string] | [string, number, string, number] {
  const who = 'udp-addresses';
  checkArity(who, argCount(arguments), 1, 2);
  const u = checkUdp(who, udpPort);
  if (u.closed) throw closedError('tcp-addresses');
  let local = u.bindIp ?? (u.family === 6 ? '::' : '0.0.0.0');
  let localPort = 0;
  if (u.sock !== null) {
    try {
      const a = u.sock.address();
      local = a.address;
      localPort = a.port;
    } catch {
      // not bound at the OS level
    }
  }
  const peer = u.connected ? u.peerHost : '0.0.0.0';
  const peerPort = u.connected ? u.peerPort : 0;
  return truthy(portNumbers) ? [local, localPort, peer, peerPort] : [local, peer];
}
