// The server against hand-driven peers: TIDs, duplicates, limits, reflection, hostile datagrams.
import { randomBytes } from 'node:crypto';
import { makeNetworkEndpoint } from '@udpkit/endpoint';
import { afterEach, describe, expect, it } from 'vitest';
import { tftpGetBytes, tftpPut } from '../../src/index.js';
import { isAnswerableSource } from '../../src/io/limits.js';
import {
  ack,
  errorPacket,
  opcode,
  pattern,
  type RawPeer,
  rawPeer,
  request,
  type Served,
  serve,
  sha256,
  sleep,
  tempDir,
  writeFiles,
} from './helpers.js';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(options: Omit<Parameters<typeof serve>[0], 'root'> = {}, host = '127.0.0.1') {
  const root = await tempDir();
  await writeFiles(root.dir, { 'a.bin': pattern(2000, 1), 'big.bin': pattern(200_000, 2) });
  const served: Served = await serve({ root: root.dir, ...options }, host);
  cleanups.push(async () => {
    await served.server.close({ force: true });
    await root.cleanup();
  });
  return served;
}

async function peer(family: 4 | 6 = 4): Promise<RawPeer> {
  const p = await rawPeer(family);
  cleanups.push(() => p.close());
  return p;
}

describe('transfer IDs (RFC 1350 §4)', () => {
  it('answers from a fresh port; a stranger gets ERROR 5 and the transfer goes on', async () => {
    const served = await setup();
    const client = await peer();
    const stranger = await peer();
    const ended = served.nextEnd();
    client.send(request(1, 'a.bin'), served.port);
    const d1 = await client.next();
    expect(opcode(d1.data)).toBe(3);
    expect(d1.port).not.toBe(served.port); // seed 000: a new channel answers
    // The stranger pokes the transfer port.
    stranger.send(ack(1), d1.port);
    const e5 = await stranger.next();
    expect(opcode(e5.data)).toBe(5);
    expect(e5.data.readUInt16BE(2)).toBe(5);
    expect(e5.port).toBe(d1.port);
    // An ERROR from a stranger is never answered (RFC 1350 §7).
    stranger.send(errorPacket(0, 'go away'), d1.port);
    expect(await stranger.collect(150)).toEqual([]);
    // The real client goes on.
    client.send(ack(1), d1.port);
    const d2 = await client.next();
    expect(d2.data.readUInt16BE(2)).toBe(2);
    // 2000 bytes = 512 × 3 + 464 → blocks 1..4
    expect(d2.data.length).toBe(516);
    client.send(ack(2), d1.port);
    const d3 = await client.next();
    client.send(ack(3), d1.port);
    const d4 = await client.next();
    expect(d3.data.readUInt16BE(2)).toBe(3);
    expect(d4.data.length).toBe(4 + 464);
    client.send(ack(4), d1.port);
    const end = await ended;
    expect(end.ok).toBe(true);
    expect(end.stats.bytes).toBe(2000);
  });

  it("with unknownTid 'drop' a stranger gets nothing and the transfer still completes", async () => {
    const served = await setup({ unknownTid: 'drop' });
    const client = await peer();
    const stranger = await peer();
    client.send(request(1, 'a.bin', 'octet', { blksize: '1468' }), served.port);
    const oack = await client.next();
    expect(opcode(oack.data)).toBe(6);
    stranger.send(ack(0), oack.port);
    expect(await stranger.collect(150)).toEqual([]);
    client.send(ack(0), oack.port);
    const d1 = await client.next();
    client.send(ack(1), oack.port);
    const d2 = await client.next();
    expect(d1.data.length + d2.data.length - 8).toBe(2000);
  });

  it('a duplicate request from the same address:port does not start a second transfer', async () => {
    const served = await setup({ timeoutMs: 2000 });
    const client = await peer();
    const starts: number[] = [];
    const s2 = await setup({ timeoutMs: 2000, onTransferStart: (i) => void starts.push(i.id) });
    void served;
    client.send(request(1, 'a.bin'), s2.port);
    client.send(request(1, 'a.bin'), s2.port);
    await sleep(100);
    client.send(request(1, 'a.bin'), s2.port);
    const got = await client.collect(300);
    expect(starts.length).toBe(1);
    expect(got.length).toBe(1); // one DATA 1; the duplicates were dropped
    expect(s2.server.activeTransfers).toBe(1);
  });
});

describe('limits', () => {
  it('per client address: beyond the limit the server answers ERROR 3 (busy)', async () => {
    const served = await setup({ maxTransfersPerClient: 1, timeoutMs: 5000 });
    const a = await peer();
    const b = await peer();
    a.send(request(1, 'big.bin'), served.port);
    expect(opcode((await a.next()).data)).toBe(3);
    b.send(request(1, 'big.bin'), served.port);
    const busy = await b.next();
    expect(opcode(busy.data)).toBe(5);
    expect(busy.data.readUInt16BE(2)).toBe(3);
    expect(busy.data.toString('latin1')).toMatch(/busy/);
    // Another address still gets served.
    const v6 = await setup({ maxTransfersPerClient: 1 }, '::');
    const c4 = await peer();
    const c6 = await peer(6);
    c4.send(request(1, 'a.bin'), v6.port);
    c6.send(request(1, 'a.bin'), v6.port, '::1');
    expect(opcode((await c4.next()).data)).toBe(3);
    expect(opcode((await c6.next()).data)).toBe(3);
  });

  it('whole server: maxTransfers', async () => {
    const served = await setup({ maxTransfers: 2, timeoutMs: 5000 }, '::');
    const peers = [await peer(), await peer(6), await peer()];
    peers[0]!.send(request(1, 'big.bin'), served.port);
    peers[1]!.send(request(1, 'big.bin'), served.port, '::1');
    expect(opcode((await peers[0]!.next()).data)).toBe(3);
    expect(opcode((await peers[1]!.next()).data)).toBe(3);
    expect(served.server.activeTransfers).toBe(2);
    peers[2]!.send(request(1, 'big.bin'), served.port);
    const busy = await peers[2]!.next();
    expect(busy.data.readUInt16BE(2)).toBe(3);
  });

  it('an upload dallying after its final ACK does not hold its slot', async () => {
    const served = await setup({ maxTransfersPerClient: 1, allowWrite: true, allowCreate: true, allowOverwrite: true });
    await tftpPut(served.address, 'u.bin', pattern(3000), { timeout: 5 }); // the server dallies ~5 s
    expect(served.server.activeTransfers).toBe(1);
    await tftpPut(served.address, 'v.bin', pattern(3000));
    expect((await tftpGetBytes(served.address, 'a.bin')).length).toBe(2000);
  });

  it('slots are given back when transfers end', async () => {
    const served = await setup({ maxTransfers: 1 });
    for (let i = 0; i < 5; i++) expect((await tftpGetBytes(served.address, 'a.bin')).length).toBe(2000);
    await sleep(50);
    expect(served.server.activeTransfers).toBe(0);
  });
});

describe('reflection and hostile input', () => {
  it('a peer that never answers gets a bounded number of retransmissions', async () => {
    const served = await setup({ timeoutMs: 60, unverifiedRetries: 2 });
    const victim = await peer();
    const ended = served.nextEnd();
    victim.send(request(1, 'big.bin'), served.port);
    const end = await ended;
    expect(end.ok).toBe(false);
    expect(end.error?.code).toBe('timeout');
    const got = await victim.collect(300);
    // DATA 1 once, then two retransmissions; no ERROR (nothing more is sent to an unverified address).
    expect(got.length).toBe(3);
    expect(got.every((g) => opcode(g.data) === 3)).toBe(true);
  });

  it('ignores requests from unanswerable sources (port 0, broadcast, multicast, unspecified)', () => {
    expect(isAnswerableSource(makeNetworkEndpoint('127.0.0.1', 0))).toBe(false);
    expect(isAnswerableSource(makeNetworkEndpoint('255.255.255.255', 68))).toBe(false);
    expect(isAnswerableSource(makeNetworkEndpoint('224.0.0.1', 1000))).toBe(false);
    expect(isAnswerableSource(makeNetworkEndpoint('0.0.0.0', 1000))).toBe(false);
    expect(isAnswerableSource(makeNetworkEndpoint('ff02::1', 1000))).toBe(false);
    expect(isAnswerableSource(makeNetworkEndpoint('::ffff:239.1.1.1', 1000))).toBe(false);
    expect(isAnswerableSource(makeNetworkEndpoint('::', 1000))).toBe(false);
    expect(isAnswerableSource(makeNetworkEndpoint('127.0.0.1', 40000))).toBe(true);
    expect(isAnswerableSource(makeNetworkEndpoint('::1', 40000))).toBe(true);
    expect(isAnswerableSource(makeNetworkEndpoint('::ffff:10.0.0.1', 40000))).toBe(true);
  });

  it('non-requests on the listening port are dropped unanswered; a bad request gets ERROR 4', async () => {
    const served = await setup();
    const p = await peer();
    for (const junk of [
      ack(1),
      errorPacket(0, 'x'),
      Buffer.from([0, 3, 0, 1, 1, 2, 3]),
      Buffer.from([0, 6]),
      Buffer.from([9]),
    ]) {
      p.send(junk, served.port);
    }
    expect(await p.collect(200)).toEqual([]);
    p.send(Buffer.from([0, 1, 0x61, 0x62]), served.port); // no NUL
    const e = await p.next();
    expect(opcode(e.data)).toBe(5);
    expect(e.data.readUInt16BE(2)).toBe(4);
    p.send(request(1, 'a.bin', 'mail'), served.port);
    expect((await p.next()).data.readUInt16BE(2)).toBe(4);
  });

  it('bad requests get at most a bounded number of ERROR answers per second', async () => {
    const served = await setup();
    const p = await peer();
    for (let i = 0; i < 1000; i++) p.send(Buffer.from([0, 1, 0x61, 0x62]), served.port);
    const got = await p.collect(300);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThanOrEqual(200);
  });

  it('survives a fuzz of random datagrams on the listening port and still serves', async () => {
    const served = await setup({ timeoutMs: 200, unverifiedRetries: 1 });
    const fuzzers = [await peer(), await peer(), await peer()];
    let seed = 1;
    for (let i = 0; i < 3000; i++) {
      const f = fuzzers[i % 3]!;
      seed = (seed * 1103515245 + 12345) >>> 0;
      const length = seed % 1200;
      const bytes = randomBytes(length);
      // Often a plausible opcode, so the request parser gets exercised too.
      if (length >= 2 && i % 2 === 0) {
        bytes[0] = 0;
        bytes[1] = 1 + (i % 6);
      }
      f.socket.send(bytes, served.port, '127.0.0.1');
      if (i % 200 === 0) await sleep(1);
    }
    await sleep(300);
    const got = await tftpGetBytes(served.address, 'big.bin', { blksize: 1468 });
    expect(sha256(got)).toBe(sha256(pattern(200_000, 2)));
  });

  it('hostile datagrams inside a transfer (from the peer itself) end it cleanly with ERROR 4', async () => {
    const served = await setup();
    const client = await peer();
    const ended = served.nextEnd();
    client.send(request(1, 'big.bin'), served.port);
    const d1 = await client.next();
    client.send(Buffer.from([0, 9, 1, 2, 3]), d1.port);
    const e = await client.next();
    expect(opcode(e.data)).toBe(5);
    expect(e.data.readUInt16BE(2)).toBe(4);
    const end = await ended;
    expect(end.error?.code).toBe('protocol-error');
    // The server is fine.
    expect((await tftpGetBytes(served.address, 'a.bin')).length).toBe(2000);
  });

  it('peer strings reach the hooks sanitised', async () => {
    const served = await setup();
    const client = await peer();
    const starts: string[] = [];
    const s2 = await setup({ onTransferStart: (i) => void starts.push(i.filename) });
    void served;
    const ended = s2.nextEnd();
    client.send(request(1, 'a.bin', 'octet', { 'x\\y': 'v' }), s2.port);
    const d1 = await client.next();
    client.send(errorPacket(0, '\x1b[31mevil\r\nline\x00'), d1.port);
    const end = await ended;
    expect(end.error?.code).toBe('peer-error');
    expect(end.error?.peerMessage).toBe('\\x1b[31mevil\\x0d\\x0aline');
    expect(end.error?.message).not.toMatch(/[\x00-\x1f]/);
    expect(end.options).toEqual([['x\\\\y', 'v']]);
    expect(starts).toEqual(['a.bin']);
  });

  it('a broken handler (returns no source) gets the client an ERROR, not silence', async () => {
    const served = await serve({ handler: { openRead: async () => undefined as never } });
    cleanups.push(() => served.server.close({ force: true }));
    const ended = served.nextEnd();
    await expect(tftpGetBytes(served.address, 'x', { retries: 1 })).rejects.toMatchObject({ tftpCode: 0 });
    expect((await ended).ok).toBe(false);
    expect((await tftpGetBytes(served.address, 'x').catch((e: unknown) => e)) as object).toMatchObject({ tftpCode: 0 });
  });

  it('UEFI tsize probe (OACK, then ERROR 8) is a normal end', async () => {
    const served = await setup();
    const client = await peer();
    const ended = served.nextEnd();
    client.send(request(1, 'big.bin', 'octet', { tsize: '0', blksize: '1468' }), served.port);
    const oack = await client.next();
    expect(opcode(oack.data)).toBe(6);
    expect(oack.data.toString('latin1')).toContain('tsize\x00200000\x00');
    client.send(errorPacket(8, 'User aborted the transfer'), oack.port);
    const end = await ended;
    expect(end.ok).toBe(true);
    expect(end.reason).toBe('option-probe');
    expect(end.error).toBeUndefined();
    // …and it asks again.
    expect((await tftpGetBytes(served.address, 'big.bin', { blksize: 1468 })).length).toBe(200_000);
  });

  it('the default reflection bound: 3 retransmissions to a peer that never answers', async () => {
    // No unverifiedRetries here: the default is what is tested (retries, default 5, would allow more).
    const served = await setup({ timeoutMs: 50 });
    const victim = await peer();
    const victim2 = await peer();
    const ended = [served.nextEnd('big.bin'), served.nextEnd('a.bin')];
    victim.send(request(1, 'big.bin'), served.port);
    victim2.send(request(1, 'a.bin', 'octet', { tsize: '0' }), served.port);
    for (const end of await Promise.all(ended)) {
      expect(end.ok).toBe(false);
      expect(end.error?.code).toBe('timeout');
    }
    const data = await victim.collect(100);
    const oacks = await victim2.collect(0);
    // The first DATA 1 / OACK, then three retransmissions; nothing more (no ERROR) to an unverified address.
    expect(data.map((g) => opcode(g.data))).toEqual([3, 3, 3, 3]);
    expect(oacks.map((g) => opcode(g.data))).toEqual([6, 6, 6, 6]);
  });
});

/** Polls (every few ms) until `f()` holds; fails after `ms`. */
async function until(f: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!f()) {
    if (Date.now() > deadline) throw new Error('until: condition not met in time');
    await sleep(5);
  }
}

/** Drives a lockstep download from the raw peer (first answer already received) to the short DATA. */
async function readToEnd(client: RawPeer, first: { data: Buffer; port: number }, blksize: number): Promise<number> {
  let got = first;
  let bytes = 0;
  if (opcode(got.data) === 6) {
    client.send(ack(0), got.port);
    got = await client.next();
  }
  for (;;) {
    expect(opcode(got.data)).toBe(3);
    const block = got.data.readUInt16BE(2);
    bytes += got.data.length - 4;
    client.send(ack(block), got.port);
    if (got.data.length - 4 < blksize) return bytes;
    got = await client.next();
  }
}

describe('a request behind a running transfer from the same address:port', () => {
  const probe = () => request(1, 'big.bin', 'octet', { tsize: '0', blksize: '1468' });

  it('UEFI: the real RRQ sent right after the ERROR 8 of a tsize probe is served', async () => {
    const starts: string[] = [];
    const served = await setup({
      maxTransfers: 1,
      maxTransfersPerClient: 1,
      timeoutMs: 5000, // no retransmitted OACK in the way, however slow the machine
      onTransferStart: (i) => void starts.push(i.filename),
    });
    const client = await peer();
    const probeEnd = served.nextEnd();
    client.send(probe(), served.port);
    const oack = await client.next();
    expect(opcode(oack.data)).toBe(6);
    const realEnd = served.nextEnd();
    // Back to back, as the firmware does: the ERROR 8 to the transfer port, the RRQ to the listening port.
    client.send(errorPacket(8, 'User aborted the transfer'), oack.port);
    client.send(request(1, 'a.bin', 'octet', { blksize: '1468' }), served.port);
    expect((await probeEnd).reason).toBe('option-probe');
    const first = await client.next();
    expect(first.port).not.toBe(oack.port);
    expect(await readToEnd(client, first, 1468)).toBe(2000);
    const end = await realEnd;
    expect(end.ok).toBe(true);
    expect(end.reason).toBe('complete');
    expect(end.stats.bytes).toBe(2000);
    expect(starts).toEqual(['big.bin', 'a.bin']);
  });

  it('a retransmission of the probe itself is not served again after the probe ends', async () => {
    const starts: string[] = [];
    const served = await setup({ timeoutMs: 5000, onTransferStart: (i) => void starts.push(i.filename) });
    const client = await peer();
    const probeEnd = served.nextEnd();
    client.send(probe(), served.port);
    const oack = await client.next();
    expect(opcode(oack.data)).toBe(6);
    client.send(probe(), served.port); // the same bytes: a retransmitted probe, not a new request
    await sleep(50);
    client.send(errorPacket(8, 'User aborted the transfer'), oack.port);
    expect((await probeEnd).reason).toBe('option-probe');
    expect(await client.collect(300)).toEqual([]);
    expect(starts).toEqual(['big.bin']);
  });

  it('a request that arrived before the ERROR 8 ended the probe is served after it', async () => {
    const starts: string[] = [];
    const served = await setup({ timeoutMs: 5000, onTransferStart: (i) => void starts.push(i.filename) });
    const client = await peer();
    const probeEnd = served.nextEnd();
    client.send(probe(), served.port);
    const oack = await client.next();
    const realEnd = served.nextEnd();
    // The real request first, then a retransmission of it (the latest is kept), then the ERROR 8.
    client.send(request(1, 'a.bin'), served.port);
    client.send(request(1, 'a.bin'), served.port);
    await sleep(30);
    expect(starts).toEqual(['big.bin']); // not yet: the probe still runs
    client.send(errorPacket(8, 'User aborted the transfer'), oack.port);
    expect((await probeEnd).reason).toBe('option-probe');
    expect(await readToEnd(client, await client.next(), 512)).toBe(2000);
    expect((await realEnd).ok).toBe(true);
    expect(starts).toEqual(['big.bin', 'a.bin']); // served once
  });

  it('is not served after a transfer that completes normally', async () => {
    const starts: string[] = [];
    const served = await setup({ timeoutMs: 2000, onTransferStart: (i) => void starts.push(i.filename) });
    const client = await peer();
    const ended = served.nextEnd();
    client.send(request(1, 'a.bin'), served.port);
    const d1 = await client.next();
    client.send(request(1, 'a.bin'), served.port); // a duplicate: no second transfer
    client.send(request(1, 'big.bin'), served.port); // not a probe's follow-up either
    expect(await readToEnd(client, d1, 512)).toBe(2000);
    expect((await ended).reason).toBe('complete');
    await until(() => served.server.activeTransfers === 0);
    expect(starts).toEqual(['a.bin']);
    expect(await client.collect(100)).toEqual([]);
  });

  it('is not served after a transfer that fails', async () => {
    const starts: string[] = [];
    const served = await setup({ timeoutMs: 2000, onTransferStart: (i) => void starts.push(i.filename) });
    const client = await peer();
    const ended = served.nextEnd();
    client.send(request(1, 'big.bin', 'octet', { blksize: '1468' }), served.port);
    const oack = await client.next();
    client.send(request(1, 'a.bin'), served.port);
    client.send(errorPacket(0, 'changed my mind'), oack.port); // not ERROR 8: a failure, not a probe
    const end = await ended;
    expect(end.ok).toBe(false);
    expect(end.error?.code).toBe('peer-error');
    await until(() => served.server.activeTransfers === 0);
    expect(starts).toEqual(['big.bin']);
    expect(await client.collect(100)).toEqual([]);
  });

  it('is not served once the server is closing', async () => {
    const starts: string[] = [];
    const served = await setup({ timeoutMs: 5000, onTransferStart: (i) => void starts.push(i.filename) });
    const client = await peer();
    const probeEnd = served.nextEnd();
    client.send(probe(), served.port);
    const oack = await client.next();
    client.send(request(1, 'a.bin'), served.port);
    await sleep(30);
    const closed = served.server.close(); // graceful: waits for the probe to end
    client.send(errorPacket(8, 'User aborted the transfer'), oack.port);
    expect((await probeEnd).reason).toBe('option-probe');
    await closed;
    expect(served.server.activeTransfers).toBe(0);
    expect(starts).toEqual(['big.bin']);
    expect(await client.collect(100)).toEqual([]);
  });
});
