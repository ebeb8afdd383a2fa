// Sockets, datagrams, connect/reconnect/disconnect, closed sockets — loopback only, port 0 only.
import { afterEach, describe, expect, it } from 'vitest';
import * as U from '../src/index.js';
import { ExnFailContract, ExnFailNetwork, ExnFailNetworkErrno, type Udp } from '../src/index.js';

const open: Udp[] = [];
afterEach(() => {
  for (const u of open.splice(0)) u[Symbol.dispose]();
});
async function sock(host?: string | false, port?: number | false): Promise<Udp> {
  const u = await U.udpOpenSocket(host, port);
  open.push(u);
  return u;
}
async function bound(host: string | false = '127.0.0.1', family?: string): Promise<[Udp, number]> {
  const u = await sock(family ?? false);
  await U.udpBind(u, host, 0);
  return [u, U.udpAddresses(u, true)[1] as number];
}
async function caught(f: () => unknown): Promise<Error> {
  try {
    await f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('no exception');
}
const b = (s: string) => new TextEncoder().encode(s);
const text = (u8: Uint8Array, n: number, start = 0) => new TextDecoder().decode(u8.subarray(start, start + n));
/** udp-receive! with a safety net: a test never hangs forever. */
async function recv(u: Udp, buf: Uint8Array, start?: number, end?: number) {
  const r = await U.syncTimeout(5, U.udpReceiveEvt(u, buf, start, end));
  if (r === false) throw new Error('no datagram within 5 s');
  return r;
}

describe('open, bind, addresses', () => {
  it('opens IPv4 by default, unbound and unconnected', async () => {
    const u = await sock();
    expect(U.isUdp(u)).toBe(true);
    expect(U.isUdp({})).toBe(false);
    expect(U.isUdpBound(u)).toBe(false);
    expect(U.isUdpConnected(u)).toBe(false);
    expect(U.udpAddresses(u, true)).toEqual(['0.0.0.0', 0, '0.0.0.0', 0]);
    expect(U.udpAddresses(u)).toEqual(['0.0.0.0', '0.0.0.0']);
    expect(String(U.udpAddresses(u, false).length)).toBe('2');
  });

  it('takes the family from the arguments', async () => {
    expect(U.udpAddresses(await sock('::1', false), true)).toEqual(['::', 0, '0.0.0.0', 0]);
    expect(U.udpAddresses(await sock('127.0.0.1', 5), true)).toEqual(['0.0.0.0', 0, '0.0.0.0', 0]);
    expect(U.udpAddresses(await sock('localhost', false), true)).toEqual(['0.0.0.0', 0, '0.0.0.0', 0]);
    // a port alone: getaddrinfo(NULL, port) lists ::1 first, as Racket 8.7 sees it
    expect(U.udpAddresses(await sock(false, 5), true)).toEqual(['::', 0, '0.0.0.0', 0]);
  });

  it('binds to 127.0.0.1:0 and reports the port at once', async () => {
    const [u, port] = await bound();
    expect(U.isUdpBound(u)).toBe(true);
    expect(port).toBeGreaterThan(0);
    expect(U.udpAddresses(u, true)).toEqual(['127.0.0.1', port, '0.0.0.0', 0]);
  });

  it('binds the wildcard with #f', async () => {
    const [u, port] = await bound(false);
    expect(U.udpAddresses(u, true)).toEqual(['0.0.0.0', port, '0.0.0.0', 0]);
  });

  it('refuses a second bind (a contract error, as Racket 8.7 raises it)', async () => {
    const [u] = await bound();
    const e = await caught(() => U.udpBind(u, '127.0.0.1', 0));
    expect(e).toBeInstanceOf(ExnFailContract);
    expect(e.message).toBe('udp-bind!: udp socket is already bound\n  socket: #<udp>');
  });

  it('reports bind conflicts with errno 98', async () => {
    const [, port] = await bound();
    const v = await sock();
    const e = (await caught(() => U.udpBind(v, '127.0.0.1', port))) as ExnFailNetworkErrno;
    expect(e).toBeInstanceOf(ExnFailNetworkErrno);
    expect(e.errno).toEqual([98, 'posix']);
    expect(e.message).toBe(
      `udp-bind!: can't bind\n  address: 127.0.0.1\n  port number: ${port}\n  system error: Address already in use; errno=98`,
    );
    const r = (await caught(() => U.udpBind(v, '127.0.0.1', port, true))) as ExnFailNetworkErrno;
    expect(r.message).toBe(
      `udp-bind!: can't bind as reusable\n  address: 127.0.0.1\n  port number: ${port}\n  system error: Address already in use; errno=98`,
    );
    expect(U.isUdpBound(v)).toBe(false);
    // Racket tries 0.0.0.0 and then :: and reports the last failure
    const w = (await caught(() => U.udpBind(v, false, port))) as ExnFailNetworkErrno;
    expect(w.errno).toEqual([97, 'posix']);
    expect(w.message).toBe(
      `udp-bind!: can't bind\n  address: <unspec>\n  port number: ${port}\n  system error: Address family not supported by protocol; errno=97`,
    );
    // still usable
    await U.udpBind(v, '127.0.0.1', 0);
    expect(U.isUdpBound(v)).toBe(true);
  });

  it('reports other bind errors with Linux texts', async () => {
    const u = await sock();
    const e = (await caught(() => U.udpBind(u, '::1', 0))) as ExnFailNetworkErrno;
    expect(e.message).toBe(
      "udp-bind!: can't bind\n  address: ::1\n  port number: 0\n  system error: Address family not supported by protocol; errno=97",
    );
    const f = (await caught(() => U.udpBind(u, '10.9.9.9', 0))) as ExnFailNetworkErrno;
    expect(f.errno).toEqual([99, 'posix']);
    expect(f.message).toContain('system error: Cannot assign requested address; errno=99');
  });

  it('raises a lookup failure and stays healthy (Racket 8.7 breaks here: not reproduced)', async () => {
    const u = await sock();
    const e = (await caught(() => U.udpBind(u, 'nonexistent.invalid', 0))) as ExnFailNetworkErrno;
    expect(e).toBeInstanceOf(ExnFailNetworkErrno);
    expect(e.errno[1]).toBe('gai');
    expect(e.message).toMatch(
      /^udp-bind!: can't resolve address\n {2}address: nonexistent\.invalid\n {2}port number: 0\n {2}system error: (Name or service not known; gai_err=-2|Temporary failure in name resolution; gai_err=-3)$/,
    );
    const o = (await caught(() => U.udpOpenSocket('nonexistent.invalid', false))) as ExnFailNetworkErrno;
    expect(o.message).toMatch(
      /^udp-open-socket: can't resolve address\n {2}address: nonexistent\.invalid\n {2}system error: /,
    );
    await U.udpBind(u, '127.0.0.1', 0);
    expect(U.isUdpBound(u)).toBe(true);
  });
});

describe('send and receive', () => {
  it('sends to a bound socket; sending auto-binds the sender', async () => {
    const [r, rp] = await bound();
    const s = await sock();
    await U.udpSendTo(s, '127.0.0.1', rp, b('hello'));
    expect(U.isUdpBound(s)).toBe(true);
    const [, sp] = U.udpAddresses(s, true);
    expect(U.udpAddresses(s, true)).toEqual(['0.0.0.0', sp, '0.0.0.0', 0]);
    const buf = new Uint8Array(10);
    expect(await recv(r, buf)).toEqual([5, '127.0.0.1', sp]);
    expect(text(buf, 5)).toBe('hello');
  });

  it('sends sub-ranges and receives into sub-ranges, truncating', async () => {
    const [r, rp] = await bound();
    const s = await sock();
    await U.udpSendTo(s, '127.0.0.1', rp, b('0123456789'), 2, 7); // "23456"
    await U.udpSendTo(s, '127.0.0.1', rp, b('abcdefgh'), 3); // "defgh"
    await U.udpSendTo(s, '127.0.0.1', rp, b('xyz'));
    const buf = new Uint8Array(10).fill(46); // '.'
    const [n1] = await recv(r, buf, 4, 7);
    expect(n1).toBe(3);
    expect(text(buf, 10)).toBe('....234...');
    const [n2] = await recv(r, buf, 8);
    expect(n2).toBe(2);
    expect(text(buf, 10)).toBe('....234.de');
    const [n3] = await recv(r, buf, 5, 5); // zero-length range consumes the datagram
    expect(n3).toBe(0);
    expect(text(buf, 10)).toBe('....234.de');
    expect(U.udpReceiveStar(r, buf)).toEqual([false, false, false]);
  });

  it('sends and receives empty datagrams (Racket 8.7 hangs: not reproduced)', async () => {
    const [r, rp] = await bound();
    const s = await sock();
    await U.udpSendTo(s, '127.0.0.1', rp, new Uint8Array(0));
    expect(U.udpSendToStar(s, '127.0.0.1', rp, b('abc'), 1, 1)).toBe(true);
    const [, sp] = U.udpAddresses(s, true);
    expect(await recv(r, new Uint8Array(4))).toEqual([0, '127.0.0.1', sp]);
    expect(await recv(r, new Uint8Array(4))).toEqual([0, '127.0.0.1', sp]);
  });

  it('Star variants never wait', async () => {
    const [r, rp] = await bound();
    const s = await sock();
    const buf = new Uint8Array(8);
    expect(U.udpReceiveStar(r, buf)).toEqual([false, false, false]);
    expect(U.udpSendToStar(s, '127.0.0.1', rp, b('one'))).toBe(true);
    expect(U.isUdpBound(s)).toBe(true);
    // a poll lets the loopback datagram arrive (Node reads sockets between event-loop turns)
    expect(await U.syncTimeout(0, U.udpReceiveReadyEvt(r))).not.toBe(false);
    const [, sp] = U.udpAddresses(s, true);
    expect(U.udpReceiveStar(r, buf)).toEqual([3, '127.0.0.1', sp]);
    // a name that still has to be looked up: false now, sent on a later call
    let tries = 0;
    while (!U.udpSendToStar(s, 'localhost', rp, b('two'))) {
      tries++;
      await new Promise((res) => setTimeout(res, 5));
    }
    expect(tries).toBeGreaterThan(0);
    expect(await recv(r, buf)).toEqual([3, '127.0.0.1', sp]);
  });

  it('looks names up', async () => {
    const [r, rp] = await bound();
    const s = await sock();
    await U.udpSendTo(s, 'localhost', rp, b('hi'));
    expect((await recv(r, new Uint8Array(4)))[0]).toBe(2);
    const e = (await caught(() => U.udpSendTo(s, 'nonexistent.invalid', 9, b('x')))) as ExnFailNetworkErrno;
    expect(e.message).toMatch(
      /^udp-send-to: can't resolve address\n {2}address: nonexistent\.invalid\n {2}port number: 9\n/,
    );
    await U.udpSendTo(s, '127.0.0.1', rp, b('ok'));
    expect((await recv(r, new Uint8Array(4)))[0]).toBe(2);
  });

  it('fails on names the way glibc getaddrinfo does', async () => {
    const s = await sock('::1', false);
    for (const name of ['ＬＯＣＡＬＨＯＳＴ', '::1%lo', 'b'.repeat(300), '', 'a\0b']) {
      const e = (await caught(() => U.udpSendTo(s, name, 9, b('x')))) as ExnFailNetworkErrno;
      expect(e.errno, name).toEqual([-2, 'gai']);
      expect(e.message, name).toMatch(/system error: Name or service not known; gai_err=-2$/);
    }
  });

  it('raises send errors with Linux texts', async () => {
    const s = await sock();
    const e = (await caught(() => U.udpSendTo(s, '::1', 9, b('x')))) as ExnFailNetworkErrno;
    expect(e.errno).toEqual([97, 'posix']);
    expect(e.message).toBe(
      'udp-send-to: send failed\n  system error: Address family not supported by protocol; errno=97',
    );
    // over the IPv4 maximum: nothing is sent (Racket 8.7 sends half and fails oddly: not reproduced)
    const big = (await caught(() => U.udpSendTo(s, '127.0.0.1', 9, new Uint8Array(65508)))) as ExnFailNetworkErrno;
    expect(big.message).toBe('udp-send-to: send failed\n  system error: Message too long; errno=90');
  });

  it('receives the largest IPv4 datagram', async () => {
    const [r, rp] = await bound();
    const s = await sock();
    const data = new Uint8Array(65507).map((_, i) => i & 255);
    await U.udpSendTo(s, '127.0.0.1', rp, data);
    const buf = new Uint8Array(70000);
    const [n] = await recv(r, buf);
    expect(n).toBe(65507);
    expect(buf.subarray(0, n)).toEqual(data);
  });

  it('serves waiting receivers first come, first served; datagrams in order', async () => {
    const [r, rp] = await bound();
    const s = await sock();
    const bufs = [new Uint8Array(4), new Uint8Array(4), new Uint8Array(4)];
    const waits = bufs.map((buf) => U.udpReceive(r, buf));
    for (const word of ['one', 'two', 'six']) await U.udpSendTo(s, '127.0.0.1', rp, b(word));
    const got = await Promise.all(waits);
    expect(got.map(([n]) => n)).toEqual([3, 3, 3]);
    expect(bufs.map((buf) => text(buf, 3))).toEqual(['one', 'two', 'six']);
  });

  it('keeps the Node error as cause of system errors', async () => {
    const [, port] = await bound();
    const v = await sock();
    const e = (await caught(() => U.udpBind(v, '127.0.0.1', port))) as ExnFailNetworkErrno;
    expect((e.cause as { code?: string }).code).toBe('EADDRINUSE');
    expect(e).toBeInstanceOf(Error);
    expect(e.stack).toContain('udp-bind!');
  });

  it('receive on an unbound socket raises at once', async () => {
    const u = await sock();
    const e = await caught(() => U.udpReceive(u, new Uint8Array(1)));
    expect(e).toBeInstanceOf(ExnFailNetwork);
    expect(e.message).toBe('udp-receive!: udp socket is not bound\n  socket: #<udp>');
    expect(() => U.udpReceiveStar(u, new Uint8Array(1))).toThrow(
      'udp-receive!*: udp socket is not bound\n  socket: #<udp>',
    );
  });

  it('udp-send needs a connected socket', async () => {
    const u = await sock();
    expect((await caught(() => U.udpSend(u, b('x')))).message).toBe(
      'udp-send: udp socket is not connected\n  socket: #<udp>',
    );
    expect(() => U.udpSendStar(u, b('x'))).toThrow('udp-send*: udp socket is not connected\n  socket: #<udp>');
  });
});

describe('connect, reconnect, disconnect', () => {
  it('connects (flags, addresses), filters other senders, refuses send-to', async () => {
    const [r, rp] = await bound();
    const [other, op] = await bound();
    const s = await sock();
    await U.udpConnect(s, '127.0.0.1', rp);
    expect(U.isUdpConnected(s)).toBe(true);
    expect(U.isUdpBound(s)).toBe(false); // connect does not set the bound flag
    const [, sp] = U.udpAddresses(s, true);
    expect(U.udpAddresses(s, true)).toEqual(['127.0.0.1', sp, '127.0.0.1', rp]);
    expect(U.udpAddresses(s)).toEqual(['127.0.0.1', '127.0.0.1']);
    const e = await caught(() => U.udpSendTo(s, '127.0.0.1', rp, b('x')));
    expect(e).toBeInstanceOf(ExnFailNetwork);
    expect(e.message).toBe('udp-send-to: udp socket is connected\n  socket: #<udp>');
    expect(() => U.udpSendToStar(s, '127.0.0.1', rp, b('x'))).toThrow('udp-send-to*: udp socket is connected');
    await U.udpSend(s, b('via send'));
    expect(U.isUdpBound(s)).toBe(true);
    expect(await recv(r, new Uint8Array(20))).toEqual([8, '127.0.0.1', sp]);
    // a connected socket only receives from its peer
    await U.udpSendTo(other, '127.0.0.1', sp, b('intruder'));
    await U.udpSendTo(r, '127.0.0.1', sp, b('peer'));
    const buf = new Uint8Array(20);
    expect(await recv(s, buf)).toEqual([4, '127.0.0.1', rp]);
    expect(text(buf, 4)).toBe('peer');
    expect(await U.syncTimeout(0, U.udpReceiveEvt(s, buf))).toBe(false);
    expect(op).toBeGreaterThan(0);
  });

  it('reconnects keeping the local port, and disconnects', async () => {
    const [, rp] = await bound();
    const [, rp2] = await bound();
    const s = await sock();
    await U.udpBind(s, false, 0);
    const [, sp] = U.udpAddresses(s, true);
    await U.udpConnect(s, '127.0.0.1', rp);
    expect(U.udpAddresses(s, true)).toEqual(['127.0.0.1', sp, '127.0.0.1', rp]);
    await U.udpConnect(s, '127.0.0.1', rp2);
    expect(U.udpAddresses(s, true)).toEqual(['127.0.0.1', sp, '127.0.0.1', rp2]);
    await U.udpConnect(s, false, false);
    expect(U.isUdpConnected(s)).toBe(false);
    expect(U.isUdpBound(s)).toBe(true);
    // Linux forgets a port chosen by the kernel on disconnect, and Racket shows it
    expect(U.udpAddresses(s, true)).toEqual(['0.0.0.0', 0, '0.0.0.0', 0]);
    await U.udpSendTo(s, '127.0.0.1', rp, b('again'));
    expect(U.udpAddresses(s, true)[1]).toBeGreaterThan(0);
    // disconnecting a socket that is not connected is fine
    await U.udpConnect(s, null, null);
    expect(U.isUdpConnected(s)).toBe(false);
  });

  it('keeps an auto-bound port across reconnects and sends', async () => {
    const [r, rp] = await bound();
    const [r2, rp2] = await bound();
    const s = await sock();
    await U.udpSendTo(s, '127.0.0.1', rp, b('q'));
    const [, sp] = U.udpAddresses(s, true);
    await U.udpConnect(s, '127.0.0.1', rp);
    await U.udpConnect(s, '127.0.0.1', rp2);
    expect(U.udpAddresses(s, true)).toEqual(['127.0.0.1', sp, '127.0.0.1', rp2]);
    await U.udpSend(s, b('to r2'));
    expect(await recv(r2, new Uint8Array(8))).toEqual([5, '127.0.0.1', sp]);
    expect(await recv(r, new Uint8Array(8))).toEqual([1, '127.0.0.1', sp]);
  });

  it('reports connection refused on a later send, as Racket does', async () => {
    const [, deadPort] = await bound();
    const dead = open.pop()!;
    U.udpClose(dead);
    const s = await sock();
    await U.udpConnect(s, '127.0.0.1', deadPort);
    await U.udpSend(s, b('x'));
    // the ICMP error arrives asynchronously; it is raised by a later send
    let err: Error | undefined;
    for (let i = 0; i < 50 && !err; i++) {
      await new Promise((res) => setTimeout(res, 10));
      try {
        await U.udpSend(s, b('y'));
      } catch (e) {
        err = e as Error;
      }
    }
    expect(err).toBeInstanceOf(ExnFailNetworkErrno);
    expect((err as ExnFailNetworkErrno).errno).toEqual([111, 'posix']);
    expect(err!.message).toBe('udp-send: send failed\n  system error: Connection refused; errno=111');
  });

  it('Star sends report connection refused too (also on the hot path)', async () => {
    const [, deadPort] = await bound();
    U.udpClose(open.pop()!);
    const s = await sock();
    await U.udpConnect(s, '127.0.0.1', deadPort);
    let err: Error | undefined;
    for (let i = 0; i < 100 && !err; i++) {
      try {
        U.udpSendStar(s, b('x'));
      } catch (e) {
        err = e as Error;
      }
      await new Promise((res) => setTimeout(res, 5));
    }
    expect(err?.message).toBe('udp-send*: send failed\n  system error: Connection refused; errno=111');
  });

  it('connect errors', async () => {
    const u = await sock();
    const e = (await caught(() => U.udpConnect(u, '::1', 9))) as ExnFailNetworkErrno;
    expect(e.message).toBe(
      "udp-connect!: can't connect\n  address: ::1\n  port number: 9\n  system error: Address family not supported by protocol; errno=97",
    );
    const f = (await caught(() => U.udpConnect(u, 'nonexistent.invalid', 9))) as ExnFailNetworkErrno;
    expect(f.message).toMatch(
      /^udp-connect!: can't resolve address\n {2}address: nonexistent\.invalid\n {2}port number: 9\n/,
    );
  });

  it('connect then bind: the OS socket already has a port (EINVAL)', async () => {
    const u = await sock();
    await U.udpConnect(u, '127.0.0.1', 9);
    const e = (await caught(() => U.udpBind(u, '127.0.0.1', 0))) as ExnFailNetworkErrno;
    expect(e.message).toBe(
      "udp-bind!: can't bind\n  address: 127.0.0.1\n  port number: 0\n  system error: Invalid argument; errno=22",
    );
  });
});

describe('IPv6', () => {
  it('round trip on ::1', async () => {
    const [r, rp] = await bound('::1', '::1');
    expect(U.udpAddresses(r, true)).toEqual(['::1', rp, '0.0.0.0', 0]);
    const s = await sock('::1', false);
    await U.udpSendTo(s, '::1', rp, b('six'));
    const [, sp] = U.udpAddresses(s, true);
    expect(U.udpAddresses(s, true)).toEqual(['::', sp, '0.0.0.0', 0]);
    expect(await recv(r, new Uint8Array(8))).toEqual([3, '::1', sp]);
    await U.udpConnect(s, '::1', rp);
    expect(U.udpAddresses(s, true)).toEqual(['::1', sp, '::1', rp]);
  });

  it('a socket bound to ::1 is IPv6-only (Linux): IPv4 destinations fail', async () => {
    const [l6] = await bound('::1', '::1');
    const [, rp] = await bound();
    const send = (await caught(() => U.udpSendTo(l6, '127.0.0.1', rp, b('x')))) as ExnFailNetworkErrno;
    expect(send.message).toBe('udp-send-to: send failed\n  system error: Network is unreachable; errno=101');
    expect(() => U.udpSendToStar(l6, '127.0.0.1', rp, b('x'))).toThrow('Network is unreachable; errno=101');
    const conn = (await caught(() => U.udpConnect(l6, '127.0.0.1', rp))) as ExnFailNetworkErrno;
    expect(conn.errno).toEqual([97, 'posix']);
    expect(U.isUdpConnected(l6)).toBe(false);
  });

  it('source-address errors are raised at once, also by Star sends (nothing leaves the host)', async () => {
    const [lo, lop] = await bound();
    // TEST-NET-1: Linux refuses a 127.0.0.0/8 source towards another host before sending
    expect(() => U.udpSendToStar(lo, '192.0.2.99', 9, b('x'))).toThrow(
      'udp-send-to*: send failed\n  system error: Invalid argument; errno=22',
    );
    const m = await sock('::1', false);
    await U.udpBind(m, '::ffff:127.0.0.1', 0);
    expect(() => U.udpSendToStar(m, '::1', 9, b('x'))).toThrow(
      'udp-send-to*: send failed\n  system error: Address family not supported by protocol; errno=97',
    );
    // the socket is fine for valid destinations afterwards
    expect(U.udpSendToStar(m, '127.0.0.1', lop, b('ok'))).toBe(true);
    expect((await recv(lo, new Uint8Array(4)))[0]).toBe(2);
  });

  it('an IPv6 wildcard socket sees IPv4 senders as ::ffff:', async () => {
    const [w, wp] = await bound(false, '::1');
    expect(U.udpAddresses(w, true)).toEqual(['::', wp, '0.0.0.0', 0]);
    const s = await sock();
    await U.udpSendTo(s, '127.0.0.1', wp, b('4to6'));
    const [, sp] = U.udpAddresses(s, true);
    expect(await recv(w, new Uint8Array(8))).toEqual([4, '::ffff:127.0.0.1', sp]);
    // and an IPv6 socket may send to an IPv4 address
    const [r4, r4p] = await bound();
    await U.udpSendTo(w, '127.0.0.1', r4p, b('6to4'));
    expect(await recv(r4, new Uint8Array(8))).toEqual([4, '127.0.0.1', wp]);
  });
});

describe('close', () => {
  it('wakes pending receivers and discards queued datagrams', async () => {
    const [r, rp] = await bound();
    const s = await sock();
    const p1 = U.udpReceive(r, new Uint8Array(4));
    const p2 = U.udpReceiveEnableBreak(r, new Uint8Array(4), { signal: new AbortController().signal });
    U.udpClose(r);
    await expect(p1).rejects.toThrow('udp-receive!: udp socket is closed\n  socket: #<udp>');
    await expect(p2).rejects.toThrow('udp-receive!/enable-break: udp socket is closed\n  socket: #<udp>');
    await U.udpSendTo(s, '127.0.0.1', rp, b('late'));
  });

  it('every operation on a closed socket raises, with Racket texts', async () => {
    const u = await sock();
    await U.udpBind(u, '127.0.0.1', 0);
    U.udpClose(u);
    const closed = (who: string) => `${who}: udp socket is closed\n  socket: #<udp>`;
    const cases: Array<[string, () => unknown]> = [
      ['udp-bind!', () => U.udpBind(u, false, 0)],
      ['udp-connect!', () => U.udpConnect(u, '127.0.0.1', 9)],
      ['udp-connect!', () => U.udpConnect(u, false, false)],
      ['udp-send-to', () => U.udpSendTo(u, '127.0.0.1', 9, b('x'))],
      ['udp-send-to*', () => U.udpSendToStar(u, '127.0.0.1', 9, b('x'))],
      ['udp-send', () => U.udpSend(u, b('x'))],
      ['udp-receive!', () => U.udpReceive(u, new Uint8Array(1))],
      ['udp-receive!*', () => U.udpReceiveStar(u, new Uint8Array(1))],
      ['tcp-addresses', () => U.udpAddresses(u)],
      ['udp-ttl', () => U.udpTtl(u)],
      ['udp-set-ttl!', () => U.udpSetTtl(u, 5)],
      ['udp-set-receive-buffer-size!', () => U.udpSetReceiveBufferSize(u, 10)],
      ['udp-multicast-join-group!', () => U.udpMulticastJoinGroup(u, '224.1.2.3', false)],
      ['udp-multicast-set-loopback!', () => U.udpMulticastSetLoopback(u, false)],
      ['udp-multicast-interface', () => U.udpMulticastInterface(u)],
    ];
    for (const [who, f] of cases) {
      const e = await caught(f);
      expect(e, who).toBeInstanceOf(ExnFailNetwork);
      expect(e.message, who).toBe(closed(who));
    }
    // contracts still come first
    expect((await caught(() => U.udpSendTo(u, '127.0.0.1', 10, b('hello'), 10))).message).toContain(
      'starting index is out of range',
    );
    expect(U.isUdpBound(u)).toBe(true);
    expect(U.isUdpConnected(u)).toBe(false);
    expect(() => U.udpClose(u)).toThrow('udp-close: udp socket was already closed\n  socket: #<udp>');
  });

  it('Symbol.dispose is idempotent; an explicit second udpClose still raises', async () => {
    const u = await U.udpOpenSocket();
    await U.udpBind(u, '127.0.0.1', 0);
    u[Symbol.dispose]();
    u[Symbol.dispose]();
    expect(() => U.udpClose(u)).toThrow(ExnFailNetwork);
    {
      using v = await U.udpOpenSocket();
      await U.udpBind(v, '127.0.0.1', 0);
    }
  });
});
