// The extensions for @udpkit/datagram-channel (outside the racket map).
import { afterEach, describe, expect, it } from 'vitest';
import * as U from '../src/index.js';
import { ExnFailNetwork, type Udp } from '../src/index.js';

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

describe('udpReceiveDatagram family', () => {
  it('reports the full length of a truncated datagram', async () => {
    const [r, rp] = await bound();
    const [s, sp] = await bound();
    await U.udpSendTo(s, '127.0.0.1', rp, b('0123456789'));
    const buf = new Uint8Array(8).fill(46);
    expect(await U.udpReceiveDatagram(r, buf, 2, 6)).toEqual([4, '127.0.0.1', sp, 10]);
    expect(new TextDecoder().decode(buf)).toBe('..0123..');
    await U.udpSendTo(s, '127.0.0.1', rp, b('ab'));
    expect(await U.syncTimeout(5, U.udpReceiveDatagramEvt(r, buf))).toEqual([2, '127.0.0.1', sp, 2]);
    expect(U.udpReceiveDatagramStar(r, buf)).toEqual([false, false, false, false]);
    await U.udpSendTo(s, '127.0.0.1', rp, new Uint8Array(0));
    await U.syncTimeout(5, U.udpReceiveReadyEvt(r));
    expect(U.udpReceiveDatagramStar(r, buf, 8)).toEqual([0, '127.0.0.1', sp, 0]);
  });

  it('aborting rejects with signal.reason, consumes nothing', async () => {
    const [r, rp] = await bound();
    const [s, sp] = await bound();
    const ac = new AbortController();
    const p = U.udpReceiveDatagram(r, new Uint8Array(4), undefined, undefined, { signal: ac.signal });
    const reason = new Error('stop');
    setTimeout(() => ac.abort(reason), 5);
    await expect(p).rejects.toBe(reason);
    const timeout = AbortSignal.abort(new DOMException('t', 'TimeoutError'));
    await expect(U.udpReceiveDatagram(r, new Uint8Array(4), 0, 4, { signal: timeout })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    await U.udpSendTo(s, '127.0.0.1', rp, b('kept'));
    expect(await U.udpReceiveDatagram(r, new Uint8Array(4))).toEqual([4, '127.0.0.1', sp, 4]);
  });

  it('checks like udp-receive!', async () => {
    const u = await U.udpOpenSocket();
    open.push(u);
    await expect(U.udpReceiveDatagram(u, new Uint8Array(1))).rejects.toThrow(
      'udp-receive-datagram: udp socket is not bound\n  socket: #<udp>',
    );
    expect(() => U.udpReceiveDatagramStar(u, new Uint8Array(1), 2)).toThrow('starting index is out of range');
  });
});

describe('udpSendToAny', () => {
  it('sends anywhere from a connected socket, which stays connected to its peer', async () => {
    const [peer, pp] = await bound();
    const [other, op] = await bound();
    const [s, sp] = await bound();
    await U.udpConnect(s, '127.0.0.1', pp);
    await U.udpSendToAny(s, '127.0.0.1', op, b('elsewhere'));
    await U.udpSendToAny(s, '127.0.0.1', pp, b('peer'));
    await U.udpSend(s, b('peer2'));
    expect(U.udpAddresses(s, true)).toEqual(['127.0.0.1', sp, '127.0.0.1', pp]);
    expect(await U.udpReceive(other, new Uint8Array(16))).toEqual([9, '127.0.0.1', sp]);
    expect(await U.udpReceive(peer, new Uint8Array(16))).toEqual([4, '127.0.0.1', sp]);
    expect(await U.udpReceive(peer, new Uint8Array(16))).toEqual([5, '127.0.0.1', sp]);
    // still filtered to the peer
    await U.udpSendTo(other, '127.0.0.1', sp, b('no'));
    await U.udpSendTo(peer, '127.0.0.1', sp, b('yes'));
    expect(await U.udpReceive(s, new Uint8Array(16))).toEqual([3, '127.0.0.1', pp]);
  });

  it('works on an unconnected socket like udpSendTo', async () => {
    const [r, rp] = await bound();
    const s = await U.udpOpenSocket();
    open.push(s);
    await U.udpSendToAny(s, '127.0.0.1', rp, b('x'));
    expect(U.isUdpBound(s)).toBe(true);
    expect((await U.udpReceive(r, new Uint8Array(4)))[0]).toBe(1);
    U.udpClose(s);
    await expect(U.udpSendToAny(s, '127.0.0.1', rp, b('x'))).rejects.toThrow(ExnFailNetwork);
  });
});

describe('options and the bounded queue', () => {
  it('buffer sizes and broadcast, before and after bind', async () => {
    const u = await U.udpOpenSocket();
    open.push(u);
    expect(U.udpBroadcast(u)).toBe(true);
    U.udpSetBroadcast(u, false);
    expect(U.udpBroadcast(u)).toBe(false);
    U.udpSetSendBufferSize(u, 50000);
    expect(U.udpSendBufferSize(u)).toBe(100000);
    await U.udpBind(u, '127.0.0.1', 0);
    expect(U.udpSendBufferSize(u)).toBe(100000);
    expect(U.udpReceiveBufferSize(u)).toBeGreaterThan(0);
    U.udpSetBroadcast(u, true);
    expect(U.udpBroadcast(u)).toBe(true);
  });

  it('drops and counts datagrams beyond the receive buffer', async () => {
    const [r, rp] = await bound();
    const [s, sp] = await bound();
    U.udpSetReceiveBufferSize(r, 1); // Linux's floor: 2304 bytes
    const limit = U.udpReceiveBufferSize(r);
    expect(limit).toBe(2304);
    // Feed the in-process queue directly (the kernel buffer, just as small, would drop first).
    const feed = (r as unknown as { receive(m: Buffer, h: string, p: number): void }).receive.bind(r);
    for (let i = 0; i < 20; i++) feed(Buffer.alloc(100, i), '127.0.0.1', sp);
    const kept = Math.floor(limit / (100 + 256)); // each datagram costs its length + 256
    expect(U.udpDroppedCount(r)).toBe(20 - kept);
    const buf = new Uint8Array(100);
    for (let i = 0; i < kept; i++) {
      expect(U.udpReceiveStar(r, buf)).toEqual([100, '127.0.0.1', sp]);
      expect(buf[0]).toBe(i); // the oldest are kept
    }
    expect(U.udpReceiveStar(r, buf)).toEqual([false, false, false]);
    // room again: a real datagram gets through
    await U.udpSendTo(s, '127.0.0.1', rp, b('room'));
    expect(await U.udpReceive(r, buf)).toEqual([4, '127.0.0.1', sp]);
    U.udpClose(r);
    expect(U.udpDroppedCount(r)).toBe(20 - kept);
  });
});
