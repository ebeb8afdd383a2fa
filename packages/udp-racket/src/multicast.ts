// biome-ignore-all lint/complexity/noArguments: Racket arity counts the arguments actually passed
// udp-multicast-join-group!, udp-multicast-leave-group!, udp-multicast-interface,
// udp-multicast-set-interface!, udp-multicast-set-loopback!, udp-multicast-loopback?,
// udp-multicast-set-ttl!, udp-multicast-ttl (Racket reference §15.3.2; racket-udp.md).
//
// Joins are validated eagerly (not a multicast group → errno 22, not a local interface → 19,
// joined twice → 98, leave without join → 99) and recorded, so join-then-bind works as in
// Racket; node:dgram's addMembership is only called on a bound socket (on an unbound one it
// would bind it). join/leave/set-interface may look names up, so they return Promises.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { argCount, checkArity, checkByte, checkString, checkStringOrFalse, truthy } from './contract.js';
import { lookupHost, resolveError } from './lookup.js';
import { setsockopt } from './options.js';
import { checkOpen, checkUdp, systemError, type Udp } from './socket.js';

function isMulticastV4(ip: string): boolean {
  if (!net.isIPv4(ip)) return false;
  const first = Number(ip.split('.')[0]);
  return first >= 224 && first <= 239;
}

function v4ToInt(ip: string): number {
  const p = ip.split('.').map(Number);
  return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
}

/**
 * The device an interface address names, as Linux finds it (ip_dev_find): an address of the
 * device, or any address in a loopback device's subnet (all of 127.0.0.0/8 is local on `lo`).
 * `null` when the address is not local.
 */
export function deviceOf(ip: string): string | null {
  const n = v4ToInt(ip);
  for (const [name, list] of Object.entries(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family !== 'IPv4') continue;
      if (a.address === ip) return name;
      if (a.internal) {
        const mask = v4ToInt(a.netmask);
        if ((n & mask) >>> 0 === (v4ToInt(a.address) & mask) >>> 0) return name;
      }
    }
  }
  return null;
}

let maxMemberships: number | undefined;
/** Linux's net.ipv4.igmp_max_memberships (20 by default). */
function membershipLimit(): number {
  if (maxMemberships === undefined) {
    try {
      const n = Number.parseInt(fs.readFileSync('/proc/sys/net/ipv4/igmp_max_memberships', 'utf8'), 10);
      maxMemberships = Number.isFinite(n) && n > 0 ? n : 20;
    } catch {
      maxMemberships = 20;
    }
  }
  return maxMemberships;
}

async function resolveV4(who: string, what: string, host: string): Promise<string> {
  try {
    return await lookupHost(host, 4);
  } catch (err) {
    throw resolveError(who, what, host, undefined, err);
  }
}

async function membership(
  who: string,
  argc: number,
  udpSocket: unknown,
  multicastAddr: unknown,
  hostname: unknown,
  join: boolean,
): Promise<void> {
  checkArity(who, argc, 3, 3);
  const u = checkUdp(who, udpSocket);
  const group = checkString(who, multicastAddr);
  const iface = checkStringOrFalse(who, hostname);
  checkOpen(who, u);
  const groupIp = await resolveV4(who, "can't resolve multicast address", group);
  const ifaceIp = iface === false ? null : await resolveV4(who, "can't resolve interface address", iface);
  checkOpen(who, u);
  // Linux keys memberships by (group, device); "any interface" is its own key here.
  const anyIface = ifaceIp === null || ifaceIp === '0.0.0.0';
  const device = anyIface ? null : deviceOf(ifaceIp);
  const i = u.memberships.findIndex(([g, , d]) => g === groupIp && d === device);
  if (join) {
    if (!isMulticastV4(groupIp)) throw systemError(who, 'setsockopt failed', '', null, [22, 'posix']);
    if (!anyIface && device === null) throw systemError(who, 'setsockopt failed', '', null, [19, 'posix']);
    if (i >= 0) throw systemError(who, 'setsockopt failed', '', null, [98, 'posix']);
    if (u.memberships.length >= membershipLimit())
      throw systemError(who, 'setsockopt failed', '', null, [105, 'posix']);
    setsockopt(who, u, (s) => s.addMembership(groupIp, anyIface ? undefined : ifaceIp));
    u.memberships.push([groupIp, anyIface ? null : ifaceIp, device]);
  } else {
    if (i < 0 || (!anyIface && device === null)) throw systemError(who, 'setsockopt failed', '', null, [99, 'posix']);
    const joinedWith = u.memberships[i]![1];
    setsockopt(who, u, (s) => s.dropMembership(groupIp, joinedWith ?? undefined));
    u.memberships.splice(i, 1);
  }
}

/** `(udp-multicast-join-group! udp-socket multicast-addr hostname)` → `Promise<void>`. */
export function udpMulticastJoinGroup(
  udpSocket: Udp,
  multicastAddr: string,
  hostname: string | false | null,
): Promise<void> {
  return membership('udp-multicast-join-group!', argCount(arguments), udpSocket, multicastAddr, hostname, true);
}

/** `(udp-multicast-leave-group! udp-socket multicast-addr hostname)` → `Promise<void>`. */
export function udpMulticastLeaveGroup(
  udpSocket: Udp,
  multicastAddr: string,
  hostname: string | false | null,
): Promise<void> {
  return membership('udp-multicast-leave-group!', argCount(arguments), udpSocket, multicastAddr, hostname, false);
}

/** `(udp-multicast-interface udp-socket)` → the sending interface, `"0.0.0.0"` by default. */
export function udpMulticastInterface(udpSocket: Udp): string {
  const who = 'udp-multicast-interface';
  checkArity(who, argCount(arguments), 1, 1);
  const u = checkUdp(who, udpSocket);
  checkOpen(who, u);
  return u.multicastInterface ?? '0.0.0.0';
}

/**
 * `(udp-multicast-set-interface! udp-socket hostname)` → `Promise<void>`; `#f` or `"0.0.0.0"`
 * lets the kernel choose. Not a local IPv4 address → `Cannot assign requested address; errno=99`.
 */
export async function udpMulticastSetInterface(udpSocket: Udp, hostname: string | false | null): Promise<void> {
  const who = 'udp-multicast-set-interface!';
  checkArity(who, argCount(arguments), 2, 2);
  const u = checkUdp(who, udpSocket);
  const host = checkStringOrFalse(who, hostname);
  checkOpen(who, u);
  const ip = host === false ? '0.0.0.0' : await resolveV4(who, "can't resolve address", host);
  checkOpen(who, u);
  if (ip !== '0.0.0.0' && deviceOf(ip) === null) throw systemError(who, 'setsockopt failed', '', null, [99, 'posix']);
  // node:dgram's IPv6 sockets take an IPv6 interface here; Racket sets IP_MULTICAST_IF (IPv4).
  if (u.family === 4) setsockopt(who, u, (s) => s.setMulticastInterface(ip));
  u.multicastInterface = ip === '0.0.0.0' ? null : ip;
}

/** `(udp-multicast-set-loopback! udp-socket loopback?)`: any value, by truthiness. */
export function udpMulticastSetLoopback(udpSocket: Udp, loopback: unknown): void {
  const who = 'udp-multicast-set-loopback!';
  checkArity(who, argCount(arguments), 2, 2);
  const u = checkUdp(who, udpSocket);
  checkOpen(who, u);
  const on = truthy(loopback);
  setsockopt(who, u, (s) => s.setMulticastLoopback(on));
  u.multicastLoopback = on;
}

/** `(udp-multicast-loopback? udp-socket)` → `true` by default. */
export function isUdpMulticastLoopback(udpSocket: Udp): boolean {
  const who = 'udp-multicast-loopback?';
  checkArity(who, argCount(arguments), 1, 1);
  const u = checkUdp(who, udpSocket);
  checkOpen(who, u);
  return u.multicastLoopback;
}

/** `(udp-multicast-set-ttl! udp-socket ttl)`: IP_MULTICAST_TTL, 0–255. */
export function udpMulticastSetTtl(udpSocket: Udp, ttl: number): void {
  const who = 'udp-multicast-set-ttl!';
  checkArity(who, argCount(arguments), 2, 2);
  const u = checkUdp(who, udpSocket);
  const n = checkByte(who, ttl);
  checkOpen(who, u);
  setsockopt(who, u, (s) => s.setMulticastTTL(n));
  u.multicastTtl = n;
}

/** `(udp-multicast-ttl udp-socket)` → 1 by default. */
export function udpMulticastTtl(udpSocket: Udp): number {
  const who = 'udp-multicast-ttl';
  checkArity(who, argCount(arguments), 1, 1);
  const u = checkUdp(who, udpSocket);
  checkOpen(who, u);
  return u.multicastTtl;
}
