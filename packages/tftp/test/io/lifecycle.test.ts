// Server close (graceful / force / idempotent), dally bounds, and nothing left open afterwards.
import { afterEach, describe, expect, it } from 'vitest';
import { createTftpServer, tftpGetBytes, tftpPut } from '../../src/index.js';
import { ack, opcode, pattern, type RawPeer, rawPeer, request, serve, sleep, tempDir, writeFiles } from './helpers.js';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(options: Omit<Parameters<typeof serve>[0], 'root'> = {}) {
  const root = await tempDir();
  await writeFiles(root.dir, { 'a.bin': pattern(2000, 1), 'big.bin': pattern(100_000, 2) });
  const served = await serve({ root: root.dir, allowWrite: true, allowCreate: true, allowOverwrite: true, ...options });
  cleanups.push(async () => {
    await served.server.close({ force: true });
    await root.cleanup();
  });
  return served;
}

async function peer(): Promise<RawPeer> {
  const p = await rawPeer();
  cleanups.push(() => p.close());
  return p;
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

function udpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'UDPWRAP').length;
}

describe('server close', () => {
  it('graceful: stops accepting at once, lets a running transfer finish, then resolves', async () => {
    const served = await setup({ timeoutMs: 3000 });
    const client = await peer();
    const ended = served.nextEnd();
    client.send(request(1, 'a.bin'), served.port);
    const d1 = await client.next();
    let closed = false;
    const closing = served.server.close().then(() => {
      closed = true;
    });
    // New requests are not answered any more.
    const late = await peer();
    late.send(request(1, 'a.bin'), served.port);
    expect(await late.collect(100)).toEqual([]);
    expect(closed).toBe(false);
    expect(served.server.activeTransfers).toBe(1);
    // The running transfer goes on to the end.
    for (let b = 1; b <= 4; b++) {
      client.send(ack(b), d1.port);
      if (b < 4) expect((await client.next()).data.readUInt16BE(2)).toBe(b + 1);
    }
    await closing;
    expect(closed).toBe(true);
    expect((await ended).ok).toBe(true);
    expect(served.server.activeTransfers).toBe(0);
    await expect(served.server.listen()).rejects.toThrow(/closed/);
  });

  it('force: running transfers are aborted with ERROR 0 to the client', async () => {
    const served = await setup({ timeoutMs: 3000 });
    const client = await peer();
    const ended = served.nextEnd();
    client.send(request(1, 'big.bin'), served.port);
    await client.next();
    const getting = tftpGetBytes(served.address, 'big.bin', { blksize: 512, windowsize: 1 }).catch((e: unknown) => e);
    await sleep(20);
    await served.server.close({ force: true });
    const e = await client.next();
    expect(opcode(e.data)).toBe(5);
    expect(e.data.readUInt16BE(2)).toBe(0);
    expect(e.data.toString('latin1')).toContain('shutting down');
    expect((await ended).error?.code).toBe('aborted');
    const r = await getting;
    // The in-flight download either finished before the close or got the ERROR.
    if (!(r instanceof Uint8Array)) expect(r).toMatchObject({ code: 'peer-error', tftpCode: 0 });
    expect(served.server.activeTransfers).toBe(0);
  });

  it('close is idempotent, works before listen, and await using closes', async () => {
    const root = await tempDir();
    cleanups.push(() => root.cleanup());
    const s = createTftpServer({ root: root.dir, host: '127.0.0.1', port: 0 });
    const a = s.close();
    expect(s.close()).toBe(a);
    await a;
    await expect(s.listen()).rejects.toThrow();
    {
      await using s2 = createTftpServer({ root: root.dir, host: '127.0.0.1', port: 0 });
      const ep = await s2.listen();
      expect(ep.port).toBeGreaterThan(0);
      expect(s2.endpoint?.port).toBe(ep.port);
      expect(await s2.listen()).toBe(ep);
    }
  });

  it('a dallying upload (server sent the final ACK) does not hold close() beyond its bound', async () => {
    const served = await setup({ dallyCloseMs: 100 });
    await tftpPut(served.address, 'up.bin', pattern(3000), { timeout: 5 }); // dally = the 5 s timeout
    const started = Date.now();
    await served.server.close();
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('listen() on a port in use rejects and may be retried; a host name works', async () => {
    const root = await tempDir();
    cleanups.push(() => root.cleanup());
    const first = createTftpServer({ root: root.dir, host: '127.0.0.1', port: 0 });
    const ep = await first.listen();
    cleanups.push(() => first.close());
    const second = createTftpServer({ root: root.dir, host: '127.0.0.1', port: ep.port });
    await expect(second.listen()).rejects.toThrow(/in use/);
    await first.close();
    expect((await second.listen()).port).toBe(ep.port);
    await second.close();
    await writeFiles(root.dir, { 'n.bin': pattern(700) });
    const named = createTftpServer({ root: root.dir, host: 'localhost', port: 0 });
    cleanups.push(() => named.close());
    const nep = await named.listen();
    expect(typeof nep.address).toBe('string');
    const host = nep.family === 6 ? `[${nep.address}]` : nep.address;
    expect((await tftpGetBytes(`${host}:${nep.port}`, 'n.bin')).length).toBe(700);
  });

  it('rejects bad options up front', () => {
    expect(() => createTftpServer({})).toThrow(/exactly one/);
    expect(() => createTftpServer({ root: '/tmp', handler: {} })).toThrow(/exactly one/);
    expect(() => createTftpServer({ root: '/tmp', port: 70000 })).toThrow(RangeError);
    expect(() => createTftpServer({ root: '/tmp', portRange: { from: 10, to: 5 } })).toThrow(RangeError);
    expect(() => createTftpServer({ root: '/tmp', maxTransfers: 0 })).toThrow(RangeError);
  });

  it('portRange: transfers answer from a port in the range', async () => {
    const probe = await peer();
    const base = probe.port; // a free port right now, and likely its neighbours
    probe.close();
    const served = await setup({ portRange: { from: base, to: base + 3 } });
    const client = await peer();
    client.send(request(1, 'a.bin'), served.port);
    const d1 = await client.next();
    expect(d1.port).toBeGreaterThanOrEqual(base);
    expect(d1.port).toBeLessThanOrEqual(base + 3);
  });
});

describe('port range exhausted', () => {
  it('a request gets ERROR 3 from the listening port when no transfer port is free', async () => {
    const blocker = await peer(); // holds the only port of the range
    const served = await setup({ portRange: { from: blocker.port, to: blocker.port } });
    const client = await peer();
    const ended = served.nextEnd();
    client.send(request(1, 'a.bin'), served.port);
    const e = await client.next();
    expect(opcode(e.data)).toBe(5);
    expect(e.data.readUInt16BE(2)).toBe(3);
    expect(e.port).toBe(served.port);
    expect((await ended).error?.tftpCode).toBe(3);
  });
});

describe('nothing left open', () => {
  it('after transfers, dallies and close, no UDP handle remains and no timer keeps the loop alive', async () => {
    const before = udpHandles();
    const timersBefore = timers();
    const root = await tempDir();
    cleanups.push(() => root.cleanup());
    await writeFiles(root.dir, { 'a.bin': pattern(5000, 3) });
    const served = await serve({ root: root.dir, allowWrite: true, allowCreate: true });
    await tftpGetBytes(served.address, 'a.bin', { dallyMs: 50 });
    await tftpPut(served.address, 'b.bin', pattern(1000), {});
    await served.server.close();
    // The client's dally (50 ms) ends by itself.
    await sleep(200);
    expect(udpHandles()).toBe(before);
    expect(timers()).toBeLessThanOrEqual(timersBefore);
  });

  it('while a download dallies, its timer does not keep the loop alive (unref)', async () => {
    const root = await tempDir();
    cleanups.push(() => root.cleanup());
    await writeFiles(root.dir, { 'a.bin': pattern(100, 3) });
    const served = await serve({ root: root.dir });
    cleanups.push(() => served.server.close());
    const timersBefore = timers();
    await tftpGetBytes(served.address, 'a.bin', { dallyMs: 5000 });
    // Dallying now (a UDP handle is open), but no ref'd timer was added.
    expect(timers()).toBeLessThanOrEqual(timersBefore);
  });

  it('a failed transfer closes its channel too', async () => {
    const before = udpHandles();
    const root = await tempDir();
    cleanups.push(() => root.cleanup());
    const served = await serve({ root: root.dir });
    await expect(tftpGetBytes(served.address, 'missing')).rejects.toThrow();
    await expect(tftpPut(served.address, 'x', pattern(10))).rejects.toThrow();
    await served.server.close();
    await sleep(50);
    expect(udpHandles()).toBe(before);
  });
});
