// TTL, receive buffer, multicast options (recorded before bind, replayed at bind), joins, and a
// loopback multicast round trip on 127.0.0.1 (never a real interface).
import { afterEach, describe, expect, it } from 'vitest';
import * as U from '../src/index.js';
import { ExnFailNetworkErrno, type Udp } from '../src/index.js';

const open: Udp[] = [];
afterEach(() => {
  for (const u of open.splice(0)) u[Symbol.dispose]();
});
async function sock(host?: string): Promise<Udp> {
  const u = await U.udpOpenSocket(host);
  open.push(u);
  return u;
}
async function caught(f: () => unknown): Promise<ExnFailNetworkErrno> {
  try {
    await f();
  } catch (e) {
    return e as ExnFailNetworkErrno;
  }
  throw new Error('no exception');
}
const GROUP = '239.255.77.1';

describe('ttl and buffers', () => {
  it('defaults, set and get before and after bind', async () => {
    const u = await sock();
    expect(U.udpTtl(u)).toBe(64);
    expect(U.udpSetTtl(u, 255)).toBeUndefined();
    expect(U.udpTtl(u)).toBe(255);
    await U.udpBind(u, '127.0.0.1', 0);
    expect(U.udpTtl(u)).toBe(255);
    U.udpSetTtl(u, 7);
    expect(U.udpTtl(u)).toBe(7);
    const e = await caught(() => U.udpSetTtl(u, 0));
    expect(e).toBeInstanceOf(ExnFailNetworkErrno);
    expect(e.errno).toEqual([22, 'posix']);
    expect(e.message).toBe('udp-set-ttl!: setsockopt failed\n  system error: Invalid argument; errno=22');
    expect(U.udpTtl(u)).toBe(7);
  });

  it('udp-set-receive-buffer-size! beyond fixnums is a network error, as in Racket', async () => {
    const u = await sock();
    const e = await caught(() => U.udpSetReceiveBufferSize(u, 2 ** 61));
    expect(e).toBeInstanceOf(U.ExnFailNetwork);
    expect(U.isExnFailNetworkErrno(e)).toBe(false);
    expect(e.message).toBe('udp-set-receive-buffer-size!: given size is too large\n  given size: 2305843009213693952');
  });

  it('udp-set-receive-buffer-size! accepts any positive size (clamped like Linux)', async () => {
    const u = await sock();
    expect(U.udpSetReceiveBufferSize(u, 1000)).toBeUndefined();
    expect(U.udpSetReceiveBufferSize(u, 2 ** 40)).toBeUndefined();
    await U.udpBind(u, '127.0.0.1', 0);
    U.udpSetReceiveBufferSize(u, 4096);
    expect(U.udpReceiveBufferSize(u)).toBe(8192);
  });
});

describe('multicast options', () => {
  it('defaults and setters, on an unbound socket too', async () => {
    const u = await sock();
    expect(U.udpMulticastTtl(u)).toBe(1);
    expect(U.isUdpMulticastLoopback(u)).toBe(true);
    expect(U.udpMulticastInterface(u)).toBe('0.0.0.0');
    U.udpMulticastSetTtl(u, 0);
    expect(U.udpMulticastTtl(u)).toBe(0);
    U.udpMulticastSetLoopback(u, 0); // any value: 0 is true in Racket
    expect(U.isUdpMulticastLoopback(u)).toBe(true);
    U.udpMulticastSetLoopback(u, null);
    expect(U.isUdpMulticastLoopback(u)).toBe(false);
    await U.udpMulticastSetInterface(u, '127.0.0.1');
    expect(U.udpMulticastInterface(u)).toBe('127.0.0.1');
    await U.udpBind(u, false, 0);
    expect([U.udpMulticastTtl(u), U.isUdpMulticastLoopback(u), U.udpMulticastInterface(u)]).toEqual([
      0,
      false,
      '127.0.0.1',
    ]);
    await U.udpMulticastSetInterface(u, false);
    expect(U.udpMulticastInterface(u)).toBe('0.0.0.0');
    U.udpMulticastSetLoopback(u, true);
    expect(U.isUdpMulticastLoopback(u)).toBe(true);
  });

  it('interface errors', async () => {
    const u = await sock();
    const e = await caught(() => U.udpMulticastSetInterface(u, '8.8.8.8'));
    expect(e.message).toBe(
      'udp-multicast-set-interface!: setsockopt failed\n  system error: Cannot assign requested address; errno=99',
    );
    const f = await caught(() => U.udpMulticastSetInterface(u, '::1'));
    expect(f.errno).toEqual([-9, 'gai']);
    expect(f.message).toBe(
      "udp-multicast-set-interface!: can't resolve address\n  address: ::1\n  system error: Address family for hostname not supported; gai_err=-9",
    );
  });

  it('join and leave errors, as Linux reports them', async () => {
    const u = await sock();
    await U.udpMulticastJoinGroup(u, GROUP, false);
    const twice = await caught(() => U.udpMulticastJoinGroup(u, GROUP, false));
    expect(twice.message).toBe(
      'udp-multicast-join-group!: setsockopt failed\n  system error: Address already in use; errno=98',
    );
    await U.udpMulticastJoinGroup(u, GROUP, '127.0.0.1');
    await U.udpMulticastLeaveGroup(u, GROUP, '127.0.0.1');
    const leave = await caught(() => U.udpMulticastLeaveGroup(u, GROUP, '127.0.0.1'));
    expect(leave.message).toBe(
      'udp-multicast-leave-group!: setsockopt failed\n  system error: Cannot assign requested address; errno=99',
    );
    const unicast = await caught(() => U.udpMulticastJoinGroup(u, '10.1.2.3', false));
    expect(unicast.message).toBe(
      'udp-multicast-join-group!: setsockopt failed\n  system error: Invalid argument; errno=22',
    );
    const nodev = await caught(() => U.udpMulticastJoinGroup(u, GROUP, '8.8.8.8'));
    expect(nodev.message).toBe(
      'udp-multicast-join-group!: setsockopt failed\n  system error: No such device; errno=19',
    );
    const v6 = await caught(() => U.udpMulticastJoinGroup(u, 'ff02::1', false));
    expect(v6.message).toBe(
      "udp-multicast-join-group!: can't resolve multicast address\n  address: ff02::1\n  system error: Address family for hostname not supported; gai_err=-9",
    );
    const iface = await caught(() => U.udpMulticastJoinGroup(u, GROUP, 'nonexistent.invalid'));
    expect(iface.message).toMatch(
      /^udp-multicast-join-group!: can't resolve interface address\n {2}address: nonexistent\.invalid\n {2}system error: /,
    );
  });

  it('loopback round trip: join before bind, send through interface 127.0.0.1', async () => {
    const r = await sock();
    await U.udpMulticastJoinGroup(r, GROUP, '127.0.0.1');
    await U.udpBind(r, false, 0);
    const rp = U.udpAddresses(r, true)[1] as number;
    const s = await sock();
    await U.udpMulticastSetInterface(s, '127.0.0.1');
    await U.udpSendTo(s, GROUP, rp, new TextEncoder().encode('hello group'));
    const sp = U.udpAddresses(s, true)[1] as number;
    const buf = new Uint8Array(32);
    expect(await U.syncTimeout(5, U.udpReceiveEvt(r, buf))).toEqual([11, '127.0.0.1', sp]);
    // after leaving, the group's datagrams no longer arrive
    await U.udpMulticastLeaveGroup(r, GROUP, '127.0.0.1');
    await U.udpSendTo(s, GROUP, rp, new TextEncoder().encode('gone'));
    // a unicast datagram sent after it arrives first: the multicast one was not delivered
    await U.udpSendTo(s, '127.0.0.1', rp, new TextEncoder().encode('unicast'));
    expect(await U.syncTimeout(5, U.udpReceiveEvt(r, buf))).toEqual([7, '127.0.0.1', sp]);
  });

  it('join after bind works too', async () => {
    const r = await sock();
    await U.udpBind(r, false, 0);
    await U.udpMulticastJoinGroup(r, GROUP, '127.0.0.1');
    const rp = U.udpAddresses(r, true)[1] as number;
    const s = await sock();
    await U.udpMulticastSetInterface(s, '127.0.0.1');
    await U.udpBind(s, false, 0);
    U.udpMulticastSetTtl(s, 1);
    await U.udpSendTo(s, GROUP, rp, new TextEncoder().encode('x'));
    expect(((await U.syncTimeout(5, U.udpReceiveEvt(r, new Uint8Array(4)))) as unknown[])[0]).toBe(1);
  });

  it('interfaces are devices: all of 127.0.0.0/8 is the loopback', async () => {
    const u = await sock();
    await U.udpBind(u, false, 0);
    await U.udpMulticastSetInterface(u, '127.0.0.2');
    expect(U.udpMulticastInterface(u)).toBe('127.0.0.2');
    await U.udpMulticastJoinGroup(u, GROUP, '127.0.0.2');
    const same = await caught(() => U.udpMulticastJoinGroup(u, GROUP, '127.0.0.1'));
    expect(same.errno).toEqual([98, 'posix']);
    await U.udpMulticastLeaveGroup(u, GROUP, '127.0.0.1');
    expect((await caught(() => U.udpMulticastLeaveGroup(u, GROUP, '127.0.0.2'))).errno).toEqual([99, 'posix']);
  });

  it('at most igmp_max_memberships (20) joins per socket, bound or not', async () => {
    for (const bindFirst of [true, false]) {
      const u = await sock();
      if (bindFirst) await U.udpBind(u, false, 0);
      for (let i = 1; i <= 20; i++) await U.udpMulticastJoinGroup(u, `239.255.1.${i}`, '127.0.0.1');
      const e = await caught(() => U.udpMulticastJoinGroup(u, '239.255.1.21', '127.0.0.1'));
      expect(e.message).toBe(
        'udp-multicast-join-group!: setsockopt failed\n  system error: No buffer space available; errno=105',
      );
      await U.udpMulticastLeaveGroup(u, '239.255.1.1', '127.0.0.1');
      await U.udpMulticastJoinGroup(u, '239.255.1.21', '127.0.0.1');
      if (!bindFirst) await U.udpBind(u, false, 0);
    }
  });
});
