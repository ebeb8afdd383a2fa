// Evts and sync: only the chosen evt acts, fair choice, ready-evts sync to themselves, breaks.
import { afterEach, describe, expect, it } from 'vitest';
import * as U from '../src/index.js';
import { ExnBreak, ExnFailNetwork, type Udp } from '../src/index.js';

const open: Udp[] = [];
afterEach(() => {
  for (const u of open.splice(0)) u[Symbol.dispose]();
});
async function bound(): Promise<[Udp, number]> {
  const u = await U.udpOpenSocket();
  open.push(u);
  await U.udpBind(u, '127.0.0.1', 0);
  return [u, U.udpAddresses(u, true)[1] as number];
}
const b = (s: string) => new TextEncoder().encode(s);
async function settle(u: Udp, n: number): Promise<void> {
  // wait until n datagrams are queued (ready evt, without consuming)
  for (let i = 0; i < 100; i++) {
    if ((u as unknown as { qLen: number }).qLen >= n) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error('datagrams did not arrive');
}

describe('basic evts', () => {
  it('always-evt and never-evt', async () => {
    expect(U.isEvt(U.alwaysEvt)).toBe(true);
    expect(U.isEvt(5)).toBe(false);
    expect(await U.sync(U.alwaysEvt)).toBe(U.alwaysEvt);
    expect(await U.syncTimeout(0, U.neverEvt)).toBe(false);
    expect(await U.syncTimeout(0.01, U.neverEvt)).toBe(false);
    expect(await U.syncTimeout(0)).toBe(false);
    expect(await U.syncTimeout(false, U.alwaysEvt)).toBe(U.alwaysEvt);
    expect(await U.syncTimeout(() => 'timed out', U.neverEvt)).toBe('timed out');
    expect(await U.syncTimeout(0, U.choiceEvt())).toBe(false);
  });

  it('wrap-evt and handle-evt apply their function to the result', async () => {
    expect(await U.sync(U.wrapEvt(U.alwaysEvt, (x) => [x, 1]))).toEqual([U.alwaysEvt, 1]);
    expect(
      await U.sync(
        U.handleEvt(
          U.wrapEvt(U.alwaysEvt, () => 2),
          (x) => x + 1,
        ),
      ),
    ).toBe(3);
    expect(await U.sync(U.wrapEvt(U.alwaysEvt, async () => 'async'))).toBe('async');
    expect(
      await U.sync(
        U.choiceEvt(
          U.neverEvt,
          U.wrapEvt(U.alwaysEvt, () => 'chosen'),
        ),
      ),
    ).toBe('chosen');
  });

  it('chooses fairly among ready evts', async () => {
    const counts = [0, 0, 0];
    const evts = [0, 1, 2].map((i) => U.wrapEvt(U.alwaysEvt, () => i));
    for (let i = 0; i < 600; i++) counts[(await U.sync(...evts)) as number]!++;
    for (const c of counts) expect(c).toBeGreaterThan(120);
  });
});

describe('udp evts', () => {
  it('ready evts sync to themselves', async () => {
    const [r, rp] = await bound();
    const [s] = await bound();
    const send = U.udpSendReadyEvt(s);
    expect(await U.sync(send)).toBe(send);
    const recvReady = U.udpReceiveReadyEvt(r);
    expect(await U.syncTimeout(0, recvReady)).toBe(false);
    await U.udpSendTo(s, '127.0.0.1', rp, b('x'));
    expect(await U.syncTimeout(5, recvReady)).toBe(recvReady);
    // readiness is not consumed
    expect(await U.syncTimeout(0, recvReady)).toBe(recvReady);
    expect(U.udpReceiveStar(r, new Uint8Array(2))[0]).toBe(1);
  });

  it('receive-ready on an unbound socket is not ready; on a closed one it is', async () => {
    const u = await U.udpOpenSocket();
    open.push(u);
    expect(await U.syncTimeout(0.01, U.udpReceiveReadyEvt(u))).toBe(false);
    U.udpClose(u);
    const e = U.udpReceiveReadyEvt(u);
    expect(await U.syncTimeout(0, e)).toBe(e);
    const sr = U.udpSendReadyEvt(u);
    expect(await U.syncTimeout(0, sr)).toBe(sr);
  });

  it('a receive evt consumes a datagram only when chosen', async () => {
    const [r, rp] = await bound();
    const [r2, rp2] = await bound();
    const [s] = await bound();
    await U.udpSendTo(s, '127.0.0.1', rp, b('one'));
    await U.udpSendTo(s, '127.0.0.1', rp2, b('two'));
    await settle(r, 1);
    await settle(r2, 1);
    const buf1 = new Uint8Array(4).fill(46);
    const buf2 = new Uint8Array(4).fill(46);
    const res = (await U.sync(
      U.wrapEvt(U.udpReceiveEvt(r, buf1), (x) => ['r', ...x]),
      U.wrapEvt(U.udpReceiveEvt(r2, buf2), (x) => ['r2', ...x]),
    )) as unknown[];
    const [chosenBuf, otherBuf, other] = res[0] === 'r' ? [buf1, buf2, r2] : [buf2, buf1, r];
    expect(res[1]).toBe(3);
    expect(new TextDecoder().decode(chosenBuf.subarray(0, 3))).toMatch(/one|two/);
    expect(otherBuf).toEqual(new Uint8Array(4).fill(46)); // untouched
    expect(U.udpReceiveStar(other, new Uint8Array(4))[0]).toBe(3); // still queued
  });

  it('a send evt sends only when chosen', async () => {
    const [r, rp] = await bound();
    const [s] = await bound();
    for (let i = 0; i < 20; i++) {
      const res = await U.sync(
        U.wrapEvt(U.udpSendToEvt(s, '127.0.0.1', rp, b('sent')), () => 'send'),
        U.wrapEvt(U.alwaysEvt, () => 'always'),
      );
      if (res === 'send') await U.syncTimeout(5, U.udpReceiveEvt(r, new Uint8Array(8)));
    }
    expect(await U.syncTimeout(0.02, U.udpReceiveEvt(r, new Uint8Array(8)))).toBe(false);
  });

  it('a receive evt waits for a datagram; result [n, host, port]', async () => {
    const [r, rp] = await bound();
    const [s, sp] = await bound();
    const buf = new Uint8Array(8);
    const p = U.syncTimeout(5, U.udpReceiveEvt(r, buf, 2));
    setTimeout(() => U.udpSendTo(s, '127.0.0.1', rp, b('later')), 10);
    expect(await p).toEqual([5, '127.0.0.1', sp]);
    expect(new TextDecoder().decode(buf.subarray(2, 7))).toBe('later');
  });

  it('send evts: result undefined; errors surface when chosen', async () => {
    const [r, rp] = await bound();
    const [s] = await bound();
    expect(await U.sync(U.udpSendToEvt(s, '127.0.0.1', rp, b('abc'), 1))).toBeUndefined();
    expect(((await U.syncTimeout(5, U.udpReceiveEvt(r, new Uint8Array(8)))) as unknown[])[0]).toBe(2);
    const unconnected = U.udpSendEvt(s, b('x'));
    await expect(U.sync(unconnected)).rejects.toThrow('udp-send-evt: udp socket is not connected\n  socket: #<udp>');
    await U.udpConnect(s, '127.0.0.1', rp);
    expect(await U.sync(U.udpSendEvt(s, b('x')))).toBeUndefined();
    const u = await U.udpOpenSocket();
    const e = U.udpReceiveEvt(u, new Uint8Array(1));
    await expect(U.sync(e)).rejects.toThrow('udp-receive!-evt: udp socket is not bound\n  socket: #<udp>');
    U.udpClose(u);
    await expect(U.sync(e)).rejects.toThrow(ExnFailNetwork);
    await expect(U.sync(U.udpSendToEvt(u, '127.0.0.1', 9, b('x')))).rejects.toThrow(
      'udp-send-to-evt: udp socket is closed\n  socket: #<udp>',
    );
  });

  it('close wakes a sync on a receive evt', async () => {
    const [r] = await bound();
    const p = U.sync(U.udpReceiveEvt(r, new Uint8Array(1)));
    setTimeout(() => U.udpClose(r), 5);
    await expect(p).rejects.toThrow('udp-receive!-evt: udp socket is closed\n  socket: #<udp>');
  });

  it('a zero-timeout poll yields to the event loop so a loopback datagram is seen', async () => {
    const [r, rp] = await bound();
    const [s] = await bound();
    U.udpSendToStar(s, '127.0.0.1', rp, b('poll'));
    expect(await U.syncTimeout(0, U.udpReceiveEvt(r, new Uint8Array(8)))).not.toBe(false);
  });
});

describe('breaks', () => {
  it('aborting a waiting receive raises ExnBreak; nothing consumed; socket usable', async () => {
    const [r, rp] = await bound();
    const [s, sp] = await bound();
    const ac = new AbortController();
    const p = U.udpReceiveEnableBreak(r, new Uint8Array(4), { signal: ac.signal });
    setTimeout(() => ac.abort(), 5);
    const e = await p.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ExnBreak);
    expect((e as Error).message).toBe('user break');
    await U.udpSendTo(s, '127.0.0.1', rp, b('after'));
    expect(await U.udpReceive(r, new Uint8Array(8))).toEqual([5, '127.0.0.1', sp]);
  });

  it('an already-aborted signal breaks a receive that would wait, not one that would not', async () => {
    const [r, rp] = await bound();
    const [s, sp] = await bound();
    await expect(U.udpReceiveEnableBreak(r, new Uint8Array(4), { signal: AbortSignal.abort() })).rejects.toThrow(
      ExnBreak,
    );
    await U.udpSendTo(s, '127.0.0.1', rp, b('ok'));
    await settle(r, 1);
    expect(await U.udpReceiveEnableBreak(r, new Uint8Array(4), 0, 4, { signal: AbortSignal.abort() })).toEqual([
      2,
      '127.0.0.1',
      sp,
    ]);
  });

  it('sync/enable-break: a pending break wins even over a ready evt; mid-wait abort', async () => {
    await expect(U.syncEnableBreak(U.alwaysEvt, { signal: AbortSignal.abort() })).rejects.toThrow(ExnBreak);
    expect(await U.syncEnableBreak(U.alwaysEvt, { signal: new AbortController().signal })).toBe(U.alwaysEvt);
    const [r, rp] = await bound();
    const ac = new AbortController();
    const buf = new Uint8Array(4).fill(46);
    const p = U.syncEnableBreak(U.udpReceiveEvt(r, buf), { signal: ac.signal });
    setTimeout(() => ac.abort(), 5);
    await expect(p).rejects.toThrow('user break');
    const [s] = await bound();
    await U.udpSendTo(s, '127.0.0.1', rp, b('x'));
    expect(((await U.syncTimeout(5, U.udpReceiveEvt(r, buf))) as unknown[])[0]).toBe(1);
  });

  it('send/enable-break sends with a live signal', async () => {
    const [r, rp] = await bound();
    const [s] = await bound();
    await U.udpSendToEnableBreak(s, '127.0.0.1', rp, b('brk'), { signal: new AbortController().signal });
    await U.udpSendToEnableBreak(s, '127.0.0.1', rp, b('brk2'), 1, 3);
    expect((await U.udpReceive(r, new Uint8Array(8)))[0]).toBe(3);
    expect((await U.udpReceive(r, new Uint8Array(8)))[0]).toBe(2);
    await U.udpConnect(s, '127.0.0.1', rp);
    await U.udpSendEnableBreak(s, b('c'), { signal: new AbortController().signal });
    expect((await U.udpReceive(r, new Uint8Array(8)))[0]).toBe(1);
  });
});
