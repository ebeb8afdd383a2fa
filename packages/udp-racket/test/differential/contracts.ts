// Group "contracts" — the twin of contracts.rkt: arity and contract errors for every procedure.
// JS values standing for Racket ones: false ↔ #f, Symbol('bonk') ↔ 'bonk, Uint8Array ↔ #"…".
import { b, group, makeBytes, type T, U } from './harness.js';

const { list, scenario } = group('contracts');
export default list;

type Fn = (...args: unknown[]) => unknown;
const bonk = Symbol('bonk');
const longBytes = makeBytes(300, 65); // printed cut at 256 characters

scenario('contracts: udp-open-socket', async (t) => {
  await t.step(() => U.udpOpenSocket(false, false, false));
  await t.step(() => U.udpOpenSocket(5));
  await t.step(() => U.udpOpenSocket(bonk, false));
  await t.step(() => U.udpOpenSocket(b('127.0.0.1'), false));
  await t.step(() => U.udpOpenSocket(false, 0));
  await t.step(() => U.udpOpenSocket(false, 65536));
  await t.step(() => U.udpOpenSocket('127.0.0.1', '53'));
  await t.step(() => U.udpOpenSocket('127.0.0.1', 1.5));
  await t.step(() => U.udpOpenSocket(5, 0));
  await t.step(() => U.udpOpenSocket(longBytes, false));
});

scenario('contracts: udp-bind!', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpBind());
  await t.step(() => U.udpBind(s, '127.0.0.1'));
  await t.step(() => U.udpBind(s, '127.0.0.1', 0, false, 5));
  await t.step(() => U.udpBind(5, '127.0.0.1', 0));
  await t.step(() => U.udpBind('s', 5, -1));
  await t.step(() => U.udpBind(s, 5, 0));
  await t.step(() => U.udpBind(s, true, 0));
  await t.step(() => U.udpBind(s, false, -1));
  await t.step(() => U.udpBind(s, false, 65536));
  await t.step(() => U.udpBind(s, false, '0'));
  await t.step(() => U.udpBind(s, false, false));
  await t.step(() => U.udpBind(s, 5, -1));
  await t.step(() => U.udpBind(s, longBytes, 0));
  await t.now(() => U.isUdpBound(s));
  U.udpClose(s);
});

scenario('contracts: udp-connect!', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpConnect(s, '127.0.0.1'));
  await t.step(() => U.udpConnect(s, '127.0.0.1', 9, 10));
  await t.step(() => U.udpConnect(5, '127.0.0.1', 9));
  await t.step(() => U.udpConnect(s, 5, 9));
  await t.step(() => U.udpConnect(s, '127.0.0.1', 0));
  await t.step(() => U.udpConnect(s, '127.0.0.1', 65536));
  await t.step(() => U.udpConnect(s, '127.0.0.1', bonk));
  await t.step(() => U.udpConnect(s, false, 0));
  await t.step(() => U.udpConnect(s, 5, false));
  await t.now(() => U.isUdpConnected(s));
  U.udpClose(s);
});

async function sendToContracts(t: T, proc: Fn): Promise<void> {
  const s = await t.open();
  const hello = () => b('hello');
  await t.step(() => proc(s, '127.0.0.1', 9));
  await t.step(() => proc(s, '127.0.0.1', 9, hello(), 0, 5, 6));
  await t.step(() => proc(5, '127.0.0.1', 9, hello()));
  await t.step(() => proc(s, 5, 9, hello()));
  await t.step(() => proc(s, false, 9, hello()));
  await t.step(() => proc(s, '127.0.0.1', 0, hello()));
  await t.step(() => proc(s, '127.0.0.1', 65536, hello()));
  await t.step(() => proc(s, '127.0.0.1', false, hello()));
  await t.step(() => proc(s, '127.0.0.1', 9, 'hello'));
  await t.step(() => proc(s, '127.0.0.1', 9, hello(), -1));
  await t.step(() => proc(s, '127.0.0.1', 9, hello(), bonk));
  await t.step(() => proc(s, '127.0.0.1', 9, hello(), 0, -1));
  await t.step(() => proc(s, '127.0.0.1', 9, hello(), 0, 1.5));
  await t.step(() => proc(s, '127.0.0.1', 9, hello(), 10));
  await t.step(() => proc(s, '127.0.0.1', 9, hello(), 6, 6));
  await t.step(() => proc(s, '127.0.0.1', 9, hello(), 1, 11));
  await t.step(() => proc(s, '127.0.0.1', 9, hello(), 3, 2));
  await t.step(() => proc(s, '127.0.0.1', 9, Uint8Array.of(0, 255, 97, 98, 99), 3, 9));
  await t.step(() => proc(5, 5, 0, 'hello', -1));
  await t.now(() => U.isUdpBound(s));
  U.udpClose(s);
}

scenario('contracts: udp-send-to', (t) => sendToContracts(t, U.udpSendTo));
scenario('contracts: udp-send-to*', (t) => sendToContracts(t, U.udpSendToStar));
scenario('contracts: udp-send-to/enable-break', (t) => sendToContracts(t, U.udpSendToEnableBreak));
scenario('contracts: udp-send-to-evt', (t) => sendToContracts(t, U.udpSendToEvt));

async function sendContracts(t: T, proc: Fn): Promise<void> {
  const s = await t.open();
  const hello = () => b('hello');
  await t.step(() => proc(s));
  await t.step(() => proc(s, hello(), 0, 5, 6));
  await t.step(() => proc(5, hello()));
  await t.step(() => proc(s, 'hello'));
  await t.step(() => proc(s, hello(), -1));
  await t.step(() => proc(s, hello(), 0, bonk));
  await t.step(() => proc(s, hello(), 10));
  await t.step(() => proc(s, hello(), 1, 11));
  await t.step(() => proc(s, hello(), 4, 3));
  await t.step(() => proc(5, 'hello', -1));
  U.udpClose(s);
}

scenario('contracts: udp-send', (t) => sendContracts(t, U.udpSend));
scenario('contracts: udp-send*', (t) => sendContracts(t, U.udpSendStar));
scenario('contracts: udp-send/enable-break', (t) => sendContracts(t, U.udpSendEnableBreak));
scenario('contracts: udp-send-evt', (t) => sendContracts(t, U.udpSendEvt));

async function receiveContracts(t: T, proc: Fn): Promise<void> {
  const s = await t.open();
  const buf = makeBytes(5, 46);
  await t.step(() => proc(s));
  await t.step(() => proc(s, buf, 0, 5, 6));
  await t.step(() => proc(5, buf));
  await t.step(() => proc(s, 'hello'));
  await t.step(() => proc(s, buf, -1));
  await t.step(() => proc(s, buf, 0, 1.5));
  await t.step(() => proc(s, buf, 6));
  await t.step(() => proc(s, buf, 2, 6));
  await t.step(() => proc(s, buf, 2, 1));
  await t.step(() => proc(5, 'hello', -1));
  U.udpClose(s);
}

scenario('contracts: udp-receive!', (t) => receiveContracts(t, U.udpReceive));
scenario('contracts: udp-receive!*', (t) => receiveContracts(t, U.udpReceiveStar));
scenario('contracts: udp-receive!/enable-break', (t) => receiveContracts(t, U.udpReceiveEnableBreak));
scenario('contracts: udp-receive!-evt', (t) => receiveContracts(t, U.udpReceiveEvt));

async function oneSocketContracts(t: T, proc: Fn): Promise<void> {
  const s = await t.open();
  await t.step(() => proc());
  await t.step(() => proc(s, s));
  await t.step(() => proc(5));
  await t.step(() => proc('socket'));
  await t.step(() => proc(false));
  U.udpClose(s);
}

scenario('contracts: udp-close', (t) => oneSocketContracts(t, U.udpClose));
scenario('contracts: udp-bound?', (t) => oneSocketContracts(t, U.isUdpBound));
scenario('contracts: udp-connected?', (t) => oneSocketContracts(t, U.isUdpConnected));
scenario('contracts: udp-send-ready-evt', (t) => oneSocketContracts(t, U.udpSendReadyEvt));
scenario('contracts: udp-receive-ready-evt', (t) => oneSocketContracts(t, U.udpReceiveReadyEvt));
scenario('contracts: udp-ttl', (t) => oneSocketContracts(t, U.udpTtl));
scenario('contracts: udp-multicast-ttl', (t) => oneSocketContracts(t, U.udpMulticastTtl));
scenario('contracts: udp-multicast-loopback?', (t) => oneSocketContracts(t, U.isUdpMulticastLoopback));
scenario('contracts: udp-multicast-interface', (t) => oneSocketContracts(t, U.udpMulticastInterface));

scenario('contracts: udp?', async (t) => {
  await t.step(() => U.isUdp());
  await t.step(() => U.isUdp(1, 2));
});

scenario('contracts: udp-addresses', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpAddresses());
  await t.step(() => U.udpAddresses(s, true, true));
  await t.step(() => U.udpAddresses(5));
  await t.step(() => U.udpAddresses(5, true));
  U.udpClose(s);
});

async function byteSetterContracts(t: T, proc: Fn): Promise<void> {
  const s = await t.open();
  await t.step(() => proc(s));
  await t.step(() => proc(s, 1, 2));
  await t.step(() => proc(5, 1));
  await t.step(() => proc(s, 256));
  await t.step(() => proc(s, -1));
  await t.step(() => proc(s, '1'));
  await t.step(() => proc(s, 1.5));
  await t.step(() => proc(s, false));
  await t.step(() => proc(5, 256));
  U.udpClose(s);
}

scenario('contracts: udp-set-ttl!', (t) => byteSetterContracts(t, U.udpSetTtl));
scenario('contracts: udp-multicast-set-ttl!', (t) => byteSetterContracts(t, U.udpMulticastSetTtl));

scenario('contracts: udp-set-receive-buffer-size!', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpSetReceiveBufferSize(s));
  await t.step(() => U.udpSetReceiveBufferSize(s, 1, 2));
  await t.step(() => U.udpSetReceiveBufferSize(5, 1));
  await t.step(() => U.udpSetReceiveBufferSize(s, 0));
  await t.step(() => U.udpSetReceiveBufferSize(s, -1));
  await t.step(() => U.udpSetReceiveBufferSize(s, 1.5));
  await t.step(() => U.udpSetReceiveBufferSize(s, '1'));
  U.udpClose(s);
});

scenario('contracts: udp-multicast-set-loopback!', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpMulticastSetLoopback(s));
  await t.step(() => U.udpMulticastSetLoopback(s, true, true));
  await t.step(() => U.udpMulticastSetLoopback(5, true));
  U.udpClose(s);
});

scenario('contracts: udp-multicast-set-interface!', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpMulticastSetInterface(s));
  await t.step(() => U.udpMulticastSetInterface(s, false, false));
  await t.step(() => U.udpMulticastSetInterface(5, false));
  await t.step(() => U.udpMulticastSetInterface(s, 5));
  await t.step(() => U.udpMulticastSetInterface(s, true));
  U.udpClose(s);
});

async function groupContracts(t: T, proc: Fn): Promise<void> {
  const s = await t.open();
  await t.step(() => proc(s, '239.255.0.1'));
  await t.step(() => proc(s, '239.255.0.1', false, false));
  await t.step(() => proc(5, '239.255.0.1', false));
  await t.step(() => proc(s, 5, false));
  await t.step(() => proc(s, false, false));
  await t.step(() => proc(s, '239.255.0.1', 5));
  await t.step(() => proc(s, b('239.255.0.1'), b('127.0.0.1')));
  await t.step(() => proc(5, 5, 5));
  U.udpClose(s);
}

scenario('contracts: udp-multicast-join-group!', (t) => groupContracts(t, U.udpMulticastJoinGroup));
scenario('contracts: udp-multicast-leave-group!', (t) => groupContracts(t, U.udpMulticastLeaveGroup));

scenario('contracts: how given values print', async (t) => {
  const s = await t.open();
  await t.step(() => U.udpBind(s, false, 1e-7));
  await t.step(() => U.udpBind(s, false, Number.POSITIVE_INFINITY));
  await t.step(() => U.udpBind(s, false, Number.NaN));
  await t.step(() => U.udpBind(s, false, 2.5));
  await t.step(() => U.udpSetTtl(s, 1e-7));
  await t.step(() => U.udpBind(s, Symbol('hello world'), 0));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', 9, 'he"llo\n'));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', 9, 'a'.repeat(300)));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', 9, Uint8Array.of(0, 255, 10, 34, 92, 97, 98, 99), 9));
  U.udpClose(s);
});

scenario('contracts: #f arguments (null in TS)', async (t) => {
  const s = await t.open(null, null);
  await t.step(() => U.udpBind(s, null, 0));
  await t.step(() => U.udpConnect(s, null, null));
  await t.step(() => U.udpMulticastSetInterface(s, null));
  await t.step(() => U.udpMulticastInterface(s));
  // (groups whose interface lookup cannot depend on the machine's routes)
  await t.step(() => U.udpMulticastJoinGroup(s, '127.0.0.0', null));
  await t.step(() => U.udpMulticastLeaveGroup(s, '127.0.0.0', null));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', 9, null));
  await t.step(() => U.udpSendTo(s, null, 9, b('x')));
  await t.step(() => U.udpConnect(s, '127.0.0.1', null));
  await t.now(() => U.udpAddresses(s, null));
  await t.step(() => U.udpMulticastSetLoopback(s, null));
  await t.step(() => U.isUdpMulticastLoopback(s));
  const u = await t.open();
  await t.step(() => U.udpBind(u, '127.0.0.1', 0, null));
  U.udpClose(u);
  U.udpClose(s);
});

scenario('contracts: omitted optional arguments (undefined in TS)', async (t) => {
  const r = await t.open(undefined, undefined);
  const s = await t.open(undefined);
  const buf = makeBytes(6, 46);
  await t.step(() => U.udpBind(r, '127.0.0.1', 0, undefined));
  await t.step(() => U.udpBind(s, '127.0.0.1', 0, undefined, undefined));
  await t.now(() => (U.udpAddresses(s, true, undefined) as unknown[])[1]);
  await t.now(() => U.udpAddresses(r, undefined));
  const port = (U.udpAddresses(r, true) as unknown[])[1];
  await t.step(() => U.udpSendTo(s, '127.0.0.1', port, b('abcdef'), undefined, undefined));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf, undefined, undefined)));
  // an undefined in the middle is omitted too: start defaults to 0
  await t.step(() => U.udpSendTo(s, '127.0.0.1', port, b('abcdef'), undefined, 3));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf, undefined, 2)));
  await t.now(() => buf);
  await t.now(() => U.udpClose(s, undefined));
  await t.now(() => U.udpClose(r, undefined, undefined));
});

scenario('contracts: sync, sync/timeout and the evt combinators', async (t) => {
  await t.step(() => U.sync(5));
  await t.step(() => U.syncTimeout(0, 5));
  await t.step(() => U.syncTimeout(-1, U.alwaysEvt));
  await t.step(() => U.syncTimeout(Symbol('x'), U.alwaysEvt));
  await t.step(() => U.syncTimeout());
  await t.step(() => U.syncEnableBreak(5));
  await t.step(() => U.wrapEvt(5, (x: unknown) => x));
  await t.step(() => U.wrapEvt(U.alwaysEvt, 5));
  await t.step(() => U.wrapEvt(U.alwaysEvt));
  await t.step(() => U.handleEvt(5, (x: unknown) => x));
  await t.step(() => U.handleEvt(U.alwaysEvt, 5));
  await t.step(() => U.choiceEvt(U.alwaysEvt, 5));
  await t.step(() => U.handleEvt(U.alwaysEvt));
  await t.step(() =>
    U.wrapEvt(
      U.alwaysEvt,
      (x: unknown) => x,
      (x: unknown) => x,
    ),
  );
  await t.step(() => U.isEvt());
  await t.step(() => U.isEvt(U.alwaysEvt, U.neverEvt));
});

scenario('contracts: the { signal } argument does not count for arity (TS)', async (t) => {
  const s = await t.open();
  const buf = makeBytes(4, 46);
  const signal = new AbortController().signal;
  await t.step(() => U.udpReceiveEnableBreak(s, { signal }));
  await t.step(() => U.udpReceiveEnableBreak(s, buf, 0, 1, 2, { signal }));
  await t.step(() => U.udpSendEnableBreak(s, { signal }));
  await t.step(() => U.udpSendToEnableBreak(s, '127.0.0.1', 9, { signal }));
  await t.step(() => U.udpSendToEnableBreak(s, '127.0.0.1', 0, b('x'), { signal }));
  await t.step(() => U.syncEnableBreak(5, { signal }));
  U.udpClose(s);
});
