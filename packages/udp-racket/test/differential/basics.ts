// Group "basics" — the twin of basics.rkt (same scenario names, same steps, same order).
import { b, group, makeBytes, pause, portOf, R, U } from './harness.js';

const { list, scenario } = group('basics');
export default list;

scenario('udp? on sockets and other values', async (t) => {
  const s = await t.open();
  await t.now(() => U.isUdp(s));
  await t.now(() => U.isUdp(5));
  await t.now(() => U.isUdp('127.0.0.1'));
  await t.now(() => U.isUdp(false));
  await t.now(() => U.isUdp(b('x')));
  U.udpClose(s);
  await t.now(() => U.isUdp(s));
});

scenario('flags through open, bind, connect, disconnect, close', async (t) => {
  const s = await t.open();
  const peer = await t.open();
  await U.udpBind(peer, '127.0.0.1', 0);
  await t.now(() => [U.isUdpBound(s), U.isUdpConnected(s)]);
  await t.step(() => U.udpBind(s, '127.0.0.1', 0));
  await t.now(() => [U.isUdpBound(s), U.isUdpConnected(s)]);
  await t.step(() => U.udpConnect(s, '127.0.0.1', portOf(peer)));
  await t.now(() => [U.isUdpBound(s), U.isUdpConnected(s)]);
  await t.step(() => U.udpConnect(s, false, false));
  await t.now(() => [U.isUdpBound(s), U.isUdpConnected(s)]);
  await t.now(() => U.udpClose(s));
  await t.now(() => [U.isUdpBound(s), U.isUdpConnected(s)]);
  U.udpClose(peer);
});

scenario('flags of a connected socket survive close', async (t) => {
  const s = await t.open();
  const peer = await t.open();
  await U.udpBind(peer, '127.0.0.1', 0);
  await U.udpBind(s, '127.0.0.1', 0);
  await U.udpConnect(s, '127.0.0.1', portOf(peer));
  await t.now(() => U.udpClose(s));
  await t.now(() => U.isUdpBound(s));
  await t.now(() => U.isUdpConnected(s));
  U.udpClose(peer);
});

scenario('connect does not set the bound flag; send then binds', async (t) => {
  const s = await t.open();
  const peer = await t.open();
  await U.udpBind(peer, '127.0.0.1', 0);
  await t.step(() => U.udpConnect(s, '127.0.0.1', portOf(peer)));
  await t.now(() => [U.isUdpBound(s), U.isUdpConnected(s)]);
  await t.step(() => U.udpSend(s, b('x')));
  await t.now(() => [U.isUdpBound(s), U.isUdpConnected(s)]);
  U.udpClose(s);
  U.udpClose(peer);
});

scenario('send-to auto-binds to the wildcard', async (t) => {
  const s = await t.open();
  const peer = await t.open();
  await U.udpBind(peer, '127.0.0.1', 0);
  await t.now(() => U.isUdpBound(s));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(peer), b('x')));
  await t.now(() => U.isUdpBound(s));
  await t.now(() => {
    const [a, p, bb, q] = U.udpAddresses(s, true) as [string, number, string, number];
    return [a, p > 0, bb, q];
  });
  await t.step(() => U.udpBind(s, '127.0.0.1', 0));
  U.udpClose(s);
  U.udpClose(peer);
});

scenario('send-to* auto-binds', async (t) => {
  const s = await t.open();
  const peer = await t.open();
  await U.udpBind(peer, '127.0.0.1', 0);
  await t.now(() => U.udpSendToStar(s, '127.0.0.1', portOf(peer), b('x')));
  await t.now(() => U.isUdpBound(s));
  U.udpClose(s);
  U.udpClose(peer);
});

scenario('udp-addresses of an unbound IPv4 socket', async (t) => {
  const s = await t.open();
  await t.now(() => U.udpAddresses(s));
  await t.now(() => U.udpAddresses(s, false));
  await t.now(() => U.udpAddresses(s, true));
  await t.now(() => U.udpAddresses(s, Symbol('yes')));
  U.udpClose(s);
});

scenario('udp-addresses of an unbound IPv6 socket', async (t) => {
  const s = await t.open('::1', false);
  await t.now(() => U.udpAddresses(s));
  await t.now(() => U.udpAddresses(s, true));
  U.udpClose(s);
});

scenario('udp-addresses bound to 127.0.0.1', async (t) => {
  const s = await t.open();
  await U.udpBind(s, '127.0.0.1', 0);
  await t.now(() => U.udpAddresses(s));
  await t.now(() => U.udpAddresses(s, true));
  U.udpClose(s);
});

scenario('udp-addresses bound to the IPv4 wildcard', async (t) => {
  const s = await t.open();
  await U.udpBind(s, false, 0);
  await t.now(() => U.udpAddresses(s));
  await t.now(() => U.udpAddresses(s, true));
  U.udpClose(s);
});

scenario('udp-addresses connected, then disconnected', async (t) => {
  const s = await t.open();
  const peer = await t.open();
  await U.udpBind(peer, '127.0.0.1', 0);
  await U.udpBind(s, '127.0.0.1', 0);
  await t.now(() => portOf(peer));
  await t.now(() => portOf(s));
  await U.udpConnect(s, '127.0.0.1', portOf(peer));
  await t.now(() => U.udpAddresses(s));
  await t.now(() => U.udpAddresses(s, true));
  await U.udpConnect(s, false, false);
  await t.now(() => U.udpAddresses(s, true));
  U.udpClose(s);
  U.udpClose(peer);
});

scenario('udp-addresses of a wildcard socket connected to loopback', async (t) => {
  const s = await t.open();
  const peer = await t.open();
  await U.udpBind(peer, '127.0.0.1', 0);
  await U.udpBind(s, false, 0);
  await t.now(() => portOf(peer));
  await t.now(() => portOf(s));
  await U.udpConnect(s, '127.0.0.1', portOf(peer));
  await t.now(() => U.udpAddresses(s, true));
  U.udpClose(s);
  U.udpClose(peer);
});

scenario('udp-addresses IPv6 loopback bound and connected', async (t) => {
  const s = await t.open('::1', false);
  const peer = await t.open('::1', false);
  await U.udpBind(peer, '::1', 0);
  await U.udpBind(s, '::1', 0);
  await t.now(() => portOf(peer));
  await t.now(() => portOf(s));
  await t.now(() => U.udpAddresses(s));
  await t.now(() => U.udpAddresses(s, true));
  await U.udpConnect(s, '::1', portOf(peer));
  await t.now(() => U.udpAddresses(s, true));
  U.udpClose(s);
  U.udpClose(peer);
});

scenario('udp-addresses IPv6 wildcard', async (t) => {
  const s = await t.open('::', false);
  await U.udpBind(s, '::', 0);
  await t.now(() => U.udpAddresses(s));
  U.udpClose(s);
});

scenario('open-socket family from its arguments', async (t) => {
  const a = await t.open(false, false);
  const b4 = await t.open('127.0.0.1', false);
  const c = await t.open('localhost', 53);
  const d = await t.open('::1', 53);
  const e = await t.open(false, 53);
  const f = await t.open('::1');
  for (const s of [a, b4, c, d, e, f]) await t.now(() => U.udpAddresses(s));
  for (const s of [a, b4, c, d, e, f]) U.udpClose(s);
});

scenario('IPv4 sender seen on an IPv6 wildcard socket', async (t) => {
  const r = await t.open('::', false);
  const s = await t.open();
  const buf = makeBytes(8, 46);
  await U.udpBind(r, false, 0);
  await U.udpBind(s, '127.0.0.1', 0);
  await t.now(() => portOf(r));
  await t.now(() => portOf(s));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('v4')));
  await t.step(() => U.syncTimeout(2, U.udpReceiveEvt(r, buf)));
  await t.now(() => buf);
  U.udpClose(r);
  U.udpClose(s);
});

scenario('IPv6 round trip on ::1', async (t) => {
  const r = await t.open('::1', false);
  const s = await t.open('::1', false);
  const buf = makeBytes(8, 46);
  await U.udpBind(r, '::1', 0);
  await t.now(() => portOf(r));
  await t.step(() => U.udpSendTo(s, '::1', portOf(r), b('six')));
  await t.step(() => U.syncTimeout(2, U.udpReceiveEvt(r, buf)));
  await t.now(() => portOf(s));
  await t.now(() => buf);
  U.udpClose(r);
  U.udpClose(s);
});

scenario('IPv4 socket sending to ::1 fails with errno 97', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpSendTo(s, '::1', 9, b('x')));
  await t.now(() => U.udpSendToStar(s, '::1', 9, b('x')));
  await t.step(() => U.syncTimeout(1, U.udpSendToEvt(s, '::1', 9, b('x'))));
  await t.step(() => U.udpSendToEnableBreak(s, '::1', 9, b('x')));
  U.udpClose(s);
});

scenario('bind conflict on 127.0.0.1 raises errno 98', async (t) => {
  const a = await t.open();
  const c = await t.open();
  await U.udpBind(a, '127.0.0.1', 0);
  await t.now(() => portOf(a));
  await t.step(() => U.udpBind(c, '127.0.0.1', portOf(a)));
  await t.now(() => U.isUdpBound(c));
  await t.step(() => U.udpBind(c, '127.0.0.1', 0));
  await t.now(() => U.isUdpBound(c));
  U.udpClose(a);
  U.udpClose(c);
});

scenario('bind conflict on the wildcard prints <unspec>', async (t) => {
  const a = await t.open();
  const c = await t.open();
  await U.udpBind(a, false, 0);
  await t.now(() => portOf(a));
  await t.step(() => U.udpBind(c, false, portOf(a)));
  U.udpClose(a);
  U.udpClose(c);
});

scenario("bind conflict with reuse? names can't bind as reusable", async (t) => {
  const a = await t.open();
  const c = await t.open();
  await U.udpBind(a, '127.0.0.1', 0);
  await t.now(() => portOf(a));
  await t.step(() => U.udpBind(c, '127.0.0.1', portOf(a), true));
  U.udpClose(a);
  U.udpClose(c);
});

scenario('two reusable binds share a port', async (t) => {
  const a = await t.open();
  const c = await t.open();
  await t.step(() => U.udpBind(a, '127.0.0.1', 0, true));
  await t.now(() => portOf(a));
  await t.step(() => U.udpBind(c, '127.0.0.1', portOf(a), true));
  await t.now(() => portOf(c));
  U.udpClose(a);
  U.udpClose(c);
});

scenario('bind to an address that is not local raises errno 99', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpBind(s, '192.0.2.1', 0));
  await t.now(() => U.isUdpBound(s));
  U.udpClose(s);
});

scenario('bind twice raises already bound', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpBind(s, '127.0.0.1', 0));
  await t.step(() => U.udpBind(s, '127.0.0.1', 0));
  await t.step(() => U.udpBind(s, false, 0, true));
  U.udpClose(s);
});

scenario('a round trip by Racket names', async (t) => {
  // everything through the `racket` map, keyed by the exact Racket names
  const r = await R('udp-open-socket')();
  const s = await R('udp-open-socket')();
  const buf = makeBytes(6, 46);
  try {
    await t.step(() => R('udp-bind!')(r, '127.0.0.1', 0));
    await t.step(() => R('udp-bind!')(s, '127.0.0.1', 0, true));
    await t.now(() => (R('udp-addresses')(s, true) as unknown[])[1]);
    await t.step(() => R('udp-send-to')(s, '127.0.0.1', (R('udp-addresses')(r, true) as unknown[])[1], b('racket')));
    await t.step(() => U.syncTimeout(1, R('udp-receive!-evt')(r, buf)));
    await t.now(() => R('udp-receive!*')(r, buf));
    await t.now(() => [R('udp?')(r), R('udp-bound?')(r), R('udp-connected?')(r)]);
    await t.now(() => R('udp-close')(r));
    await t.now(() => R('udp-close')(s));
  } finally {
    for (const x of [r, s])
      try {
        U.udpClose(x);
      } catch {
        // already closed
      }
  }
});

scenario('bind after connect fails: the kernel bound the socket', async (t) => {
  const peer = await t.open();
  const s = await t.open();
  await U.udpBind(peer, '127.0.0.1', 0);
  await t.now(() => portOf(peer));
  await t.step(() => U.udpConnect(s, '127.0.0.1', portOf(peer)));
  await t.now(() => {
    const [l, lp, p, pp] = U.udpAddresses(s, true) as [string, number, string, number];
    return [l, lp > 0, p, pp];
  });
  await t.step(() => U.udpBind(s, '127.0.0.1', 0));
  await t.now(() => U.isUdpBound(s));
  U.udpClose(s);
  U.udpClose(peer);
});

scenario('numeric host forms getaddrinfo accepts', async (t) => {
  const r = await t.open();
  const s = await t.open();
  const buf = makeBytes(4, 46);
  await U.udpBind(r, '127.1', 0);
  await t.now(() => U.udpAddresses(r));
  await U.udpBind(s, 'localhost', 0);
  await t.now(() => portOf(s));
  await t.step(() => U.udpSendTo(s, '127.1', portOf(r), b('a')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  await t.step(() => U.udpSendTo(s, '0x7f.1', portOf(r), b('b')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  await t.step(() => U.udpSendTo(s, 'LOCALHOST', portOf(r), b('c')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  await t.step(() => U.udpConnect(s, '2130706433', portOf(r)));
  await t.now(() => U.udpAddresses(s));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('IPv6 socket sends to IPv4 destinations', async (t) => {
  const r = await t.open();
  const s = await t.open('::1', false);
  const buf = makeBytes(4, 46);
  await U.udpBind(r, '127.0.0.1', 0);
  await t.step(() => U.udpSendTo(s, '::ffff:127.0.0.1', portOf(r), b('m')));
  await t.now(() => portOf(s));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  await t.now(() => U.udpAddresses(s));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('4')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  await t.step(() => U.udpSendTo(s, 'localhost', portOf(r), b('l')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('family mismatches in bind and connect', async (t) => {
  const s6 = await t.open('::1', false);
  const s4 = await t.open();
  await t.step(() => U.udpBind(s6, '127.0.0.1', 0));
  await t.now(() => U.isUdpBound(s6));
  await t.step(() => U.udpBind(s4, '::1', 0));
  await t.step(() => U.udpConnect(s4, '::1', 53));
  await t.now(() => [U.isUdpBound(s4), U.isUdpConnected(s4)]);
  U.udpClose(s6);
  U.udpClose(s4);
});

scenario('a connect that fails on the address family still auto-binds (Linux)', async (t) => {
  const s4 = await t.open();
  await t.step(() => U.udpConnect(s4, '::1', 53));
  await t.now(() => {
    const [l, lp, p, pp] = U.udpAddresses(s4, true) as [string, number, string, number];
    return [l, lp > 0, p, pp];
  });
  await t.now(() => [U.isUdpBound(s4), U.isUdpConnected(s4)]);
  await t.step(() => U.udpBind(s4, '127.0.0.1', 0));
  U.udpClose(s4);
});

scenario('connect to 0.0.0.0 means this host', async (t) => {
  const r = await t.open();
  const s = await t.open();
  const buf = makeBytes(4, 46);
  await U.udpBind(r, '127.0.0.1', 0);
  await U.udpBind(s, '127.0.0.1', 0);
  await t.now(() => portOf(r));
  await t.now(() => portOf(s));
  await t.step(() => U.udpConnect(s, '0.0.0.0', portOf(r)));
  await t.now(() => U.udpAddresses(s, true));
  await t.step(() => U.udpSend(s, b('z')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('a dual-stack IPv6 wildcard socket holds the IPv4 port too', async (t) => {
  const w6 = await t.open('::', false);
  const s4 = await t.open();
  const s6 = await t.open('::1', false);
  await U.udpBind(w6, '::', 0);
  await t.now(() => portOf(w6));
  await t.step(() => U.udpBind(s4, '127.0.0.1', portOf(w6)));
  await t.step(() => U.udpBind(s6, '::1', portOf(w6)));
  await t.now(() => [U.isUdpBound(s4), U.isUdpBound(s6)]);
  for (const s of [w6, s4, s6]) U.udpClose(s);
});

scenario('IPv4 and IPv6 loopback sockets can share a port number', async (t) => {
  const s4 = await t.open();
  const s6 = await t.open('::1', false);
  await U.udpBind(s4, '127.0.0.1', 0);
  await t.now(() => portOf(s4));
  await t.step(() => U.udpBind(s6, '::1', portOf(s4)));
  await t.now(() => portOf(s4) === portOf(s6));
  U.udpClose(s4);
  U.udpClose(s6);
});

scenario('the host name "0" is 0.0.0.0', async (t) => {
  const r = await t.open();
  const s = await t.open();
  const buf = makeBytes(4, 46);
  await t.step(() => U.udpBind(r, '0', 0));
  await t.now(() => U.udpAddresses(r));
  await t.step(() => U.udpSendTo(s, '0', portOf(r), b('zero')));
  await t.now(() => portOf(s));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('v4-mapped IPv6 addresses', async (t) => {
  const a = await t.open('::ffff:127.0.0.1', false);
  const c = await t.open();
  await t.now(() => U.udpAddresses(a));
  await t.step(() => U.udpBind(c, '::ffff:127.0.0.1', 0));
  await t.step(() => U.udpBind(a, '::ffff:127.0.0.1', 0));
  await t.now(() => U.udpAddresses(a));
  U.udpClose(a);
  U.udpClose(c);
});

scenario('all of 127/8 is local', async (t) => {
  const r = await t.open();
  const s = await t.open();
  const buf = makeBytes(4, 46);
  await U.udpBind(r, false, 0);
  await t.step(() => U.udpBind(s, '127.0.0.2', 0));
  await t.now(() => U.udpAddresses(s));
  await t.now(() => portOf(s));
  await t.step(() => U.udpSendTo(s, '127.0.0.3', portOf(r), b('127')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('IPv6 sockets connected to an IPv4 peer', async (t) => {
  const r = await t.open();
  const w6 = await t.open('::', false);
  const u6 = await t.open('::1', false);
  const l6 = await t.open('::1', false);
  const buf = makeBytes(4, 46);
  await U.udpBind(r, '127.0.0.1', 0);
  await U.udpBind(w6, '::', 0);
  await U.udpBind(l6, '::1', 0);
  await t.now(() => portOf(r));
  await t.now(() => portOf(w6));
  await t.step(() => U.udpConnect(w6, '127.0.0.1', portOf(r)));
  await t.now(() => U.udpAddresses(w6, true));
  await t.step(() => U.udpSend(w6, b('m')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  await t.step(() => U.udpSendTo(r, '127.0.0.1', portOf(w6), b('back')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(w6, buf)));
  await t.step(() => U.udpConnect(u6, '127.0.0.1', portOf(r)));
  await t.now(() => {
    const [l, lp, p, pp] = U.udpAddresses(u6, true) as [string, number, string, number];
    return [l, lp > 0, p, pp];
  });
  await t.step(() => U.udpConnect(l6, '127.0.0.1', portOf(r)));
  await t.now(() => U.isUdpConnected(l6));
  for (const s of [r, w6, u6, l6]) U.udpClose(s);
});

scenario('sends across families from bound sockets', async (t) => {
  const r = await t.open();
  const l6 = await t.open('::1', false);
  const w6 = await t.open('::', false);
  const buf = makeBytes(4, 46);
  await U.udpBind(r, '127.0.0.1', 0);
  await U.udpBind(l6, '::1', 0);
  await U.udpBind(w6, '::', 0);
  await t.now(() => portOf(w6));
  await t.step(() => U.udpSendTo(l6, '127.0.0.1', portOf(r), b('x')));
  await t.step(() => U.udpSendTo(l6, '::ffff:127.0.0.1', portOf(r), b('x')));
  await t.now(() => U.udpSendToStar(l6, '127.0.0.1', portOf(r), b('x')));
  await t.step(() => U.syncTimeout(0.1, U.udpReceiveEvt(r, buf)));
  await t.step(() => U.udpSendTo(w6, '::1', portOf(l6), b('six')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(l6, buf)));
  await t.step(() => U.udpSendTo(r, '::ffff:127.0.0.1', portOf(w6), b('x')));
  for (const s of [r, l6, w6]) U.udpClose(s);
});

scenario('a send that fails still auto-binds', async (t) => {
  const state = (s: unknown) => {
    const [l, lp, p, pp] = U.udpAddresses(s, true) as [string, number, string, number];
    return [U.isUdpBound(s), l, lp > 0, p, pp];
  };
  const a = await t.open();
  const c = await t.open();
  const d = await t.open();
  await t.step(() => U.udpSendTo(a, '::1', 9, b('x')));
  await t.now(() => state(a));
  await t.step(() => U.udpBind(a, '127.0.0.1', 0));
  await t.now(() => U.udpSendToStar(c, '::1', 9, b('x')));
  await t.now(() => state(c));
  await t.step(() => U.syncTimeout(1, U.udpSendToEvt(d, '::1', 9, b('x'))));
  await t.now(() => state(d));
  for (const s of [a, c, d]) U.udpClose(s);
});

scenario('udp-addresses after a failed bind', async (t) => {
  const a = await t.open();
  const c = await t.open();
  await U.udpBind(a, '127.0.0.1', 0);
  await t.now(() => portOf(a));
  await t.step(() => U.udpBind(c, '127.0.0.1', portOf(a)));
  await t.now(() => U.udpAddresses(c, true));
  await t.now(() => U.isUdpBound(c));
  U.udpClose(a);
  U.udpClose(c);
});

scenario('IPv6 sockets and the name localhost', async (t) => {
  // whatever /etc/hosts says, both sides resolve "localhost" the same way
  const state = (s: unknown) => {
    const [l, lp, p, pp] = U.udpAddresses(s, true) as [string, number, string, number];
    return [l, lp > 0, p, pp];
  };
  const r = await t.open();
  const v = await t.open('::1', false);
  const w = await t.open('::1', false);
  const y = await t.open('::1', false);
  await U.udpBind(r, '127.0.0.1', 0);
  await t.now(() => portOf(r));
  await t.step(() => U.udpBind(v, 'localhost', 0));
  await t.now(() => state(v));
  await t.step(() => U.udpConnect(w, 'localhost', portOf(r)));
  await t.now(() => state(w));
  await t.step(() => U.udpBind(y, false, 0));
  await t.now(() => state(y));
  for (const s of [r, v, w, y]) U.udpClose(s);
});

scenario('reusable sockets on one port: who gets a unicast datagram', async (t) => {
  const count = (x: unknown, buf: Uint8Array) => {
    let n = 0;
    while ((U.udpReceiveStar(x, buf) as unknown[])[0] !== false) n++;
    return n;
  };
  const s = await t.open();
  const a = await t.open();
  const c = await t.open();
  const d = await t.open();
  const e = await t.open();
  const buf = makeBytes(4, 46);
  await U.udpBind(s, '127.0.0.1', 0);
  await t.step(() => U.udpBind(a, false, 0, true));
  await t.step(() => U.udpBind(c, '127.0.0.1', portOf(a), true));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(a), b('x')));
  await pause();
  await t.now(() => [count(a, buf), count(c, buf)]);
  await t.step(() => U.udpBind(d, '127.0.0.1', 0, true));
  await t.step(() => U.udpBind(e, '127.0.0.1', portOf(d), true));
  for (let i = 0; i < 3; i++) await U.udpSendTo(s, '127.0.0.1', portOf(d), b('x'));
  await pause();
  await t.now(() => [count(d, buf), count(e, buf)]);
  for (const x of [s, a, c, d, e]) U.udpClose(x);
});

scenario('a NUL ends a host name, as in C', async (t) => {
  const r = await t.open();
  const s = await t.open();
  const buf = makeBytes(4, 46);
  await U.udpBind(r, '127.0.0.1\u0000junk', 0);
  await t.now(() => U.udpAddresses(r));
  await t.step(() => U.udpSendTo(s, '127.0.0.1\u0000x', portOf(r), b('nul')));
  await t.now(() => portOf(s));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('more numbers-and-dots and IPv6 forms', async (t) => {
  const r = await t.open();
  const s = await t.open();
  const r6 = await t.open('::', false);
  const s6 = await t.open('::1', false);
  const buf = makeBytes(4, 46);
  await U.udpBind(r, '127.0.0.1', 0);
  await U.udpBind(s, '127.0.0.1', 0);
  await U.udpBind(r6, '::', 0);
  await t.now(() => portOf(s));
  await t.step(() => U.udpSendTo(s, '0x7f000001', portOf(r), b('hex')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  await t.step(() => U.udpSendTo(s, '017700000001', portOf(r), b('oct')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  await t.step(() => U.udpSendTo(s, '127.000.000.001', portOf(r), b('zer')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  await t.step(() => U.udpSendTo(s6, '::ffff:7f00:1', portOf(r), b('map')));
  await t.now(() => portOf(s6));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  await t.step(() => U.udpSendTo(s6, '0:0:0:0:0:0:0:1', portOf(r6), b('long')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r6, buf)));
  await t.step(() => U.udpSendTo(s6, 'fe80::1%lo', 9, b('x')));
  for (const x of [r, s, r6, s6]) U.udpClose(x);
});

scenario('a socket bound to 127.0.0.1 cannot reach other hosts', async (t) => {
  // Linux refuses locally (EINVAL): nothing leaves the machine
  const s = await t.open();
  const r = await t.open();
  const buf = makeBytes(4, 46);
  await U.udpBind(s, '127.0.0.1', 0);
  await U.udpBind(r, '127.0.0.1', 0);
  await t.now(() => portOf(s));
  await t.step(() => U.udpSendTo(s, '192.0.2.99', 9, b('x')));
  await t.now(() => U.udpSendToStar(s, '192.0.2.99', 9, b('x')));
  await pause();
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('ok')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  await t.step(() => U.syncTimeout(1, U.udpSendToEvt(s, '192.0.2.99', 9, b('x'))));
  await t.step(() => U.udpConnect(s, '192.0.2.99', 9));
  await t.now(() => [U.isUdpBound(s), U.isUdpConnected(s)]);
  U.udpClose(r);
  U.udpClose(s);
});

scenario('an IPv6 socket bound to a v4-mapped address speaks only IPv4', async (t) => {
  const s = await t.open('::1', false);
  const r = await t.open();
  const r6 = await t.open('::1', false);
  const buf = makeBytes(4, 46);
  await U.udpBind(s, '::ffff:127.0.0.1', 0);
  await U.udpBind(r, '127.0.0.1', 0);
  await U.udpBind(r6, '::1', 0);
  await t.now(() => portOf(s));
  await t.step(() => U.udpSendTo(s, '::1', portOf(r6), b('x')));
  await t.now(() => U.udpSendToStar(s, '::1', portOf(r6), b('x')));
  await t.step(() => U.syncTimeout(1, U.udpSendToEvt(s, '::1', portOf(r6), b('x'))));
  await t.step(() => U.udpConnect(s, '::1', portOf(r6)));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('v4')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  await t.step(() => U.syncTimeout(0.1, U.udpReceiveEvt(r6, buf)));
  for (const x of [s, r, r6]) U.udpClose(x);
});
