// Group "lookup" — the twin of lookup.rkt: name-lookup failures.  On the Racket side each
// scenario runs in its own process (a failed lookup breaks Racket 8.7, racket/racket#4470).
import { b, group, makeBytes, portOf, U } from './harness.js';

const { list, scenario } = group('lookup');
export default list;

const bad = 'no-such-host.invalid';

scenario('lookup: udp-open-socket without a port', async (t) => {
  await t.step(() => t.open(bad, false));
});

scenario('lookup: udp-open-socket with a port', async (t) => {
  await t.step(() => t.open(bad, 53));
});

scenario('lookup: udp-bind!', async (t) => {
  const s = await t.open();
  U.udpClose(s);
  const u = await t.open();
  await t.step(() => U.udpBind(u, bad, 0));
  await t.now(() => U.isUdpBound(u));
});

scenario('lookup: udp-connect!', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpConnect(s, bad, 53));
  await t.now(() => U.isUdpConnected(s));
});

scenario('lookup: udp-send-to', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpSendTo(s, bad, 53, b('x')));
  await t.now(() => U.isUdpBound(s));
});

scenario('lookup: udp-send-to/enable-break', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpSendToEnableBreak(s, bad, 53, b('x')));
});

scenario('lookup: udp-send-to-evt when synced', async (t) => {
  const s = await t.open();
  // Racket looks the name up when the evt is made; TS may do it when the evt is synced
  await t.step(() => U.syncTimeout(2, U.udpSendToEvt(s, bad, 53, b('x'))));
});

scenario('lookup: udp-multicast-join-group! group', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpMulticastJoinGroup(s, bad, false));
});

scenario('lookup: udp-multicast-join-group! interface', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.0.1', bad));
});

scenario('lookup: udp-multicast-leave-group! group', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpMulticastLeaveGroup(s, bad, '127.0.0.1'));
});

scenario('lookup: udp-multicast-set-interface!', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpMulticastSetInterface(s, bad));
});

scenario('lookup: an empty host name in udp-open-socket', async (t) => {
  await t.step(() => t.open('', false));
});

scenario('lookup: an empty host name in udp-send-to', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpSendTo(s, '', 53, b('x')));
});

scenario('lookup: an empty host name in udp-connect!', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpConnect(s, '', 53));
});

scenario('lookup: a malformed dotted address', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpBind(s, '127.0.0.1.5', 0));
});

scenario('lookup: an IPv6 multicast interface on an IPv4 socket', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpMulticastSetInterface(s, '::1'));
});

scenario('lookup: an IPv6 multicast group on an IPv4 socket', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpMulticastJoinGroup(s, 'ff02::1', false));
});

scenario('lookup: an IPv6 interface for an IPv4 group', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpMulticastJoinGroup(s, '239.255.0.1', '::1'));
});

scenario('lookup: an empty host name in udp-bind!', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpBind(s, '', 0));
});

scenario('lookup: an empty multicast group', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpMulticastJoinGroup(s, '', false));
});

scenario('lookup: an address with a trailing space', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpSendTo(s, '127.0.0.1 ', 9, b('x')));
});

scenario('lookup: a host name with a newline, a quote and non-ASCII', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpSendTo(s, 'no such\nhost"é', 53, b('x')));
});

scenario('lookup: a 300-character host name is printed whole', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpSendTo(s, 'b'.repeat(300), 53, b('x')));
});

scenario('lookup: a NUL inside a host name', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpBind(s, 'a\u0000b', 0));
});

scenario('lookup: full-width and non-ASCII names are not IDNA-mapped', async (t) => {
  // glibc's getaddrinfo without AI_IDN: "ＬＯＣＡＬＨＯＳＴ" is not "localhost"
  const s = await t.open();
  await t.step(() => U.udpSendTo(s, 'ＬＯＣＡＬＨＯＳＴ', 53, b('x')));
});

scenario('lookup: a scope id on a non-link-local IPv6 address', async (t) => {
  const s = await t.open('::1', false);
  await t.step(() => U.udpSendTo(s, '::1%lo', 9, b('x')));
});

scenario('lookup: a bracketed IPv6 address', async (t) => {
  const s = await t.open('::1', false);
  await t.step(() => U.udpSendTo(s, '[::1]', 9, b('x')));
});

scenario('lookup: trailing dots', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpSendTo(s, '127.0.0.1.', 9, b('x')));
});

scenario(
  'lookup: the process stays healthy afterwards',
  async (t) => {
    const r = await t.open();
    const s = await t.open();
    const buf = makeBytes(4, 46);
    await U.udpBind(r, '127.0.0.1', 0);
    await U.udpBind(s, '127.0.0.1', 0);
    await t.now(() => portOf(s));
    await t.step(() => U.udpSendTo(s, bad, 53, b('x')));
    await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('okay')));
    await t.within(1, () => U.udpReceive(r, buf));
    await t.now(() => buf);
  },
  {
    why: 'reference/racket-udp.md "Racket 8.7 bugs": after a failed lookup Racket dies at the next blocking call (racket/racket#4470); ours raises the exn and stays healthy',
    // Racket: port, EXN (lookup), #<void>, ABORT (internal error) — ours receives the datagram.
    expect: (racket) => [...racket.slice(0, 3), `(4 "127.0.0.1" ${racket[0]})`, '#"okay"'],
  },
);
