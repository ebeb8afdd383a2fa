// Group "closed" — the twin of closed.rkt: every operation on a closed socket.
import { b, group, makeBytes, type T, U } from './harness.js';

const { list, scenario } = group('closed');
export default list;

async function closedSocket(t: T, { bind = true, connect = false } = {}): Promise<unknown> {
  const s = await t.open();
  if (bind) await U.udpBind(s, '127.0.0.1', 0);
  if (connect) await U.udpConnect(s, '127.0.0.1', 9);
  U.udpClose(s);
  return s;
}

scenario('closed: second close', async (t) => {
  const s = await t.open();
  await t.now(() => U.udpClose(s));
  await t.now(() => U.udpClose(s));
  await t.now(() => U.udpClose(s));
});

scenario('closed: never-bound socket flags and close', async (t) => {
  const s = await closedSocket(t, { bind: false });
  await t.now(() => U.isUdpBound(s));
  await t.now(() => U.isUdpConnected(s));
  await t.now(() => U.isUdp(s));
  await t.now(() => U.udpClose(s));
});

scenario('closed: bind and connect', async (t) => {
  const s = await closedSocket(t, { bind: false });
  await t.step(() => U.udpBind(s, '127.0.0.1', 0));
  await t.step(() => U.udpBind(s, false, 0, true));
  await t.step(() => U.udpConnect(s, '127.0.0.1', 9));
  await t.step(() => U.udpConnect(s, false, false));
  await t.now(() => U.isUdpBound(s));
});

scenario('closed: bind on a closed bound socket', async (t) => {
  const s = await closedSocket(t);
  await t.step(() => U.udpBind(s, '127.0.0.1', 0));
});

scenario('closed: send family on an unconnected socket', async (t) => {
  const s = await closedSocket(t);
  await t.step(() => U.udpSendTo(s, '127.0.0.1', 9, b('x')));
  await t.now(() => U.udpSendToStar(s, '127.0.0.1', 9, b('x')));
  await t.step(() => U.udpSendToEnableBreak(s, '127.0.0.1', 9, b('x'), 0, 1));
  await t.step(() => U.udpSend(s, b('x')));
  await t.now(() => U.udpSendStar(s, b('x')));
  await t.step(() => U.udpSendEnableBreak(s, b('x')));
});

scenario('closed: send family on a connected socket', async (t) => {
  const s = await closedSocket(t, { connect: true });
  await t.step(() => U.udpSendTo(s, '127.0.0.1', 9, b('x')));
  await t.now(() => U.udpSendToStar(s, '127.0.0.1', 9, b('x')));
  await t.step(() => U.udpSendToEnableBreak(s, '127.0.0.1', 9, b('x')));
  await t.step(() => U.udpSend(s, b('x')));
  await t.now(() => U.udpSendStar(s, b('x')));
  await t.step(() => U.udpSendEnableBreak(s, b('x')));
});

scenario('closed: receive family', async (t) => {
  const s = await closedSocket(t);
  const buf = makeBytes(4, 46);
  await t.within(1, () => U.udpReceive(s, buf));
  await t.now(() => U.udpReceiveStar(s, buf));
  await t.within(1, () => U.udpReceiveEnableBreak(s, buf, 1, 2));
});

scenario('closed: receive family on a never-bound socket', async (t) => {
  const s = await closedSocket(t, { bind: false });
  const buf = makeBytes(4, 46);
  await t.within(1, () => U.udpReceive(s, buf));
  await t.now(() => U.udpReceiveStar(s, buf));
  await t.within(1, () => U.udpReceiveEnableBreak(s, buf));
});

scenario('closed: udp-addresses names tcp-addresses', async (t) => {
  const s = await closedSocket(t);
  await t.now(() => U.udpAddresses(s));
  await t.now(() => U.udpAddresses(s, true));
});

scenario('closed: option getters and setters', async (t) => {
  const s = await closedSocket(t);
  await t.step(() => U.udpTtl(s));
  await t.step(() => U.udpSetTtl(s, 5));
  await t.step(() => U.udpMulticastTtl(s));
  await t.step(() => U.udpMulticastSetTtl(s, 5));
  await t.step(() => U.isUdpMulticastLoopback(s));
  await t.step(() => U.udpMulticastSetLoopback(s, true));
  await t.step(() => U.udpMulticastInterface(s));
  await t.step(() => U.udpMulticastSetInterface(s, '127.0.0.1'));
  await t.step(() => U.udpMulticastSetInterface(s, false));
  await t.step(() => U.udpSetReceiveBufferSize(s, 4096));
});

scenario('closed: options on a never-bound socket', async (t) => {
  const s = await closedSocket(t, { bind: false });
  await t.step(() => U.udpTtl(s));
  await t.step(() => U.udpSetTtl(s, 5));
  await t.step(() => U.isUdpMulticastLoopback(s));
});

scenario('closed: multicast groups', async (t) => {
  const s = await closedSocket(t);
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.0.1', false));
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.0.1', '127.0.0.1'));
  await t.step(() => U.udpMulticastLeaveGroup(s, '239.255.0.1', false));
});

scenario('closed: evt constructors succeed, syncing raises', async (t) => {
  const s = await closedSocket(t);
  const buf = makeBytes(4, 46);
  await t.now(() => U.isEvt(U.udpReceiveEvt(s, buf)));
  await t.now(() => U.isEvt(U.udpSendToEvt(s, '127.0.0.1', 9, b('x'))));
  await t.now(() => U.isEvt(U.udpSendEvt(s, b('x'))));
  await t.step(() => U.syncTimeout(1, U.udpSendToEvt(s, '127.0.0.1', 9, b('x'))));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(s, buf, 0, 2)));
});

scenario('closed: contract errors come before the closed check', async (t) => {
  const s = await closedSocket(t);
  const buf = makeBytes(4, 46);
  await t.step(() => U.udpSendTo(s, '127.0.0.1', 0, b('x')));
  await t.step(() => U.udpSend(s, b('x'), 2));
  await t.step(() => U.udpReceive(s, buf, 5));
  await t.step(() => U.udpSetTtl(s, 256));
  await t.step(() => U.udpBind(s, false, 65536));
  await t.step(() => U.udpConnect(s, '127.0.0.1', false));
  await t.step(() => U.udpClose(s, s));
});

scenario('closed: ready evts made after close are ready', async (t) => {
  const s = await closedSocket(t);
  const u = await closedSocket(t, { bind: false });
  await t.step(async () => {
    const e = U.udpSendReadyEvt(s);
    return (await U.syncTimeout(0.5, e)) === e;
  });
  await t.step(async () => {
    const e = U.udpReceiveReadyEvt(s);
    return (await U.syncTimeout(0.5, e)) === e;
  });
  await t.step(async () => {
    const e = U.udpReceiveReadyEvt(u);
    return (await U.syncTimeout(0.5, e)) === e;
  });
});

scenario('closed: close wakes a waiting receive-ready evt', async (t) => {
  const r = await t.open();
  await U.udpBind(r, '127.0.0.1', 0);
  const e = U.udpReceiveReadyEvt(r);
  await t.during(
    async () => (await U.syncTimeout(2, e)) === e,
    () => U.udpClose(r),
  );
});
