// Group "options" — the twin of options.rkt.  Option getters/setters and multicast calls may
// return Promises (DESIGN.md "Evts, sync and breaks"), so every step awaits.
import { b, group, makeBytes, portOf, type T, U } from './harness.js';

const { list, scenario } = group('options');
export default list;

async function boundSocket(t: T, host: string | false = '127.0.0.1'): Promise<unknown> {
  const s = await t.open();
  await U.udpBind(s, host, 0);
  return s;
}

const allOptions = async (s: unknown) => [
  await U.udpTtl(s),
  await U.udpMulticastTtl(s),
  await U.isUdpMulticastLoopback(s),
  await U.udpMulticastInterface(s),
];

scenario('option defaults on an unbound socket', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpTtl(s));
  await t.step(() => U.udpMulticastTtl(s));
  await t.step(() => U.isUdpMulticastLoopback(s));
  await t.step(() => U.udpMulticastInterface(s));
  await t.now(() => U.isUdpBound(s));
  U.udpClose(s);
});

scenario('option defaults on a bound socket', async (t) => {
  const s = await boundSocket(t);
  await t.step(() => U.udpTtl(s));
  await t.step(() => U.udpMulticastTtl(s));
  await t.step(() => U.isUdpMulticastLoopback(s));
  await t.step(() => U.udpMulticastInterface(s));
  U.udpClose(s);
});

scenario('option defaults on an IPv6 socket', async (t) => {
  const s = await t.open('::1', false);
  await t.step(() => U.udpTtl(s));
  await U.udpBind(s, '::1', 0);
  await t.step(() => U.udpTtl(s));
  U.udpClose(s);
});

scenario('set options on an unbound socket, then bind', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpSetTtl(s, 7));
  await t.step(() => U.udpMulticastSetTtl(s, 3));
  await t.step(() => U.udpMulticastSetLoopback(s, false));
  await t.step(() => U.udpMulticastSetInterface(s, '127.0.0.1'));
  await t.step(() => allOptions(s));
  await t.now(() => U.isUdpBound(s));
  await U.udpBind(s, '127.0.0.1', 0);
  await t.step(() => allOptions(s));
  U.udpClose(s);
});

scenario('set options on an unbound socket, then auto-bind by sending', async (t) => {
  const r = await boundSocket(t);
  const s = await t.open();
  await U.udpSetTtl(s, 9);
  await U.udpMulticastSetTtl(s, 4);
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('x')));
  await t.step(async () => [await U.udpTtl(s), await U.udpMulticastTtl(s)]);
  U.udpClose(r);
  U.udpClose(s);
});

scenario('udp-set-ttl! range', async (t) => {
  const s = await boundSocket(t);
  await t.step(() => U.udpSetTtl(s, 1));
  await t.step(() => U.udpTtl(s));
  await t.step(() => U.udpSetTtl(s, 255));
  await t.step(() => U.udpTtl(s));
  await t.step(() => U.udpSetTtl(s, 0));
  await t.step(() => U.udpTtl(s));
  await t.step(() => U.udpSetTtl(s, 256));
  await t.step(() => U.udpSetTtl(s, -1));
  U.udpClose(s);
});

scenario('udp-set-ttl! 0 on an unbound socket', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpSetTtl(s, 0));
  await t.step(() => U.udpTtl(s));
  U.udpClose(s);
});

scenario('udp-multicast-set-ttl! range', async (t) => {
  const s = await boundSocket(t);
  await t.step(() => U.udpMulticastSetTtl(s, 0));
  await t.step(() => U.udpMulticastTtl(s));
  await t.step(() => U.udpMulticastSetTtl(s, 255));
  await t.step(() => U.udpMulticastTtl(s));
  await t.step(() => U.udpMulticastSetTtl(s, 256));
  await t.step(() => U.udpMulticastTtl(s));
  U.udpClose(s);
});

scenario('udp-multicast-set-loopback! takes any value', async (t) => {
  const s = await boundSocket(t);
  await t.step(() => U.udpMulticastSetLoopback(s, false));
  await t.step(() => U.isUdpMulticastLoopback(s));
  await t.step(() => U.udpMulticastSetLoopback(s, 'yes'));
  await t.step(() => U.isUdpMulticastLoopback(s));
  await t.step(() => U.udpMulticastSetLoopback(s, false));
  // 0 is true in Racket, and an any/c flag is false only for false/null/undefined (DESIGN.md)
  await t.step(() => U.udpMulticastSetLoopback(s, 0));
  await t.step(() => U.isUdpMulticastLoopback(s));
  U.udpClose(s);
});

scenario('udp-multicast-set-interface! and back to the default', async (t) => {
  const s = await boundSocket(t);
  await t.step(() => U.udpMulticastSetInterface(s, '127.0.0.1'));
  await t.step(() => U.udpMulticastInterface(s));
  await t.step(() => U.udpMulticastSetInterface(s, false));
  await t.step(() => U.udpMulticastInterface(s));
  await t.step(() => U.udpMulticastSetInterface(s, '127.0.0.1'));
  await t.step(() => U.udpMulticastSetInterface(s, '0.0.0.0'));
  await t.step(() => U.udpMulticastInterface(s));
  U.udpClose(s);
});

scenario('udp-set-receive-buffer-size!', async (t) => {
  const s = await boundSocket(t);
  await t.step(() => U.udpSetReceiveBufferSize(s, 1));
  await t.step(() => U.udpSetReceiveBufferSize(s, 65536));
  await t.step(() => U.udpSetReceiveBufferSize(s, 4000000000));
  await t.step(() => U.udpSetReceiveBufferSize(s, 0));
  await t.step(() => U.udpSetReceiveBufferSize(s, -5));
  U.udpClose(s);
  const u = await t.open();
  await t.step(() => U.udpSetReceiveBufferSize(u, 100000));
  await t.now(() => U.isUdpBound(u));
  U.udpClose(u);
});

scenario('multicast join and leave', async (t) => {
  const s = await t.open();
  await U.udpBind(s, false, 0);
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.0.1', '127.0.0.1'));
  await t.step(() => U.udpMulticastLeaveGroup(s, '239.255.0.1', '127.0.0.1'));
  // (#f / "0.0.0.0" would let the kernel pick a real interface: never on success paths)
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.0.2', '127.0.0.1'));
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.0.3', '127.0.0.1'));
  await t.step(() => U.udpMulticastLeaveGroup(s, '239.255.0.2', '127.0.0.1'));
  await t.step(() => U.udpMulticastLeaveGroup(s, '239.255.0.3', '127.0.0.1'));
  U.udpClose(s);
});

scenario('multicast join on an unbound socket, then bind', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.0.4', '127.0.0.1'));
  await t.now(() => U.isUdpBound(s));
  await t.step(() => U.udpBind(s, false, 0));
  await t.step(() => U.udpMulticastLeaveGroup(s, '239.255.0.4', '127.0.0.1'));
  U.udpClose(s);
});

scenario('multicast join errors', async (t) => {
  const s = await boundSocket(t, false);
  await t.step(() => U.udpMulticastJoinGroup(s, '127.0.0.0', false));
  await t.step(() => U.udpMulticastJoinGroup(s, '127.0.0.1', '127.0.0.1'));
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.0.5', '8.8.8.0'));
  await t.step(() => U.udpMulticastLeaveGroup(s, '127.0.0.0', false));
  await t.step(() => U.udpMulticastLeaveGroup(s, '239.255.0.6', '127.0.0.1'));
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.0.7', '127.0.0.1'));
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.0.7', '127.0.0.1'));
  await t.step(() => U.udpMulticastLeaveGroup(s, '239.255.0.7', '127.0.0.1'));
  await t.step(() => U.udpMulticastLeaveGroup(s, '239.255.0.7', '127.0.0.1'));
  U.udpClose(s);
});

scenario('multicast join errors on an unbound socket', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpMulticastJoinGroup(s, '127.0.0.0', false));
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.0.5', '8.8.8.0'));
  await t.step(() => U.udpMulticastLeaveGroup(s, '127.0.0.0', false));
  await t.now(() => U.isUdpBound(s));
  U.udpClose(s);
});

scenario('multicast set-interface to a non-local address', async (t) => {
  const s = await boundSocket(t);
  await t.step(() => U.udpMulticastSetInterface(s, '8.8.8.0'));
  await t.step(() => U.udpMulticastInterface(s));
  U.udpClose(s);
});

scenario('IPv4 multicast round trip over loopback', async (t) => {
  const r = await t.open();
  const s = await boundSocket(t);
  const buf = makeBytes(8, 46);
  await U.udpBind(r, false, 0);
  await t.now(() => portOf(s));
  await t.step(() => U.udpMulticastJoinGroup(r, '239.255.0.9', '127.0.0.1'));
  await t.step(() => U.udpMulticastSetInterface(s, '127.0.0.1'));
  await t.step(() => U.udpSendTo(s, '239.255.0.9', portOf(r), b('group')));
  await t.step(() => U.syncTimeout(2, U.udpReceiveEvt(r, buf)));
  await t.now(() => buf);
  await t.step(() => U.udpMulticastLeaveGroup(r, '239.255.0.9', '127.0.0.1'));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('multicast loopback to the sending socket itself', async (t) => {
  const s = await t.open();
  const buf = makeBytes(8, 46);
  await U.udpBind(s, false, 0);
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.0.10', '127.0.0.1'));
  await t.step(() => U.udpMulticastSetInterface(s, '127.0.0.1'));
  await t.step(() => U.udpSendTo(s, '239.255.0.10', portOf(s), b('self')));
  await t.step(async () => {
    const [n, h, p] = (await U.udpReceive(s, buf)) as [number, string, number];
    return [n, h, p === portOf(s)];
  });
  U.udpClose(s);
});

scenario('multicast ttl 0 still loops back locally', async (t) => {
  const r = await t.open();
  const s = await boundSocket(t);
  const buf = makeBytes(8, 46);
  await U.udpBind(r, false, 0);
  await t.now(() => portOf(s));
  await t.step(() => U.udpMulticastJoinGroup(r, '239.255.0.11', '127.0.0.1'));
  await t.step(() => U.udpMulticastSetInterface(s, '127.0.0.1'));
  await t.step(() => U.udpMulticastSetTtl(s, 0));
  await t.step(() => U.udpSendTo(s, '239.255.0.11', portOf(r), b('ttl0')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('broadcast is allowed', async (t) => {
  const s = await boundSocket(t, false);
  await t.step(() => U.udpSendTo(s, '127.255.255.255', 9, b('bcast')));
  U.udpClose(s);
});

scenario('options on an IPv6 socket', async (t) => {
  const s = await t.open('::1', false);
  await t.step(() => U.udpSetTtl(s, 9));
  await t.step(() => U.udpTtl(s));
  await t.step(() => U.udpMulticastTtl(s));
  await t.step(() => U.udpMulticastSetTtl(s, 3));
  await t.step(() => U.isUdpMulticastLoopback(s));
  await t.step(() => U.udpMulticastInterface(s));
  await t.step(() => U.udpMulticastSetInterface(s, '127.0.0.1'));
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.0.12', '127.0.0.1'));
  await t.step(() => U.udpBind(s, '::1', 0));
  await t.step(() => allOptions(s));
  await t.step(() => U.udpSetReceiveBufferSize(s, 5000));
  await t.step(() => U.udpSetTtl(s, 0));
  U.udpClose(s);
});

scenario('broadcast from an unbound socket', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpSendTo(s, '127.255.255.255', 9, b('b')));
  await t.now(() => U.isUdpBound(s));
  await t.now(() => U.udpSendToStar(s, '127.255.255.255', 9, b('b')));
  U.udpClose(s);
});

scenario('multicast interface given by name', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpMulticastSetInterface(s, 'localhost'));
  await t.step(() => U.udpMulticastInterface(s));
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.0.13', 'localhost'));
  await t.step(() => U.udpMulticastLeaveGroup(s, '239.255.0.13', '127.0.0.1'));
  U.udpClose(s);
});

scenario('multicast loopback disabled on the sender', async (t) => {
  const r = await t.open();
  const s = await boundSocket(t);
  const buf = makeBytes(8, 46);
  await U.udpBind(r, false, 0);
  await t.step(() => U.udpMulticastJoinGroup(r, '239.255.0.14', '127.0.0.1'));
  await t.step(() => U.udpMulticastSetInterface(s, '127.0.0.1'));
  await t.step(() => U.udpMulticastSetLoopback(s, false));
  await t.step(() => U.udpSendTo(s, '239.255.0.14', portOf(r), b('noloop')));
  await t.step(() => U.syncTimeout(0.3, U.udpReceiveEvt(r, buf)));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('two reusable sockets in one group both receive', async (t) => {
  const m1 = await t.open();
  const m2 = await t.open();
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.step(() => U.udpBind(m1, false, 0, true));
  await t.step(() => U.udpBind(m2, false, portOf(m1), true));
  await t.now(() => portOf(s));
  await t.step(() => U.udpMulticastJoinGroup(m1, '239.255.0.16', '127.0.0.1'));
  await t.step(() => U.udpMulticastJoinGroup(m2, '239.255.0.16', '127.0.0.1'));
  await t.step(() => U.udpMulticastSetInterface(s, '127.0.0.1'));
  await t.step(() => U.udpSendTo(s, '239.255.0.16', portOf(m1), b('both')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(m1, buf)));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(m2, buf)));
  for (const x of [m1, m2, s]) U.udpClose(x);
});

scenario('a socket bound to the group address', async (t) => {
  const g = await t.open();
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.now(() => portOf(s));
  await t.step(() => U.udpBind(g, '239.255.0.17', 0));
  await t.now(() => U.udpAddresses(g));
  await t.step(() => U.udpMulticastJoinGroup(g, '239.255.0.17', '127.0.0.1'));
  await t.step(() => U.udpMulticastSetInterface(s, '127.0.0.1'));
  await t.step(() => U.udpSendTo(s, '239.255.0.17', portOf(g), b('grp')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(g, buf)));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(g), b('uni')));
  await t.step(() => U.syncTimeout(0.2, U.udpReceiveEvt(g, buf)));
  U.udpClose(g);
  U.udpClose(s);
});

scenario('udp-set-receive-buffer-size! beyond fixnums', async (t) => {
  const s = await boundSocket(t);
  await t.step(() => U.udpSetReceiveBufferSize(s, 2 ** 59));
  await t.step(() => U.udpSetReceiveBufferSize(s, 2 ** 61));
  await t.step(() => U.udpSetReceiveBufferSize(s, 2 ** 70));
  U.udpClose(s);
  const u = await t.open();
  await t.step(() => U.udpSetReceiveBufferSize(u, 2 ** 61));
  U.udpClose(u);
});

scenario('options set before connect survive the connect', async (t) => {
  const r = await boundSocket(t);
  const s = await t.open();
  const buf = makeBytes(4, 46);
  await t.step(() => U.udpSetTtl(s, 17));
  await t.step(() => U.udpMulticastSetTtl(s, 5));
  await t.step(() => U.udpMulticastSetLoopback(s, false));
  await t.step(() => U.udpConnect(s, '127.0.0.1', portOf(r)));
  await t.step(async () => [
    await U.udpTtl(s),
    await U.udpMulticastTtl(s),
    await U.isUdpMulticastLoopback(s),
    U.isUdpBound(s),
  ]);
  await t.step(() => U.udpSend(s, b('opt')));
  await t.step(async () => {
    const [n, h, p] = (await U.udpReceive(r, buf)) as [number, string, number];
    return [n, h, p === portOf(s)];
  });
  U.udpClose(r);
  U.udpClose(s);
});

scenario('a group joined before an auto-bind by send', async (t) => {
  const s = await t.open();
  const sender = await boundSocket(t);
  const buf = makeBytes(8, 46);
  const sink = await boundSocket(t);
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.0.18', '127.0.0.1'));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(sink), b('bind-me')));
  await t.now(() => U.udpAddresses(s));
  await t.step(() => U.udpMulticastSetInterface(sender, '127.0.0.1'));
  await t.step(() => U.udpSendTo(sender, '239.255.0.18', portOf(s), b('group')));
  await t.step(async () => {
    const [n, h, p] = (await U.udpReceive(s, buf)) as [number, string, number];
    return [n, h, p === portOf(sender)];
  });
  await t.step(() => U.udpMulticastLeaveGroup(s, '239.255.0.18', '127.0.0.1'));
  for (const x of [s, sender, sink]) U.udpClose(x);
});

scenario('options after a failed bind', async (t) => {
  const a = await boundSocket(t);
  const s = await t.open();
  await t.step(() => U.udpSetTtl(s, 33));
  await t.step(() => U.udpBind(s, '127.0.0.1', portOf(a)));
  await t.step(() => U.udpTtl(s));
  await t.step(() => U.udpSetTtl(s, 44));
  await t.step(() => U.udpBind(s, '127.0.0.1', 0));
  await t.step(() => U.udpTtl(s));
  U.udpClose(a);
  U.udpClose(s);
});

scenario('at most 20 multicast memberships per socket', async (t) => {
  // Linux's net.ipv4.igmp_max_memberships defaults to 20
  const s = await t.open();
  const u = await t.open();
  await U.udpBind(s, false, 0);
  const joinAll = async (x: unknown) => {
    for (let i = 1; i <= 20; i++)
      if ((await U.udpMulticastJoinGroup(x, `239.255.1.${i}`, '127.0.0.1')) !== undefined) return false;
    return true;
  };
  await t.step(() => joinAll(s));
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.1.21', '127.0.0.1'));
  await t.step(() => U.udpMulticastLeaveGroup(s, '239.255.1.1', '127.0.0.1'));
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.1.21', '127.0.0.1'));
  await t.step(() => joinAll(u));
  await t.step(() => U.udpMulticastJoinGroup(u, '239.255.1.21', '127.0.0.1'));
  await t.step(() => U.udpBind(u, false, 0));
  U.udpClose(s);
  U.udpClose(u);
});

scenario('multicast interfaces are devices: 127.0.0.2 is the loopback too', async (t) => {
  const s = await t.open();
  await U.udpBind(s, false, 0);
  await t.step(() => U.udpMulticastSetInterface(s, '127.0.0.2'));
  await t.step(() => U.udpMulticastInterface(s));
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.2.1', '127.0.0.2'));
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.2.1', '127.0.0.1'));
  await t.step(() => U.udpMulticastLeaveGroup(s, '239.255.2.1', '127.0.0.1'));
  await t.step(() => U.udpMulticastLeaveGroup(s, '239.255.2.1', '127.0.0.2'));
  U.udpClose(s);
});

scenario("a wildcard socket gets a group's datagrams another socket joined (IP_MULTICAST_ALL)", async (t) => {
  const a = await t.open();
  const j = await t.open();
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await U.udpBind(a, false, 0);
  await U.udpBind(j, false, 0);
  await t.now(() => portOf(s));
  await t.step(() => U.udpMulticastJoinGroup(j, '239.255.3.1', '127.0.0.1'));
  await t.step(() => U.udpMulticastSetInterface(s, '127.0.0.1'));
  await t.step(() => U.udpSendTo(s, '239.255.3.1', portOf(a), b('all')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(a, buf)));
  await t.step(() => U.udpMulticastLeaveGroup(j, '239.255.3.1', '127.0.0.1'));
  await t.step(() => U.udpSendTo(s, '239.255.3.1', portOf(a), b('none')));
  await t.step(() => U.syncTimeout(0.2, U.udpReceiveEvt(a, buf)));
  for (const x of [a, j, s]) U.udpClose(x);
});

scenario('a socket connected to a multicast group', async (t) => {
  const r = await t.open();
  const s = await t.open();
  const buf = makeBytes(4, 46);
  await U.udpBind(r, false, 0);
  await t.step(() => U.udpMulticastJoinGroup(r, '239.255.3.2', '127.0.0.1'));
  await t.step(() => U.udpMulticastSetInterface(s, '127.0.0.1'));
  await t.step(() => U.udpConnect(s, '239.255.3.2', portOf(r)));
  await t.now(() => portOf(r));
  await t.now(() => {
    const [l, lp, p, pp] = U.udpAddresses(s, true) as [string, number, string, number];
    return [l, lp > 0, p, pp];
  });
  await t.step(() => U.udpSend(s, b('cast')));
  await t.step(async () => {
    const [n, h, p] = (await U.udpReceive(r, buf)) as [number, string, number];
    return [n, h, p === portOf(s)];
  });
  U.udpClose(r);
  U.udpClose(s);
});

scenario('IPv4 multicast through dual-stack IPv6 sockets', async (t) => {
  const r = await t.open();
  const s6 = await t.open('::', false);
  const r6 = await t.open('::', false);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await U.udpBind(r, false, 0);
  await t.step(() => U.udpMulticastJoinGroup(r, '239.255.3.3', '127.0.0.1'));
  await t.step(() => U.udpMulticastSetInterface(s6, '127.0.0.1'));
  await t.step(() => U.udpBind(s6, '::', 0));
  await t.now(() => portOf(s6));
  await t.step(() => U.udpSendTo(s6, '239.255.3.3', portOf(r), b('v6m')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  await U.udpBind(r6, false, 0);
  await t.step(() => U.udpMulticastJoinGroup(r6, '239.255.3.4', '127.0.0.1'));
  await t.step(() => U.udpMulticastSetInterface(s, '127.0.0.1'));
  await t.now(() => portOf(s));
  await t.step(() => U.udpSendTo(s, '239.255.3.4', portOf(r6), b('to6')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r6, buf)));
  for (const x of [r, s6, r6, s]) U.udpClose(x);
});
