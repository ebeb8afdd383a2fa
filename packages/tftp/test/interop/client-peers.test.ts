// Our client with real servers: tftpd-hpa's in.tftpd (get/put, octet/netascii, the > 32 MiB
// rollover file at blksize 512, utimeout) and atftpd (get and put with blksize/windowsize/tsize,
// lockstep put, netascii get and put). sha256-identical.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { killAll, requirePeer, startAtftpd, startInTftpd } from '@udpkit/peers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netasciiEncode, tftpGet, tftpGetBytes, tftpGetFile, tftpPut, tftpPutFile } from '../../src/index.js';
import { pattern, sha256, tempDir, textWithLineEnds, writeFiles } from '../io/helpers.js';

const inTftpd = requirePeer('in.tftpd');
const atftpd = requirePeer('atftpd');

const FILES = {
  'empty.bin': new Uint8Array(0),
  'small.bin': pattern(1000, 1),
  'b512x4.bin': pattern(2048, 2),
  'medium.bin': pattern(1_500_000, 4),
  'text.txt': textWithLineEnds(2000),
  'upload.bin': pattern(100_003, 5),
  // LF-only text: netascii sends it as CR LF; a server stores and returns it with LF.
  'lf.txt': lfText(3000),
};

function lfText(lines: number): Uint8Array {
  let s = '';
  for (let i = 0; i < lines; i++) s += `line ${i} ${'y'.repeat(i % 89)}\n`;
  return new TextEncoder().encode(s);
}
// 65536 blocks of 512 = 32 MiB: this one crosses the block-number wrap.
const ROLLOVER_SIZE = 65536 * 512 + 40_000 + 7;

async function rootWith(files: Record<string, Uint8Array>) {
  const root = await tempDir('udpkit-tftp-peer-root-');
  await chmod(root.dir, 0o777); // the servers may drop privileges
  await writeFiles(root.dir, files);
  return root;
}

describe.skipIf(!inTftpd)('our client ↔ in.tftpd (tftpd-hpa)', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let local: Awaited<ReturnType<typeof tempDir>>;
  let server: string;

  beforeAll(async () => {
    root = await rootWith({ ...FILES, 'rollover.bin': pattern(ROLLOVER_SIZE, 9) });
    local = await tempDir();
    // -L foreground, -s chroot-like secure mode, -c allow creating files, -p permissive, -u root (we are root here).
    const { port } = await startInTftpd(inTftpd!, root.dir, { args: ['-c', '-p', '-u', 'root'] });
    server = `127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await killAll();
    await root.cleanup();
    await local.cleanup();
  });

  it('octet get: plain, with options, every size', async () => {
    for (const name of ['empty.bin', 'small.bin', 'b512x4.bin', 'medium.bin'] as const) {
      for (const options of [{ options: false }, { blksize: 1468 }, { blksize: 1024, timeout: 3 }]) {
        const got = await tftpGetBytes(server, name, options);
        expect(sha256(got), `${name} ${JSON.stringify(options)}`).toBe(sha256(FILES[name]));
      }
    }
  });

  it('tsize from in.tftpd gives the progress total', async () => {
    const seen: { bytes: number; total?: number }[] = [];
    const stats = await tftpGetBytes(server, 'medium.bin', { blksize: 1468, onProgress: (p) => seen.push(p) });
    expect(stats.length).toBe(1_500_000);
    expect(seen.at(-1)).toEqual({ bytes: 1_500_000, total: 1_500_000 });
  });

  it('netascii get and put', async () => {
    const got = await tftpGetBytes(server, 'text.txt', { mode: 'netascii' });
    expect(sha256(got)).toBe(sha256(FILES['text.txt']));
    await tftpPut(server, 'up.txt', FILES['text.txt'], { mode: 'netascii' });
    expect(sha256(await readFile(join(root.dir, 'up.txt')))).toBe(sha256(FILES['text.txt']));
  });

  it('octet put with and without options', async () => {
    await tftpPut(server, 'up1.bin', FILES['medium.bin'], { blksize: 1468 });
    expect(sha256(await readFile(join(root.dir, 'up1.bin')))).toBe(sha256(FILES['medium.bin']));
    const src = join(local.dir, 'src.bin');
    await writeFile(src, FILES['b512x4.bin']);
    await tftpPutFile(server, src, 'up2.bin', { options: false });
    expect(sha256(await readFile(join(root.dir, 'up2.bin')))).toBe(sha256(FILES['b512x4.bin']));
  });

  it('utimeout (tftp-hpa, microseconds) is acknowledged and fixes the timeout', async () => {
    const stats = await tftpGet(server, 'medium.bin', () => {}, { utimeout: 300_000, blksize: 1468 });
    expect(stats.oack).toContainEqual(['utimeout', '300000']);
    expect(stats.params.timeoutMs).toBe(300);
    const got = await tftpGetBytes(server, 'medium.bin', { utimeout: 500_000 });
    expect(sha256(got)).toBe(sha256(FILES['medium.bin']));
  });

  it('errors carry the TFTP code and the server message', async () => {
    await expect(tftpGetBytes(server, 'missing.bin', { blksize: 1468 })).rejects.toMatchObject({
      code: 'peer-error',
      tftpCode: 1,
      message: expect.stringMatching(/^error 1 \(file not found\): /),
    });
  });

  it('the > 32 MiB file at blksize 512 (block numbers wrap to 0) is byte-identical', async () => {
    const dst = join(local.dir, 'rollover.bin');
    // busyPoll: lockstep 512 on loopback is about twice as fast polling (CI time).
    const stats = await tftpGetFile(server, 'rollover.bin', dst, { tsize: true, busyPoll: 200 });
    expect(stats.blocks).toBe(Math.floor(ROLLOVER_SIZE / 512) + 1);
    expect(stats.params.blksize).toBe(512);
    expect(sha256(await readFile(dst))).toBe(sha256(pattern(ROLLOVER_SIZE, 9)));
  }, 180_000);

  it('and back: a > 32 MiB upload at blksize 512', async () => {
    const src = join(local.dir, 'rollover-src.bin');
    await writeFile(src, pattern(ROLLOVER_SIZE, 9));
    const stats = await tftpPutFile(server, src, 'rollover-up.bin', { busyPoll: 200 });
    expect(stats.blocks).toBe(Math.floor(ROLLOVER_SIZE / 512) + 1);
    expect(stats.params.blksize).toBe(512);
    expect(sha256(await readFile(join(root.dir, 'rollover-up.bin')))).toBe(sha256(pattern(ROLLOVER_SIZE, 9)));
  }, 180_000);
});

describe.skipIf(!atftpd)('our client ↔ atftpd', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let server: string;

  beforeAll(async () => {
    root = await rootWith(FILES);
    const { port } = await startAtftpd(atftpd!, root.dir, { logFile: join(root.dir, 'atftpd.log') });
    server = `127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await killAll();
    await root.cleanup();
  });

  it('get with blksize, windowsize and tsize', async () => {
    for (const name of ['small.bin', 'b512x4.bin', 'medium.bin'] as const) {
      const got = await tftpGetBytes(server, name, { blksize: 1468, windowsize: 16 });
      expect(sha256(got), name).toBe(sha256(FILES[name]));
    }
    const seen: { bytes: number; total?: number }[] = [];
    let total: number | undefined;
    await tftpGetBytes(server, 'medium.bin', {
      blksize: 1428,
      windowsize: 8,
      tsize: true,
      onProgress: (p) => {
        seen.push(p);
        total = p.total;
      },
    });
    expect(total).toBe(1_500_000);
  });

  it('put with blksize 1468 and windowsize 8 (~100 kB), and a lockstep put at 512', async () => {
    const up = FILES['upload.bin'];
    const stats = await tftpPut(server, 'up-w8.bin', up, { blksize: 1468, windowsize: 8 });
    expect(stats.params).toMatchObject({ blksize: 1468, windowsize: 8 });
    expect(sha256(await readFile(join(root.dir, 'up-w8.bin')))).toBe(sha256(up));
    const lock = await tftpPut(server, 'up-512.bin', up, { blksize: 512, windowsize: 1 });
    expect(lock.blocks).toBe(Math.floor(up.length / 512) + 1);
    expect(sha256(await readFile(join(root.dir, 'up-512.bin')))).toBe(sha256(up));
    const plain = await tftpPut(server, 'up-plain.bin', FILES['b512x4.bin'], { options: false });
    expect(plain.blocks).toBe(5); // an exact multiple of 512 ends with an empty block
    expect(sha256(await readFile(join(root.dir, 'up-plain.bin')))).toBe(sha256(FILES['b512x4.bin']));
  });

  it('netascii get: atftpd sends LF as CR LF, we get the LF text back', async () => {
    const text = FILES['lf.txt'];
    const stats = await tftpGet(server, 'lf.txt', () => {}, { mode: 'netascii' });
    expect(stats.bytes).toBe(netasciiEncode(text).length); // on the wire: CR LF
    expect(stats.bytes).toBe(text.length + 3000);
    expect(stats.localBytes).toBe(text.length);
    expect(sha256(await tftpGetBytes(server, 'lf.txt', { mode: 'netascii' }))).toBe(sha256(text));
  });

  it('netascii put: we send CR LF, atftpd stores LF', async () => {
    const text = FILES['lf.txt'];
    const stats = await tftpPut(server, 'up-lf.txt', text, { mode: 'netascii' });
    expect(stats.bytes).toBe(text.length + 3000);
    expect(sha256(await readFile(join(root.dir, 'up-lf.txt')))).toBe(sha256(text));
  });

  it('plain and lockstep gets, and the empty file', async () => {
    for (const options of [{ options: false }, { blksize: 512, windowsize: 1 }, { timeout: 2 }]) {
      const got = await tftpGetBytes(server, 'medium.bin', options);
      expect(sha256(got)).toBe(sha256(FILES['medium.bin']));
    }
    expect((await tftpGetBytes(server, 'empty.bin', { blksize: 1468 })).length).toBe(0);
  });
});
