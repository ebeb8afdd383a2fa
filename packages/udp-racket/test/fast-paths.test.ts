// Edge cases of the hot paths: the linked waiter list (FIFO, removal from the middle, close),
// udpReceive's two-argument fast path, and the arity counts taken without `arguments`.
import { afterEach, describe, expect, it } from 'vitest';
import type { Udp } from '../src/index.js';
import * as U from '../src/index.js';

const open: Udp[] = [];
afterEach(() => {
  for (const u of open.splice(0)) u[Symbol.dispose]();
});
async function bound(): Promise<Udp> {
  const u = await U.udpOpenSocket();
  open.push(u);
  await U.udpBind(u, '127.0.0.1', 0);
  return u;
}
type Hook = { receive(msg: Buffer, host: string, port: number): void };
const inject = (u: Udp, text: string) => (u as unknown as Hook).receive(Buffer.from(text), '127.0.0.1', 4242);
const dec = (b: Uint8Array, n: number) => Buffer.from(b.subarray(0, n)).toString();

async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('no exception');
}

describe('waiter list', () => {
  it('serves concurrent receivers first come first served', async () => {
    const u = await bound();
    const bufs = [0, 1, 2].map(() => new Uint8Array(8));
    const ps = bufs.map((b) => U.udpReceive(u, b));
    inject(u, 'a');
    inject(u, 'b');
    inject(u, 'c');
    const rs = await Promise.all(ps);
    expect(rs).toEqual([
      [1, '127.0.0.1', 4242],
      [1, '127.0.0.1', 4242],
      [1, '127.0.0.1', 4242],
    ]);
    expect(bufs.map((b) => dec(b, 1))).toEqual(['a', 'b', 'c']);
  });

  it('a waiter aborted in the middle, at the head or at the tail leaves the others in order', async () => {
    const u = await bound();
    const acs = [0, 1, 2, 3, 4].map(() => new AbortController());
    const bufs = acs.map(() => new Uint8Array(8));
    const ps = acs.map((ac, i) => U.udpReceiveEnableBreak(u, bufs[i]!, { signal: ac.signal }));
    acs[2]!.abort();
    acs[0]!.abort();
    acs[4]!.abort();
    expect(U.isExnBreak(await caught(ps[2]!))).toBe(true);
    expect(U.isExnBreak(await caught(ps[0]!))).toBe(true);
    expect(U.isExnBreak(await caught(ps[4]!))).toBe(true);
    const plain = new Uint8Array(8);
    const p5 = U.udpReceive(u, plain);
    inject(u, 'x');
    inject(u, 'y');
    inject(u, 'z');
    await Promise.all([ps[1], ps[3], p5]);
    expect([dec(bufs[1]!, 1), dec(bufs[3]!, 1), dec(plain, 1)]).toEqual(['x', 'y', 'z']);
    // nothing left waiting: the next datagram is queued
    inject(u, 'q');
    expect(U.udpReceiveStar(u, plain)).toEqual([1, '127.0.0.1', 4242]);
    expect(dec(plain, 1)).toBe('q');
  });

  it('sync/timeout on a receive evt removes its waiter when it times out', async () => {
    const u = await bound();
    const b1 = new Uint8Array(8);
    const b2 = new Uint8Array(8);
    const p1 = U.udpReceive(u, b1);
    expect(await U.syncTimeout(0.01, U.udpReceiveEvt(u, b2))).toBe(false);
    const p3 = U.udpReceive(u, b2);
    inject(u, 'm');
    inject(u, 'n');
    await Promise.all([p1, p3]);
    expect([dec(b1, 1), dec(b2, 1)]).toEqual(['m', 'n']);
  });

  it('close rejects every waiter, and a waiter after reopening is not affected', async () => {
    const u = await bound();
    const ps = [0, 1, 2].map(() => U.udpReceive(u, new Uint8Array(4)));
    const ac = new AbortController();
    const pb = U.udpReceiveEnableBreak(u, new Uint8Array(4), { signal: ac.signal });
    U.udpClose(u);
    for (const p of ps) expect((await caught(p)).message).toBe('udp-receive!: udp socket is closed\n  socket: #<udp>');
    expect((await caught(pb)).message).toBe('udp-receive!/enable-break: udp socket is closed\n  socket: #<udp>');
    ac.abort(); // its listener is gone: nothing happens
  });
});

describe('udpReceive fast path', () => {
  it('behaves like the general path for two arguments', async () => {
    const u = await bound();
    inject(u, 'hello');
    const small = new Uint8Array(3);
    expect(await U.udpReceive(u, small)).toEqual([3, '127.0.0.1', 4242]);
    expect(dec(small, 3)).toBe('hel');
    const empty = new Uint8Array(0);
    inject(u, 'zz');
    expect(await U.udpReceive(u, empty)).toEqual([0, '127.0.0.1', 4242]);
  });

  it('keeps the general errors for two arguments', async () => {
    const fresh = await U.udpOpenSocket();
    open.push(fresh);
    expect((await caught(U.udpReceive(fresh, new Uint8Array(4)))).message).toBe(
      'udp-receive!: udp socket is not bound\n  socket: #<udp>',
    );
    const u = await bound();
    expect((await caught(U.udpReceive(u, undefined as never))).message).toContain('given: 1');
    expect((await caught(U.udpReceive(u, 'x' as never))).message).toContain('expected: bytes?');
    U.udpClose(u);
    expect((await caught(U.udpReceive(u, new Uint8Array(4)))).message).toBe(
      'udp-receive!: udp socket is closed\n  socket: #<udp>',
    );
  });
});

describe('arity without arguments objects', () => {
  it('counts trailing undefineds as omitted and extra arguments as given', async () => {
    const u = await bound();
    const f = U.udpReceiveEvt as (...a: unknown[]) => unknown;
    const s = U.udpSendStar as (...a: unknown[]) => unknown;
    const st = U.udpSendToStar as (...a: unknown[]) => unknown;
    const b = new Uint8Array(4);
    expect(() => f(u, b, 0, 4, 1)).toThrow('given: 5');
    expect(() => f(u, undefined, undefined, undefined)).toThrow('given: 1');
    expect(() => f(u, b, undefined, undefined, undefined, undefined)).not.toThrow();
    expect(() => s(u, b, 0, 4, 9)).toThrow('given: 5');
    expect(() => s(u)).toThrow('given: 1');
    expect(() => s(u, b, undefined, undefined, undefined)).toThrow('udp socket is not connected');
    expect(() => st(u, '127.0.0.1', 9, b, 0, 4, 1)).toThrow('given: 7');
    expect(() => st(u, '127.0.0.1', 9)).toThrow('given: 3');
    expect(() => st(u, '127.0.0.1', 9, undefined, undefined, undefined, undefined)).toThrow('given: 3');
    expect(st(u, '127.0.0.1', 9, b, undefined, undefined, undefined)).toBe(true);
  });
});
