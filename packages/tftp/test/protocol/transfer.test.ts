import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildRequestOptions,
  type DataPacket,
  NetasciiDecoder,
  NetasciiEncoder,
  type RequestPacket,
  type TftpOptions,
} from '../../src/protocol/index.js';
import { bytesOf, type SentPacket, simulate } from './sim.js';

const rrq = (options: TftpOptions = [], mode: 'octet' | 'netascii' = 'octet'): RequestPacket => ({
  op: 'RRQ',
  filename: 'boot.img',
  mode,
  options,
});
const wrq = (options: TftpOptions = [], mode: 'octet' | 'netascii' = 'octet'): RequestPacket => ({
  op: 'WRQ',
  filename: 'upload.bin',
  mode,
  options,
});

const isData = (s: SentPacket, block?: number) =>
  s.packet.op === 'DATA' && (block === undefined || (s.packet as DataPacket).block === block);

function expectComplete(r: ReturnType<typeof simulate>, file: Uint8Array) {
  expect(r.hung).toBe(false);
  expect(r.client.fail?.error).toBeUndefined();
  expect(r.server.fail?.error).toBeUndefined();
  expect(r.client.finish?.reason).toBe('complete');
  expect(r.server.finish?.reason).toBe('complete');
  expect(r.delivered.length).toBe(file.length);
  expect(Buffer.compare(Buffer.from(r.delivered), Buffer.from(file))).toBe(0);
}

describe('clean link', () => {
  for (const [name, request] of [
    ['read', rrq()],
    ['write', wrq()],
  ] as const) {
    it(`${name}: lockstep RFC 1350, one DATA per block, one ACK per block`, () => {
      const file = bytesOf(512 * 4 + 100);
      const r = simulate({ request, file });
      expectComplete(r, file);
      const sender = request.op === 'RRQ' ? 'server' : 'client';
      const receiver = sender === 'server' ? 'client' : 'server';
      expect(r.dataSends()).toBe(5);
      // RRQ: ACK 1..5; WRQ: ACK 0..5
      expect(r.count('ACK', receiver)).toBe(request.op === 'RRQ' ? 5 : 6);
      expect(r.count('OACK', 'server')).toBe(0);
      const stats = r[sender].finish!.stats;
      expect(stats.bytes).toBe(file.length);
      expect(stats.blocks).toBe(5);
      expect(stats.retransmits).toBe(0);
      expect(r[receiver].finish!.stats.bytes).toBe(file.length);
    });
  }

  it('exact multiple of blksize ends with an empty DATA', () => {
    const file = bytesOf(512 * 3);
    const r = simulate({ request: rrq(), file });
    expectComplete(r, file);
    const data = r.log.filter((s) => isData(s));
    expect(data.length).toBe(4);
    expect((data[3]!.packet as DataPacket).data.length).toBe(0);
  });

  it('an empty file is one empty DATA', () => {
    for (const request of [rrq(), wrq()]) {
      const r = simulate({ request, file: new Uint8Array(0) });
      expectComplete(r, new Uint8Array(0));
      expect(r.dataSends()).toBe(1);
    }
  });

  it('negotiated blksize and windowsize are used (OACK, then ACK 0 / DATA 1)', () => {
    const file = bytesOf(1468 * 40 + 3);
    const r = simulate({
      request: rrq(buildRequestOptions('RRQ', 'octet', { blksize: 1468, windowsize: 8, tsize: true })),
      file,
      policy: { fileSize: file.length },
    });
    expectComplete(r, file);
    expect(r.client.negotiated?.params).toMatchObject({ blksize: 1468, windowsize: 8, tsize: file.length });
    expect(r.dataSends()).toBe(41);
    // ACK 0 for the OACK, then one per window of 8: blocks 8, 16, 24, 32, 40, 41
    const acks = r.log
      .filter((s) => s.from === 'client' && s.packet.op === 'ACK')
      .map((s) => (s.packet as { block: number }).block);
    expect(acks).toEqual([0, 8, 16, 24, 32, 40, 41]);
    // Windowed: the sender sends a whole window before any ACK comes back.
    const first = r.log
      .filter((s) => s.from === 'server')
      .slice(0, 9)
      .map((s) => s.packet.op);
    expect(first).toEqual(['OACK', ...Array(8).fill('DATA')]);
  });

  it('windowed write with a server that lowers blksize and windowsize', () => {
    const file = bytesOf(3000 * 10 + 1);
    const r = simulate({
      request: wrq(buildRequestOptions('WRQ', 'octet', { blksize: 4000, windowsize: 64, tsize: file.length })),
      file,
      policy: { maxBlksize: 3000, maxWindowsize: 4 },
    });
    expectComplete(r, file);
    expect(r.client.negotiated?.params).toMatchObject({ blksize: 3000, windowsize: 4, tsize: file.length });
    expect(r.dataSends()).toBe(11);
  });

  it('the data event (copying) works like data-written; slow sources are fine', () => {
    const file = bytesOf(1000 * 7);
    const r = simulate({
      request: rrq([
        ['blksize', '1000'],
        ['windowsize', '3'],
      ]),
      file,
      copyData: true,
      sourceDelay: 40,
    });
    expectComplete(r, file);
    expect(r.server.finish!.stats.retransmits).toBe(0);
  });

  it('raw datagrams can be fed instead of packets', () => {
    const file = bytesOf(2000);
    const r = simulate({ request: wrq([['windowsize', '2']]), file, raw: true });
    expectComplete(r, file);
  });
});

describe("Sorcerer's Apprentice (RFC 1123 §4.2.3.1)", () => {
  it('duplicated ACKs never cause extra DATA (lockstep)', () => {
    const file = bytesOf(512 * 50 + 1);
    const clean = simulate({ request: rrq(), file });
    const dupAcks = simulate({
      request: rrq(),
      file,
      link: { script: (s) => (s.packet.op === 'ACK' ? 'dup' : 'pass') },
    });
    expectComplete(dupAcks, file);
    expect(clean.dataSends()).toBe(51);
    expect(dupAcks.dataSends()).toBe(51);
    expect(dupAcks.server.finish!.stats.duplicates).toBeGreaterThanOrEqual(50);
  });

  it('duplicated ACKs and DATA in windowed mode: DATA sends do not grow', () => {
    const file = bytesOf(512 * 64);
    const dup = simulate({
      request: rrq([['windowsize', '4']]),
      file,
      link: { script: () => 'dup' },
    });
    expectComplete(dup, file);
    expect(dup.dataSends()).toBe(65);
  });

  it('a delayed, duplicated ACK of an old block changes nothing', () => {
    const file = bytesOf(512 * 10);
    // Every ACK is duplicated and the copy arrives late (reordered behind later traffic).
    const r = simulate({
      request: rrq(),
      file,
      link: { script: (s) => (s.packet.op === 'ACK' ? 'dup' : 'pass'), jitter: 12, seed: 3 },
    });
    expectComplete(r, file);
    expect(r.dataSends()).toBe(11);
  });
});

describe('loss and recovery', () => {
  it('a lost DATA is resent on the timer only', () => {
    let lost = 0;
    const file = bytesOf(512 * 5);
    const r = simulate({
      request: rrq(),
      file,
      link: { script: (s) => (isData(s, 3) && lost++ === 0 ? 'drop' : 'pass') },
    });
    expectComplete(r, file);
    expect(r.log.filter((s) => isData(s, 3)).length).toBe(2);
    expect(r.server.finish!.stats.retransmits).toBe(1);
    expect(r.server.finish!.stats.timeouts).toBe(1);
  });

  it('a lost ACK: the sender resends, the receiver re-ACKs the duplicate', () => {
    let dropped = 0;
    const file = bytesOf(512 * 5);
    const r = simulate({
      request: rrq(),
      file,
      link: { script: (s) => (s.packet.op === 'ACK' && s.packet.block === 2 && dropped++ === 0 ? 'drop' : 'pass') },
    });
    expectComplete(r, file);
    expect(r.log.filter((s) => isData(s, 3)).length).toBe(1);
    expect(r.log.filter((s) => isData(s, 2)).length).toBe(2);
    expect(r.log.filter((s) => s.packet.op === 'ACK' && s.packet.block === 2).length).toBe(2);
    expect(r.client.finish!.stats.duplicates).toBe(1);
  });

  it('windowed gap: the receiver ACKs the last in-order block and the sender restarts after it', () => {
    let dropped = 0;
    const file = bytesOf(512 * 20 + 5);
    const r = simulate({
      request: rrq([['windowsize', '8']]),
      file,
      link: { script: (s) => (isData(s, 5) && dropped++ === 0 ? 'drop' : 'pass') },
    });
    expectComplete(r, file);
    const acks = r.log
      .filter((s) => s.from === 'client' && s.packet.op === 'ACK')
      .map((s) => (s.packet as { block: number }).block);
    // ACK 0 (OACK), gap ACK 4 (once, although 6, 7, 8 all arrive out of order), then windows 12, 20, 21
    expect(acks).toEqual([0, 4, 12, 20, 21]);
    // blocks 5..8 were sent twice, nothing else
    expect(r.dataSends()).toBe(21 + 4);
    for (const b of [5, 6, 7, 8]) expect(r.log.filter((s) => isData(s, b)).length).toBe(2);
    expect(r.server.finish!.stats.timeouts).toBe(0);
    expect(r.server.finish!.stats.retransmits).toBe(4);
  });

  it('the final ACK lost: the receiver has finished and re-ACKs while dallying', () => {
    let dropped = 0;
    const file = bytesOf(512 * 2 + 9);
    const r = simulate({
      request: rrq(),
      file,
      dallyMs: 5000,
      link: { script: (s) => (s.packet.op === 'ACK' && s.packet.block === 3 && dropped++ === 0 ? 'drop' : 'pass') },
    });
    expectComplete(r, file);
    expect(r.log.filter((s) => s.packet.op === 'ACK' && s.packet.block === 3).length).toBe(2);
    expect(r.log.filter((s) => isData(s, 3)).length).toBe(2);
    // The receiver finished at its first final ACK, before the sender, and closed only after dallying.
    expect(r.client.finish!.at).toBeLessThan(r.server.finish!.at);
    expect(r.client.closedAt! - r.client.finish!.at).toBe(5000);
    expect(r.client.finish!.stats.retransmits).toBe(0);
  });

  it('without the final DATA repeated, dally just ends', () => {
    const file = bytesOf(100);
    const r = simulate({ request: wrq(), file, dallyMs: 1234 });
    expectComplete(r, file);
    expect(r.server.closedAt! - r.server.finish!.at).toBe(1234);
  });

  it('a lost OACK and a lost ACK 0 are recovered', () => {
    let n = 0;
    const file = bytesOf(3000);
    const r = simulate({
      request: rrq([['blksize', '1024']]),
      file,
      link: {
        script: (s) =>
          (s.packet.op === 'OACK' || (s.packet.op === 'ACK' && s.packet.block === 0)) && n++ < 2 ? 'drop' : 'pass',
      },
    });
    expectComplete(r, file);
    expect(r.count('OACK', 'server')).toBe(3);
  });

  it('a lost request is resent', () => {
    let n = 0;
    const file = bytesOf(700);
    const r = simulate({
      request: wrq(),
      file,
      link: { script: (s) => (s.packet.op === 'WRQ' && n++ === 0 ? 'drop' : 'pass') },
    });
    expectComplete(r, file);
    expect(r.count('WRQ', 'client')).toBe(2);
  });
});

describe('timeouts', () => {
  it('a dead peer: bounded retries with exponential backoff, then a clear timeout error', () => {
    const file = bytesOf(512 * 10);
    const r = simulate({
      request: rrq(),
      file,
      timing: { initialRto: 100, maxRetries: 4, maxRto: 100_000 },
      clientTiming: { initialRto: 100, maxRetries: 4, maxRto: 100_000 },
      // After block 3 the server → client path dies.
      link: { script: (s) => (s.from === 'server' && s.packet.op === 'DATA' && s.packet.block >= 4 ? 'drop' : 'pass') },
    });
    expect(r.hung).toBe(false);
    expect(r.server.fail?.error.code).toBe('timeout');
    expect(r.server.fail?.error.message).toMatch(/timed out waiting for ACK of block 4 after 4 retries/);
    expect(r.client.fail?.error.code).toBe('timeout');
    expect(r.log.filter((s) => isData(s, 4)).length).toBe(5);
    const sendTimes = r.log.filter((s) => isData(s, 4)).map((s) => s.at);
    const gaps = sendTimes.slice(1).map((t, i) => t - sendTimes[i]!);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]! / gaps[i - 1]!).toBeCloseTo(2, 5);
    expect(r.client.finish).toBeUndefined();
  });

  it('nobody answers the request', () => {
    const r = simulate({
      request: rrq(),
      file: bytesOf(10),
      clientTiming: { initialRto: 500, maxRetries: 3 },
      link: { script: () => 'drop' },
    });
    expect(r.hung).toBe(false);
    expect(r.client.fail?.error.code).toBe('timeout');
    expect(r.count('RRQ', 'client')).toBe(4);
    expect(r.client.fail!.at).toBe(500 + 1000 + 2000 + 4000);
  });

  it('a negotiated timeout fixes the retransmission interval (no backoff)', () => {
    const r = simulate({
      request: rrq([['timeout', '2']]),
      file: bytesOf(2000),
      timing: { maxRetries: 3 },
      clientTiming: { maxRetries: 3 },
      link: { script: (s) => (s.from === 'client' && s.packet.op === 'ACK' ? 'drop' : 'pass') },
    });
    const oacks = r.log.filter((s) => s.packet.op === 'OACK').map((s) => s.at);
    expect(oacks.length).toBe(4);
    expect(oacks.slice(1).map((t, i) => t - oacks[i]!)).toEqual([2000, 2000, 2000]);
    expect(r.server.fail?.error.code).toBe('timeout');
  });

  it('utimeout (tftp-hpa) sets a sub-second fixed interval', () => {
    const r = simulate({
      request: rrq([['utimeout', '50000']]),
      file: bytesOf(2000),
      timing: { maxRetries: 2 },
      clientTiming: { maxRetries: 2 },
      link: { script: (s) => (s.from === 'client' && s.packet.op === 'ACK' ? 'drop' : 'pass') },
    });
    const oacks = r.log.filter((s) => s.packet.op === 'OACK').map((s) => s.at);
    expect(oacks.slice(1).map((t, i) => t - oacks[i]!)).toEqual([50, 50]);
  });

  it('the adaptive RTO converges towards the round trip', () => {
    const file = bytesOf(512 * 200);
    const r = simulate({ request: rrq(), file, link: { delay: 40 }, timing: { initialRto: 3000, minRto: 10 } });
    expectComplete(r, file);
    const srtt = r.server.finish!.stats.srttMs!;
    expect(srtt).toBeGreaterThan(79);
    expect(srtt).toBeLessThan(81);
  });
});

describe('rollover beyond 65535 blocks', () => {
  for (const base of [0, 1] as const) {
    it(`blksize 8, 70000 blocks, wraps to ${base}`, () => {
      const file = bytesOf(8 * 70_000 + 3);
      const options: TftpOptions = [
        ['blksize', '8'],
        ['windowsize', '16'],
        ...(base === 1 ? ([['rollover', '1']] as const) : []),
      ];
      let gapDropped = 0;
      const r = simulate({
        request: rrq(options),
        file,
        // lose the first block after the wrap once, to exercise the gap path across the wrap
        link: {
          script: (s) =>
            s.from === 'server' && s.packet.op === 'DATA' && s.packet.block === base && gapDropped++ === 0
              ? 'drop'
              : 'pass',
        },
      });
      expectComplete(r, file);
      expect(gapDropped).toBeGreaterThan(0);
      const data = r.log.filter((s) => isData(s));
      const afterWrap = data.find((s, i) => i > 65000 && (s.packet as DataPacket).block < 100)!;
      expect((afterWrap.packet as DataPacket).block).toBe(base);
      expect(r.server.finish!.stats.blocks).toBe(70_001);
    });
  }

  it('lockstep write across the wrap, block 0 after the wrap is not taken for the OACK ack', () => {
    const file = bytesOf(8 * 65_540);
    const r = simulate({ request: wrq([['blksize', '8']]), file });
    expectComplete(r, file);
    expect(r.dataSends()).toBe(65_541);
    const acks0 = r.log.filter((s) => s.packet.op === 'ACK' && s.packet.block === 0);
    // The OACK was acknowledged by DATA 1, so the only ACK 0 is block 65536's.
    expect(acks0.length).toBe(1);
    expect(r.server.finish!.stats.blocks).toBe(65_541);
  });
});

describe('size limits', () => {
  it('the receiver stops at maxSize with ERROR 3', () => {
    const file = bytesOf(5000);
    const r = simulate({ request: rrq(), file, maxSize: 3000 });
    expect(r.hung).toBe(false);
    expect(r.client.fail?.error.code).toBe('too-large');
    expect(r.client.fail?.error.tftpCode).toBe(3);
    expect(r.server.fail?.error.code).toBe('peer-error');
    expect(r.server.fail?.error.tftpCode).toBe(3);
    expect(r.delivered.length).toBeLessThanOrEqual(3000);
    expect(r.count('ERROR', 'client')).toBe(1);
    expect(r.count('ERROR', 'server')).toBe(0); // an ERROR is never answered
  });

  it('a file of exactly maxSize is accepted', () => {
    const file = bytesOf(3000);
    const r = simulate({ request: wrq(), file, maxSize: 3000 });
    expectComplete(r, file);
  });

  it('a WRQ stating a tsize above the server maximum is refused up front (ERROR 3)', () => {
    const r = simulate({ request: wrq([['tsize', '999999']]), file: bytesOf(10), policy: { maxFileSize: 1000 } });
    expect(r.client.fail?.error.code).toBe('peer-error');
    expect(r.client.fail?.error.tftpCode).toBe(3);
    expect(r.client.fail?.error.retryWithoutOptions).toBe(false);
    expect(r.dataSends()).toBe(0);
  });

  it('an RRQ client refuses an OACK tsize above its maxSize with ERROR 3', () => {
    const file = bytesOf(5000);
    const r = simulate({ request: rrq([['tsize', '0']]), file, maxSize: 100, policy: { fileSize: 5000 } });
    expect(r.client.fail?.error.code).toBe('too-large');
    expect(r.server.fail?.error.tftpCode).toBe(3);
    expect(r.dataSends()).toBe(0);
  });
});

describe('netascii transfers', () => {
  const text = new TextEncoder().encode('line one\nline two\r\nbare\rcr\n\n\r\r\n'.repeat(200));

  it('streamed through the encoder/decoder at arbitrary chunkings', () => {
    // Source side: encode in odd chunks, as a stream would.
    const enc = new NetasciiEncoder();
    const parts: Uint8Array[] = [];
    for (let i = 0; i < text.length; i += 37) parts.push(enc.push(text.subarray(i, i + 37)));
    const wire = Buffer.concat(parts);
    const r = simulate({
      request: rrq([], 'netascii'),
      file: wire,
      link: { loss: 0.05, seed: 9 },
      timing: { maxRetries: 10 },
      clientTiming: { maxRetries: 10 },
    });
    expectComplete(r, wire);
    // Sink side: decode per delivered block (block boundaries split CR from LF/NUL).
    const dec = new NetasciiDecoder();
    const out: Uint8Array[] = [];
    for (let i = 0; i < r.delivered.length; i += 512) out.push(dec.push(r.delivered.subarray(i, i + 512)));
    out.push(dec.end());
    expect(Buffer.compare(Buffer.concat(out), Buffer.from(text))).toBe(0);
    expect(r.client.negotiated?.params.tsize).toBeUndefined();
  });
});

describe('random lossy links (seeded)', () => {
  it('byte-identical delivery, no hang, bounded retransmissions', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
          size: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.constantFrom(0, 512, 1024, 4096)),
          blksize: fc.constantFrom(8, 100, 512, 1468),
          windowsize: fc.constantFrom(1, 2, 4, 16),
          op: fc.constantFrom('RRQ' as const, 'WRQ' as const),
          loss: fc.double({ min: 0, max: 0.2, noNaN: true }),
          duplicate: fc.double({ min: 0, max: 0.2, noNaN: true }),
          reorder: fc.double({ min: 0, max: 0.3, noNaN: true }),
          jitter: fc.integer({ min: 0, max: 10 }),
          sourceDelay: fc.constantFrom(0, 0, 3),
          timeout: fc.constantFrom(undefined, undefined, 1),
          raw: fc.boolean(),
          copyData: fc.boolean(),
        }),
        (c) => {
          const size = c.blksize === 8 ? Math.min(c.size, 4000) : c.size;
          const file = bytesOf(size, c.seed);
          const options: TftpOptions = [
            ['blksize', String(c.blksize)],
            ['windowsize', String(c.windowsize)],
            ...(c.timeout ? [['timeout', String(c.timeout)] as const] : []),
          ];
          const request = c.op === 'RRQ' ? rrq(options) : wrq(options);
          const timing = { maxRetries: 12, initialRto: 200 };
          const r = simulate({
            request,
            file,
            timing,
            clientTiming: timing,
            dallyMs: 30_000,
            sourceDelay: c.sourceDelay,
            raw: c.raw,
            copyData: c.copyData,
            link: { seed: c.seed, loss: c.loss, duplicate: c.duplicate, reorder: c.reorder, jitter: c.jitter },
          });
          expectComplete(r, file);
          const blocks = Math.floor(size / c.blksize) + 1;
          // Every DATA sent at most once per window of retransmission per timeout or gap ACK: bounded.
          const sender = c.op === 'RRQ' ? r.server : r.client;
          const st = sender.finish!.stats;
          // Every send beyond the first of each block (and of the OACK / WRQ) is a counted retransmission.
          const control = c.op === 'RRQ' ? r.count('OACK', 'server') : r.count('WRQ', 'client');
          expect(r.dataSends() + control).toBe(blocks + 1 + st.retransmits);
          expect(st.retransmits).toBeLessThanOrEqual(
            (st.timeouts + 2 * r.count('ACK', c.op === 'RRQ' ? 'client' : 'server')) * c.windowsize,
          );
        },
      ),
      { numRuns: Number(process.env.TFTP_SIM_RUNS ?? 60), seed: Number(process.env.TFTP_SIM_SEED ?? 20261121) },
    );
  });
});
