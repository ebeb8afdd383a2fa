// Our client ↔ our server, end to end on loopback (IPv4 and IPv6).
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  netasciiEncode,
  tftpGet,
  tftpGetBytes,
  tftpGetFile,
  tftpGetStream,
  tftpPut,
  tftpPutFile,
} from '../../src/index.js';
import {
  pattern,
  rawPeer,
  type Served,
  serve,
  sha256,
  tempDir,
  tempFilesIn,
  textWithLineEnds,
  writeFiles,
} from './helpers.js';

const FILES = {
  'empty.bin': new Uint8Array(0),
  'one.bin': pattern(1, 3),
  'small.bin': pattern(1000, 4),
  'b512.bin': pattern(512, 5),
  'b512x3.bin': pattern(512 * 3, 6),
  'b1468x20.bin': pattern(1468 * 20, 7),
  'medium.bin': pattern(300_000, 8),
  'large.bin': pattern(2_000_000, 10),
  'text.txt': textWithLineEnds(3000),
};

for (const host of ['127.0.0.1', '::1']) {
  describe(`client ↔ server on ${host}`, () => {
    let served: Served;
    let root: Awaited<ReturnType<typeof tempDir>>;

    beforeAll(async () => {
      root = await tempDir();
      await writeFiles(root.dir, FILES);
      served = await serve({ root: root.dir, allowWrite: true, allowCreate: true }, host);
    });
    afterAll(async () => {
      await served.server.close();
      await root.cleanup();
    });

    const cases: [string, Parameters<typeof tftpGetBytes>[2]][] = [
      ['plain RFC 1350', { options: false }],
      ['defaults (tsize)', {}],
      ['blksize 1468', { blksize: 1468 }],
      ['blksize 8', { blksize: 8 }],
      ['blksize 1468 windowsize 16', { blksize: 1468, windowsize: 16 }],
      ['windowsize 4 at 512', { windowsize: 4 }],
      ['timeout 2', { timeout: 2, blksize: 1024 }],
    ];
    for (const [label, options] of cases) {
      it(`octet get, ${label}: every size is byte-identical`, async () => {
        for (const name of [
          'empty.bin',
          'one.bin',
          'small.bin',
          'b512.bin',
          'b512x3.bin',
          'b1468x20.bin',
          'medium.bin',
        ]) {
          const got = await tftpGetBytes(served.address, name, options);
          expect(sha256(got), name).toBe(sha256(FILES[name as keyof typeof FILES]));
        }
      });
    }

    it('reports the negotiated options, tsize as progress total and stats', async () => {
      const progress: { bytes: number; total?: number }[] = [];
      const ended = served.nextEnd('medium.bin');
      const chunks: Uint8Array[] = [];
      const stats = await tftpGet(served.address, 'medium.bin', (c) => void chunks.push(c), {
        blksize: 1468,
        windowsize: 8,
        onProgress: (p) => progress.push(p),
      });
      expect(stats.bytes).toBe(300_000);
      expect(stats.localBytes).toBe(300_000);
      expect(stats.blocks).toBe(Math.ceil(300_001 / 1468));
      expect(stats.params.blksize).toBe(1468);
      expect(stats.params.windowsize).toBe(8);
      expect(stats.params.tsize).toBe(300_000);
      expect(stats.plainRetry).toBe(false);
      expect(progress.length).toBeGreaterThan(1);
      expect(progress.at(-1)).toEqual({ bytes: 300_000, total: 300_000 });
      const end = await ended;
      expect(end.ok).toBe(true);
      expect(end.op).toBe('read');
      expect(end.filename).toBe('medium.bin');
      expect(end.stats.bytes).toBe(300_000);
      expect(end.oack).toEqual([
        ['blksize', '1468'],
        ['windowsize', '8'],
        ['tsize', '300000'],
      ]);
      expect(end.remote.family).toBe(host.includes(':') ? 'IPv6' : 'IPv4');
    });

    it('tftpGetBytes hands out exactly the file bytes (no view into a bigger buffer)', async () => {
      const got = await tftpGetBytes(served.address, 'small.bin');
      expect(got.byteLength).toBe(1000);
      expect(got.buffer.byteLength).toBe(1000);
    });

    it('negotiates timeout (RFC 2349) and rollover', async () => {
      const stats = await tftpGet(served.address, 'small.bin', () => {}, { timeout: 3, rollover: 0, blksize: 600 });
      expect(stats.params.timeoutMs).toBe(3000);
      expect(stats.oack).toContainEqual(['timeout', '3']);
      expect(stats.oack).toContainEqual(['rollover', '0']);
    });

    it('negotiates utimeout (tftp-hpa, microseconds): it fixes the timeout and the data is byte-identical', async () => {
      const ended = served.nextEnd('medium.bin');
      const stats = await tftpGet(served.address, 'medium.bin', () => {}, { utimeout: 250_000, blksize: 1024 });
      expect(stats.oack).toContainEqual(['utimeout', '250000']);
      expect(stats.params.timeoutMs).toBe(250);
      expect((await ended).options).toContainEqual(['utimeout', '250000']);
      const got = await tftpGetBytes(served.address, 'medium.bin', { utimeout: 200_000, windowsize: 4 });
      expect(sha256(got)).toBe(sha256(FILES['medium.bin']));
      // Both asked for: utimeout wins, as tftp-hpa does.
      const both = await tftpGet(served.address, 'small.bin', () => {}, { timeout: 5, utimeout: 1_500_000 });
      expect(both.oack).toContainEqual(['timeout', '5']);
      expect(both.oack).toContainEqual(['utimeout', '1500000']);
      expect(both.params.timeoutMs).toBe(1500);
    });

    it('a utimeout out of 10000–255000000 rejects with RangeError before any traffic', async () => {
      const local = await tempDir();
      try {
        const before = served.ends.length;
        for (const utimeout of [0, 9_999, 255_000_001, 20_000.5, Number.NaN]) {
          await expect(tftpGetBytes(served.address, 'small.bin', { utimeout }), String(utimeout)).rejects.toThrow(
            RangeError,
          );
          await expect(tftpPut(served.address, 'bad-utimeout.bin', FILES['small.bin'], { utimeout })).rejects.toThrow(
            RangeError,
          );
          await expect(
            tftpGetFile(served.address, 'small.bin', join(local.dir, 'x.bin'), { utimeout }),
          ).rejects.toThrow(RangeError);
        }
        await expect(tftpGetBytes(served.address, 'small.bin', { utimeout: 9_999 })).rejects.toThrow(
          'utimeout must be an integer in 10000–255000000',
        );
        // A good transfer afterwards is the only one the server saw; nothing was written anywhere.
        const ended = served.nextEnd('small.bin');
        await tftpGetBytes(served.address, 'small.bin', { utimeout: 255_000_000 });
        await ended;
        expect(served.ends.length).toBe(before + 1);
        expect(served.ends.map((e) => e.filename)).not.toContain('bad-utimeout.bin');
        expect(await tempFilesIn(local.dir)).toEqual([]);
        expect((await import('node:fs')).readdirSync(local.dir)).toEqual([]);
      } finally {
        await local.cleanup();
      }
    });

    it('cancelling a download from our server: the server sees ERROR 0 and the call rejects with the reason', async () => {
      const ac = new AbortController();
      const ended = served.nextEnd('medium.bin');
      let seen = 0;
      const p = tftpGet(
        served.address,
        'medium.bin',
        async () => {
          seen++;
          if (seen === 1) ac.abort(new Error('stop'));
        },
        { signal: ac.signal, blksize: 1024 },
      );
      await expect(p).rejects.toThrow('stop');
      const end = await ended;
      expect(end.ok).toBe(false);
      expect(end.error).toMatchObject({ code: 'peer-error', tftpCode: 0 });
      expect(end.error?.peerMessage).toMatch(/cancelled/);
    });

    it('netascii get converts CR LF / CR NUL back to local line ends', async () => {
      const ended = served.nextEnd('text.txt');
      const got = await tftpGetBytes(served.address, 'text.txt', { mode: 'netascii', blksize: 700 });
      expect(sha256(got)).toBe(sha256(FILES['text.txt']));
      // On the wire it was longer (LF → CR LF).
      expect((await ended).stats.bytes).toBe(netasciiEncode(FILES['text.txt']).length);
    });

    it('netascii put stores local line ends', async () => {
      const data = textWithLineEnds(500);
      await tftpPut(served.address, 'up-text.txt', data, { mode: 'netascii' });
      expect(sha256(await readFile(join(root.dir, 'up-text.txt')))).toBe(sha256(data));
    });

    it('uploads bytes, streams and iterables, with and without options', async () => {
      const data = pattern(200_000, 11);
      await tftpPut(served.address, 'up1.bin', data, { blksize: 1468, windowsize: 16 });
      await tftpPut(served.address, 'up2.bin', Readable.from([data.subarray(0, 1000), data.subarray(1000)]));
      await tftpPut(served.address, 'up3.bin', new Blob([data]).stream(), { options: false });
      await tftpPut(
        served.address,
        'up4.bin',
        (async function* () {
          for (let i = 0; i < data.length; i += 777) yield data.subarray(i, i + 777);
        })(),
        { blksize: 512, windowsize: 3 },
      );
      for (const n of ['up1.bin', 'up2.bin', 'up3.bin', 'up4.bin']) {
        expect(sha256(await readFile(join(root.dir, n))), n).toBe(sha256(data));
      }
      await tftpPut(served.address, 'up-empty.bin', new Uint8Array(0));
      expect((await stat(join(root.dir, 'up-empty.bin'))).size).toBe(0);
      await tftpPut(served.address, 'up-512.bin', pattern(1024, 2), { tsize: false });
      expect(sha256(await readFile(join(root.dir, 'up-512.bin')))).toBe(sha256(pattern(1024, 2)));
      expect(await tempFilesIn(root.dir)).toEqual([]);
    });

    it('big blocks × big windows: the server bounds the window to its buffers and the data arrives intact', async () => {
      const data = pattern(3_000_000, 21);
      const ended = served.nextEnd('up-big.bin');
      const stats = await tftpPut(served.address, 'up-big.bin', data, { blksize: 65464, windowsize: 64 });
      expect(stats.params.blksize).toBe(65464);
      expect(stats.params.windowsize).toBeGreaterThanOrEqual(1);
      expect(stats.params.windowsize * 65464).toBeLessThanOrEqual(1024 * 1024); // DEFAULT_MAX_WINDOW_BYTES
      expect(sha256(await readFile(join(root.dir, 'up-big.bin')))).toBe(sha256(data));
      expect((await ended).ok).toBe(true);
      const got = await tftpGetBytes(served.address, 'up-big.bin', { blksize: 65464, windowsize: 64 });
      expect(sha256(got)).toBe(sha256(data));
    });

    it('the server reports tsize of an upload and the client gets a stats object', async () => {
      const data = pattern(10_000, 12);
      const ended = served.nextEnd('up5.bin');
      const stats = await tftpPut(served.address, 'up5.bin', data, { blksize: 1000 });
      expect(stats.bytes).toBe(10_000);
      expect(stats.params.tsize).toBe(10_000);
      const end = await ended;
      expect(end.op).toBe('write');
      expect(end.ok).toBe(true);
      expect(end.stats.localBytes).toBe(10_000);
    });

    it('tftpPutFile and tftpGetFile go through files', async () => {
      const local = await tempDir();
      try {
        const src = join(local.dir, 'src.bin');
        await writeFile(src, pattern(700_000, 13));
        await tftpPutFile(served.address, src, 'up-file.bin', { blksize: 1468, windowsize: 4 });
        const dst = join(local.dir, 'dst.bin');
        const stats = await tftpGetFile(served.address, 'up-file.bin', dst, { blksize: 1468 });
        expect(stats.localBytes).toBe(700_000);
        expect(sha256(await readFile(dst))).toBe(sha256(pattern(700_000, 13)));
        expect(await tempFilesIn(local.dir)).toEqual([]);
      } finally {
        await local.cleanup();
      }
    });

    it('streams: a web ReadableStream, a web WritableStream and a Node writable', async () => {
      const parts: Uint8Array[] = [];
      for await (const c of tftpGetStream(served.address, 'medium.bin', { blksize: 1468 })) parts.push(c);
      expect(sha256(Buffer.concat(parts))).toBe(sha256(FILES['medium.bin']));

      const web: Uint8Array[] = [];
      let closed = false;
      await tftpGet(
        served.address,
        'medium.bin',
        new WritableStream<Uint8Array>({
          write: (c) => void web.push(c),
          close: () => {
            closed = true;
          },
        }),
      );
      expect(closed).toBe(true);
      expect(sha256(Buffer.concat(web))).toBe(sha256(FILES['medium.bin']));

      const node: Buffer[] = [];
      await tftpGet(
        served.address,
        'medium.bin',
        new Writable({
          highWaterMark: 1024,
          write(chunk, _enc, cb) {
            node.push(chunk);
            setImmediate(cb); // a slow sink: backpressure
          },
        }),
        { windowsize: 4 },
      );
      expect(sha256(Buffer.concat(node))).toBe(sha256(FILES['medium.bin']));
    });

    it('many transfers at once, reads and writes mixed', async () => {
      const jobs: Promise<unknown>[] = [];
      for (let i = 0; i < 24; i++) {
        if (i % 3 === 2) jobs.push(tftpPut(served.address, `many-${i}.bin`, pattern(50_000 + i, i), { blksize: 1024 }));
        else
          jobs.push(
            tftpGetBytes(served.address, 'medium.bin', i % 2 ? { blksize: 1468, windowsize: 4 } : {}).then((b) =>
              expect(sha256(b)).toBe(sha256(FILES['medium.bin'])),
            ),
          );
      }
      await Promise.all(jobs);
      for (let i = 2; i < 24; i += 3) {
        expect(sha256(await readFile(join(root.dir, `many-${i}.bin`)))).toBe(sha256(pattern(50_000 + i, i)));
      }
    });

    it('a sink that fails ends the transfer: the server gets an ERROR, the call rejects', async () => {
      const ended = served.nextEnd('medium.bin');
      const broken = new Writable({
        highWaterMark: 1,
        write(_chunk, _enc, cb) {
          setImmediate(() => broken.destroy());
          cb();
        },
      });
      await expect(tftpGet(served.address, 'medium.bin', broken, { blksize: 1024 })).rejects.toMatchObject({
        code: 'aborted',
      });
      expect((await ended).error).toMatchObject({ code: 'peer-error' });
      const failing = () => Promise.reject(Object.assign(new Error('disk full'), { code: 'ENOSPC' }));
      const ended2 = served.nextEnd('medium.bin');
      await expect(tftpGet(served.address, 'medium.bin', failing)).rejects.toMatchObject({ tftpCode: 3 });
      expect((await ended2).error).toMatchObject({ code: 'peer-error', tftpCode: 3 });
    });

    it('cancelling a tftpGetStream cancels the transfer (the server sees ERROR 0)', async () => {
      const ended = served.nextEnd('large.bin');
      const reader = tftpGetStream(served.address, 'large.bin', { blksize: 512 }).getReader();
      const first = await reader.read();
      expect(first.done).toBe(false);
      await reader.cancel(new Error('enough'));
      const end = await ended;
      expect(end.ok).toBe(false);
      expect(end.error).toMatchObject({ code: 'peer-error', tftpCode: 0 });
    });

    it('a slow consumer of tftpGetStream slows the transfer down without losing data', async () => {
      const reader = tftpGetStream(served.address, 'medium.bin', { blksize: 1024 }).getReader();
      const parts: Uint8Array[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(sha256(Buffer.concat(parts))).toBe(sha256(FILES['medium.bin']));
    });
  });
}

describe('client utimeout before the OACK', () => {
  it('drives the request retransmissions like timeout does (ms = µs / 1000)', async () => {
    const listen = await rawPeer();
    try {
      const started = Date.now();
      const e = await tftpGetBytes(`127.0.0.1:${listen.port}`, 'f', { utimeout: 50_000, retries: 2 }).catch(
        (x: unknown) => x,
      );
      const ms = Date.now() - started;
      expect(e).toMatchObject({ code: 'timeout' });
      const requests = await listen.collect(10);
      expect(requests.length).toBe(3); // the request and two retransmissions
      for (const r of requests) expect(r.data.includes(Buffer.from('utimeout\x0050000\x00', 'latin1'))).toBe(true);
      // 50 + 100 + 200 ms with backoff; the 1 s default would take ≥ 7 s.
      expect(ms).toBeLessThan(4000);
    } finally {
      listen.close();
    }
  });
});

describe('tftpGetFile', () => {
  it('refuses to overwrite unless asked, and leaves no temp file behind on failure', async () => {
    const root = await tempDir();
    const local = await tempDir();
    const served = await serve({ root: root.dir });
    try {
      await writeFiles(root.dir, { 'a.bin': pattern(5000, 1) });
      const dst = join(local.dir, 'a.bin');
      await writeFile(dst, 'old');
      await expect(tftpGetFile(served.address, 'a.bin', dst)).rejects.toThrow(/already exists/);
      expect(served.ends.length).toBe(0); // refused before any traffic
      expect(await readFile(dst, 'utf8')).toBe('old');
      await tftpGetFile(served.address, 'a.bin', dst, { overwrite: true });
      expect(sha256(await readFile(dst))).toBe(sha256(pattern(5000, 1)));
      await expect(tftpGetFile(served.address, 'missing.bin', join(local.dir, 'm.bin'))).rejects.toMatchObject({
        code: 'peer-error',
        tftpCode: 1,
      });
      expect((await import('node:fs')).readdirSync(local.dir)).toEqual(['a.bin']);
    } finally {
      await served.server.close();
      await root.cleanup();
      await local.cleanup();
    }
  });
});
