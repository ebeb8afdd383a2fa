// The busyPoll option (io/busy-poll.ts): the event loop polls instead of sleeping while an answer
// is due, stops by itself, stops for slow peers, and transfers stay byte-identical.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTftpServer, tftpGetBytes, tftpPut } from '../../src/index.js';
import { BusyPoller, busyPollUntil, checkBusyPoll, isBusyPolling } from '../../src/io/busy-poll.js';
import { pattern, type Served, serve, sha256, sleep, tempDir, writeFiles } from './helpers.js';

/** Waits until no busy polling is left from earlier tests (it ends by itself). */
async function idle(): Promise<void> {
  while (isBusyPolling()) await sleep(2);
}

describe('busyPollUntil', () => {
  it('polls until the deadline, then stops by itself', async () => {
    await idle();
    expect(isBusyPolling()).toBe(false);
    busyPollUntil(performance.now() + 20);
    expect(isBusyPolling()).toBe(true);
    // Timers still run while polling (the loop turns, it does not block).
    await sleep(5);
    expect(isBusyPolling()).toBe(true);
    await sleep(40);
    expect(isBusyPolling()).toBe(false);
  });

  it('keeps the latest deadline when several callers ask', async () => {
    await idle();
    const t = performance.now();
    busyPollUntil(t + 40);
    busyPollUntil(t + 5); // an earlier deadline does not shorten it
    await sleep(20);
    expect(isBusyPolling()).toBe(true);
    await idle();
  });

  it('a deadline in the past polls at most one turn', async () => {
    await idle();
    busyPollUntil(performance.now() - 1);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(isBusyPolling()).toBe(false);
  });
});

describe('BusyPoller (one transfer)', () => {
  it('polls after a send and after a quick answer', async () => {
    await idle();
    const p = new BusyPoller(50_000); // 50 ms
    p.sent(performance.now());
    expect(isBusyPolling()).toBe(true);
    await idle();
    p.received(performance.now() + 1000); // the first answer (to a request) is not judged
    expect(isBusyPolling()).toBe(true);
    await idle();
    p.sent(performance.now());
    expect(isBusyPolling()).toBe(true);
    await idle();
    const t = performance.now();
    p.sent(t);
    await idle();
    p.received(t + 10); // answered within the budget: still quick
    expect(isBusyPolling()).toBe(true);
    await idle();
  });

  it('a slow answer stops the polling until an answer is quick again', async () => {
    await idle();
    const p = new BusyPoller(5_000); // 5 ms
    p.sent(performance.now());
    p.received(performance.now()); // the first answer: not judged
    await idle();
    const t = performance.now();
    p.sent(t);
    await idle();
    p.received(t + 50); // 50 ms: slower than the budget
    expect(isBusyPolling()).toBe(false);
    p.sent(performance.now());
    expect(isBusyPolling()).toBe(false); // no polling for the next answer either
    // Every 16th send polls anyway: unpolled answers carry the wake-up cost polling removes.
    for (let i = 2; i < 16; i++) p.sent(performance.now());
    expect(isBusyPolling()).toBe(false);
    p.sent(performance.now());
    expect(isBusyPolling()).toBe(true);
    const t2 = performance.now();
    p.received(t2 + 1); // quick again
    expect(isBusyPolling()).toBe(true);
    await idle();
    p.sent(performance.now());
    expect(isBusyPolling()).toBe(true);
    await idle();
  });
});

describe('checkBusyPoll', () => {
  it('takes 0–1000000 integer microseconds, undefined = 0', () => {
    expect(checkBusyPoll('x', undefined)).toBe(0);
    expect(checkBusyPoll('x', 0)).toBe(0);
    expect(checkBusyPoll('x', 150)).toBe(150);
    expect(checkBusyPoll('x', 1_000_000)).toBe(1_000_000);
    for (const bad of [-1, 1.5, 1_000_001, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => checkBusyPoll('who', bad)).toThrow(RangeError);
    }
    expect(() => checkBusyPoll('who', -1)).toThrow('who: busyPoll must be an integer 0–1000000 (microseconds), got -1');
  });
});

describe('busyPoll on real transfers', () => {
  let served: Served;
  let plain: Served;
  let root: Awaited<ReturnType<typeof tempDir>>;
  const data = pattern(400_000, 21);

  beforeAll(async () => {
    root = await tempDir();
    await writeFiles(root.dir, { 'data.bin': data });
    // Generous budgets: client and server share this one thread, so an answer waits for the other
    // side's whole turn (a window of sends, a file read).
    served = await serve({ root: root.dir, busyPoll: 5000, allowWrite: true, allowCreate: true });
    plain = await serve({ root: root.dir });
  });
  afterAll(async () => {
    await served.server.close();
    await plain.server.close();
    await root.cleanup();
  });

  it('createTftpServer and the client refuse a bad busyPoll before any traffic', async () => {
    expect(() => createTftpServer({ root: root.dir, busyPoll: -5 })).toThrow(RangeError);
    await expect(tftpGetBytes(served.address, 'data.bin', { busyPoll: 2.5 })).rejects.toThrow(RangeError);
  });

  for (const [name, opts] of [
    ['lockstep', {}],
    ['blksize 1468 windowsize 8', { blksize: 1468, windowsize: 8 }],
  ] as const) {
    it(`${name}: the client polls while data flows (from a server that does not), none after`, async () => {
      await idle();
      const seen: boolean[] = [];
      const got = await tftpGetBytes(plain.address, 'data.bin', {
        ...opts,
        busyPoll: 5000,
        // Runs in the event that delivered a block: the loop polls right then.
        onProgress: () => seen.push(isBusyPolling()),
      });
      expect(sha256(got)).toBe(sha256(data));
      // Polling pauses after a slow answer (a GC, say), so not every report need see it; without
      // the driver's polling none would.
      expect(seen.length).toBeGreaterThan(2);
      expect(seen.some(Boolean)).toBe(true);
      await sleep(25);
      expect(isBusyPolling()).toBe(false); // 5 ms after the last datagram, at most
    });
  }

  it('the server polls (for a client that does not)', async () => {
    await idle();
    const seen: boolean[] = [];
    // Runs right after the server's DATA left (this one thread runs both ends): its poll is on.
    const got = await tftpGetBytes(served.address, 'data.bin', { onProgress: () => seen.push(isBusyPolling()) });
    expect(sha256(got)).toBe(sha256(data));
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.some(Boolean)).toBe(true);
    await idle();
  });

  it('without busyPoll nothing polls', async () => {
    await idle();
    const seen: boolean[] = [];
    const got = await tftpGetBytes(plain.address, 'data.bin', { onProgress: () => seen.push(isBusyPolling()) });
    expect(sha256(got)).toBe(sha256(data));
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.some(Boolean)).toBe(false);
  });

  it('uploads are byte-identical with busyPoll on both ends (the server receives)', async () => {
    const up = pattern(100_000, 22);
    await tftpPut(served.address, 'up.bin', up, { busyPoll: 100, blksize: 1024 });
    const end = served.ends.find((e) => e.filename === 'up.bin');
    expect(end?.ok).toBe(true);
    const back = await tftpGetBytes(plain.address, 'up.bin');
    expect(sha256(back)).toBe(sha256(up));
  });
});
