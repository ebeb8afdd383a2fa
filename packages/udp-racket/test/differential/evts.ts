// Group "evts" — the twin of evts.rkt.
import { b, group, makeBytes, pause, portOf, type T, U } from './harness.js';

const { list, scenario } = group('evts');
export default list;

async function boundSocket(t: T): Promise<unknown> {
  const s = await t.open();
  await U.udpBind(s, '127.0.0.1', 0);
  return s;
}

const equalBytes = (x: unknown, y: Uint8Array) =>
  x instanceof Uint8Array && x.length === y.length && x.every((v, i) => v === y[i]);

scenario('evt? on udp evts and other values', async (t) => {
  const s = await t.open();
  const buf = makeBytes(4, 46);
  await t.now(() => U.isEvt(U.udpReceiveEvt(s, buf)));
  await t.now(() => U.isEvt(U.udpSendToEvt(s, '127.0.0.1', 9, b('x'))));
  await t.now(() => U.isEvt(U.udpSendEvt(s, b('x'))));
  await t.now(() => U.isEvt(U.udpSendReadyEvt(s)));
  await t.now(() => U.isEvt(U.udpReceiveReadyEvt(s)));
  await t.now(() => U.isEvt(U.alwaysEvt));
  await t.now(() => U.isEvt(U.neverEvt));
  await t.now(() => U.isEvt(s));
  await t.now(() => U.isEvt(5));
  U.udpClose(s);
});

scenario('always-evt and never-evt', async (t) => {
  await t.same(U.alwaysEvt, () => U.sync(U.alwaysEvt));
  await t.same(U.alwaysEvt, () => U.syncTimeout(0, U.alwaysEvt));
  await t.step(() => U.syncTimeout(0, U.neverEvt));
  await t.step(() => U.syncTimeout(0.01, U.neverEvt));
});

scenario('sync/timeout on a receive evt with nothing waiting', async (t) => {
  const r = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.step(() => U.syncTimeout(0, U.udpReceiveEvt(r, buf)));
  await t.step(() => U.syncTimeout(0.05, U.udpReceiveEvt(r, buf)));
  await t.now(() => buf);
  U.udpClose(r);
});

scenario('sync on a receive evt with a datagram', async (t) => {
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(6, 46);
  await t.now(() => portOf(s));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('evt')));
  await t.step(() => U.sync(U.udpReceiveEvt(r, buf)));
  await t.now(() => buf);
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('ranged')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf, 2, 4)));
  await t.now(() => buf);
  U.udpClose(r);
  U.udpClose(s);
});

scenario('sync/timeout 0 polls a waiting datagram', async (t) => {
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.now(() => portOf(s));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('poll')));
  await pause();
  await t.step(() => U.syncTimeout(0, U.udpReceiveEvt(r, buf)));
  await t.step(() => U.syncTimeout(0, U.udpReceiveEvt(r, buf)));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('a receive evt waits for a later datagram', async (t) => {
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.now(() => portOf(s));
  await t.during(
    () => U.syncTimeout(2, U.udpReceiveEvt(r, buf)),
    () => U.udpSendTo(s, '127.0.0.1', portOf(r), b('wait')),
  );
  await t.now(() => buf);
  U.udpClose(r);
  U.udpClose(s);
});

scenario('a receive evt not chosen does not consume', async (t) => {
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  const e = U.udpReceiveEvt(r, buf);
  await t.now(() => portOf(s));
  await t.step(() => U.syncTimeout(0, e));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('kept')));
  await pause();
  await t.now(() => U.udpReceiveStar(r, buf));
  await t.step(() => U.syncTimeout(0, e));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('more')));
  await t.step(() => U.syncTimeout(1, e));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('send-to evt sends when chosen and auto-binds', async (t) => {
  const r = await boundSocket(t);
  const s = await t.open();
  const buf = makeBytes(8, 46);
  const e = U.udpSendToEvt(s, '127.0.0.1', portOf(r), b('by-evt'), 3);
  await t.now(() => U.isUdpBound(s));
  await t.step(() => U.syncTimeout(1, e));
  await t.now(() => U.isUdpBound(s));
  await t.step(async () => {
    const [n, h, p] = (await U.udpReceive(r, buf)) as [number, string, number];
    return [n, h, p === portOf(s)];
  });
  await t.now(() => buf);
  await t.step(() => U.syncTimeout(1, e));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('send evt on a connected socket', async (t) => {
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(8, 46);
  await t.now(() => portOf(s));
  await U.udpConnect(s, '127.0.0.1', portOf(r));
  await t.step(() => U.syncTimeout(1, U.udpSendEvt(s, b('connected'), 0, 4)));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  await t.now(() => buf);
  U.udpClose(r);
  U.udpClose(s);
});

scenario('send evts report state errors when chosen', async (t) => {
  const s = await t.open();
  const r = await boundSocket(t);
  const e1 = U.udpSendEvt(s, b('x'));
  await t.now(() => U.isEvt(e1));
  await t.step(() => U.syncTimeout(1, e1));
  await U.udpConnect(s, '127.0.0.1', portOf(r));
  const e2 = U.udpSendToEvt(s, '127.0.0.1', portOf(r), b('x'));
  await t.now(() => U.isEvt(e2));
  await t.step(() => U.syncTimeout(1, e2));
  U.udpClose(s);
  await t.step(() => U.syncTimeout(1, U.udpSendEvt(s, b('x'))));
  await t.step(() => U.syncTimeout(1, U.udpSendToEvt(s, '127.0.0.1', 9, b('x'))));
  U.udpClose(r);
});

scenario('receive evt on an unbound socket fails when synced', async (t) => {
  const s = await t.open();
  const buf = makeBytes(4, 46);
  const e = U.udpReceiveEvt(s, buf);
  await t.now(() => U.isEvt(e));
  await t.step(() => U.syncTimeout(0.5, e));
  U.udpClose(s);
});

scenario('receive evt on a closed socket fails when synced', async (t) => {
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  const e = U.udpReceiveEvt(s, buf);
  U.udpClose(s);
  await t.step(() => U.syncTimeout(0.5, e));
  await t.step(() => U.syncTimeout(0.5, U.udpReceiveEvt(s, buf)));
});

scenario('ready evts sync to themselves', async (t) => {
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  const sr = U.udpSendReadyEvt(s);
  const rr = U.udpReceiveReadyEvt(r);
  await t.same(sr, () => U.syncTimeout(1, sr));
  await t.step(() => U.syncTimeout(0, rr));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('rdy')));
  await t.same(rr, () => U.syncTimeout(1, rr));
  await t.same(rr, () => U.syncTimeout(0, rr));
  await t.now(() => U.udpReceiveStar(r, buf));
  await t.step(() => U.syncTimeout(0, rr));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('send-ready evt on an unbound socket', async (t) => {
  const s = await t.open();
  const e = U.udpSendReadyEvt(s);
  await t.same(e, () => U.syncTimeout(1, e));
  await t.now(() => U.isUdpBound(s));
  U.udpClose(s);
});

scenario('ready evts on a closed socket are ready', async (t) => {
  const s = await boundSocket(t);
  const sr = U.udpSendReadyEvt(s);
  const rr = U.udpReceiveReadyEvt(s);
  U.udpClose(s);
  await t.same(sr, () => U.syncTimeout(0.5, sr));
  await t.same(rr, () => U.syncTimeout(0.5, rr));
  await t.same(rr, () => U.syncTimeout(0.5, U.choiceEvt(U.neverEvt, rr)));
});

scenario('choice-evt picks the ready receive evt', async (t) => {
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.now(() => portOf(s));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('pick')));
  await t.step(() => U.syncTimeout(1, U.choiceEvt(U.neverEvt, U.udpReceiveEvt(r, buf))));
  await t.step(() => U.syncTimeout(0, U.choiceEvt(U.neverEvt, U.udpReceiveEvt(r, buf))));
  await t.step(() => U.syncTimeout(0, U.choiceEvt()));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('wrap-evt and handle-evt see the receive result', async (t) => {
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('one')));
  await t.step(() =>
    U.syncTimeout(
      1,
      U.wrapEvt(U.udpReceiveEvt(r, buf), (v: unknown[]) => ['wrapped', v[0]]),
    ),
  );
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('four')));
  await t.step(() =>
    U.syncTimeout(
      1,
      U.handleEvt(U.udpReceiveEvt(r, buf), (v: unknown[]) => ['handled', v[0]]),
    ),
  );
  await t.step(() =>
    U.syncTimeout(
      1,
      U.wrapEvt(U.udpSendToEvt(s, '127.0.0.1', portOf(r), b('w')), (v: unknown) => ['sent', v]),
    ),
  );
  await t.step(() =>
    U.syncTimeout(
      1,
      U.wrapEvt(U.udpReceiveEvt(r, buf), (v: unknown[]) => v[1]),
    ),
  );
  await t.same(s, () =>
    U.syncTimeout(
      1,
      U.wrapEvt(U.udpSendReadyEvt(s), () => s),
    ),
  );
  await t.step(() =>
    U.syncTimeout(
      0,
      U.wrapEvt(U.neverEvt, () => 'never'),
    ),
  );
  U.udpClose(r);
  U.udpClose(s);
});

scenario('only the chosen receive evt consumes a datagram', async (t) => {
  const a = await boundSocket(t);
  const c = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.now(() => portOf(s));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(a), b('aaaa')));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(c), b('bbbb')));
  await pause();
  const which = await U.syncTimeout(
    1,
    U.wrapEvt(U.udpReceiveEvt(a, buf), () => 'a'),
    U.wrapEvt(U.udpReceiveEvt(c, buf), () => 'b'),
  );
  await t.now(() => which === 'a' || which === 'b');
  await t.now(() => equalBytes(buf, b(which === 'a' ? 'aaaa' : 'bbbb')));
  // the other socket still holds its datagram
  await t.now(() => U.udpReceiveStar(which === 'a' ? c : a, buf));
  await t.now(() => equalBytes(buf, b(which === 'a' ? 'bbbb' : 'aaaa')));
  await t.now(() => U.udpReceiveStar(which === 'a' ? a : c, buf));
  for (const x of [a, c, s]) U.udpClose(x);
});

scenario('only the chosen send evt sends', async (t) => {
  const a = await boundSocket(t);
  const c = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.now(() => portOf(s));
  await t.step(() =>
    U.syncTimeout(
      1,
      U.udpSendToEvt(s, '127.0.0.1', portOf(a), b('one')),
      U.udpSendToEvt(s, '127.0.0.1', portOf(c), b('one')),
    ),
  );
  await pause();
  const gotA = U.udpReceiveStar(a, buf) as unknown[];
  const gotB = U.udpReceiveStar(c, buf) as unknown[];
  await t.now(() => (gotA[0] !== false ? gotA : gotB));
  await t.now(() => (gotA[0] !== false) !== (gotB[0] !== false));
  for (const x of [a, c, s]) U.udpClose(x);
});

scenario('a send evt beside a ready always-evt', async (t) => {
  // whichever is chosen, exactly one thing happens
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  const results: unknown[] = [];
  for (let i = 0; i < 20; i++)
    results.push(
      await U.sync(
        U.udpSendToEvt(s, '127.0.0.1', portOf(r), b('x')),
        U.wrapEvt(U.alwaysEvt, () => 'always'),
      ),
    );
  await pause();
  let received = 0;
  while ((U.udpReceiveStar(r, buf) as unknown[])[0] !== false) received++;
  await t.now(() => received === results.filter((x) => x === undefined).length);
  await t.now(() => 20 === received + results.filter((x) => typeof x === 'string').length);
  U.udpClose(r);
  U.udpClose(s);
});

scenario('close wakes a receive evt in sync', async (t) => {
  const r = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.during(
    () => U.sync(U.udpReceiveEvt(r, buf)),
    () => U.udpClose(r),
  );
});

scenario('a break interrupts sync/enable-break', async (t) => {
  const r = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.breakAfter(0.05, (opts) => U.syncEnableBreak(U.udpReceiveEvt(r, buf), opts));
  await t.now(() => U.udpReceiveStar(r, buf));
  U.udpClose(r);
});

scenario('a pending break stops sync/enable-break at once', async (t) => {
  const r = await boundSocket(t);
  const buf = makeBytes(4, 46);
  // parameterize-break #f + break-thread ↔ a signal that is already aborted
  await t.step(() => U.syncEnableBreak(U.udpReceiveEvt(r, buf), { signal: AbortSignal.abort() }));
  await t.now(() => U.udpReceiveStar(r, buf));
  U.udpClose(r);
});

scenario('sync/enable-break returns a ready result', async (t) => {
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.now(() => portOf(s));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('ok')));
  await t.step(() => U.syncEnableBreak(U.udpReceiveEvt(r, buf)));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('receive! waiting in two places: one datagram wakes one', async (t) => {
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  const buf2 = makeBytes(4, 46);
  await t.now(() => portOf(s));
  await t.during(
    () => U.syncTimeout(0.5, U.udpReceiveEvt(r, buf), U.udpReceiveEvt(r, buf2)),
    () => U.udpSendTo(s, '127.0.0.1', portOf(r), b('solo')),
  );
  await t.now(() => U.udpReceiveStar(r, buf));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('receive-ready evt on an unbound socket is never ready', async (t) => {
  const s = await t.open();
  const e = U.udpReceiveReadyEvt(s);
  await t.step(() => U.syncTimeout(0.1, e));
  await t.now(() => U.isUdpBound(s));
  U.udpClose(s);
});

scenario('receive-ready evt becomes ready when a datagram arrives', async (t) => {
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const e = U.udpReceiveReadyEvt(r);
  await t.during(
    async () => (await U.syncTimeout(2, e)) === e,
    () => U.udpSendTo(s, '127.0.0.1', portOf(r), b('x')),
  );
  U.udpClose(r);
  U.udpClose(s);
});

scenario('send-ready evt on a connected socket; polling a send evt sends', async (t) => {
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.now(() => portOf(s));
  await U.udpConnect(s, '127.0.0.1', portOf(r));
  await t.step(async () => {
    const e = U.udpSendReadyEvt(s);
    return (await U.syncTimeout(0, e)) === e;
  });
  await t.step(() => U.syncTimeout(0, U.udpSendEvt(s, b('poll'))));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf)));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('two receive evts on one socket share two datagrams', async (t) => {
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const b1 = makeBytes(4, 46);
  const b2 = makeBytes(4, 46);
  const e1 = U.udpReceiveEvt(r, b1);
  const e2 = U.udpReceiveEvt(r, b2);
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('one')));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('two')));
  await pause();
  const got = (v: Uint8Array) => new TextDecoder().decode(v.subarray(0, 3));
  const both = () =>
    U.syncTimeout(
      1,
      U.wrapEvt(e1, () => got(b1)),
      U.wrapEvt(e2, () => got(b2)),
    );
  const x = await both();
  const y = await both();
  await t.now(() => [x, y].sort());
  await t.step(() => U.syncTimeout(0, e1, e2));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('a zero-length receive evt consumes a datagram', async (t) => {
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.now(() => portOf(s));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('gone')));
  await t.step(() => U.syncTimeout(1, U.udpReceiveEvt(r, buf, 4, 4)));
  await t.step(() => U.syncTimeout(0.05, U.udpReceiveEvt(r, buf)));
  await t.now(() => buf);
  U.udpClose(r);
  U.udpClose(s);
});

scenario('close wakes a sync on a choice that includes a receive evt', async (t) => {
  const r = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.during(
    () => U.syncTimeout(2, U.neverEvt, U.udpReceiveEvt(r, buf)),
    () => U.udpClose(r),
  );
});

scenario('sync/timeout with a procedure, #f, +inf.0 and no evts', async (t) => {
  await t.step(() => U.syncTimeout(() => 'thunk', U.neverEvt));
  await t.same(U.alwaysEvt, () => U.syncTimeout(() => 'thunk', U.alwaysEvt));
  await t.same(U.alwaysEvt, () => U.syncTimeout(false, U.alwaysEvt));
  await t.same(U.alwaysEvt, () => U.syncTimeout(Number.POSITIVE_INFINITY, U.alwaysEvt));
  await t.step(() => U.syncTimeout(0));
  await t.step(() => U.syncTimeout(0.01));
});

scenario('a pending break stops sync/enable-break even on a ready evt', async (t) => {
  // parameterize-break #f + break-thread ↔ a signal that is already aborted
  await t.step(() => U.syncEnableBreak(U.alwaysEvt, { signal: AbortSignal.abort() }));
});

scenario('nested combinators', async (t) => {
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.step(() =>
    U.sync(
      U.wrapEvt(
        U.choiceEvt(
          U.neverEvt,
          U.wrapEvt(U.alwaysEvt, () => 1),
        ),
        (x: number) => x + 1,
      ),
    ),
  );
  await t.same(U.alwaysEvt, () => U.sync(U.choiceEvt(U.choiceEvt(), U.choiceEvt(U.alwaysEvt))));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('nest')));
  await t.step(() =>
    U.syncTimeout(
      1,
      U.handleEvt(
        U.choiceEvt(
          U.neverEvt,
          U.wrapEvt(U.udpReceiveEvt(r, buf), (v: unknown[]) => v[0]),
        ),
        (n: unknown) => ['got', n],
      ),
    ),
  );
  await t.same(s, () =>
    U.syncTimeout(
      1,
      U.wrapEvt(U.choiceEvt(U.udpSendReadyEvt(s), U.neverEvt), () => s),
    ),
  );
  U.udpClose(r);
  U.udpClose(s);
});

scenario("evts look at the socket's state when synced, not when made", async (t) => {
  const r = await t.open();
  const s = await t.open();
  const buf = makeBytes(8, 46);
  const recvEvt = U.udpReceiveEvt(r, buf);
  const readyEvt = U.udpReceiveReadyEvt(r);
  const sendEvt = U.udpSendEvt(s, b('early'));
  const sendToEvt = U.udpSendToEvt(s, '127.0.0.1', 9, b('early'));
  await U.udpBind(r, '127.0.0.1', 0);
  await U.udpBind(s, '127.0.0.1', 0);
  await t.now(() => portOf(s));
  await U.udpConnect(s, '127.0.0.1', portOf(r));
  await t.step(() => U.syncTimeout(1, sendEvt));
  await t.same(readyEvt, () => U.syncTimeout(1, readyEvt));
  await t.step(() => U.syncTimeout(1, recvEvt));
  await t.now(() => buf);
  await t.step(() => U.syncTimeout(1, sendToEvt));
  U.udpClose(r);
  U.udpClose(s);
});

scenario('sync chooses fairly among ready evts', async (t) => {
  // 200 syncs over three ready evts: each is chosen at least 30 times (expected ~67)
  const r = await boundSocket(t);
  const evts = [
    U.wrapEvt(U.alwaysEvt, () => 0),
    U.wrapEvt(U.udpSendReadyEvt(r), () => 1),
    U.wrapEvt(U.choiceEvt(U.neverEvt, U.alwaysEvt), () => 2),
  ];
  const counts = [0, 0, 0];
  for (let i = 0; i < 200; i++) {
    const k = (await U.sync(...evts)) as number;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  await t.now(() => counts.every((c) => c >= 30));
  await t.now(() => counts.reduce((a, c) => a + c, 0));
  U.udpClose(r);
});

scenario('an exception in a wrap-evt procedure comes out of sync', async (t) => {
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  const ExnFail = U.ExnFail as unknown as new (message: string) => Error;
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('boom')));
  await t.step(() =>
    U.syncTimeout(
      1,
      U.wrapEvt(U.udpReceiveEvt(r, buf), () => {
        throw new ExnFail('boom');
      }),
    ),
  );
  await t.now(() => buf);
  await t.now(() => U.udpReceiveStar(r, buf));
  await t.step(() =>
    U.syncTimeout(
      1,
      U.handleEvt(U.alwaysEvt, () => {
        throw new ExnFail('handled boom');
      }),
    ),
  );
  U.udpClose(r);
  U.udpClose(s);
});

scenario('sync/timeout waits about as long as asked', async (t) => {
  const r = await boundSocket(t);
  const buf = makeBytes(4, 46);
  const elapsed = async (f: () => unknown) => {
    const t0 = performance.now();
    const v = await f();
    const ms = performance.now() - t0;
    return [v, ms >= 90, ms < 5000];
  };
  await t.step(() => elapsed(() => U.syncTimeout(0.1, U.neverEvt)));
  await t.step(() => elapsed(() => U.syncTimeout(0.1, U.udpReceiveEvt(r, buf), U.udpReceiveReadyEvt(r))));
  U.udpClose(r);
});

scenario('sync/timeout with a huge timeout still waits', async (t) => {
  // 1e7 s is more than a JS timer can hold (2^31-1 ms)
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.now(() => portOf(s));
  await t.during(
    () => U.syncTimeout(1e7, U.udpReceiveEvt(r, buf)),
    () => U.udpSendTo(s, '127.0.0.1', portOf(r), b('huge')),
  );
  await t.during(
    () => U.syncTimeout(3000000.5, U.udpReceiveEvt(r, buf)),
    () => U.udpSendTo(s, '127.0.0.1', portOf(r), b('big')),
  );
  U.udpClose(r);
  U.udpClose(s);
});

scenario('a zero-timeout poll right after a send sees the datagram', async (t) => {
  // no pause: DESIGN.md makes a zero-timeout poll yield once for this
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  await t.now(() => portOf(s));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('now')));
  await t.step(() => U.syncTimeout(0, U.udpReceiveEvt(r, buf)));
  await t.step(() => U.udpSendTo(s, '127.0.0.1', portOf(r), b('rdy')));
  await t.step(async () => {
    const e = U.udpReceiveReadyEvt(r);
    return (await U.syncTimeout(0, e)) === e;
  });
  U.udpClose(r);
  U.udpClose(s);
});

scenario('a receive evt beside a ready always-evt', async (t) => {
  // whichever is chosen, exactly one thing happens: a datagram is consumed only when the
  // receive evt wins
  const r = await boundSocket(t);
  const s = await boundSocket(t);
  const buf = makeBytes(4, 46);
  for (let i = 0; i < 20; i++) await U.udpSendTo(s, '127.0.0.1', portOf(r), b('x'));
  await pause();
  const results: unknown[] = [];
  for (let i = 0; i < 20; i++)
    results.push(
      await U.sync(
        U.udpReceiveEvt(r, buf),
        U.wrapEvt(U.alwaysEvt, () => 'always'),
      ),
    );
  let left = 0;
  while ((U.udpReceiveStar(r, buf) as unknown[])[0] !== false) left++;
  await t.now(() => left === results.filter((v) => typeof v === 'string').length);
  await t.now(() => results.every((v) => v === 'always' || (Array.isArray(v) && v[0] === 1)));
  U.udpClose(r);
  U.udpClose(s);
});
